/*
 * blkfront's state, shared by its two halves: blkfront.c (the fast path:
 * the shared ring, grants per segment, completions from the event channel)
 * and blkfront_bus.c (the xenbus handshake, the disk's keys, removal).
 * The ring layout is Xen's own (xen/io/blkif.h, i386: the "x86_32-abi"
 * protocol that the front end publishes).
 */
#ifndef XENFRONT_BLKFRONT_PRIV_H
#define XENFRONT_BLKFRONT_PRIV_H
#include <amphi/blkdev.h>
#include <amphi/frame.h>
#include <amphi/spinlock.h>
#include <xenfront/xenbus.h>
#include <xen/xen.h>
#include <xen/io/blkif.h>

#define BLKFRONT_RING_MAX 32    /* entries of a one-page i386 ring (xring_size) */

struct blkfront_shadow {        /* one ring slot's request, by id */
	struct blk_request *r;      /* NULL: free */
	uint8_t nseg;
	int32_t gref[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};

struct blkfront {
	struct xenbus_dev *xd;
	struct blkdev bd;
	spinlock_t lock;
	blkif_sring_t *sring;
	pfn_t ring_pfn;
	int ring_ref, port;         /* -1: none */
	uint32_t size;              /* ring entries (a power of two) */
	uint32_t req_prod_pvt, rsp_cons;
	uint16_t handle;            /* virtual-device */
	int flush_op;               /* BLKIF_OP_FLUSH_DISKCACHE, _WRITE_BARRIER, or -1 */
	volatile int closing;       /* no new requests reach the ring */
	int broken;                 /* the back end broke the ring rules: ignored */
	struct blk_request *pending, **pending_tail;   /* waiting for a slot or grants */
	struct blkfront_shadow shadow[BLKFRONT_RING_MAX];
};

extern const struct blkdev_ops blkfront_ops;
/* The shared ring page granted to the back end and an unbound event
 * channel with blkfront's handler; 0 or -errno (with a message). */
int blkfront_ring_init(struct blkfront *f);
/* The back end has closed (or vanished): the event channel is closed, late
 * responses are taken, and every request left fails with -EIO, except
 * those whose pages the back end still holds (kept, never reused: the
 * block layer's time-out gives their waiters EIO).  Grants still in use
 * are never freed.  Returns how many grants were kept. */
int blkfront_teardown(struct blkfront *f);
#endif
