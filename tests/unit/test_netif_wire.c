/* Host tests for drivers/xenfront/netif_wire.c: the front end's MAC key and
 * receive responses from a back end that may lie. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <xenfront/netif_wire.h>

static void test_mac_good(void **state)
{
	(void)state;
	uint8_t m[6];
	assert_int_equal(netif_parse_mac("00:16:3e:0a:Bc:fF", m), 0);
	const uint8_t want[6] = { 0x00, 0x16, 0x3e, 0x0a, 0xbc, 0xff };
	assert_memory_equal(m, want, 6);
}

static void test_mac_bad(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "00:16:3e:0a:bc", "00:16:3e:0a:bc:f", "00:16:3e:0a:bc:ff:", "00:16:3e:0a:bc:ff:00",
		"00-16-3e-0a-bc-ff", "0:16:3e:0a:bc:ff", "00:16:3e:0a:bc:fg", "zz", "00:00:00:00:00:00",
		"01:16:3e:0a:bc:ff",    /* multicast */
		"ff:ff:ff:ff:ff:ff", " 00:16:3e:0a:bc:ff", "00:16:3e:0a:bc:ff ",
	};
	uint8_t m[6] = { 1, 2, 3, 4, 5, 6 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(netif_parse_mac(bad[i], m), -1);
		const uint8_t untouched[6] = { 1, 2, 3, 4, 5, 6 };
		assert_memory_equal(m, untouched, 6);
	}
}

static void test_rx(void **state)
{
	(void)state;
	uint32_t len = 0;
	assert_int_equal(netif_rx_check(60, 0, 0, 4096, &len), NETIF_RX_FRAME);
	assert_int_equal(len, 60);
	assert_int_equal(netif_rx_check(1514, 4096 - 1514, 1, 4096, &len), NETIF_RX_FRAME);
	assert_int_equal(len, 1514);
	assert_int_equal(netif_rx_check(-1, 0, 0, 4096, &len), NETIF_RX_ERROR);    /* NETIF_RSP_ERROR */
	assert_int_equal(netif_rx_check(-2, 0, 0, 4096, &len), NETIF_RX_ERROR);    /* dropped */
	assert_int_equal(netif_rx_check(13, 0, 0, 4096, &len), NETIF_RX_BAD);      /* runt */
	assert_int_equal(netif_rx_check(0, 0, 0, 4096, &len), NETIF_RX_BAD);
	assert_int_equal(netif_rx_check(1514, 4096 - 1513, 0, 4096, &len), NETIF_RX_BAD);
	assert_int_equal(netif_rx_check(32767, 0, 0, 4096, &len), NETIF_RX_BAD);
	assert_int_equal(netif_rx_check(100, 65535, 0, 4096, &len), NETIF_RX_BAD);
	assert_int_equal(netif_rx_check(100, 0, 1u << 2, 4096, &len), NETIF_RX_MULTI);
	assert_int_equal(len, 1514);    /* untouched by a refused response */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mac_good),
		cmocka_unit_test(test_mac_bad),
		cmocka_unit_test(test_rx),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
