/*
 * Synchronous I/O over the request interface: blk_rw() cuts a transfer
 * into requests of at most max_segs page-bounded segments, submits a batch
 * of them (several in flight), and sleeps until they complete.  If no
 * completion arrives for a while the driver is polled (lost or unrouted
 * interrupts: said once in the log); after BLK_TIMEOUT_NS the disk is
 * declared dead and everything on it fails with -EIO: never a hang.
 */
#include "blk_internal.h"
#include <amphi/errno.h>
#include <amphi/heap.h>
#include <amphi/frame.h>
#include <amphi/layout.h>
#include <amphi/mm.h>
#include <amphi/paging.h>
#include <amphi/printk.h>
#include <amphi/string.h>
#include <amphi/timer.h>
#include <amphi/wait.h>
#include <asm/irqflags.h>

#define BLK_TIMEOUT_NS 30000000000ull
#define BLK_POLL_AFTER_NS 100000000ull          /* interrupt-driven: poll after 100 ms */
#define BLK_POLL_HITS 3                         /* polling finds it this often: interrupts are lost */
#define BLK_POLL_STEP_NS 200000ull              /* polled disks: every 0.2 ms */
#define BLK_BATCH 16                            /* requests in flight per call */
#define BOUNCE_PAGES 16

struct blk_batch {
	wait_queue_t wq;
	int remaining;
	int status;
};

void blk_complete(struct blk_request *r, int status)
{
	r->status = status;
	if (r->done)
		r->done(r);
}

static void batch_done(struct blk_request *r)
{
	struct blk_batch *b = r->priv;
	/* Interrupts off: once remaining reaches 0 the waiter may free b, so
	 * this thread (when a poll completes another's request) must not be
	 * preempted between the count and the wake-up. */
	uint32_t f = irq_save();
	if (r->status && !b->status)
		b->status = r->status;
	__atomic_sub_fetch(&b->remaining, 1, __ATOMIC_SEQ_CST);
	wake_all(&b->wq);
	irq_restore(f);
}

/* The physical address of a kernel virtual address. */
/* q cleared up to its segments, one request of batch b. */
static struct blk_request *batch_request(struct blk_request *q, struct blkdev *whole, enum blk_op op,
					 uint64_t sector, struct blk_batch *b)
{
	memset(q, 0, offsetof(struct blk_request, segs));
	q->dev = whole;
	q->op = op;
	q->sector = sector;
	q->done = batch_done;
	q->priv = b;
	return q;
}

static uint64_t kva_to_phys(const void *va)
{
	uintptr_t a = (uintptr_t)va;
	if (a >= KERNEL_VBASE && a - KERNEL_VBASE < mm_summary.lowmem_end && a < KMAP_BASE)
		return virt_to_phys(va);
	pte_t *pte = paging_pte(a & PAGE_MASK);
	if (!pte || !(*pte & PTE_P))
		return ~0ull;
	return pte_phys(*pte) + (a & (PAGE_SIZE - 1));
}

/* Waits for the batch; 0, or -EIO when the disk timed out (then the batch
 * and its requests are left to the dead driver: leaked, never reused). */
static int wait_batch(struct blkdev *whole, struct blk_batch *b)
{
	uint64_t start = now_ns();
	for (;;) {
		int polling = whole->polled >= BLK_POLL_HITS;
		uint64_t step = polling ? BLK_POLL_STEP_NS : BLK_POLL_AFTER_NS;
		if (wait_event_until(&b->wq, __atomic_load_n(&b->remaining, __ATOMIC_SEQ_CST) == 0,
				     now_ns() + step)) {
			if (!polling)
				whole->polled = 0;      /* the interrupt came */
			return 0;
		}
		if (whole->ops->poll) {
			whole->ops->poll(whole);
			if (__atomic_load_n(&b->remaining, __ATOMIC_SEQ_CST) == 0) {
				if (!polling && ++whole->polled == BLK_POLL_HITS)
					printk("blk: %s: completions found by polling %d times in a row: "
					       "its interrupts do not arrive; polling from now on\n",
					       whole->name, BLK_POLL_HITS);
				return 0;
			}
		}
		if (now_ns() - start > BLK_TIMEOUT_NS) {
			printk("blk: %s: request timed out after %llu s: disk disabled, I/O fails with EIO\n",
			       whole->name, BLK_TIMEOUT_NS / 1000000000ull);
			whole->dead = 1;
			return -EIO;
		}
	}
}

