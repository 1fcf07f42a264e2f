/*
 * blkfront's fast path (blkfront.h): a block layer request becomes one
 * blkif request on the shared ring, each data segment a grant reference
 * to its page (read-only for writes: the back end only reads it).  Up to
 * the ring's size are in flight; the rest wait in a list and start as
 * responses free slots.  The back end's event channel brings responses
 * (in interrupt context); an error status becomes -EIO.  The index rules
 * are xring.c's (unit-tested), with their 32-bit wrap.
 */
#include "blkfront.h"
#include <xenfront/evtchn.h>
#include <xenfront/gnttab.h>
#include <xenfront/xring.h>
#include <amphi/errno.h>
#include <amphi/layout.h>
#include <amphi/printk.h>
#include <amphi/string.h>
#include <stddef.h>

#define RING_HDR offsetof(blkif_sring_t, ring)
#define RING_ENTRY sizeof(union blkif_sring_entry)
/* Linux blkback's packed blkif_x86_32_request has these sizes: 32 slots. */
_Static_assert(RING_HDR == 64 && RING_ENTRY == 108, "i386 blkif ring layout");

static void end_grants(struct blkfront_shadow *s, int *kept)
{
	for (unsigned i = 0; i < s->nseg; i++) {
		if (s->gref[i] >= 0 && gnttab_end_access((uint32_t)s->gref[i]) == -EBUSY)
			++*kept;        /* gnttab keeps it: never handed out again */
		s->gref[i] = -1;
	}
	s->nseg = 0;
}

/* Puts r on the ring in slot id; -ENOSPC when grants ran out (nothing
 * granted then).  Lock held. */
static int ring_put(struct blkfront *f, struct blk_request *r, uint32_t id)
{
	struct blkfront_shadow *s = &f->shadow[id];
	blkif_request_t *q = &f->sring->ring[xring_slot(f->req_prod_pvt, f->size)].req;
	uint16_t be = (uint16_t)f->xd->backend_id;
	s->nseg = 0;
	for (unsigned i = 0; i < r->nr_segs; i++) {
		uint8_t first, last;
		if (xring_blkif_seg(r->segs[i].phys, r->segs[i].len, &first, &last))
			return -EINVAL;         /* checked in submit; never here */
		int ref = gnttab_grant_access(be, (uint32_t)(r->segs[i].phys >> PAGE_SHIFT), r->op == BLK_WRITE);
		if (ref < 0) {
			int kept = 0;
			end_grants(s, &kept);
			return -ENOSPC;
		}
		s->gref[s->nseg++] = ref;
		q->seg[i] = (struct blkif_request_segment){ .gref = (grant_ref_t)ref, .first_sect = first,
							    .last_sect = last };
	}
	q->operation = r->op == BLK_READ ? BLKIF_OP_READ : r->op == BLK_WRITE ? BLKIF_OP_WRITE
									 : (uint8_t)f->flush_op;
	q->nr_segments = (uint8_t)r->nr_segs;
	q->handle = f->handle;
	q->id = id;
	q->sector_number = r->op == BLK_FLUSH ? 0 : r->sector;
	s->r = r;
	f->req_prod_pvt++;
	return 0;
}

/* Starts waiting requests while slots and grants last, then tells the
 * back end if it asked to be told.  Lock held. */
static void start_pending(struct blkfront *f)
{
	uint32_t old = f->sring->req_prod;
	while (f->pending && !f->closing && xring_free(f->req_prod_pvt, f->rsp_cons, f->size)) {
		uint32_t id = 0;
		while (id < f->size && f->shadow[id].r)
			id++;
		if (id == f->size)
			break;                  /* ids still held by answered-late requests */
		struct blk_request *r = f->pending;
		if (ring_put(f, r, id))
			break;                  /* out of grants: retried on the next response */
		f->pending = r->driver_priv;
		if (!f->pending)
			f->pending_tail = &f->pending;
		r->driver_priv = 0;
	}
	if (f->req_prod_pvt == old)
		return;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);        /* requests before the index */
	f->sring->req_prod = f->req_prod_pvt;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);        /* the index before reading req_event */
	if (xring_need_notify(old, f->req_prod_pvt, f->sring->req_event))
		evtchn_notify((evtchn_port_t)f->port);
}

