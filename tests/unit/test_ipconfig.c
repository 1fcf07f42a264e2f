/* Host tests for net/ipconfig_parse.c: the amphi.ip= forms, and the
 * malformed ones that must be refused (and leave the device on DHCP). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../net/ipconfig_parse.h"

static void test_modes(void **state)
{
	(void)state;
	struct ipconf c;
	assert_int_equal(ipconf_parse("dhcp", &c), 0);
	assert_int_equal(c.mode, IPCONF_DHCP);
	assert_int_equal(ipconf_parse("off", &c), 0);
	assert_int_equal(c.mode, IPCONF_OFF);
	assert_int_equal(ipconf_parse("none", &c), 0);
	assert_int_equal(c.mode, IPCONF_OFF);
}

static void test_static(void **state)
{
	(void)state;
	struct ipconf c;
	assert_int_equal(ipconf_parse("10.0.2.15/24,10.0.2.2", &c), 0);
	assert_int_equal(c.mode, IPCONF_STATIC);
	assert_int_equal(c.addr, 0x0a00020f);
	assert_int_equal(c.netmask, 0xffffff00);
	assert_int_equal(c.gateway, 0x0a000202);
	assert_int_equal(ipconf_parse("192.168.1.7/32", &c), 0);
	assert_int_equal(c.netmask, 0xffffffff);
	assert_int_equal(c.gateway, 0);
	assert_int_equal(ipconf_parse("1.2.3.4/1", &c), 0);
	assert_int_equal(c.netmask, 0x80000000);
	assert_int_equal(ipconf_parse("0.0.0.0/8", &c), 0);
}

static void test_refused(void **state)
{
	(void)state;
	static const char *bad[] = {
		"", "dhcpx", "of", "10.0.2.15", "10.0.2.15/", "10.0.2.15/0", "10.0.2.15/33",
		"10.0.2.15/240", "10.0.2/24", "10.0.2.15.1/24", "10.0.2.256/24", "10.0.2.1234/24",
		"10..2.15/24", "a.b.c.d/24", "10.0.2.15/24,", "10.0.2.15/24,10.0.3.2",
		"10.0.2.15/24,10.0.2", "10.0.2.15/2x", "-1.0.0.0/8", "10.0.2.15/24,10.0.2.2,1",
		" 10.0.2.15/24",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ipconf c = { IPCONF_STATIC, 1, 1, 1 };
		if (ipconf_parse(bad[i], &c) != -1)
			fail_msg("'%s' was accepted", bad[i]);
		assert_int_equal(c.mode, IPCONF_DHCP);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_static),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
