/* Host tests for drivers/xenfront/gnttab_core.c: the grant reference free
 * list (reserved entries, exhaustion, double and bad frees) and the v1
 * end-of-access rule (an entry the back end still reads or writes stays). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <amphi/errno.h>
#include <xenfront/gnttab_core.h>

#define NR 16
static uint32_t next[NR];
static uint8_t used[NR];
static struct gnt_freelist fl;

static void test_reserved_and_order(void **state)
{
	(void)state;
	gnt_freelist_init(&fl, NR, 8, next, used);
	assert_int_equal(fl.nfree, 8);
	for (int i = 8; i < NR; i++)
		assert_int_equal(gnt_get(&fl), i);          /* lowest first, never 0..7 */
	assert_int_equal(gnt_get(&fl), -ENOSPC);
	assert_int_equal(fl.nfree, 0);
}

static void test_put_and_reuse(void **state)
{
	(void)state;
	gnt_freelist_init(&fl, NR, 8, next, used);
	int a = gnt_get(&fl), b = gnt_get(&fl);
	assert_int_equal(a, 8);
	assert_int_equal(b, 9);
	assert_int_equal(gnt_put(&fl, (uint32_t)a), 0);
	assert_int_equal(gnt_get(&fl), a);               /* last freed comes back first */
	assert_int_equal(gnt_put(&fl, (uint32_t)b), 0);
	assert_int_equal(fl.nfree, 7);
}

static void test_bad_frees(void **state)
{
	(void)state;
	gnt_freelist_init(&fl, NR, 8, next, used);
	int a = gnt_get(&fl);
	assert_int_equal(gnt_put(&fl, (uint32_t)a), 0);
	assert_int_equal(gnt_put(&fl, (uint32_t)a), -EINVAL);     /* double free */
	assert_int_equal(gnt_put(&fl, 3), -EINVAL);               /* reserved */
	assert_int_equal(gnt_put(&fl, 12), -EINVAL);              /* never handed out */
	assert_int_equal(gnt_put(&fl, NR), -EINVAL);              /* out of range */
	assert_int_equal(gnt_put(&fl, 0xffffffffu), -EINVAL);
	assert_int_equal(fl.nfree, 8);
	/* The list is still whole: all eight come out once each. */
	int seen[NR] = { 0 };
	for (int i = 0; i < 8; i++) {
		int r = gnt_get(&fl);
		assert_true(r >= 8 && r < NR);
		assert_int_equal(seen[r]++, 0);
	}
	assert_int_equal(gnt_get(&fl), -ENOSPC);
}

static void test_end_access(void **state)
{
	(void)state;
	volatile uint16_t flags = GNT_GTF_permit_access;
	assert_int_equal(gnt_try_end_access(&flags), 0);
	assert_int_equal(flags, 0);
	flags = GNT_GTF_permit_access | GNT_GTF_readonly | GNT_GTF_reading;
	assert_int_equal(gnt_try_end_access(&flags), -EBUSY);
	assert_int_equal(flags, GNT_GTF_permit_access | GNT_GTF_readonly | GNT_GTF_reading);
	flags = GNT_GTF_permit_access | GNT_GTF_writing;
	assert_int_equal(gnt_try_end_access(&flags), -EBUSY);
	flags &= (uint16_t)~GNT_GTF_writing;                      /* the back end let go */
	assert_int_equal(gnt_try_end_access(&flags), 0);
	assert_int_equal(flags, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reserved_and_order),
		cmocka_unit_test(test_put_and_reuse),
		cmocka_unit_test(test_bad_frees),
		cmocka_unit_test(test_end_access),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
