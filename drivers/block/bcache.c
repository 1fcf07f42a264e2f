/*
 * The buffer cache: one page frame per cached block (1 KiB .. 4 KiB; the
 * rest of the frame is unused), found by (device, block, size) in a hash,
 * kept in LRU order.  A held buffer is locked (one holder at a time, the
 * xv6 way: a thread must not hold the same block twice).  Dirty buffers are
 * written back by bsync(), by the flusher thread every BCACHE_FLUSH_NS, and
 * before their frame is reused.  Reclaim: when the cache reaches its bound
 * or frames run out, the least recently used unheld buffers go first.
 *
 * Sharing with the page frames of files (branch filepages): a buffer is
 * one frame plus a key; a shared "page unit" could carry the (device,
 * block) key instead, and this cache would become an index over it.
 */
#include "blk_internal.h"
#include <amphi/errno.h>
#include <amphi/frame.h>
#include <amphi/heap.h>
#include <amphi/layout.h>
#include <amphi/mutex.h>
#include <amphi/printk.h>
#include <amphi/sched.h>
#include <amphi/spinlock.h>
#include <amphi/string.h>

#define B_VALID 1u
#define B_DIRTY 2u
/* The cache may hold a quarter of low memory (30000 buffers with 512 MiB):
 * 1024 chains were 30 long, walked by every bread. */
#define HASH_SIZE 16384u
#define BCACHE_FLUSH_NS 5000000000ull

struct cbuf {
	struct buf b;
	struct cbuf *hnext;
	struct cbuf *prev, *next;       /* LRU: head = most recent */
	struct mutex lock;
	pfn_t pfn;
};

static spinlock_t cache_lock = SPINLOCK_INIT("bcache");
static struct cbuf *spare;              /* reclaimed headers, reused (never kfree'd in reclaim) */

/* How many buffers the calling thread holds (struct thread's count; it
 * was a 64-entry table scanned by every bread and brelse, and a 4 KiB
 * ext2 read takes half a dozen buffers): write-back must not sleep on
 * another thread's buffer while its caller holds one (that thread may be
 * waiting for it). */
static void held_add(int delta)
{
	thread_current()->bufs_held += (unsigned)delta;
}

/* 1 when the calling thread holds a buffer. */
static int holds_any(void)
{
	return thread_current()->bufs_held != 0;
}
static struct cbuf *hash[HASH_SIZE];
static struct cbuf *lru_head, *lru_tail;
static unsigned nr_bufs, max_bufs;

/* A buffer enters (1) or leaves (-1) the cache; cache_lock held.  Each
 * disk counts its cached blocks, so that raw I/O on a disk with none
 * skips the walk of every buffer (bcache_writeback_range, _drop_range). */
static void count_buf(struct cbuf *c, int delta)
{
	nr_bufs += (unsigned)delta;
	blk_whole(c->b.dev)->nr_cached += (unsigned)delta;
}

static unsigned hash_of(struct blkdev *d, uint64_t blockno)
{
	return (unsigned)(((uintptr_t)d >> 4) ^ blockno ^ (blockno >> 16)) % HASH_SIZE;
}

static void lru_unlink(struct cbuf *c)
{
	if (c->prev) c->prev->next = c->next; else lru_head = c->next;
	if (c->next) c->next->prev = c->prev; else lru_tail = c->prev;
	c->prev = c->next = 0;
}

static void lru_push_front(struct cbuf *c)
{
	c->prev = 0;
	c->next = lru_head;
	if (lru_head) lru_head->prev = c; else lru_tail = c;
	lru_head = c;
}

static void hash_remove(struct cbuf *c)
{
	struct cbuf **pp = &hash[hash_of(c->b.dev, c->b.blockno)];
	while (*pp && *pp != c)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = c->hnext;
}

static struct cbuf *lookup(struct blkdev *d, uint64_t blockno, uint32_t size)
{
	for (struct cbuf *c = hash[hash_of(d, blockno)]; c; c = c->hnext)
		if (c->b.dev == d && c->b.blockno == blockno && c->b.size == size)
			return c;
	return 0;
}

/* Frees the least recently used clean, unheld buffer; 1 if one went. */
static int evict_one_clean(void)
{
	irqflags_t f = spin_lock_irqsave(&cache_lock);
	struct cbuf *c = lru_tail;
	while (c && (c->b.refcnt || (c->b.flags & B_DIRTY)))
		c = c->prev;
	if (c) {
		lru_unlink(c);
		hash_remove(c);
		count_buf(c, -1);
	}
	spin_unlock_irqrestore(&cache_lock, f);
	if (!c)
		return 0;
	frame_free(c->pfn);
	kfree(c);
	return 1;
}

/* frame_reclaim_hook: memory pressure elsewhere.  Only frees frames (the
 * caller may hold the heap's lock): the headers go to the spare list. */
