/* Host tests for drivers/xenfront/xring.c: Xen shared-ring index
 * arithmetic (sizes, free slots, responses checked, notify rule) across
 * the 32-bit wrap, and blkif segment sectors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <xenfront/xring.h>

static void test_size(void **state)
{
	(void)state;
	/* blkif under x86_32: 64-byte header, 112-byte entries -> 36 fit, 32. */
	assert_int_equal(xring_size(4096, 64, 112), 32);
	assert_int_equal(xring_size(4096, 64, 12), 256);      /* 336 fit */
	assert_int_equal(xring_size(4096, 64, 4032), 1);
	assert_int_equal(xring_size(4096, 64, 4033), 0);
	assert_int_equal(xring_size(4096, 4096, 8), 0);
	assert_int_equal(xring_size(4096, 64, 0), 0);
}

static void test_free_and_responses_wrap(void **state)
{
	(void)state;
	const uint32_t size = 32;
	/* Start just before the wrap; run a producer and a consumer over it. */
	uint32_t prod = 0xfffffff0u, cons = prod, back = prod;
	for (int round = 0; round < 100; round++) {
		uint32_t f = xring_free(prod, cons, size);
		assert_int_equal(f, size - (prod - cons));
		uint32_t n = (uint32_t)(round % 7) + 1;
		if (n > f)
			n = f;
		prod += n;                               /* requests queued */
		assert_true(xring_free(prod, cons, size) <= size);
		back += (prod - back) / 2;               /* the back end answers some */
		int32_t r = xring_responses(back, cons, prod);
		assert_int_equal(r, (int32_t)(back - cons));
		assert_true(xring_slot(cons, size) < size);
		cons = back;                             /* consumed */
	}
	assert_true(prod < 0xfffffff0u);                 /* it did wrap */
	assert_int_equal(xring_free(prod, prod - size, size), 0);
	assert_int_equal(xring_free(prod, prod - size - 5, size), 0);   /* never negative */
	assert_int_equal(xring_slot(0xffffffffu, 32), 31);
	assert_int_equal(xring_slot(0x100000000ull & 0xffffffffu, 32), 0);
}

static void test_responses_checked(void **state)
{
	(void)state;
	/* More answers than requests: impossible, reported as -1. */
	assert_int_equal(xring_responses(10, 5, 8), -1);
	assert_int_equal(xring_responses(8, 5, 8), 3);
	assert_int_equal(xring_responses(5, 5, 8), 0);
	/* Across the wrap. */
	assert_int_equal(xring_responses(2, 0xfffffffeu, 4), 4);
	assert_int_equal(xring_responses(5, 0xfffffffeu, 4), -1);
	/* A response index behind the consumer is as bad. */
	assert_int_equal(xring_responses(4, 5, 8), -1);
}

static void test_need_notify(void **state)
{
	(void)state;
	/* The back end wants an event at index 5 (req_event = old + 1). */
	assert_true(xring_need_notify(4, 6, 5));
	assert_true(xring_need_notify(4, 5, 5));
	assert_false(xring_need_notify(5, 8, 5));       /* already passed before */
	assert_false(xring_need_notify(4, 6, 9));       /* not yet reached */
	assert_false(xring_need_notify(4, 4, 5));       /* nothing pushed */
	/* Across the wrap. */
	assert_true(xring_need_notify(0xfffffffeu, 3, 0));
	assert_true(xring_need_notify(0xfffffffeu, 3, 0xffffffffu));
	assert_false(xring_need_notify(0xfffffffeu, 3, 4));
	assert_false(xring_need_notify(0xfffffffeu, 3, 0xfffffffeu));
}

static void test_blkif_seg(void **state)
{
	(void)state;
	uint8_t f = 0xff, l = 0xff;
	assert_int_equal(xring_blkif_seg(0x12345000ull, 4096, &f, &l), 0);
	assert_int_equal(f, 0);
	assert_int_equal(l, 7);
	assert_int_equal(xring_blkif_seg(0x100000a00ull, 1024, &f, &l), 0);
	assert_int_equal(f, 5);
	assert_int_equal(l, 6);
	assert_int_equal(xring_blkif_seg(0x1e00, 512, &f, &l), 0);
	assert_int_equal(f, 7);
	assert_int_equal(l, 7);
	assert_int_equal(xring_blkif_seg(0x1e00, 1024, &f, &l), -1);    /* crosses the page */
	assert_int_equal(xring_blkif_seg(0x1000, 0, &f, &l), -1);
	assert_int_equal(xring_blkif_seg(0x1000, 100, &f, &l), -1);
	assert_int_equal(xring_blkif_seg(0x1100, 512, &f, &l), -1);     /* not sector-aligned */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_free_and_responses_wrap),
		cmocka_unit_test(test_responses_checked),
		cmocka_unit_test(test_need_notify),
		cmocka_unit_test(test_blkif_seg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
