/* Host tests for net/route_table.c: what route(8) may ask (net and host
 * routes, gateways, metrics) and what must be refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../net/route_table.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static struct rt_entry net(uint32_t dst, uint32_t mask, uint32_t gw, int16_t metric)
{
	struct rt_entry r = { dst, mask, gw, 2, (uint16_t)(RT_F_UP | (gw ? RT_F_GATEWAY : 0)), metric };
	return r;
}

static void test_masks(void **state)
{
	(void)state;
	assert_true(rt_mask_ok(0));
	assert_true(rt_mask_ok(0xffffffffu));
	assert_true(rt_mask_ok(0xffffff00u));
	assert_true(rt_mask_ok(0x80000000u));
	assert_false(rt_mask_ok(0xff00ff00u));
	assert_false(rt_mask_ok(0x00ffffffu));
	assert_false(rt_mask_ok(0xfffffffdu));
}

static void test_refused(void **state)
{
	(void)state;
	struct rt_table t = { .n = 0 };
	struct rt_entry r = net(IP(192, 0, 2, 1), 0xffffff00u, IP(10, 0, 3, 2), 0);
	assert_int_equal(rt_add(&t, &r), -22);                 /* host bits under the mask */
	r = net(IP(192, 0, 2, 0), 0xff00ff00u, IP(10, 0, 3, 2), 0);
	assert_int_equal(rt_add(&t, &r), -22);                 /* holes in the mask */
	r = net(IP(192, 0, 2, 0), 0xffffff00u, 0, 0);
	r.flags |= RT_F_GATEWAY;
	assert_int_equal(rt_add(&t, &r), -22);                 /* gateway flag, no gateway */
	r = net(IP(192, 0, 2, 0), 0xffffff00u, 0, 0);
	r.flags |= RT_F_HOST;
	assert_int_equal(rt_add(&t, &r), -22);                 /* a host route with a net mask */
	assert_int_equal(t.n, 0);
	r = net(IP(192, 0, 2, 0), 0xffffff00u, IP(10, 0, 3, 2), 0);
	assert_int_equal(rt_add(&t, &r), 0);
	assert_int_equal(rt_add(&t, &r), -17);                 /* the same route twice */
	r.metric = 5;
	assert_int_equal(rt_add(&t, &r), 0);                   /* same prefix, other metric */
	for (int i = 2; i < RT_MAX; i++) {
		r = net(IP(172, 16, i, 0), 0xffffff00u, IP(10, 0, 3, 2), 0);
		assert_int_equal(rt_add(&t, &r), 0);
	}
	r = net(IP(172, 17, 0, 0), 0xffff0000u, IP(10, 0, 3, 2), 0);
	assert_int_equal(rt_add(&t, &r), -28);                 /* full */
}

static void test_lookup(void **state)
{
	(void)state;
	struct rt_table t = { .n = 0 };
	struct rt_entry wide = net(IP(192, 0, 0, 0), 0xffff0000u, IP(10, 0, 3, 2), 0);
	struct rt_entry narrow = net(IP(192, 0, 2, 0), 0xffffff00u, IP(10, 0, 3, 3), 0);
	struct rt_entry host = net(IP(192, 0, 2, 9), 0xffffffffu, 0, 0);
	host.flags |= RT_F_HOST;
	struct rt_entry slow = net(IP(192, 0, 2, 0), 0xffffff00u, IP(10, 0, 3, 4), 9);
	assert_int_equal(rt_add(&t, &wide), 0);
	assert_int_equal(rt_add(&t, &slow), 0);
	assert_int_equal(rt_add(&t, &narrow), 0);
	assert_int_equal(rt_add(&t, &host), 0);
	assert_int_equal(rt_lookup(&t, IP(192, 0, 7, 7))->gw, IP(10, 0, 3, 2));
	assert_int_equal(rt_lookup(&t, IP(192, 0, 2, 7))->gw, IP(10, 0, 3, 3));   /* longest, then lowest metric */
	assert_int_equal(rt_lookup(&t, IP(192, 0, 2, 9))->gw, 0);                 /* the on-link host route */
	assert_null(rt_lookup(&t, IP(198, 51, 100, 1)));
	assert_int_equal(rt_del(&t, &narrow), 0);
	assert_int_equal(rt_lookup(&t, IP(192, 0, 2, 7))->gw, IP(10, 0, 3, 4));
	assert_int_equal(rt_del(&t, &narrow), -3);             /* its gateway is gone, the metric-9 one differs */
	struct rt_entry any = narrow;                          /* route del -net ... without gw */
	any.gw = 0;
	any.flags = RT_F_UP;
	assert_int_equal(rt_del(&t, &any), 0);
	assert_int_equal(rt_del(&t, &any), -3);
	struct rt_entry other_gw = net(IP(192, 0, 0, 0), 0xffff0000u, IP(10, 0, 3, 99), 0);
	assert_int_equal(rt_del(&t, &other_gw), -3);           /* a gateway given must match */
	rt_forget_if(&t, 2);
	assert_int_equal(t.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_masks),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_lookup),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
