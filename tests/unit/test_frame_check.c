/* Host tests for net/frame_check.c: well-formed ARP, TCP, UDP, ICMP and
 * fragment frames pass; each malformed header field is caught. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../net/frame_check.h"

static void ip_sum(uint8_t *ip)
{
	unsigned hlen = (ip[0] & 0xfu) * 4;
	ip[10] = ip[11] = 0;
	uint32_t s = 0;
	for (unsigned i = 0; i < hlen; i += 2)
		s += (uint32_t)ip[i] << 8 | ip[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	s = ~s & 0xffff;
	ip[10] = (uint8_t)(s >> 8);
	ip[11] = (uint8_t)s;
}

/* An IPv4 frame with proto and an l4 part of l4len bytes; returns its length. */
static size_t make_ip(uint8_t *f, uint8_t proto, unsigned l4len)
{
	memset(f, 0, 1514);
	f[12] = 0x08;
	uint8_t *ip = f + 14;
	ip[0] = 0x45;
	unsigned total = 20 + l4len;
	ip[2] = (uint8_t)(total >> 8);
	ip[3] = (uint8_t)total;
	ip[8] = 64;
	ip[9] = proto;
	uint8_t *l4 = ip + 20;
	if (proto == 6)
		l4[12] = 5 << 4;
	if (proto == 17) {
		l4[4] = (uint8_t)(l4len >> 8);
		l4[5] = (uint8_t)l4len;
	}
	ip_sum(ip);
	return 14 + total;
}

static void test_good(void **state)
{
	(void)state;
	uint8_t f[1514];
	assert_int_equal(frame_check(f, make_ip(f, 6, 20)), FRAME_OK);
	assert_int_equal(frame_check(f, make_ip(f, 6, 100)), FRAME_OK);
	assert_int_equal(frame_check(f, make_ip(f, 17, 8)), FRAME_OK);
	assert_int_equal(frame_check(f, make_ip(f, 1, 8)), FRAME_OK);
	size_t n = make_ip(f, 17, 8);
	assert_int_equal(frame_check(f, 60), FRAME_OK);         /* padded to the minimum */
	(void)n;
	memset(f, 0, 60);
	f[12] = 0x08;
	f[13] = 0x06;
	assert_int_equal(frame_check(f, 42), FRAME_OK);         /* ARP */
	f[12] = 0x86;
	f[13] = 0xdd;
	assert_int_equal(frame_check(f, 14), FRAME_OK);         /* not IPv4: lwIP's business */
	/* A later fragment has no transport header to check. */
	n = make_ip(f, 6, 4);
	f[14 + 6] = 0x00;
	f[14 + 7] = 0x10;
	ip_sum(f + 14);
	assert_int_equal(frame_check(f, n), FRAME_OK);
	/* A first fragment may be shorter than the transport header says. */
	n = make_ip(f, 17, 16);
	f[14 + 20 + 5] = 200;
	f[14 + 6] = 0x20;
	ip_sum(f + 14);
	assert_int_equal(frame_check(f, n), FRAME_OK);
}

static void test_bad(void **state)
{
	(void)state;
	uint8_t f[1514];
	for (size_t len = 0; len < 14; len++)
		assert_int_equal(frame_check(f, len), FRAME_RUNT);
	size_t n = make_ip(f, 6, 20);
	assert_int_equal(frame_check(f, 14 + 19), FRAME_IP_SHORT);
	f[14] = 0x65;
	assert_int_equal(frame_check(f, n), FRAME_IP_VERSION);
	f[14] = 0x44;
	assert_int_equal(frame_check(f, n), FRAME_IP_HLEN);
	f[14] = 0x4f;                   /* 60-byte header in a 54-byte packet */
	assert_int_equal(frame_check(f, n), FRAME_IP_HLEN);
	n = make_ip(f, 6, 20);
	f[14 + 2] = 0x05;               /* total length 1280 > frame */
	ip_sum(f + 14);
	assert_int_equal(frame_check(f, n), FRAME_IP_LEN);
	f[14 + 2] = 0;
	f[14 + 3] = 10;                 /* total length < header */
	ip_sum(f + 14);
	assert_int_equal(frame_check(f, n), FRAME_IP_LEN);
	n = make_ip(f, 6, 20);
	f[14 + 8] ^= 1;                 /* TTL changed, checksum not */
	assert_int_equal(frame_check(f, n), FRAME_IP_CSUM);
	n = make_ip(f, 6, 20);
	f[14 + 20 + 12] = 4 << 4;       /* TCP data offset 4 */
	assert_int_equal(frame_check(f, n), FRAME_L4_LEN);
	f[14 + 20 + 12] = 6 << 4;       /* 24 bytes in a 20-byte segment */
	assert_int_equal(frame_check(f, n), FRAME_L4_LEN);
	assert_int_equal(frame_check(f, make_ip(f, 6, 10)), FRAME_L4_LEN);
	n = make_ip(f, 17, 8);
	f[14 + 20 + 5] = 9;             /* UDP length past the packet */
	assert_int_equal(frame_check(f, n), FRAME_L4_LEN);
	f[14 + 20 + 5] = 7;             /* shorter than its header */
	assert_int_equal(frame_check(f, n), FRAME_L4_LEN);
	assert_int_equal(frame_check(f, make_ip(f, 17, 4)), FRAME_L4_LEN);
	assert_int_equal(frame_check(f, make_ip(f, 1, 2)), FRAME_L4_LEN);
	memset(f, 0, 60);
	f[12] = 0x08;
	f[13] = 0x06;
	assert_int_equal(frame_check(f, 41), FRAME_ARP_SHORT);
	assert_string_equal(frame_verdict_name(FRAME_IP_CSUM), "ip-csum");
	assert_string_equal(frame_verdict_name((enum frame_verdict)99), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