static int check(struct blkdev *d, enum blk_op op, uint64_t sector, uint32_t nr)
{
	struct blkdev *whole = blk_whole(d);
	if (d->dead || whole->dead)
		return -EIO;
	if (op == BLK_WRITE && d->read_only)
		return -EROFS;
	if (op != BLK_FLUSH && (sector > d->nr_sectors || nr > d->nr_sectors - sector))
		return -EINVAL;
	return 0;
}

/* Submits count requests of the batch b (refused ones count as done with
 * their error) and waits for them: 0 or the first error; -EIO when the disk
 * timed out (then reqs and b are left to the dead driver: never reused). */
static int submit_and_wait(struct blkdev *whole, struct blk_request *reqs, int count, struct blk_batch *b)
{
	b->remaining = count;
	for (int i = 0; i < count; i++) {
		reqs[i].more = i + 1 < count;
		int s = whole->ops->submit(whole, &reqs[i]);
		if (s) {
			reqs[i].status = s;
			batch_done(&reqs[i]);
		}
	}
	if (count && wait_batch(whole, b))
		return -EIO;
	return b->status;
}

/* Transfers the data of segs (whole sectors, none crossing a page) to or
 * from the disk from absolute sector abs on: requests of up to max_segs
 * segments, BLK_BATCH of them in flight at once. */
static int rw_segs(struct blkdev *whole, enum blk_op op, uint64_t abs, const struct blk_seg *segs, uint32_t n)
{
	/* requests in flight at once: as many as n needs, at most BLK_BATCH */
	int batch = (int)((n + whole->max_segs - 1) / whole->max_segs);
	if (batch > BLK_BATCH)
		batch = BLK_BATCH;
	struct blk_request *reqs = kmalloc((size_t)batch * sizeof(*reqs));
	struct blk_batch *b = kmalloc(sizeof(*b));
	if (!reqs || !b) {
		kfree(reqs);
		kfree(b);
		return -ENOMEM;
	}
	int r = 0;
	uint32_t i = 0;
	while (i < n && !r) {
		wait_queue_init(&b->wq, "blk-batch");
		b->status = 0;
		int count = 0;
		for (; i < n && count < batch; count++) {
			struct blk_request *q = batch_request(&reqs[count], whole, op, abs, b);
			while (i < n && q->nr_segs < whole->max_segs) {
				q->segs[q->nr_segs++] = segs[i];
				abs += segs[i++].len / BLK_SECTOR;
			}
		}
		r = submit_and_wait(whole, reqs, count, b);
		if (r == -EIO && whole->dead)
			return r;               /* timed out: reqs and b stay with the dead driver */
	}
	kfree(reqs);
	kfree(b);
	return r;
}

#define SEGS_PER_PASS (BLK_BATCH * BLK_MAX_SEGS)

/* Transfers nr sectors between buf (512-aligned, any kernel address) and
 * the disk at absolute sector abs: its pages as segments, a batch at a time. */
static int rw_aligned(struct blkdev *whole, enum blk_op op, uint64_t abs, uint8_t *buf, uint32_t nr)
{
	/* pages the buffer touches, at most a pass's worth (a block: one or two) */
	uint32_t cap = nr / (PAGE_SIZE / BLK_SECTOR) + 2;
	if (cap > SEGS_PER_PASS)
		cap = SEGS_PER_PASS;
	struct blk_seg *segs = kmalloc(cap * sizeof(*segs));
	if (!segs)
		return -ENOMEM;
	int r = 0;
	uint64_t left = (uint64_t)nr * BLK_SECTOR;
	while (left && !r) {
		uint32_t n = 0;
		uint64_t bytes = 0;
		for (; left && n < cap; n++) {
			uint32_t len = PAGE_SIZE - (uint32_t)((uintptr_t)buf & (PAGE_SIZE - 1));
			if (len > left)
				len = (uint32_t)left;
			uint64_t pa = kva_to_phys(buf);
			if (pa == ~0ull) {
				r = -EFAULT;
				break;
			}
			segs[n] = (struct blk_seg){ pa, len };
			buf += len;
			left -= len;
			bytes += len;
		}
		if (n) {
			int s = rw_segs(whole, op, abs, segs, n);
			if (s)
				r = s;
		}
		abs += bytes / BLK_SECTOR;
	}
	kfree(segs);
	return r;
}

