/*
 * The block layer's contract (drivers/block/): one request interface for
 * every disk driver (virtio-blk, AHCI, Xen blkfront) and one buffer cache
 * above it for the file systems (ext2).
 *
 * Drivers: fill a struct blkdev (name "vda", "sda", "xvda"; sizes; ops) and
 * call blkdev_register(); the layer reads the partition table (MBR, GPT),
 * registers the partitions ("vda1", ...) and makes the /dev nodes.  A
 * driver's submit() starts the request and returns; it calls
 * blk_complete(req, status) when the device has finished, from any context
 * (interrupt handlers included).  Requests carry physical segments so that
 * drivers DMA (or grant) the memory directly, whatever its address.
 *
 * File systems: bread/bget/bdirty/brelse over (device, block number, block
 * size), the xv6 way; bsync() writes a device's dirty blocks and flushes the
 * device's cache.  All of it sleeps: call from threads, never interrupts.
 */
#ifndef AMPHI_BLKDEV_H
#define AMPHI_BLKDEV_H
#include <stdint.h>
#include <stddef.h>

#define BLK_SECTOR 512u             /* request sectors are always 512 bytes */
#define BLK_MAX_SEGS 32u

enum blk_op { BLK_READ, BLK_WRITE, BLK_FLUSH };

struct blkdev;

struct blk_seg {
	uint64_t phys;                  /* physical address of the data */
	uint32_t len;                   /* bytes, a multiple of 512; no page crossing */
};

struct blk_request {
	struct blkdev *dev;             /* the whole disk (partitions are translated) */
	enum blk_op op;
	uint64_t sector;                /* first 512-byte sector on the disk */
	uint32_t nr_segs;
	/* The submitter submits another request to the same disk right after
	 * this one: the driver may hold its doorbell until a request without
	 * it, so that the device sees the whole batch at once. */
	int more;
	struct blk_seg segs[BLK_MAX_SEGS];
	int status;                     /* 0 or a negative errno, set by blk_complete */
	void (*done)(struct blk_request *);   /* called by blk_complete (any context) */
	void *priv;                     /* the submitter's */
	void *driver_priv;              /* the driver's, while in flight */
};

struct blkdev_ops {
	int (*submit)(struct blkdev *d, struct blk_request *r);   /* 0 or -errno if refused */
	/* Optional: reap finished requests without an interrupt (the layer
	 * calls it when a wait lasts long: lost or unrouted interrupts). */
	void (*poll)(struct blkdev *d);
};

struct blkdev {
	char name[16];                  /* "vda", "vda1", "sda", "xvda" */
	uint64_t nr_sectors;            /* size in 512-byte sectors */
	uint32_t block_size;            /* the device's logical block size (512, 4096) */
	int read_only;
	uint32_t max_segs;              /* per request, <= BLK_MAX_SEGS */
	const struct blkdev_ops *ops;   /* NULL for a partition */
	void *driver;                   /* the driver's state */
	struct blkdev *whole;           /* a partition's disk; the disk itself otherwise */
	uint64_t start_sector;          /* a partition's first sector on the disk */
	int partno;                     /* 0 for the disk */
	uint32_t rdev;                  /* MKDEV(major, minor) of its /dev node */
	int dead;                       /* the device went away: every request -EIO */
	int polled;                     /* the layer's count of completions found by polling */
	unsigned nr_cached;             /* a disk's blocks in the buffer cache (its partitions' too) */
};

int blkdev_register(struct blkdev *d);          /* disk: scans partitions, makes /dev nodes */
void blkdev_remove(struct blkdev *d);           /* hot unplug: pending and later I/O -> -EIO */
struct blkdev *blkdev_lookup(const char *name); /* "vda1" or "/dev/vda1"; NULL if none */
struct blkdev *blkdev_by_rdev(uint32_t rdev);
void blk_complete(struct blk_request *r, int status);

/* Synchronous I/O on kernel memory (any kernel virtual address); sector is
 * relative to d (a partition or a disk).  0 or -errno (-EIO, -EROFS, -EINVAL). */
int blk_rw(struct blkdev *d, enum blk_op op, uint64_t sector, void *buf, uint32_t nr_sectors);
/* The same on memory given as segments (physical, whole sectors, none
 * crossing a page: a program's pinned pages for raw I/O), BLK_BATCH requests
 * in flight at once.  0 or -errno. */
int blk_rw_segs(struct blkdev *d, enum blk_op op, uint64_t sector, const struct blk_seg *segs, uint32_t n);
int blk_flush(struct blkdev *d);

/* ---- buffer cache ---- */
struct buf {
	struct blkdev *dev;
	uint64_t blockno;               /* in units of size */
	uint32_t size;                  /* 1024 .. 4096 (ext2 block size) */
	void *data;                     /* valid while the buffer is held */
	/* the rest belongs to the cache */
	uint32_t flags, refcnt;
	void *cache_priv;
};

/* The block, read from the device if not cached; held until brelse.
 * NULL with *err = -EIO/-ENOMEM on failure. */
struct buf *bread(struct blkdev *d, uint64_t blockno, uint32_t size, int *err);
/* Starts reading those of blk[0..n) the cache lacks, all in flight at
 * once, and waits; leaves them cached, unheld (a large file read: bread
 * then finds them).  At most BPREFETCH_MAX blocks; 0 entries are skipped. */
#define BPREFETCH_MAX 128
void bprefetch(struct blkdev *d, const uint64_t *blk, int n, uint32_t size);
/* The block without reading it (the caller overwrites all of it). */
struct buf *bget(struct blkdev *d, uint64_t blockno, uint32_t size, int *err);
void bdirty(struct buf *b);                     /* written back later (or at bsync) */
int bwrite(struct buf *b);                      /* written now, synchronously */
void brelse(struct buf *b);
int bsync(struct blkdev *d);                    /* dirty blocks of d (NULL: all), then flush */
void binvalidate(struct blkdev *d);             /* drop d's clean blocks (umount) */

/* ---- sync, fsync, fdatasync, syncfs (drivers/block/sync.c) ----
 * A file system that keeps state outside the buffer cache defines these
 * (weak defaults: nothing to do); the system calls then bsync(). */
struct file;
int vfs_sync_all(void);                         /* every mounted fs: 0 or -errno */
/* One file: 0 when written (and bsync'd), -ENOSYS if it lives on no disk. */
int vfs_fsync_file(struct file *f, int datasync);
int blk_sync_all(void);                         /* vfs_sync_all, then bsync(NULL) */
#endif
