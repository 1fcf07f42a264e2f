/*
 * virtio-net (virtio 1.x 5.1) under the netdev contract (net/netdev.h).
 *
 * Queue 0 receives, queue 1 transmits; no control queue, no offloads, no
 * mergeable buffers: every frame travels behind the 12-byte virtio-net
 * header (version 1 always has num_buffers) in one 2 KiB buffer.
 * Receive buffers are posted once and re-posted as soon as their frame has
 * been copied into a pbuf (netdev_rx), from the interrupt handler, so the
 * ring never runs dry while the tcpip thread is busy.  Transmit copies the
 * frame into the slot of its descriptor and asks for no interrupt: the
 * next transmit reclaims what the device has finished.
 */
#include "../virtio/virtio.h"
#include "../../net/netdev.h"
#include <amphi/errno.h>
#include <amphi/frame.h>
#include <amphi/heap.h>
#include <amphi/layout.h>
#include <amphi/printk.h>
#include <amphi/sched.h>
#include <amphi/spinlock.h>
#include <amphi/string.h>

#define VIRTIO_NET_F_MTU 3
#define VIRTIO_NET_F_MAC 5
#define VIRTIO_NET_F_STATUS 16
#define VIRTIO_NET_S_LINK_UP 1
#define VRING_AVAIL_F_NO_INTERRUPT 1

#define VNET_HDR 12u                    /* struct virtio_net_hdr, version 1 */
#define VNET_BUF 2048u                  /* header + a 1518-byte frame, two per page */
#define VNET_QSIZE 128u                 /* entries per queue we ask for */

struct vnet_queue {
	struct virtq q;
	volatile uint16_t *notify;
	uint8_t *buf[VNET_QSIZE];       /* slot i's buffer (virtual) */
	uint64_t phys[VNET_QSIZE];
};

struct vnet {
	struct virtio_dev vd;
	struct vnet_queue rx, tx;
	spinlock_t lock;                /* the rings; rx is reaped from interrupts */
	struct netdev nd;
	volatile int ready;
};

static int nr_vnet;

/* Two buffers per low page, DMA-able on every platform. */
static int alloc_bufs(struct vnet_queue *vq, unsigned n)
{
	for (unsigned i = 0; i < n; i += 2) {
		pfn_t pfn = frame_alloc(FRAME_LOW);
		if (pfn == PFN_NONE)
			return -1;
		uint64_t pa = (uint64_t)pfn << PAGE_SHIFT;
		for (unsigned k = 0; k < 2 && i + k < n; k++) {
			vq->phys[i + k] = pa + k * VNET_BUF;
			vq->buf[i + k] = (uint8_t *)phys_to_virt(pa) + k * VNET_BUF;
		}
	}
	return 0;
}

/* Posts the receive buffer of the free list's head descriptor: every
 * descriptor id owns one buffer for good, so a used id names its buffer. */
static void rx_post(struct vnet *n)
{
	uint16_t id = n->rx.q.free_head;
	struct virtq_buf b = { n->rx.phys[id], VNET_BUF, 1 };
	virtq_add(&n->rx.q, &b, 1);
}

static void rx_reap(struct vnet *n)
{
	irqflags_t f = spin_lock_irqsave(&n->lock);
	int id, posted = 0;
	uint32_t len;
	while ((id = virtq_get_used(&n->rx.q, &len)) != -1) {
		if (id < 0 || (unsigned)id >= n->rx.q.size) {
			n->nd.stats.rx_errors++;
			continue;
		}
		if (len < VNET_HDR || len > VNET_BUF)
			n->nd.stats.rx_errors++;        /* counted; the buffer goes back */
		else
			netdev_rx(&n->nd, n->rx.buf[id] + VNET_HDR, len - VNET_HDR);
		rx_post(n);
		posted++;
	}
	if (posted)
		*n->rx.notify = 0;
	spin_unlock_irqrestore(&n->lock, f);
}

/* Frees the descriptors of finished transmits; lock held. */
static void tx_reap(struct vnet *n)
{
	uint32_t len;
	while (virtq_get_used(&n->tx.q, &len) != -1)
		;
}

static int vnet_xmit(struct netdev *d, const void *frame, size_t len)
{
	struct vnet *n = d->priv;
	if (len + VNET_HDR > VNET_BUF)
		return -1;
	irqflags_t f = spin_lock_irqsave(&n->lock);
	tx_reap(n);
	if (n->tx.q.num_free == 0) {
		spin_unlock_irqrestore(&n->lock, f);
		return -1;
	}
	uint16_t slot = n->tx.q.free_head;      /* the id virtq_add will return */
	uint8_t *b = n->tx.buf[slot];
	memset(b, 0, VNET_HDR);                 /* no checksum or segmentation offload */
	memcpy(b + VNET_HDR, frame, len);
	struct virtq_buf vb = { n->tx.phys[slot], (uint32_t)(VNET_HDR + len), 0 };
	int id = virtq_add(&n->tx.q, &vb, 1);
	if (id >= 0)
		*n->tx.notify = 1;
	spin_unlock_irqrestore(&n->lock, f);
	return id >= 0 ? 0 : -1;
}