int blk_rw(struct blkdev *d, enum blk_op op, uint64_t sector, void *buf, uint32_t nr_sectors)
{
	int r = check(d, op, sector, nr_sectors);
	if (r || nr_sectors == 0)
		return r;
	struct blkdev *whole = blk_whole(d);
	uint64_t abs = sector + d->start_sector;
	if (((uintptr_t)buf & (BLK_SECTOR - 1)) == 0)
		return rw_aligned(whole, op, abs, buf, nr_sectors);
	/* Segments must be whole sectors: bounce through page frames. */
	uint8_t *mem = kmalloc(BOUNCE_PAGES * PAGE_SIZE + BLK_SECTOR);
	if (!mem)
		return -ENOMEM;
	uint8_t *bounce = (uint8_t *)(((uintptr_t)mem + BLK_SECTOR - 1) & ~(uintptr_t)(BLK_SECTOR - 1));
	uint8_t *p = buf;
	while (nr_sectors && !r) {
		uint32_t n = nr_sectors < BOUNCE_PAGES * 8 ? nr_sectors : BOUNCE_PAGES * 8;
		if (op == BLK_WRITE)
			memcpy(bounce, p, n * BLK_SECTOR);
		r = rw_aligned(whole, op, abs, bounce, n);
		if (!r && op == BLK_READ)
			memcpy(p, bounce, n * BLK_SECTOR);
		p += n * BLK_SECTOR;
		abs += n;
		nr_sectors -= n;
	}
	kfree(mem);
	return r;
}

int blk_rw_segs(struct blkdev *d, enum blk_op op, uint64_t sector, const struct blk_seg *segs, uint32_t n)
{
	uint64_t bytes = 0;
	for (uint32_t i = 0; i < n; i++) {
		if ((segs[i].len | (uint32_t)segs[i].phys) & (BLK_SECTOR - 1) ||
		    (segs[i].phys & (PAGE_SIZE - 1)) + segs[i].len > PAGE_SIZE)
			return -EINVAL;
		bytes += segs[i].len;
	}
	if (bytes / BLK_SECTOR > 0xffffffffu)
		return -EINVAL;
	int r = check(d, op, sector, (uint32_t)(bytes / BLK_SECTOR));
	if (r || !n)
		return r;
	return rw_segs(blk_whole(d), op, sector + d->start_sector, segs, n);
}

int blk_flush(struct blkdev *d)
{
	struct blkdev *whole = blk_whole(d);
	int r = check(whole, BLK_FLUSH, 0, 0);
	if (r)
		return r;
	struct blk_batch *b = kmalloc(sizeof(*b));
	struct blk_request *q = kzalloc(sizeof(*q));
	if (!b || !q) {
		kfree(b);
		kfree(q);
		return -ENOMEM;
	}
	wait_queue_init(&b->wq, "blk-flush");
	b->status = 0;
	q->dev = whole;
	q->op = BLK_FLUSH;
	q->done = batch_done;
	q->priv = b;
	r = submit_and_wait(whole, q, 1, b);
	if (r == -EIO && whole->dead)
		return r;               /* timed out: q and b stay with the dead driver */
	kfree(q);
	kfree(b);
	return r;
}

/* One request as the caller built it (no range check: the tests use it to
 * see what the device says about a sector past its end). */
int blk_submit_sync(struct blk_request *q)
{
	struct blkdev *whole = q->dev;
	struct blk_batch *b = kmalloc(sizeof(*b));
	if (!b)
		return -ENOMEM;
	wait_queue_init(&b->wq, "blk-one");
	b->status = 0;
	q->done = batch_done;
	q->priv = b;
	int r = submit_and_wait(whole, q, 1, b);
	if (r == -EIO && whole->dead)
		return r;               /* timed out: b stays with the dead driver */
	kfree(b);
	return r;
}