/* Takes the responses that are there; the finished requests, linked
 * through driver_priv, for the caller to complete outside the lock. */
static struct blk_request *take_responses(struct blkfront *f)
{
	struct blk_request *done = 0;
	if (f->broken)
		return 0;
	for (;;) {
		uint32_t rp = f->sring->rsp_prod;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);    /* the index before the responses */
		if (xring_responses(rp, f->rsp_cons, f->req_prod_pvt) < 0) {
			printk("blkfront: %s: back end claims %u responses for %u requests: "
			       "ring ignored from now on\n", f->bd.name, rp - f->rsp_cons,
			       f->req_prod_pvt - f->rsp_cons);
			f->broken = 1;
			return done;
		}
		while (f->rsp_cons != rp) {
			blkif_response_t *p = &f->sring->ring[xring_slot(f->rsp_cons, f->size)].rsp;
			uint64_t id = p->id;
			int16_t st = p->status;
			uint8_t op = p->operation;
			f->rsp_cons++;
			if (id >= f->size || !f->shadow[id].r) {
				printk("blkfront: %s: response for unknown request id %llu: ignored\n",
				       f->bd.name, (unsigned long long)id);
				continue;
			}
			struct blkfront_shadow *s = &f->shadow[id];
			struct blk_request *r = s->r;
			int kept = 0;
			end_grants(s, &kept);
			s->r = 0;
			if (st == BLKIF_RSP_EOPNOTSUPP && r->op == BLK_FLUSH) {
				/* As virtio-blk without its FLUSH feature: the back end
				 * says it has no cache to flush. */
				printk("blkfront: %s: back end does not support flush (op %u): flushes off\n",
				       f->bd.name, op);
				f->flush_op = -1;
				st = BLKIF_RSP_OKAY;
			} else if (st != BLKIF_RSP_OKAY) {
				printk("blkfront: %s: %s at sector %llu failed (status %d): EIO\n", f->bd.name,
				       r->op == BLK_READ ? "read" : r->op == BLK_WRITE ? "write" : "flush",
				       (unsigned long long)r->sector, st);
			}
			r->status = st == BLKIF_RSP_OKAY && !kept ? 0 : -EIO;
			r->driver_priv = done;
			done = r;
		}
		/* RING_FINAL_CHECK_FOR_RESPONSES: ask for an event at the next
		 * response, then look again for one that came meanwhile. */
		f->sring->rsp_event = f->rsp_cons + 1;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (f->sring->rsp_prod == f->rsp_cons)
			return done;
	}
}

static void complete_list(struct blk_request *done)
{
	while (done) {
		struct blk_request *r = done;
		done = r->driver_priv;
		r->driver_priv = 0;
		blk_complete(r, r->status);
	}
}

static void reap(struct blkfront *f)
{
	irqflags_t fl = spin_lock_irqsave(&f->lock);
	struct blk_request *done = take_responses(f);
	start_pending(f);
	spin_unlock_irqrestore(&f->lock, fl);
	complete_list(done);
}

static void blkfront_irq(evtchn_port_t port, void *arg)
{
	(void)port;
	reap(arg);
}

static void blkfront_poll(struct blkdev *d)
{
	reap(d->driver);
}

static int blkfront_submit(struct blkdev *d, struct blk_request *r)
{
	struct blkfront *f = d->driver;
	if (r->nr_segs > d->max_segs || (r->op != BLK_FLUSH && !r->nr_segs))
		return -EINVAL;
	for (unsigned i = 0; i < r->nr_segs; i++) {
		uint8_t a, b;
		if (xring_blkif_seg(r->segs[i].phys, r->segs[i].len, &a, &b))
			return -EINVAL;
	}
	if (f->closing)
		return -EIO;
	if (r->op == BLK_FLUSH && f->flush_op < 0) {
		blk_complete(r, 0);     /* no flush feature: the back end has no write cache to flush */
		return 0;
	}
	r->driver_priv = 0;
	irqflags_t fl = spin_lock_irqsave(&f->lock);
	*f->pending_tail = r;
	f->pending_tail = (struct blk_request **)&r->driver_priv;
	start_pending(f);
	spin_unlock_irqrestore(&f->lock, fl);
	return 0;
}

