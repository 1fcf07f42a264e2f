/*
 * virtio-blk (virtio 1.x 5.2): one request queue, several requests in
 * flight.  A request is a descriptor chain: the 16-byte header (type,
 * sector), the data segments, and the status byte the device writes;
 * a status other than OK becomes -EIO.  Requests that do not fit in the
 * ring wait in a list and start as completions free descriptors.
 *
 * Where the device reads indirect descriptors (QEMU's does), a request's
 * chain goes into a table of its own and takes one ring entry: with a
 * chain in the ring itself, a 128-entry ring held three requests of 32
 * segments, so a 1 MiB read (eight of them) went to the device in three
 * waves, each waiting for the one before; now all of them are in flight
 * together, and QEMU merges them into one host read.
 */
#include "virtio.h"
#include <amphi/blkdev.h>
#include <amphi/errno.h>
#include <amphi/heap.h>
#include <amphi/frame.h>
#include <amphi/layout.h>
#include <amphi/printk.h>
#include <amphi/spinlock.h>
#include <amphi/string.h>

#define VIRTIO_BLK_F_SIZE_MAX 1
#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_S_OK 0

struct vblk_hdr {
	uint32_t type, reserved;
	uint64_t sector;
};

struct vblk {
	struct virtio_dev vd;
	struct virtq q;
	volatile uint16_t *notify;
	spinlock_t lock;
	struct blkdev bd;
	/* per descriptor head: the request it carries; header and status
	 * bytes live in one DMA page, indexed by head */
	struct blk_request *inflight[VIRTQ_MAX_SIZE];
	struct vblk_hdr *hdrs;          /* VIRTQ_MAX_SIZE * 16 bytes = one page */
	uint8_t *status;                /* VIRTQ_MAX_SIZE bytes */
	uint64_t hdrs_phys, status_phys;
	/* per descriptor head, with indirect descriptors: its chain's table */
	volatile struct vring_desc *ind[VIRTQ_MAX_SIZE];
	uint64_t ind_phys[VIRTQ_MAX_SIZE];
	struct blk_request *pending, **pending_tail;
	unsigned flush_ok;
	int unkicked;                   /* chains made available since the last doorbell */
	volatile int ready;             /* the queue is set up (a shared INTx line may fire before) */
};

static int nr_vblk;

/* Rings queue 0's doorbell if chains wait behind it; lock held. */
static void kick(struct vblk *b)
{
	if (b->unkicked)
		*b->notify = 0;
	b->unkicked = 0;
}

/* Starts waiting requests while descriptors last, and rings the doorbell
 * unless more requests follow at once (hold); lock held.  Returns how
 * many.  QEMU reads the ring when the doorbell rings, while we go on
 * adding: one doorbell per request had it take a 1 MiB batch of eight in
 * two or three parts, each its own host read. */
static int start_pending(struct vblk *b, int hold)
{
	int started = 0;
	while (b->pending) {
		struct blk_request *r = b->pending;
		unsigned n = r->nr_segs + 2;
		if (b->q.num_free < (b->ind[0] ? 1 : n))
			break;
		/* The head is the free list's first descriptor: its header
		 * and status slots are known before the chain is added. */
		uint16_t head = b->q.free_head;
		struct virtq_buf bufs[BLK_MAX_SEGS + 2];
		struct vblk_hdr *h = &b->hdrs[head];
		h->type = r->op == BLK_READ ? VIRTIO_BLK_T_IN : r->op == BLK_WRITE ? VIRTIO_BLK_T_OUT
										: VIRTIO_BLK_T_FLUSH;
		h->reserved = 0;
		h->sector = r->op == BLK_FLUSH ? 0 : r->sector;
		b->status[head] = 0xff;
		bufs[0] = (struct virtq_buf){ b->hdrs_phys + head * sizeof(*h), sizeof(*h), 0 };
		for (unsigned i = 0; i < r->nr_segs; i++)
			bufs[1 + i] = (struct virtq_buf){ r->segs[i].phys, r->segs[i].len, r->op == BLK_READ };
		bufs[n - 1] = (struct virtq_buf){ b->status_phys + head, 1, 1 };
		int id = b->ind[0] ? virtq_add_indirect(&b->q, b->ind[head], b->ind_phys[head], bufs, n)
				   : virtq_add(&b->q, bufs, n);
		if (id < 0)
			break;
		b->inflight[id] = r;
		b->pending = r->driver_priv;
		if (!b->pending)
			b->pending_tail = &b->pending;
		r->driver_priv = 0;
		started++;
	}
	if (started)
		b->unkicked = 1;
	if (!hold)
		kick(b);
	return started;
}