/* Independent transfers, all in flight at once (the buffer cache's
 * write-back and prefetch): each buffer 512-aligned within one page.  A
 * transfer that continues the one before it on the same disk (the next
 * sector) joins its request as one more segment, up to the disk's
 * max_segs: write-back sorts its batch by position and a file's blocks
 * mostly lie in a row, so 32 blocks cost one request, one doorbell and one
 * completion rather than 32.  Sets x[i].status (a merged transfer gets its
 * request's); returns the first error. */
/* Checks each transfer (x[i].status) and joins those that continue the
 * one before into requests; returns how many requests.  With reqs NULL it
 * only counts them (blk_rw_many then allocates that many, not n: a
 * prefetch of 128 blocks is 4 requests, and 128 were 56 KiB). */
static int plan_many(enum blk_op op, struct blk_xfer *x, int n, struct blk_request *reqs, int *req_of,
		     struct blk_batch *b)
{
	int nreq = 0;
	struct blkdev *cur = 0;         /* the last request's disk, its segments, where it ends */
	uint32_t cur_segs = 0;
	uint64_t next_sector = 0;
	for (int i = 0; i < n; i++) {
		if (req_of)
			req_of[i] = -1;
		x[i].status = check(x[i].dev, op, x[i].sector, x[i].nr);
		uintptr_t va = (uintptr_t)x[i].buf;
		uint32_t len = x[i].nr * BLK_SECTOR;
		if (!x[i].status && ((va & (BLK_SECTOR - 1)) || (va & (PAGE_SIZE - 1)) + len > PAGE_SIZE))
			x[i].status = -EINVAL;
		if (x[i].status)
			continue;
		struct blkdev *whole = blk_whole(x[i].dev);
		uint64_t sector = x[i].sector + x[i].dev->start_sector;
		struct blk_seg seg = { kva_to_phys(x[i].buf), len };
		int joins = cur == whole && sector == next_sector && cur_segs < whole->max_segs &&
			    cur_segs < BLK_MAX_SEGS;
		if (!joins) {
			cur = whole;
			cur_segs = 0;
			nreq++;
			if (reqs) {
				batch_request(&reqs[nreq - 1], whole, op, sector, b);
			}
		}
		if (reqs) {
			reqs[nreq - 1].segs[cur_segs] = seg;
			reqs[nreq - 1].nr_segs = cur_segs + 1;
			req_of[i] = nreq - 1;
		}
		cur_segs++;
		next_sector = sector + x[i].nr;
	}
	return nreq;
}

int blk_rw_many(enum blk_op op, struct blk_xfer *x, int n)
{
	int nreq = plan_many(op, x, n, 0, 0, 0);
	struct blk_request *reqs = kmalloc((size_t)(nreq ? nreq : 1) * sizeof(*reqs));
	int *req_of = kmalloc((size_t)n * sizeof(int));
	struct blk_batch *b = kmalloc(sizeof(*b));
	if (!reqs || !req_of || !b) {
		kfree(reqs);
		kfree(req_of);
		kfree(b);
		return -ENOMEM;
	}
	wait_queue_init(&b->wq, "blk-many");
	b->status = 0;
	b->remaining = 0;
	int first_err = 0;
	nreq = plan_many(op, x, n, reqs, req_of, b);  /* no more than counted: disks only die */
	b->remaining = nreq;
	/* Submit everything, then wait once (per disk: each may time out). */
	for (int j = 0; j < nreq; j++) {
		struct blk_request *q = &reqs[j];
		q->more = j + 1 < nreq && reqs[j + 1].dev == q->dev;
		int s = q->dev->ops->submit(q->dev, q);
		if (s) {
			q->status = s;
			batch_done(q);
		}
	}
	for (int j = 0; j < nreq; j++)
		if (wait_batch(reqs[j].dev, b)) {
			kfree(req_of);
			return -EIO;            /* reqs and b stay with the dead driver */
		}
	for (int i = 0; i < n; i++) {
		if (req_of[i] >= 0)
			x[i].status = reqs[req_of[i]].status;
		if (x[i].status && !first_err)
			first_err = x[i].status;
	}
	kfree(reqs);
	kfree(req_of);
	kfree(b);
	return first_err;
}
