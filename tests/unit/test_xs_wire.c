/* Host tests for drivers/xenfront/xs_wire.c: xenstore ring arithmetic with
 * wrap, request framing, reply reassembly against truncated, oversized and
 * unterminated replies, and Xen's error strings. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <amphi/errno.h>
#include <xenfront/xs_wire.h>

static char ring[XSW_RING_SIZE];
static uint32_t prod;

/* Producer side of the response ring, as xenstored writes it. */
static void put(const void *p, size_t n)
{
	xsw_ring_put(ring, prod, p, n);
	prod += (uint32_t)n;
}

static void put_msg(uint32_t type, uint32_t req, const char *body, uint32_t len)
{
	struct xsw_header h = { type, req, 0, len };
	put(&h, sizeof(h));
	put(body, len);
}

static void test_ring_index_wrap(void **state)
{
	(void)state;
	assert_int_equal(xsw_ring_used(0, 0), 0);
	assert_int_equal(xsw_ring_free(0, 0), 1024);
	assert_int_equal(xsw_ring_used(10, 1034), 1024);
	assert_int_equal(xsw_ring_free(10, 1034), 0);
	/* Free-running 32-bit indexes across 2^32. */
	assert_int_equal(xsw_ring_used(0xfffffff0u, 0x10u), 0x20);
	assert_int_equal(xsw_ring_free(0xfffffff0u, 0x10u), 1024 - 0x20);
	/* More than the ring holds, or prod behind cons: a broken peer. */
	assert_int_equal(xsw_ring_used(0, 1025), -1);
	assert_int_equal(xsw_ring_used(5, 4), -1);
	assert_int_equal(xsw_ring_free(0, 2000), -1);

	/* Copies wrap at the ring's end. */
	char in[100], out[100];
	for (int i = 0; i < 100; i++)
		in[i] = (char)i;
	memset(ring, 0, sizeof(ring));
	xsw_ring_put(ring, 0xfffffffcu - 20, in, 100);      /* starts 24 bytes before the end */
	assert_int_equal((unsigned char)ring[1023 - 23], 0);
	assert_int_equal(ring[0], 24);
	xsw_ring_get(ring, 0xfffffffcu - 20, out, 100);
	assert_memory_equal(in, out, 100);
}

static void test_build_request(void **state)
{
	(void)state;
	char buf[XSW_PAYLOAD_MAX + 64];
	const char *w[] = { "data/key", "value" };
	int n = xsw_build(buf, sizeof(buf), 11 /* XS_WRITE */, 7, 3, w, 2, 1);
	assert_int_equal(n, 16 + 9 + 5);
	struct xsw_header h;
	memcpy(&h, buf, sizeof(h));
	assert_int_equal(h.type, 11);
	assert_int_equal(h.req_id, 7);
	assert_int_equal(h.tx_id, 3);
	assert_int_equal(h.len, 14);
	assert_memory_equal(buf + 16, "data/key\0value", 14);
	const char *r[] = { "name" };
	assert_int_equal(xsw_build(buf, sizeof(buf), 2, 1, 0, r, 1, 0), 16 + 5);
	assert_int_equal(buf[16 + 4], 0);

	/* Past the payload limit, or the caller's buffer. */
	static char big[XSW_PAYLOAD_MAX + 2];
	memset(big, 'a', XSW_PAYLOAD_MAX);
	const char *b[] = { big };
	assert_int_equal(xsw_build(buf, sizeof(buf), 2, 1, 0, b, 1, 0), -E2BIG);   /* 4096 + NUL */
	assert_int_equal(xsw_build(buf, sizeof(buf), 11, 1, 0, b, 1, 1), 16 + XSW_PAYLOAD_MAX);
	assert_int_equal(xsw_build(buf, 20, 2, 1, 0, r, 1, 0), -E2BIG);
}

