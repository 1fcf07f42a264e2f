/* Shared inside drivers/block/ only. */
#ifndef DRIVERS_BLK_INTERNAL_H
#define DRIVERS_BLK_INTERNAL_H
#include <amphi/blkdev.h>

#define BLK_MAX_DEVS 64

extern struct blkdev *blk_devs[BLK_MAX_DEVS];
struct blkdev *blk_whole(struct blkdev *d);
/* The buffer cache and raw device I/O agree: dirty cached blocks in the
 * range are written before a raw read; cached blocks in a raw-written
 * range are dropped. */
int bcache_writeback_range(struct blkdev *whole, uint64_t sector, uint64_t count);
void bcache_drop_range(struct blkdev *whole, uint64_t sector, uint64_t count);
void bcache_start_flusher(void);
void bcache_stats(unsigned *nr, unsigned *max);     /* buffers cached, the bound */
/* Several independent transfers in flight at once; each buffer 512-aligned
 * within one page.  Sets each status; returns the first error. */
struct blk_xfer {
	struct blkdev *dev;             /* a disk or a partition */
	uint64_t sector;                /* relative to dev */
	void *buf;
	uint32_t nr;                    /* sectors */
	int status;
};
int blk_rw_many(enum blk_op op, struct blk_xfer *x, int n);
/* Submits q to its disk (q->dev) unchecked and waits: 0 or -errno. */
int blk_submit_sync(struct blk_request *q);
struct file;
struct blkdev *blk_file_dev(struct file *f);    /* the device of a /dev node, or NULL */
#endif
