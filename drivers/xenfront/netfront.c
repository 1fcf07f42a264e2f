/*
 * netfront's fast path (netfront.h).  Transmit: lwIP's frame is copied into
 * the page of a free transmit id (granted read-only to the back end for
 * good), one request per frame; the id comes back with the back end's
 * response.  Receive: every ring slot holds a posted page (granted
 * writable for good); the back end copies a frame into it and answers;
 * the frame is handed to netdev_rx (which copies it into a pbuf) and the
 * page is posted again in the same slot.  Both rings share one event
 * channel; responses are taken in the upcall, as virtio-net takes its
 * used rings in its interrupt handler.  A back end's response is checked
 * (netif_wire.c) before anything in it is trusted; one that breaks the
 * ring's index rules has its rings ignored from then on.
 */
#include "netfront.h"
#include <xenfront/evtchn.h>
#include <xenfront/gnttab.h>
#include <xenfront/netif_wire.h>
#include <xenfront/xring.h>
#include <amphi/errno.h>
#include <amphi/layout.h>
#include <amphi/printk.h>
#include <amphi/string.h>
#include <stddef.h>

#define TX_HDR offsetof(netif_tx_sring_t, ring)
#define RX_HDR offsetof(netif_rx_sring_t, ring)
_Static_assert(TX_HDR == 64 && sizeof(union netif_tx_sring_entry) == 12, "netif tx ring layout");
_Static_assert(RX_HDR == 64 && sizeof(union netif_rx_sring_entry) == 8, "netif rx ring layout");

/* A page granted to the back end for as long as the device lives. */
static int buf_make(struct netfront *f, struct netfront_buf *b, int readonly)
{
	b->gref = -1;
	b->pfn = frame_alloc(FRAME_LOW);
	if (b->pfn == PFN_NONE)
		return -ENOMEM;
	b->va = phys_to_virt((uint64_t)b->pfn << PAGE_SHIFT);
	memset(b->va, 0, PAGE_SIZE);
	int ref = gnttab_grant_access((uint16_t)f->xd->backend_id, b->pfn, readonly);
	if (ref < 0)
		return ref;
	b->gref = ref;
	return 0;
}

/* The grant ended and the page freed, unless the back end still holds it
 * (then both are kept: never reused).  1 when kept. */
static int buf_drop(struct netfront_buf *b)
{
	int kept = 0;
	if (b->gref >= 0 && gnttab_end_access((uint32_t)b->gref) == -EBUSY)
		kept = 1;
	else if (b->pfn != PFN_NONE)
		frame_free(b->pfn);
	b->gref = -1;
	b->pfn = PFN_NONE;
	b->va = 0;
	return kept;
}

/* Pushes the private producer index of a ring; notifies the back end if
 * it asked to be told (RING_PUSH_REQUESTS_AND_CHECK_NOTIFY).  Lock held. */
static void push(struct netfront *f, volatile RING_IDX *req_prod, volatile RING_IDX *req_event, RING_IDX pvt)
{
	RING_IDX old = *req_prod;
	if (old == pvt)
		return;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);        /* requests before the index */
	*req_prod = pvt;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);        /* the index before reading req_event */
	if (xring_need_notify(old, pvt, *req_event))
		evtchn_notify((evtchn_port_t)f->port);
}

/* rsp_prod read once and checked against what was asked; -1 (and the
 * rings ignored from now on) when the back end claims more. */
static int32_t responses(struct netfront *f, const char *ring, RING_IDX prod, RING_IDX cons, RING_IDX asked)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);        /* the index before the responses */
	int32_t n = xring_responses(prod, cons, asked);
	if (n < 0) {
		printk("netfront: %s: back end claims %u %s responses for %u requests: rings ignored from now on\n",
		       f->nd.name, prod - cons, ring, asked - cons);
		f->broken = 1;
	}
	return n;
}