static void test_rx_whole_and_in_pieces(void **state)
{
	(void)state;
	static struct xsw_rx rx;
	uint32_t cons = prod = 0xfffffff8u;   /* the header straddles the index wrap */
	put_msg(2, 5, "hello", 5);
	xsw_rx_reset(&rx);
	assert_int_equal(xsw_rx_feed(&rx, ring, &cons, prod), 1);
	assert_int_equal(cons, prod);
	assert_int_equal(rx.hdr.req_id, 5);
	assert_int_equal(rx.hdr.len, 5);
	assert_string_equal(rx.body, "hello");     /* terminated by the reader */

	/* Truncated: only part of the header, then part of the body. */
	struct xsw_header h = { 2, 6, 0, 8 };
	xsw_rx_reset(&rx);
	put(&h, 10);
	assert_int_equal(xsw_rx_feed(&rx, ring, &cons, prod), 0);
	put((char *)&h + 10, 6);
	put("abc", 3);
	assert_int_equal(xsw_rx_feed(&rx, ring, &cons, prod), 0);
	assert_int_equal(xsw_rx_feed(&rx, ring, &cons, prod), 0);   /* nothing new */
	put("defgh", 5);
	assert_int_equal(xsw_rx_feed(&rx, ring, &cons, prod), 1);
	assert_string_equal(rx.body, "abcdefgh");

	/* A body longer than the ring arrives in several fills. */
	static char body[3000];
	memset(body, 'x', sizeof(body));
	xsw_rx_reset(&rx);
	struct xsw_header hb = { 2, 9, 0, sizeof(body) };
	put(&hb, sizeof(hb));
	size_t sent = 0;
	int r = 0;
	while (sent < sizeof(body)) {
		size_t n = sizeof(body) - sent < 1000 ? sizeof(body) - sent : 1000;
		put(body + sent, n);
		sent += n;
		r = xsw_rx_feed(&rx, ring, &cons, prod);
		assert_int_equal(r, sent == sizeof(body) ? 1 : 0);
	}
	assert_int_equal(rx.hdr.len, 3000);
	assert_int_equal(rx.body[2999], 'x');
	assert_int_equal(rx.body[3000], 0);
}

static void test_rx_oversized_and_bad_indexes(void **state)
{
	(void)state;
	static struct xsw_rx rx;
	uint32_t cons = prod = 100;
	struct xsw_header h = { 2, 1, 0, XSW_PAYLOAD_MAX + 1 };
	put(&h, sizeof(h));
	xsw_rx_reset(&rx);
	assert_int_equal(xsw_rx_feed(&rx, ring, &cons, prod), -EPROTO);

	/* A producer index beyond what the ring can hold. */
	cons = 0;
	xsw_rx_reset(&rx);
	assert_int_equal(xsw_rx_feed(&rx, ring, &cons, 4096), -EPROTO);
	assert_int_equal(cons, 0);              /* nothing consumed */

	/* Exactly the limit is fine. */
	static char body[XSW_PAYLOAD_MAX];
	memset(body, 'y', sizeof(body));
	cons = prod = 0;
	struct xsw_header ok = { 2, 1, 0, XSW_PAYLOAD_MAX };
	put(&ok, sizeof(ok));
	xsw_rx_reset(&rx);
	for (size_t sent = 0; sent < sizeof(body); sent += 512) {
		put(body + sent, 512);
		int r = xsw_rx_feed(&rx, ring, &cons, prod);
		assert_true(r == 0 || r == 1);
	}
	assert_int_equal(rx.got, 16 + XSW_PAYLOAD_MAX);
	assert_int_equal(rx.body[XSW_PAYLOAD_MAX], 0);
}

static void test_error_strings(void **state)
{
	(void)state;
	assert_int_equal(xsw_error_errno("ENOENT", 7), -ENOENT);
	assert_int_equal(xsw_error_errno("EACCES", 7), -EACCES);
	assert_int_equal(xsw_error_errno("EAGAIN", 7), -EAGAIN);
	assert_int_equal(xsw_error_errno("EQUOTA", 7), -ENOSPC);
	/* Unterminated (length without the NUL) still reads right. */
	assert_int_equal(xsw_error_errno("EINVALxx", 6), -EINVAL);
	assert_int_equal(xsw_error_errno("ENOEN", 5), -EIO);       /* a prefix is not a match */
	assert_int_equal(xsw_error_errno("WHATEVER", 9), -EIO);
	assert_int_equal(xsw_error_errno("", 0), -EIO);
}

static void test_split_lists(void **state)
{
	(void)state;
	const char *v[4];
	assert_int_equal(xsw_split("a\0bc\0\0", 6, v, 4), 3);
	assert_string_equal(v[0], "a");
	assert_string_equal(v[1], "bc");
	assert_string_equal(v[2], "");
	assert_int_equal(xsw_split("", 0, v, 4), 0);
	/* Unterminated last entry. */
	assert_int_equal(xsw_split("path\0tok", 8, v, 4), -EPROTO);
	assert_int_equal(xsw_split("x", 1, v, 4), -EPROTO);
	/* More entries than room. */
	assert_int_equal(xsw_split("a\0b\0c\0", 6, v, 2), -E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_index_wrap),
		cmocka_unit_test(test_build_request),
		cmocka_unit_test(test_rx_whole_and_in_pieces),
		cmocka_unit_test(test_rx_oversized_and_bad_indexes),
		cmocka_unit_test(test_error_strings),
		cmocka_unit_test(test_split_lists),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