static unsigned bcache_reclaim(unsigned nr)
{
	unsigned done = 0;
	while (done < nr) {
		irqflags_t f = spin_lock_irqsave(&cache_lock);
		struct cbuf *c = lru_tail;
		while (c && (c->b.refcnt || (c->b.flags & B_DIRTY)))
			c = c->prev;
		if (c) {
			lru_unlink(c);
			hash_remove(c);
			count_buf(c, -1);
			c->hnext = spare;
			spare = c;
		}
		spin_unlock_irqrestore(&cache_lock, f);
		if (!c)
			break;
		frame_free(c->pfn);
		done++;
	}
	return done;
}

static int write_buf(struct cbuf *c)
{
	int r = blk_rw(c->b.dev, BLK_WRITE, c->b.blockno * (c->b.size / BLK_SECTOR), c->b.data,
		       c->b.size / BLK_SECTOR);
	if (r)
		printk("bcache: %s: writing block %llu failed (%d)\n", c->b.dev->name,
		       (unsigned long long)c->b.blockno, r);
	else
		c->b.flags &= ~B_DIRTY;
	return r;
}

/* Writes dirty buffers matching (dev, sector range); dev NULL: all.
 * Returns the first error.  Every buffer dirty when it is called is
 * written before it returns (or its error reported).  Per pass: up to 64
 * buffers are taken under the lock; those nobody holds are locked and
 * written all at once, sorted by disk position; then those held by others
 * are waited for one at a time, holding no other buffer meanwhile.  A
 * buffer the caller itself holds is written as it is; when the caller
 * holds any, buffers held by other threads are left dirty (their holder
 * may be waiting for one of the caller's: waiting would deadlock). */
static int writeback(struct blkdev *dev, uint64_t sector, uint64_t count)
{
	int err = 0;
	for (int pass = 0; pass < 4096; pass++) {
		struct cbuf *batch[64];
		int n = 0;
		irqflags_t f = spin_lock_irqsave(&cache_lock);
		for (struct cbuf *c = lru_tail; c && n < 64; c = c->prev) {
			if (!(c->b.flags & B_DIRTY))
				continue;
			struct blkdev *d = c->b.dev;
			if (dev && d != dev && blk_whole(d) != dev)
				continue;
			if (count) {
				uint64_t s = d->start_sector + c->b.blockno * (c->b.size / BLK_SECTOR);
				if (s + c->b.size / BLK_SECTOR <= sector || s >= sector + count)
					continue;
			}
			c->b.refcnt++;
			batch[n++] = c;
		}
		spin_unlock_irqrestore(&cache_lock, f);
		if (!n)
			return err;
		struct blk_xfer x[64];
		struct cbuf *locked[64];
		int k = 0, failed = 0, skipped = 0;
		uint8_t done[64] = { 0 };
		for (int i = 0; i < n; i++) {
			struct cbuf *c = batch[i];
			if (mutex_held(&c->lock) || !mutex_trylock(&c->lock))
				continue;
			done[i] = 1;
			if (!(c->b.flags & B_DIRTY)) {
				mutex_unlock(&c->lock);
				continue;
			}
			int j = k++;
			uint64_t sec = c->b.blockno * (c->b.size / BLK_SECTOR);
			while (j > 0 && (locked[j - 1]->b.dev->start_sector + x[j - 1].sector) >
					c->b.dev->start_sector + sec) {
				locked[j] = locked[j - 1];
				x[j] = x[j - 1];
				j--;
			}
			locked[j] = c;
			x[j] = (struct blk_xfer){ c->b.dev, sec, c->b.data, c->b.size / BLK_SECTOR, 0 };
		}
		if (k) {
			blk_rw_many(BLK_WRITE, x, k);
			for (int i = 0; i < k; i++) {
				struct cbuf *c = locked[i];
				if (x[i].status) {
					printk("bcache: %s: writing block %llu failed (%d)\n", c->b.dev->name,
					       (unsigned long long)c->b.blockno, x[i].status);
					if (!err)
						err = x[i].status;
					failed++;
				} else {
					c->b.flags &= ~B_DIRTY;
				}
				mutex_unlock(&c->lock);
			}
		}
		int may_wait = !holds_any();
		for (int i = 0; i < n; i++) {
			if (done[i])
				continue;
			struct cbuf *c = batch[i];
			int mine = mutex_held(&c->lock);
			if (!mine && !may_wait) {
				skipped++;      /* its holder may wait for ours: left dirty */
				continue;
			}
			if (!mine)
				mutex_lock(&c->lock);
			if (c->b.flags & B_DIRTY) {
				int r = write_buf(c);
				if (r && !err)
					err = r;
				if (r)
					failed++;
			}
			if (!mine)
				mutex_unlock(&c->lock);
		}
		f = spin_lock_irqsave(&cache_lock);
		for (int i = 0; i < n; i++)
			batch[i]->b.refcnt--;
		spin_unlock_irqrestore(&cache_lock, f);
		if (failed + skipped == n)
			return err;     /* only failing or skipped ones left: they stay dirty */
	}
	return err;
}

