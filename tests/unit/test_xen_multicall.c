/* Host tests for pv/xen_multicall.c: order, one hypercall per flush,
 * flushing when full, and failures reported per entry. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pv/xen_multicall.h>

static unsigned issued, last_n;
static uint32_t seen_ops[64];
static unsigned nseen;
static long issue_rc;
static int fail_index = -1;

static long fake_issue(struct mc_entry *e, unsigned n)
{
	issued++;
	last_n = n;
	for (unsigned i = 0; i < n; i++) {
		if (nseen < 64)
			seen_ops[nseen++] = e[i].op;
		e[i].result = (int)i == fail_index ? (uint32_t)-22 : 0;
	}
	return issue_rc;
}

static void reset(struct mc_queue *q)
{
	issued = last_n = nseen = 0;
	issue_rc = 0;
	fail_index = -1;
	mc_init(q, fake_issue);
}

static void test_empty_flush_makes_no_hypercall(void **state)
{
	(void)state;
	struct mc_queue q;
	reset(&q);
	assert_int_equal(mc_flush(&q), 0);
	assert_int_equal(issued, 0);
}

static void test_three_calls_one_hypercall_in_order(void **state)
{
	(void)state;
	struct mc_queue q;
	reset(&q);
	mc_add(&q, 3, 1, 2, 0, 0, 0);      /* stack_switch */
	mc_add(&q, 26, 0x1000, 1, 0, 0x7ff0, 0);  /* mmuext_op */
	mc_add(&q, 10, 5, 6, 7, 8, 0);     /* update_descriptor */
	assert_int_equal(issued, 0);       /* nothing before the flush */
	assert_int_equal(mc_flush(&q), 0);
	assert_int_equal(issued, 1);
	assert_int_equal(last_n, 3);
	assert_int_equal(seen_ops[0], 3);
	assert_int_equal(seen_ops[1], 26);
	assert_int_equal(seen_ops[2], 10);
	assert_int_equal(q.multicalls, 1);
	assert_int_equal(q.entries, 3);
	assert_int_equal(q.n, 0);
}

static void test_arguments_kept(void **state)
{
	(void)state;
	struct mc_queue q;
	reset(&q);
	mc_add(&q, 10, 0xa, 0xb, 0xc, 0xd, 0xe);
	assert_int_equal(q.e[0].args[0], 0xa);
	assert_int_equal(q.e[0].args[4], 0xe);
	assert_int_equal(q.e[0].args[5], 0);
}

static void test_full_queue_flushes_first(void **state)
{
	(void)state;
	struct mc_queue q;
	reset(&q);
	for (unsigned i = 0; i < MC_MAX + 3; i++)
		mc_add(&q, i, 0, 0, 0, 0, 0);
	assert_int_equal(issued, 1);
	assert_int_equal(last_n, MC_MAX);
	mc_flush(&q);
	assert_int_equal(issued, 2);
	assert_int_equal(last_n, 3);
	for (unsigned i = 0; i < MC_MAX + 3; i++)
		assert_int_equal(seen_ops[i], i);
}

static void test_failing_entry_reported(void **state)
{
	(void)state;
	struct mc_queue q;
	reset(&q);
	fail_index = 1;
	mc_add(&q, 3, 0, 0, 0, 0, 0);
	mc_add(&q, 26, 0, 0, 0, 0, 0);
	mc_add(&q, 10, 0, 0, 0, 0, 0);
	assert_int_equal(mc_flush(&q), -22);
	assert_int_equal(q.failed_op, 26);
	assert_int_equal(q.n, 0);          /* the queue is empty again */
}

static void test_multicall_error_wins(void **state)
{
	(void)state;
	struct mc_queue q;
	reset(&q);
	issue_rc = -14;
	mc_add(&q, 3, 0, 0, 0, 0, 0);
	assert_int_equal(mc_flush(&q), -14);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_flush_makes_no_hypercall),
		cmocka_unit_test(test_three_calls_one_hypercall_in_order),
		cmocka_unit_test(test_arguments_kept),
		cmocka_unit_test(test_full_queue_flushes_first),
		cmocka_unit_test(test_failing_entry_reported),
		cmocka_unit_test(test_multicall_error_wins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
