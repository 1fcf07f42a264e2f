/*
 * The /dev block nodes (/dev/vda, /dev/vda1, /dev/sda ...): byte-granular
 * read and write over whole sectors (partial sectors read-modify-write),
 * lseek (SEEK_END is the device size), the BLK* ioctls, fsync.  Raw I/O
 * bypasses the buffer cache but stays coherent with it: dirty cached
 * blocks are written before a raw read of their sectors, cached copies of
 * raw-written sectors are dropped.  Reading at the end returns 0 (EOF),
 * writing there -ENOSPC, as on Linux.
 */
#include "blk_internal.h"
#include "../../fs/file.h"
#include <amphi/errno.h>
#include <amphi/heap.h>
#include <amphi/ioctl.h>
#include <amphi/string.h>

#define RAW_CHUNK_SECTORS 2048u         /* 1 MiB per blk_rw call */

static uint64_t dev_bytes(struct blkdev *d)
{
	return d->nr_sectors * BLK_SECTOR;
}

/* One partial sector: read it, and for a write patch and write it back. */
static int partial(struct blkdev *d, int wr, uint64_t sector, uint32_t in_off, void *buf, uint32_t n)
{
	uint8_t *tmp = kmalloc(2 * BLK_SECTOR);
	if (!tmp)
		return -ENOMEM;
	uint8_t *s = (uint8_t *)(((uintptr_t)tmp + BLK_SECTOR - 1) & ~(uintptr_t)(BLK_SECTOR - 1));
	struct blkdev *whole = blk_whole(d);
	uint64_t abs = d->start_sector + sector;
	int r = bcache_writeback_range(whole, abs, 1);
	if (!r)
		r = blk_rw(d, BLK_READ, sector, s, 1);
	if (!r && wr) {
		memcpy(s + in_off, buf, n);
		r = blk_rw(d, BLK_WRITE, sector, s, 1);
		bcache_drop_range(whole, abs, 1);
	} else if (!r) {
		memcpy(buf, s + in_off, n);
	}
	kfree(tmp);
	return r;
}

static ssize32_t raw_io(struct file *f, void *buf, size_t n, int wr)
{
	struct blkdev *d = f->priv;
	uint64_t size = dev_bytes(d);
	if (f->off < 0)
		return -EINVAL;
	uint64_t off = (uint64_t)f->off;
	if (off >= size)
		return wr && n ? -ENOSPC : 0;
	if (n > size - off)
		n = (size_t)(size - off);
	uint8_t *p = buf;
	size_t done = 0;
	int r = 0;
	while (done < n && !r) {
		uint64_t sector = off / BLK_SECTOR;
		uint32_t in_off = (uint32_t)(off % BLK_SECTOR);
		size_t left = n - done;
		if (in_off || left < BLK_SECTOR) {
			uint32_t k = BLK_SECTOR - in_off;
			if (k > left)
				k = (uint32_t)left;
			r = partial(d, wr, sector, in_off, p, k);
			if (!r) {
				p += k;
				off += k;
				done += k;
			}
			continue;
		}
		uint32_t cnt = (uint32_t)(left / BLK_SECTOR);
		if (cnt > RAW_CHUNK_SECTORS)
			cnt = RAW_CHUNK_SECTORS;
		uint64_t abs = d->start_sector + sector;
		if (wr) {
			r = blk_rw(d, BLK_WRITE, sector, p, cnt);
			bcache_drop_range(blk_whole(d), abs, cnt);
		} else {
			r = bcache_writeback_range(blk_whole(d), abs, cnt);
			if (!r)
				r = blk_rw(d, BLK_READ, sector, p, cnt);
		}
		if (!r) {
			p += (size_t)cnt * BLK_SECTOR;
			off += (uint64_t)cnt * BLK_SECTOR;
			done += (size_t)cnt * BLK_SECTOR;
		}
	}
	f->off = (int64_t)off;
	if (r == -EINVAL)
		r = -EIO;
	return done ? (ssize32_t)done : r;
}

static ssize32_t blk_read_op(struct file *f, void *buf, size_t n)
{
	return raw_io(f, buf, n, 0);
}

static ssize32_t blk_write_op(struct file *f, const void *buf, size_t n)
{
	return raw_io(f, (void *)buf, n, 1);
}

static int64_t blk_lseek_op(struct file *f, int64_t off, int whence)
{
	struct blkdev *d = f->priv;
	int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->off :
		       whence == SEEK_END ? (int64_t)dev_bytes(d) : -1;
	if (base < 0 || base + off < 0)
		return -EINVAL;
	return f->off = base + off;
}

static int blk_ioctl_op(struct file *f, uint32_t cmd, void *arg)
{
	struct blkdev *d = f->priv;
	uint64_t bytes = dev_bytes(d);
	uint32_t v;
	switch (cmd) {
	case BLKGETSIZE64:
		memcpy(arg, &bytes, 8);
		return 0;
	case BLKGETSIZE:
		v = d->nr_sectors > 0xffffffffu ? 0xffffffffu : (uint32_t)d->nr_sectors;
		memcpy(arg, &v, 4);
		return 0;
	case BLKSSZGET:
	case BLKBSZGET:
		v = d->block_size;
		memcpy(arg, &v, 4);
		return 0;
	case BLKROGET:
		v = (uint32_t)d->read_only;
		memcpy(arg, &v, 4);
		return 0;
	case BLKFLSBUF:
		{
			int r = bsync(d);
			binvalidate(d);
			return r;
		}
	}
	return -ENOTTY;
}

static const struct file_ops blk_file_ops = {
	.read = blk_read_op, .write = blk_write_op, .lseek = blk_lseek_op, .ioctl = blk_ioctl_op,
};

int blk_file_open(struct file *f, uint32_t rdev)
{
	struct blkdev *d = blkdev_by_rdev(rdev);
	if (!d)
		return -ENXIO;
	if (d->dead)
		return -EIO;
	if ((f->flags & O_ACCMODE) != O_RDONLY && d->read_only)
		return -EROFS;
	f->ops = &blk_file_ops;
	f->priv = d;
	return 0;
}

struct blkdev *blk_file_dev(struct file *f)
{
	return f->ops == &blk_file_ops ? f->priv : 0;
}