/* Finds or creates the buffer, held and locked.  only_new: a buffer the
 * cache has already is not taken (NULL, *err untouched): bprefetch never
 * waits for another thread's buffer while it holds its own. */
static struct buf *get(struct blkdev *d, uint64_t blockno, uint32_t size, int *err, int only_new)
{
	if (size < 512 || size > PAGE_SIZE || (size & (size - 1))) {
		*err = -EINVAL;
		return 0;
	}
	if (!max_bufs) {
		max_bufs = frames.nr_free_low / 4;
		if (max_bufs < 64)
			max_bufs = 64;
	}
	struct cbuf *fresh = 0;
	for (;;) {
		irqflags_t f = spin_lock_irqsave(&cache_lock);
		struct cbuf *c = lookup(d, blockno, size);
		if (c && only_new) {
			spin_unlock_irqrestore(&cache_lock, f);
			if (fresh) {
				frame_free(fresh->pfn);
				kfree(fresh);
			}
			return 0;
		}
		if (c) {
			c->b.refcnt++;
			lru_unlink(c);
			lru_push_front(c);
			spin_unlock_irqrestore(&cache_lock, f);
			if (fresh) {
				frame_free(fresh->pfn);
				kfree(fresh);
			}
			mutex_lock(&c->lock);
			held_add(1);
			return &c->b;
		}
		if (fresh) {
			fresh->b.refcnt = 1;
			fresh->hnext = hash[hash_of(d, blockno)];
			hash[hash_of(d, blockno)] = fresh;
			lru_push_front(fresh);
			count_buf(fresh, 1);
			mutex_trylock(&fresh->lock);    /* fresh: nobody else has it yet */
			held_add(1);
			spin_unlock_irqrestore(&cache_lock, f);
			return &fresh->b;
		}
		int full = nr_bufs >= max_bufs;
		spin_unlock_irqrestore(&cache_lock, f);
		/* Make room: clean buffers first, then write dirty ones back. */
		if (full && !evict_one_clean()) {
			writeback(0, 0, 0);
			evict_one_clean();
		}
		irqflags_t fs = spin_lock_irqsave(&cache_lock);
		if ((fresh = spare) != 0) {
			spare = fresh->hnext;
			memset(fresh, 0, sizeof(*fresh));
		}
		spin_unlock_irqrestore(&cache_lock, fs);
		if (!fresh)
			fresh = kzalloc(sizeof(*fresh));
		pfn_t pfn = fresh ? frame_alloc(FRAME_LOW) : PFN_NONE;
		if (pfn == PFN_NONE && fresh) {
			while (pfn == PFN_NONE && evict_one_clean())
				pfn = frame_alloc(FRAME_LOW);
			if (pfn == PFN_NONE) {
				writeback(0, 0, 0);
				while (pfn == PFN_NONE && evict_one_clean())
					pfn = frame_alloc(FRAME_LOW);
			}
		}
		if (!fresh || pfn == PFN_NONE) {
			kfree(fresh);
			*err = -ENOMEM;
			return 0;
		}
		fresh->pfn = pfn;
		fresh->b.dev = d;
		fresh->b.blockno = blockno;
		fresh->b.size = size;
		fresh->b.data = phys_to_virt((uint64_t)pfn << PAGE_SHIFT);
		fresh->b.cache_priv = fresh;
		mutex_init(&fresh->lock, "buf");
	}
}

void bcache_stats(unsigned *nr, unsigned *max)
{
	*nr = nr_bufs;
	*max = max_bufs;
}

struct buf *bget(struct blkdev *d, uint64_t blockno, uint32_t size, int *err)
{
	*err = 0;
	struct buf *b = get(d, blockno, size, err, 0);
	if (b)
		b->flags |= B_VALID;    /* the caller overwrites all of it */
	return b;
}

struct buf *bread(struct blkdev *d, uint64_t blockno, uint32_t size, int *err)
{
	*err = 0;
	struct buf *b = get(d, blockno, size, err, 0);
	if (!b || (b->flags & B_VALID))
		return b;
	int r = blk_rw(d, BLK_READ, blockno * (size / BLK_SECTOR), b->data, size / BLK_SECTOR);
	if (r) {
		*err = r == -EINVAL ? -EIO : r;
		brelse(b);
		return 0;
	}
	b->flags |= B_VALID;
	return b;
}