static void vnet_link_check(struct vnet *n)
{
	int up = 1;
	if (n->vd.features & (1ull << VIRTIO_NET_F_STATUS))
		up = !!(*(volatile uint16_t *)(n->vd.cfg + 6) & VIRTIO_NET_S_LINK_UP);
	netdev_link(&n->nd, up);
}

static void vnet_irq(void *arg)
{
	struct vnet *n = arg;
	if (!n->ready)
		return;
	uint8_t isr = 0;
	if (n->vd.pci->irq_mode[0] == 'i')
		isr = virtio_isr(&n->vd);       /* INTx: reading deasserts the line */
	rx_reap(n);
	if (isr & 2)
		vnet_link_check(n);             /* configuration change */
}

/* No interrupt could be had (pci_irq_setup said "none"): reap every ms. */
static void vnet_poll_thread(void *arg)
{
	for (;;) {
		sleep_ns(1000000);
		vnet_irq(arg);
	}
}

static int setup_queue(struct vnet *n, unsigned idx, struct vnet_queue *vq)
{
	if (virtio_queue_setup(&n->vd, idx, VNET_QSIZE, &vq->q, &vq->notify))
		return -1;
	return alloc_bufs(vq, vq->q.size);
}


int virtio_net_attach(struct pci_dev *d, struct virtio_dev *vd)
{
	struct vnet *n = kzalloc(sizeof(*n));
	if (!n) {
		printk("virtio-net: %s: out of memory\n", d->name);
		return -1;
	}
	n->vd = *vd;
	spin_lock_init(&n->lock, "virtio-net");
	struct virtio_dev *v = &n->vd;
	uint64_t want = (1ull << VIRTIO_NET_F_MAC) | (1ull << VIRTIO_NET_F_STATUS) |
			(1ull << VIRTIO_NET_F_MTU);
	if (virtio_negotiate(v, want))
		goto fail;
	int polled = pci_irq_setup(d, vnet_irq, n) != 0;
	if (virtio_num_queues(v) < 2) {
		printk("virtio-net: %s: device offers %u queue(s), receive and transmit need 2\n",
		       d->name, virtio_num_queues(v));
		virtio_fail(v);
		goto fail;
	}
	if (setup_queue(n, 0, &n->rx) || setup_queue(n, 1, &n->tx)) {
		printk("virtio-net: %s: queues not set up\n", d->name);
		virtio_fail(v);
		goto fail;
	}
	n->tx.q.avail->flags = VRING_AVAIL_F_NO_INTERRUPT;      /* reclaimed on the next send */
	for (unsigned i = 0; i < n->rx.q.size; i++)
		rx_post(n);

	struct netdev *nd = &n->nd;
	if (v->features & (1ull << VIRTIO_NET_F_MAC))
		for (int i = 0; i < 6; i++)
			nd->mac[i] = v->cfg[i];
	else {
		/* A locally administered address of our own. */
		static const uint8_t mac[6] = { 0x02, 0x41, 0x4d, 0x50, 0x48, 0x00 };
		memcpy(nd->mac, mac, 6);
		nd->mac[5] = (uint8_t)nr_vnet;
	}
	nd->mtu = 1500;
	if (v->features & (1ull << VIRTIO_NET_F_MTU)) {
		uint16_t mtu = *(volatile uint16_t *)(v->cfg + 10);
		if (mtu >= 576 && mtu < 1500)
			nd->mtu = mtu;          /* larger ones would not fit our buffers */
	}
	nd->priv = n;
	nd->xmit = vnet_xmit;
	n->ready = 1;
	virtio_driver_ok(v);
	*n->rx.notify = 0;
	printk("virtio-net: %s: rx/tx queues of %u/%u, mtu %u, link status %s, irq %s\n", d->name,
	       n->rx.q.size, n->tx.q.size, nd->mtu,
	       (v->features & (1ull << VIRTIO_NET_F_STATUS)) ? "reported" : "assumed up", d->irq_mode);
	nr_vnet++;
	if (polled && !thread_create("virtio-net-poll", vnet_poll_thread, n))
		printk("virtio-net: %s: no interrupt and no poll thread: nothing will be received\n", d->name);
	if (netdev_register(nd))
		return -1;
	vnet_link_check(n);
	return 0;
fail:
	kfree(n);
	return -1;
}