/* Finished transmits: their ids back on the free stack.  Lock held. */
static void tx_reap(struct netfront *f)
{
	for (;;) {
		RING_IDX prod = f->tx->rsp_prod;
		if (responses(f, "tx", prod, f->tx_cons, f->tx_prod_pvt) < 0)
			return;
		for (; f->tx_cons != prod; f->tx_cons++) {
			netif_tx_response_t *p = &f->tx->ring[xring_slot(f->tx_cons, NETFRONT_RING)].rsp;
			uint16_t id = p->id;
			int16_t st = p->status;
			if (st == NETIF_RSP_NULL)
				continue;               /* an extra-info slot's answer: none sent */
			if (id >= NETFRONT_RING || !f->tx_busy[id]) {
				f->nd.stats.tx_errors++;
				f->bad_rsp++;
				continue;
			}
			if (st != NETIF_RSP_OKAY)
				f->nd.stats.tx_errors++;    /* the back end dropped it */
			f->tx_busy[id] = 0;
			f->tx_free[f->ntx_free++] = id;
		}
		f->tx->rsp_event = f->tx_cons + 1;     /* RING_FINAL_CHECK_FOR_RESPONSES */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (f->tx->rsp_prod == f->tx_cons)
			return;
	}
}

/* The request that posts slot idx's own buffer.  Lock held. */
static void rx_post(struct netfront *f, RING_IDX idx)
{
	uint32_t i = xring_slot(idx, NETFRONT_RING);
	netif_rx_request_t *q = &f->rx->ring[i].req;
	q->id = (uint16_t)i;
	q->gref = (grant_ref_t)f->rxb[i].gref;
}

/* Received frames handed on, each slot posted again.  Lock held. */
static void rx_reap(struct netfront *f)
{
	int extra = 0;          /* slots that carry extra-info records, not frames */
	for (;;) {
		RING_IDX prod = f->rx->rsp_prod;
		if (responses(f, "rx", prod, f->rx_cons, f->rx_prod_pvt) < 0)
			return;
		for (; f->rx_cons != prod; f->rx_cons++, rx_post(f, f->rx_prod_pvt++)) {
			uint32_t i = xring_slot(f->rx_cons, NETFRONT_RING);
			netif_rx_response_t *p = &f->rx->ring[i].rsp;
			if (extra) {
				/* netif_extra_info: its MORE flag says whether another follows. */
				extra = ((netif_extra_info_t *)p)->flags & XEN_NETIF_EXTRA_FLAG_MORE;
				continue;
			}
			uint16_t id = p->id, off = p->offset, fl = p->flags;
			int16_t st = p->status;
			extra = !!(fl & NETRXF_extra_info);
			uint32_t len = 0;
			enum netif_rx_verdict v = id == i ? netif_rx_check(st, off, fl, PAGE_SIZE, &len) : NETIF_RX_BAD;
			if (v == NETIF_RX_FRAME) {
				netdev_rx(&f->nd, f->rxb[i].va + off, len);
				continue;
			}
			if (v == NETIF_RX_ERROR) {
				f->nd.stats.rx_dropped++;
				continue;
			}
			f->nd.stats.rx_errors++;
			if (f->bad_rsp++ < 4)
				printk("netfront: %s: rx slot %u: id %u, offset %u, status %d, flags %#x: "
				       "not a frame in one page: dropped\n", f->nd.name, i, id, off, st, fl);
		}
		f->rx->rsp_event = f->rx_cons + 1;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (f->rx->rsp_prod == f->rx_cons)
			break;
	}
	push(f, &f->rx->req_prod, &f->rx->req_event, f->rx_prod_pvt);
}

void netfront_reap(struct netfront *f)
{
	irqflags_t fl = spin_lock_irqsave(&f->lock);
	if (f->connected && !f->broken)
		tx_reap(f);
	if (f->connected && !f->broken)
		rx_reap(f);
	spin_unlock_irqrestore(&f->lock, fl);
}

static void netfront_irq(evtchn_port_t port, void *arg)
{
	(void)port;
	netfront_reap(arg);
}