/*
 * One synchronous read per block made a file read of 1 MiB 256 device
 * round trips (ext2 at a thirtieth of the raw node's rate); here the
 * blocks not cached yet go to the device together, in flight at once.
 * Blocks the cache has (or another thread is reading) are left alone, so
 * nothing waits for a buffer; 0 entries (holes) are skipped.  Best effort:
 * on any error no block is marked valid, and bread reads them again (and
 * reports the error).
 */
void bprefetch(struct blkdev *d, const uint64_t *blk, int n, uint32_t size)
{
	if (n > (int)BPREFETCH_MAX)
		n = (int)BPREFETCH_MAX;
	if (n <= 0)
		return;
	/* 3.5 KiB for 128 blocks: off the kernel stack */
	struct buf **b = kmalloc((size_t)n * sizeof(*b));
	struct blk_xfer *x = kmalloc((size_t)n * sizeof(*x));
	int k = 0, err = 0;
	if (!b || !x) {
		kfree(b);
		kfree(x);
		return;
	}
	for (int i = 0; i < n; i++) {
		struct buf *nb = blk[i] ? get(d, blk[i], size, &err, 1) : 0;
		if (!nb)
			continue;
		b[k] = nb;
		x[k] = (struct blk_xfer){ d, blk[i] * (size / BLK_SECTOR), nb->data, size / BLK_SECTOR, 0 };
		k++;
	}
	int r = k ? blk_rw_many(BLK_READ, x, k) : 0;
	for (int i = 0; i < k; i++) {
		if (!r)
			b[i]->flags |= B_VALID;
		brelse(b[i]);
	}
	kfree(b);
	kfree(x);
}

void bdirty(struct buf *b)
{
	b->flags |= B_DIRTY | B_VALID;
}

int bwrite(struct buf *b)
{
	b->flags |= B_VALID;
	return write_buf(b->cache_priv);
}

void brelse(struct buf *b)
{
	struct cbuf *c = b->cache_priv;
	mutex_unlock(&c->lock);
	irqflags_t f = spin_lock_irqsave(&cache_lock);
	c->b.refcnt--;
	held_add(-1);
	spin_unlock_irqrestore(&cache_lock, f);
}

int bsync(struct blkdev *d)
{
	int r = writeback(d ? blk_whole(d) : 0, 0, 0);
	for (int i = 0; i < BLK_MAX_DEVS; i++) {
		struct blkdev *x = blk_devs[i];
		if (!x || x->whole != x || x->dead || (d && blk_whole(d) != x))
			continue;
		int fr = blk_flush(x);
		if (fr && !r)
			r = fr;
	}
	return r;
}

/* Drops unheld buffers of d (or, with count, of whole's sector range),
 * up to 64 per pass under the lock. */
static void drop(struct blkdev *d, int only_clean, uint64_t sector, uint64_t count)
{
	for (;;) {
		struct cbuf *victims[64];
		int n = 0;
		irqflags_t f = spin_lock_irqsave(&cache_lock);
		for (struct cbuf *c = lru_head, *next; c && n < 64; c = next) {
			next = c->next;
			if (c->b.refcnt || (only_clean && (c->b.flags & B_DIRTY)))
				continue;
			struct blkdev *bd = c->b.dev;
			if (bd != d && blk_whole(bd) != d)
				continue;
			if (count) {
				uint64_t s = bd->start_sector + c->b.blockno * (c->b.size / BLK_SECTOR);
				if (s + c->b.size / BLK_SECTOR <= sector || s >= sector + count)
					continue;
			}
			lru_unlink(c);
			hash_remove(c);
			count_buf(c, -1);
			victims[n++] = c;
		}
		spin_unlock_irqrestore(&cache_lock, f);
		for (int i = 0; i < n; i++) {
			frame_free(victims[i]->pfn);
			kfree(victims[i]);
		}
		if (n < 64)
			return;
	}
}

void binvalidate(struct blkdev *d)
{
	drop(d, 1, 0, 0);
}

int bcache_writeback_range(struct blkdev *whole, uint64_t sector, uint64_t count)
{
	return __atomic_load_n(&whole->nr_cached, __ATOMIC_RELAXED) ? writeback(whole, sector, count ? count : 1)
								     : 0;
}

void bcache_drop_range(struct blkdev *whole, uint64_t sector, uint64_t count)
{
	if (__atomic_load_n(&whole->nr_cached, __ATOMIC_RELAXED))
		drop(whole, 0, sector, count ? count : 1);
}

static void flusher(void *arg)
{
	(void)arg;
	for (;;) {
		sleep_ns(BCACHE_FLUSH_NS);
		writeback(0, 0, 0);
	}
}

void bcache_start_flusher(void)
{
	static int started;
	frame_reclaim_hook = bcache_reclaim;
	if (!started && thread_create("bflush", flusher, 0))
		started = 1;
}