static void reap(struct vblk *b)
{
	struct blk_request *done = 0;
	irqflags_t f = spin_lock_irqsave(&b->lock);
	int id;
	uint32_t len;
	while ((id = virtq_get_used(&b->q, &len)) != -1) {
		if (id < 0) {
			printk("virtio-blk: %s: device returned a bad descriptor id\n", b->bd.name);
			continue;
		}
		struct blk_request *r = b->inflight[id];
		b->inflight[id] = 0;
		if (!r)
			continue;
		r->status = b->status[id] == VIRTIO_BLK_S_OK ? 0 : -EIO;
		r->driver_priv = done;  /* completed list, reversed */
		done = r;
	}
	start_pending(b, 0);
	spin_unlock_irqrestore(&b->lock, f);
	while (done) {
		struct blk_request *r = done;
		done = r->driver_priv;
		r->driver_priv = 0;
		blk_complete(r, r->status);
	}
}

static void vblk_irq(void *arg)
{
	struct vblk *b = arg;
	if (!b->ready)
		return;
	if (b->vd.pci->irq_mode[0] == 'i')
		virtio_isr(&b->vd);     /* INTx: reading deasserts the line */
	reap(b);
}

static void vblk_poll(struct blkdev *d)
{
	reap(d->driver);
}

static int vblk_submit(struct blkdev *d, struct blk_request *r)
{
	struct vblk *b = d->driver;
	irqflags_t f = spin_lock_irqsave(&b->lock);
	if (r->nr_segs > d->max_segs || (r->op == BLK_FLUSH && !b->flush_ok)) {
		kick(b);                /* what the held doorbell was holding back goes now */
		spin_unlock_irqrestore(&b->lock, f);
		if (r->nr_segs > d->max_segs)
			return -EINVAL;
		blk_complete(r, 0);     /* no FLUSH feature: writes are not cached */
		return 0;
	}
	r->driver_priv = 0;
	*b->pending_tail = r;
	b->pending_tail = (struct blk_request **)&r->driver_priv;
	start_pending(b, r->more);
	spin_unlock_irqrestore(&b->lock, f);
	return 0;
}

static const struct blkdev_ops vblk_ops = { .submit = vblk_submit, .poll = vblk_poll };

#define IND_BYTES ((BLK_MAX_SEGS + 2) * sizeof(struct vring_desc))
#define IND_PER_PAGE (PAGE_SIZE / IND_BYTES)

/* One indirect table per descriptor head (a page holds IND_PER_PAGE; a
 * table never crosses a page).  0, or -1 when out of frames: then chains
 * go into the ring as before (b->ind[0] stays NULL). */
static int alloc_indirect(struct vblk *b)
{
	for (unsigned head = 0; head < b->q.size; head += IND_PER_PAGE) {
		pfn_t pfn = frame_alloc(FRAME_LOW);
		if (pfn == PFN_NONE) {
			b->ind[0] = 0;          /* the frames taken so far are left: a few pages, once */
			return -1;
		}
		uint64_t phys = (uint64_t)pfn << PAGE_SHIFT;
		for (unsigned k = 0; k < IND_PER_PAGE && head + k < b->q.size; k++) {
			b->ind[head + k] = (volatile struct vring_desc *)((uint8_t *)phys_to_virt(phys) + k * IND_BYTES);
			b->ind_phys[head + k] = phys + k * IND_BYTES;
		}
	}
	return 0;
}


