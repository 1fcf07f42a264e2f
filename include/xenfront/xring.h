/*
 * Pure arithmetic of a Xen shared I/O ring (the rules of xen/io/ring.h,
 * drivers/xenfront/xring.c, unit-tested in tests/unit/test_xring.c).
 * Indices run freely as 32-bit counters and wrap; a slot is index mod
 * size, size a power of two.  The front end owns req_prod_pvt and
 * rsp_cons; the back end writes rsp_prod, which the front end checks
 * before trusting it.  Shared by blkfront (and netfront's rings).
 */
#ifndef XENFRONT_XRING_H
#define XENFRONT_XRING_H
#include <stdint.h>

/* Entries in a ring of a page of page_size bytes whose header is hdr bytes
 * and entries entry bytes: the largest power of two that fits (0: none). */
uint32_t xring_size(uint32_t page_size, uint32_t hdr, uint32_t entry);
static inline uint32_t xring_slot(uint32_t idx, uint32_t size) { return idx & (size - 1); }
/* Requests the front end may still queue: size minus those not yet answered. */
uint32_t xring_free(uint32_t req_prod_pvt, uint32_t rsp_cons, uint32_t size);
/* Responses waiting (rsp_prod - rsp_cons), or -1 when rsp_prod claims more
 * answers than requests were made (a broken or hostile back end). */
int32_t xring_responses(uint32_t rsp_prod, uint32_t rsp_cons, uint32_t req_prod_pvt);
/* RING_PUSH_REQUESTS_AND_CHECK_NOTIFY: moving the producer from old to new
 * passes the other end's event index (it asked to be told). */
int xring_need_notify(uint32_t old_prod, uint32_t new_prod, uint32_t event);

/* One blkif segment: the 512-byte sectors [first, last] of the page that
 * holds phys, len bytes.  0, or -1 when len is not a positive multiple of
 * 512, phys is not 512-aligned or the range crosses the page. */
int xring_blkif_seg(uint64_t phys, uint32_t len, uint8_t *first, uint8_t *last);
#endif