const struct blkdev_ops blkfront_ops = { .submit = blkfront_submit, .poll = blkfront_poll };

int blkfront_ring_init(struct blkfront *f)
{
	spin_lock_init(&f->lock, "blkfront");
	f->pending_tail = &f->pending;
	f->ring_ref = f->port = -1;
	f->flush_op = -1;
	for (unsigned i = 0; i < BLKFRONT_RING_MAX; i++)
		for (unsigned j = 0; j < BLKIF_MAX_SEGMENTS_PER_REQUEST; j++)
			f->shadow[i].gref[j] = -1;
	f->size = xring_size(PAGE_SIZE, RING_HDR, RING_ENTRY);
	if (f->size > BLKFRONT_RING_MAX)
		f->size = BLKFRONT_RING_MAX;
	f->ring_pfn = frame_alloc(FRAME_LOW);
	if (f->ring_pfn == PFN_NONE) {
		printk("blkfront: %s: no page for the ring\n", f->xd->node);
		return -ENOMEM;
	}
	f->sring = phys_to_virt((uint64_t)f->ring_pfn << PAGE_SHIFT);
	memset(f->sring, 0, PAGE_SIZE);
	f->sring->req_event = f->sring->rsp_event = 1;     /* SHARED_RING_INIT */
	int ref = gnttab_grant_access((uint16_t)f->xd->backend_id, f->ring_pfn, 0);
	if (ref < 0) {
		printk("blkfront: %s: cannot grant the ring page: %d\n", f->xd->node, ref);
		return ref;
	}
	f->ring_ref = ref;
	int port = evtchn_alloc_unbound((domid_t)f->xd->backend_id, blkfront_irq, f);
	if (port < 0) {
		printk("blkfront: %s: cannot allocate an event channel: %d\n", f->xd->node, port);
		return port;
	}
	f->port = port;
	return 0;
}

int blkfront_teardown(struct blkfront *f)
{
	int kept = 0;
	if (f->port >= 0)
		evtchn_close((evtchn_port_t)f->port);   /* no more interrupts */
	f->port = -1;
	irqflags_t fl = spin_lock_irqsave(&f->lock);
	f->closing = 1;
	struct blk_request *done = f->sring ? take_responses(f) : 0;
	for (uint32_t id = 0; id < BLKFRONT_RING_MAX; id++) {
		struct blkfront_shadow *s = &f->shadow[id];
		if (!s->r)
			continue;
		int k = 0;
		end_grants(s, &k);
		kept += k;
		if (!k) {               /* the back end let go of its pages */
			s->r->status = -EIO;
			s->r->driver_priv = done;
			done = s->r;
		}
		s->r = 0;
	}
	while (f->pending) {            /* never reached the ring */
		struct blk_request *r = f->pending;
		f->pending = r->driver_priv;
		r->status = -EIO;
		r->driver_priv = done;
		done = r;
	}
	f->pending_tail = &f->pending;
	spin_unlock_irqrestore(&f->lock, fl);
	complete_list(done);
	if (f->ring_ref >= 0) {
		if (gnttab_end_access((uint32_t)f->ring_ref) == -EBUSY)
			kept++;         /* the page stays the back end's: not freed */
		else
			frame_free(f->ring_pfn);
		f->ring_ref = -1;
	} else if (f->ring_pfn != PFN_NONE && f->sring) {
		frame_free(f->ring_pfn);
	}
	f->sring = 0;
	f->ring_pfn = PFN_NONE;
	return kept;
}
