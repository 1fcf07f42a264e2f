/*
 * The xenstore wire protocol, pure (host-tested in tests/unit/test_xs_wire.c):
 * ring index arithmetic with wrap, framing of requests, reassembly of
 * replies from the response ring with every length checked, and the
 * payloads (Xen's error strings as errno values, NUL-separated lists).
 * Numbers follow Xen's public xen/io/xs_wire.h; errors are negative errno.
 */
#ifndef XENFRONT_XS_WIRE_H
#define XENFRONT_XS_WIRE_H
#include <stddef.h>
#include <stdint.h>

#define XSW_RING_SIZE 1024u          /* XENSTORE_RING_SIZE */
#define XSW_PAYLOAD_MAX 4096u        /* XENSTORE_PAYLOAD_MAX */

struct xsw_header {                  /* struct xsd_sockmsg */
	uint32_t type, req_id, tx_id, len;
};

/* Bytes waiting between cons and prod (free-running indexes, any wrap);
 * -1 when the indexes claim more than the ring holds (a broken peer). */
int xsw_ring_used(uint32_t cons, uint32_t prod);
/* Room left for the producer; -1 as above. */
int xsw_ring_free(uint32_t cons, uint32_t prod);
/* Copies n bytes out of / into a ring at a free-running index, wrapping. */
void xsw_ring_get(const char *ring, uint32_t idx, void *dst, size_t n);
void xsw_ring_put(char *ring, uint32_t idx, const void *src, size_t n);

/* Frames a request: header + nparts strings, each with its NUL except the
 * last when last_raw (a write's value).  Returns the total size, -E2BIG
 * past the payload limit or the buffer. */
int xsw_build(char *buf, size_t cap, uint32_t type, uint32_t req_id, uint32_t tx_id,
	      const char *const *parts, int nparts, int last_raw);

/* Reassembles one message from the response ring. */
struct xsw_rx {
	struct xsw_header hdr;
	size_t got;                      /* bytes of header + body so far */
	char body[XSW_PAYLOAD_MAX + 1];  /* always NUL-terminated when complete */
};
void xsw_rx_reset(struct xsw_rx *rx);
/* Takes bytes from ring[*cons .. prod) and advances *cons.  1: a whole
 * message is in rx; 0: needs more; -EPROTO: indexes beyond the ring or a
 * length beyond the payload limit (the stream cannot be trusted again). */
int xsw_rx_feed(struct xsw_rx *rx, const char *ring, uint32_t *cons, uint32_t prod);

/* Xen's error string ("ENOENT") as a negative errno; unknown ones -EIO. */
int xsw_error_errno(const char *body, size_t len);
/* Splits a NUL-separated list (a directory, a watch event) in place:
 * count of strings, -EPROTO when the last one is unterminated, -E2BIG past max. */
int xsw_split(const char *body, size_t len, const char **out, int max);
#endif
