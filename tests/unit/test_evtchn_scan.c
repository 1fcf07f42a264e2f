/* Host tests for drivers/xenfront/evtchn_scan.c: the 2-level scan over the
 * selector, pending and mask words. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <xenfront/evtchn_scan.h>

#define W EVTCHN_WORD_BITS
static unsigned long sel, pending[W], mask[W];
static unsigned seen[64], nseen;

static void record(unsigned port, void *ctx)
{
	(void)ctx;
	/* The port's pending bit is already clear when its handler runs. */
	assert_false(pending[port / W] & (1ul << (port % W)));
	if (nseen < 64)
		seen[nseen++] = port;
}

static void set_pending(unsigned port)
{
	pending[port / W] |= 1ul << (port % W);
	sel |= 1ul << (port / W);
}

static void reset(void)
{
	sel = 0;
	memset(pending, 0, sizeof(pending));
	memset(mask, 0, sizeof(mask));
	nseen = 0;
}

static void test_ports_in_order_and_cleared(void **state)
{
	(void)state;
	reset();
	set_pending(3);
	set_pending(1);
	set_pending(W + 5);
	set_pending(3 * W + W - 1);
	assert_int_equal(evtchn_scan(&sel, pending, mask, record, 0), 4);
	assert_int_equal(nseen, 4);
	assert_int_equal(seen[0], 1);
	assert_int_equal(seen[1], 3);
	assert_int_equal(seen[2], W + 5);
	assert_int_equal(seen[3], 3 * W + W - 1);
	assert_int_equal(sel, 0);
	for (unsigned i = 0; i < W; i++)
		assert_int_equal(pending[i], 0);
}

static void test_masked_ports_stay_pending(void **state)
{
	(void)state;
	reset();
	set_pending(7);
	set_pending(8);
	mask[0] = 1ul << 7;
	assert_int_equal(evtchn_scan(&sel, pending, mask, record, 0), 1);
	assert_int_equal(seen[0], 8);
	assert_true(pending[0] & (1ul << 7));     /* held for the unmask */
}

static void test_selector_bit_without_pending_is_harmless(void **state)
{
	(void)state;
	reset();
	sel = 1ul << 2;
	assert_int_equal(evtchn_scan(&sel, pending, mask, record, 0), 0);
	assert_int_equal(sel, 0);
}

static void test_pending_without_selector_waits(void **state)
{
	(void)state;
	reset();
	pending[1] = 1;                           /* Xen has not set the selector yet */
	assert_int_equal(evtchn_scan(&sel, pending, mask, record, 0), 0);
	assert_int_equal(pending[1], 1);
}

/* A handler that re-raises its own port must not starve the others: it is
 * seen once per scan. */
static unsigned rearm_port, rearm_count;
static void rearm(unsigned port, void *ctx)
{
	(void)ctx;
	record(port, 0);
	if (port == rearm_port && rearm_count++ < 100)
		set_pending(port);
}

static void test_self_raising_port_does_not_starve_others(void **state)
{
	(void)state;
	reset();
	rearm_port = 2;
	rearm_count = 0;
	set_pending(2);
	set_pending(W + 1);
	assert_int_equal(evtchn_scan(&sel, pending, mask, rearm, 0), 2);
	assert_int_equal(seen[0], 2);
	assert_int_equal(seen[1], W + 1);
	assert_true(sel & 1);                     /* port 2 waits for the next scan */
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ports_in_order_and_cleared),
		cmocka_unit_test(test_masked_ports_stay_pending),
		cmocka_unit_test(test_selector_bit_without_pending_is_harmless),
		cmocka_unit_test(test_pending_without_selector_waits),
		cmocka_unit_test(test_self_raising_port_does_not_starve_others),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