int virtio_blk_attach(struct pci_dev *d, struct virtio_dev *vd)
{
	struct vblk *b = kzalloc(sizeof(*b));
	pfn_t pfn = frame_alloc(FRAME_LOW);
	if (!b || pfn == PFN_NONE) {
		printk("virtio-blk: %s: out of memory\n", d->name);
		kfree(b);
		return -1;
	}
	b->vd = *vd;
	spin_lock_init(&b->lock, "virtio-blk");
	b->pending_tail = &b->pending;
	b->hdrs = phys_to_virt((uint64_t)pfn << PAGE_SHIFT);
	b->hdrs_phys = (uint64_t)pfn << PAGE_SHIFT;
	pfn = frame_alloc(FRAME_LOW);
	if (pfn == PFN_NONE)
		return -1;
	b->status = phys_to_virt((uint64_t)pfn << PAGE_SHIFT);
	b->status_phys = (uint64_t)pfn << PAGE_SHIFT;
	struct virtio_dev *v = &b->vd;
	uint64_t want = (1ull << VIRTIO_BLK_F_RO) | (1ull << VIRTIO_BLK_F_BLK_SIZE) |
			(1ull << VIRTIO_BLK_F_FLUSH) | (1ull << VIRTIO_BLK_F_SEG_MAX) |
			(1ull << VIRTIO_BLK_F_SIZE_MAX) | (1ull << VIRTIO_RING_F_INDIRECT_DESC);
	if (virtio_negotiate(v, want))
		return -1;
	pci_irq_setup(d, vblk_irq, b);
	if (virtio_num_queues(v) == 0) {
		printk("virtio-blk: %s: device offers no queue\n", d->name);
		virtio_fail(v);
		return -1;
	}
	if (virtio_queue_setup(v, 0, 128, &b->q, &b->notify)) {
		virtio_fail(v);
		return -1;
	}
	volatile uint8_t *cfg = v->cfg;
	uint64_t capacity = cfg ? *(volatile uint32_t *)cfg | (uint64_t)*(volatile uint32_t *)(cfg + 4) << 32 : 0;
	uint32_t seg_max = (v->features & (1ull << VIRTIO_BLK_F_SEG_MAX)) ? *(volatile uint32_t *)(cfg + 12) : 0;
	uint32_t blk_size = (v->features & (1ull << VIRTIO_BLK_F_BLK_SIZE)) ? *(volatile uint32_t *)(cfg + 20) : 512;
	if (blk_size < 512 || blk_size > 65536 || (blk_size & (blk_size - 1)))
		blk_size = 512;
	if ((v->features & (1ull << VIRTIO_RING_F_INDIRECT_DESC)) && alloc_indirect(b))
		printk("virtio-blk: %s: no memory for indirect descriptors: chains in the ring\n", d->name);
	/* Data segments per request: what the device and our ring allow (an
	 * indirect chain, too, may not be longer than the queue: 2.7.5.3.1). */
	uint32_t segs = b->q.size - 2u;
	if (segs > BLK_MAX_SEGS)
		segs = BLK_MAX_SEGS;
	if (seg_max && seg_max < segs)
		segs = seg_max;
	if (segs == 0) {
		printk("virtio-blk: %s: queue of %u entries cannot carry a request\n", d->name, b->q.size);
		virtio_fail(v);
		return -1;
	}
	b->flush_ok = !!(v->features & (1ull << VIRTIO_BLK_F_FLUSH));
	b->ready = 1;
	virtio_driver_ok(v);

	struct blkdev *bd = &b->bd;
	snprintf(bd->name, sizeof(bd->name), "vd%c", 'a' + nr_vblk++);
	bd->nr_sectors = capacity;
	bd->block_size = blk_size;
	bd->read_only = !!(v->features & (1ull << VIRTIO_BLK_F_RO));
	bd->max_segs = segs;
	bd->ops = &vblk_ops;
	bd->driver = b;
	printk("virtio-blk: %s: %s, %llu sectors (%llu MiB), block %u%s, queue %u of %u queue(s), "
	       "%u segments%s, flush %s, irq %s\n",
	       d->name, bd->name, (unsigned long long)capacity, (unsigned long long)(capacity >> 11),
	       blk_size, bd->read_only ? ", read-only" : "", b->q.size, virtio_num_queues(v), segs,
	       b->ind[0] ? " (indirect)" : "", b->flush_ok ? "yes" : "no", d->irq_mode);
	return blkdev_register(bd);
}
