/*
 * netfront's state, shared by its two halves: netfront.c (the fast path:
 * the transmit and receive rings, their buffers, the event channel) and
 * netfront_bus.c (the xenbus handshake, the MAC, link state, removal).
 * The ring layout is Xen's own (xen/io/netif.h): one queue, one event
 * channel for both rings, frames copied into our pages by the back end
 * (feature-rx-copy), one slot per frame (no feature-sg, no offloads).
 */
#ifndef XENFRONT_NETFRONT_PRIV_H
#define XENFRONT_NETFRONT_PRIV_H
#include <amphi/frame.h>
#include <amphi/spinlock.h>
#include <xenfront/xenbus.h>
#include <xen/xen.h>
#include <xen/io/netif.h>
#include "../../net/netdev.h"

#define NETFRONT_RING 256       /* entries of each one-page ring (xring_size) */

/* A page of ours granted to the back end for good: the grant stays while
 * the device lives (no grant or end-access per frame), as Linux netfront's
 * rx buffers without the per-frame churn. */
struct netfront_buf {
	pfn_t pfn;
	int gref;               /* -1: none */
	uint8_t *va;
};

struct netfront {
	struct xenbus_dev *xd;
	struct netdev nd;
	spinlock_t lock;
	netif_tx_sring_t *tx;
	netif_rx_sring_t *rx;
	struct netfront_buf tx_ring, rx_ring;           /* the ring pages */
	int port;                                       /* -1: none */
	uint32_t tx_prod_pvt, tx_cons, rx_prod_pvt, rx_cons;
	/* Transmit: a buffer per id; ids not on the ring are on the free stack. */
	struct netfront_buf txb[NETFRONT_RING];
	uint8_t tx_busy[NETFRONT_RING];
	uint16_t tx_free[NETFRONT_RING];
	uint32_t ntx_free;
	/* Receive: buffer i always sits in ring slot i (the ring kept full),
	 * as Linux's netfront does, so a slot the back end filled with an
	 * extra-info record still names its buffer. */
	struct netfront_buf rxb[NETFRONT_RING];
	volatile int connected;         /* the upcall hands frames on */
	int broken;                     /* the back end broke the ring rules: ignored */
	uint32_t bad_rsp;               /* responses refused (netif_wire.h) */
};

/* Ring pages and buffers granted to the back end, an unbound event
 * channel with netfront's handler, every receive buffer posted; 0 or
 * -errno (with a message). */
int netfront_rings_init(struct netfront *f);
/* Takes what the back end has answered (upcall, or once after connecting). */
void netfront_reap(struct netfront *f);
/* The netdev transmit hook. */
int netfront_xmit(struct netdev *nd, const void *frame, size_t len);
/* The back end has gone: the event channel closed, grants ended, pages
 * freed except those the back end still holds (kept, never reused).
 * Returns how many grants were kept. */
int netfront_teardown(struct netfront *f);
#endif
