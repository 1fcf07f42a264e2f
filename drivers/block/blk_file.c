/*
 * The /dev block nodes (/dev/vda, /dev/vda1, /dev/sda ...): byte-granular
 * read and write over whole sectors (partial sectors read-modify-write),
 * lseek (SEEK_END is the device size), the BLK* ioctls, fsync.  Raw I/O
 * bypasses the buffer cache but stays coherent with it: dirty cached
 * blocks are written before a raw read of their sectors, cached copies of
 * raw-written sectors are dropped.  Reading at the end returns 0 (EOF),
 * writing there -ENOSPC, as on Linux.
 *
 * read(2) and write(2) of whole sectors at a sector-aligned user address
 * (what O_DIRECT programs, dd and mkfs do) skip the system call's bounce
 * buffer: the program's pages are pinned and given to the driver as the
 * request's segments (blk_direct_op), so 1 MiB costs no kernel copy (in
 * TCG the copy took as long as the disk) and no 1 MiB allocation.
 */
#include "blk_internal.h"
#include "../../fs/file.h"
#include <amphi/errno.h>
#include <amphi/heap.h>
#include <amphi/ioctl.h>
#include <amphi/layout.h>
#include <amphi/string.h>
#include <amphi/vm.h>

#define RAW_CHUNK_SECTORS 2048u         /* 1 MiB per blk_rw call */
#define DIRECT_PAGES 256u               /* user pages pinned at a time: 1 MiB in flight */

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

/* A raw transfer of cnt whole sectors of d from sector on, from a kernel
 * buffer (kbuf) or from segments, kept coherent with the buffer cache:
 * dirty cached blocks there are written first (a read must see them, and
 * a write must not be overtaken by their later write-back), and after a
 * write the cached copies, stale now, are dropped. */
static int coherent_rw(struct blkdev *d, int wr, uint64_t sector, uint32_t cnt, void *kbuf,
		       const struct blk_seg *segs, uint32_t nsegs)
{
	struct blkdev *whole = blk_whole(d);
	uint64_t abs = d->start_sector + sector;
	enum blk_op op = wr ? BLK_WRITE : BLK_READ;
	int r = bcache_writeback_range(whole, abs, cnt);
	if (!r)
		r = kbuf ? blk_rw(d, op, sector, kbuf, cnt) : blk_rw_segs(d, op, sector, segs, nsegs);
	if (wr)
		bcache_drop_range(whole, abs, cnt);
	return r;
}

/* The bytes of a transfer of n at f->off that lie on the device (0 at
 * its end), -ENOSPC for a write there, -EINVAL for a negative offset. */
static ssize32_t on_device(struct file *f, size_t n, int wr)
{
	uint64_t size = dev_bytes(f->priv);
	if (f->off < 0)
		return -EINVAL;
	uint64_t off = (uint64_t)f->off;
	if (off >= size)
		return wr && n ? -ENOSPC : 0;
	return (ssize32_t)(n > size - off ? size - off : n);
}

static ssize32_t raw_io(struct file *f, void *buf, size_t n, int wr)
{
	struct blkdev *d = f->priv;
	ssize32_t avail = on_device(f, n, wr);
	if (avail <= 0)
		return avail;
	n = (size_t)avail;
	uint64_t off = (uint64_t)f->off;
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
		r = coherent_rw(d, wr, sector, cnt, p, 0, 0);
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

/* len bytes at user address va (sector-aligned, at most DIRECT_PAGES pages)
 * to or from sector of d through the pinned pages themselves. */
static int direct_chunk(struct blkdev *d, int wr, uint64_t sector, uint32_t va, uint32_t len,
			uint64_t *phys, struct blk_seg *segs)
{
	/* a read from the disk writes the program's memory */
	int np = vm_pin_user(vm_active(), va, len, !wr, phys);
	if (np < 0)
		return np;
	uint32_t in_page = va & (PAGE_SIZE - 1), left = len;
	for (int i = 0; i < np; i++) {
		uint32_t k = PAGE_SIZE - in_page < left ? PAGE_SIZE - in_page : left;
		segs[i] = (struct blk_seg){ phys[i] + in_page, k };
		left -= k;
		in_page = 0;
	}
	int r = coherent_rw(d, wr, sector, len / BLK_SECTOR, 0, segs, (uint32_t)np);
	vm_unpin_user(phys, (unsigned)np);
	return r;
}

/* file_ops.direct: whole sectors at a sector-aligned offset and user
 * address, DIRECT_PAGES at a time; anything else, or a buffer that cannot
 * be pinned to begin with, goes back to the copying path (-EOPNOTSUPP),
 * which handles partial sectors and reports bad pointers. */
static ssize32_t blk_direct_op(struct file *f, uint32_t ubuf, size_t n, int wr)
{
	struct blkdev *d = f->priv;
	if (!vm_active() || ((ubuf | n | (uint64_t)f->off) & (BLK_SECTOR - 1)))
		return -EOPNOTSUPP;
	ssize32_t avail = on_device(f, n, wr);
	if (avail <= 0)
		return avail;
	n = (size_t)avail;
	uint64_t *phys = kmalloc(DIRECT_PAGES * sizeof(*phys));
	struct blk_seg *segs = kmalloc(DIRECT_PAGES * sizeof(*segs));
	size_t done = 0;
	int r = phys && segs ? 0 : -ENOMEM;
	while (done < n && !r) {
		uint32_t va = ubuf + (uint32_t)done;
		size_t len = DIRECT_PAGES * PAGE_SIZE - (va & (PAGE_SIZE - 1));
		if (len > n - done)
			len = n - done;
		r = direct_chunk(d, wr, (uint64_t)f->off / BLK_SECTOR, va, (uint32_t)len, phys, segs);
		if (!r) {
			done += len;
			f->off += (int64_t)len;
		}
	}
	kfree(phys);
	kfree(segs);
	if (done)
		return (ssize32_t)done;
	if (r == -EFAULT || r == -ENOMEM)
		return -EOPNOTSUPP;
	return r == -EINVAL ? -EIO : r;
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
	.direct = blk_direct_op,
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