int netfront_xmit(struct netdev *nd, const void *frame, size_t len)
{
	struct netfront *f = nd->priv;
	if (len > PAGE_SIZE || len > XEN_NETIF_MAX_TX_SIZE)
		return -1;
	irqflags_t fl = spin_lock_irqsave(&f->lock);
	int r = -1;
	if (!f->connected || f->broken)
		goto out;
	if (!f->ntx_free || !xring_free(f->tx_prod_pvt, f->tx_cons, NETFRONT_RING))
		tx_reap(f);
	if (!f->ntx_free || !xring_free(f->tx_prod_pvt, f->tx_cons, NETFRONT_RING))
		goto out;               /* the back end is behind: a drop, as a full NIC ring */
	uint16_t id = f->tx_free[--f->ntx_free];
	f->tx_busy[id] = 1;
	memcpy(f->txb[id].va, frame, len);
	netif_tx_request_t *q = &f->tx->ring[xring_slot(f->tx_prod_pvt++, NETFRONT_RING)].req;
	/* Checksums are lwIP's (feature-no-csum-offload): no flags. */
	*q = (netif_tx_request_t){ .gref = (grant_ref_t)f->txb[id].gref, .offset = 0, .flags = 0,
				   .id = id, .size = (uint16_t)len };
	push(f, &f->tx->req_prod, &f->tx->req_event, f->tx_prod_pvt);
	r = 0;
out:
	spin_unlock_irqrestore(&f->lock, fl);
	return r;
}

int netfront_rings_init(struct netfront *f)
{
	spin_lock_init(&f->lock, "netfront");
	f->port = -1;
	struct netfront_buf *all[] = { &f->tx_ring, &f->rx_ring };
	for (unsigned k = 0; k < 2; k++)
		all[k]->gref = -1, all[k]->pfn = PFN_NONE;
	for (unsigned i = 0; i < NETFRONT_RING; i++) {
		f->txb[i].gref = f->rxb[i].gref = -1;
		f->txb[i].pfn = f->rxb[i].pfn = PFN_NONE;
	}
	if (xring_size(PAGE_SIZE, TX_HDR, sizeof(union netif_tx_sring_entry)) != NETFRONT_RING ||
	    xring_size(PAGE_SIZE, RX_HDR, sizeof(union netif_rx_sring_entry)) != NETFRONT_RING)
		return -EINVAL;
	int r;
	if ((r = buf_make(f, &f->tx_ring, 0)) || (r = buf_make(f, &f->rx_ring, 0))) {
		printk("netfront: %s: cannot make and grant the ring pages: %d\n", f->xd->node, r);
		return r;
	}
	f->tx = (netif_tx_sring_t *)f->tx_ring.va;
	f->rx = (netif_rx_sring_t *)f->rx_ring.va;
	f->tx->req_event = f->tx->rsp_event = 1;       /* SHARED_RING_INIT */
	f->rx->req_event = f->rx->rsp_event = 1;
	for (unsigned i = 0; i < NETFRONT_RING; i++) {
		if ((r = buf_make(f, &f->txb[i], 1)) || (r = buf_make(f, &f->rxb[i], 0))) {
			printk("netfront: %s: cannot make and grant %u buffer pages: %d\n", f->xd->node,
			       2 * NETFRONT_RING, r);
			return r;
		}
		f->tx_free[f->ntx_free++] = (uint16_t)(NETFRONT_RING - 1 - i);
	}
	/* Every receive slot posted before the back end connects: it copies
	 * frames only into posted buffers. */
	for (unsigned i = 0; i < NETFRONT_RING; i++)
		rx_post(f, f->rx_prod_pvt++);
	f->rx->req_prod = f->rx_prod_pvt;
	int port = evtchn_alloc_unbound((domid_t)f->xd->backend_id, netfront_irq, f);
	if (port < 0) {
		printk("netfront: %s: cannot allocate an event channel: %d\n", f->xd->node, port);
		return port;
	}
	f->port = port;
	return 0;
}

int netfront_teardown(struct netfront *f)
{
	if (f->port >= 0)
		evtchn_close((evtchn_port_t)f->port);   /* no more upcalls */
	f->port = -1;
	irqflags_t fl = spin_lock_irqsave(&f->lock);
	f->connected = 0;
	spin_unlock_irqrestore(&f->lock, fl);
	int kept = 0;
	for (unsigned i = 0; i < NETFRONT_RING; i++)
		kept += buf_drop(&f->txb[i]) + buf_drop(&f->rxb[i]);
	f->tx = 0;
	f->rx = 0;
	kept += buf_drop(&f->tx_ring) + buf_drop(&f->rx_ring);
	f->ntx_free = 0;
	return kept;
}
