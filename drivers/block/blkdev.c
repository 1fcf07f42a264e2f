/*
 * The block device registry: disks register here (include/amphi/blkdev.h);
 * their partitions (MBR, GPT) become devices of their own, and every one
 * gets a /dev node (block major 8 for sd*, 202 for xvd*, 254 for vd*;
 * 16 minors per disk, as Linux numbers them).
 */
#include "blk_internal.h"
#include "partition.h"
#include <amphi/errno.h>
#include <amphi/heap.h>
#include <amphi/printk.h>
#include <amphi/string.h>
#include <amphi/vfs.h>

struct blkdev *blk_devs[BLK_MAX_DEVS];

#define MKDEV_BLK(ma, mi) (((uint32_t)(ma) << 20) | (mi))      /* as fs/file.h */

struct blkdev *blk_whole(struct blkdev *d)
{
	return d->whole ? d->whole : d;
}

static int major_of(const char *name)
{
	if (name[0] == 's' && name[1] == 'd')
		return 8;
	if (name[0] == 'x' && name[1] == 'v' && name[2] == 'd')
		return 202;
	return 254;
}

static int add_dev(struct blkdev *d)
{
	for (int i = 0; i < BLK_MAX_DEVS; i++)
		if (!blk_devs[i]) {
			blk_devs[i] = d;
			return 0;
		}
	printk("blk: too many block devices; %s ignored\n", d->name);
	return -ENOSPC;
}

static void make_node(struct blkdev *d)
{
	char path[32];
	snprintf(path, sizeof(path), "/dev/%s", d->name);
	int r = vfs_mknod(path, S_IFBLK | 0660, d->rdev);
	if (r)
		printk("blk: cannot create %s (%d)\n", path, r);
}

static int read_sector(void *ctx, uint64_t lba, uint8_t *buf)
{
	return blk_rw(ctx, BLK_READ, lba, buf, 1);
}

int blkdev_register(struct blkdev *d)
{
	static int disks_of_major[256];
	d->whole = d;
	d->partno = 0;
	d->start_sector = 0;
	if (!d->max_segs || d->max_segs > BLK_MAX_SEGS)
		d->max_segs = BLK_MAX_SEGS;
	if (!d->block_size)
		d->block_size = BLK_SECTOR;
	int major = major_of(d->name);
	d->rdev = MKDEV_BLK(major, disks_of_major[major]++ * 16);
	if (add_dev(d))
		return -ENOSPC;
	make_node(d);
	bcache_start_flusher();

	struct part_table *t = kzalloc(sizeof(*t));
	if (!t)
		return 0;
	int r = part_scan(read_sector, d, d->nr_sectors, t);
	if (r)
		printk("blk: %s: cannot read the partition table (%d)\n", d->name, r);
	for (int i = 0; i < t->nr_warnings; i++)
		printk("blk: %s: %s\n", d->name, t->warning[i]);
	char list[128];
	size_t n = 0;
	list[0] = 0;
	for (int i = 0; i < t->n; i++) {
		struct blkdev *p = kzalloc(sizeof(*p));
		if (!p)
			break;
		const struct part_entry *e = &t->e[i];
		snprintf(p->name, sizeof(p->name), "%s%d", d->name, e->number);
		p->nr_sectors = e->count;
		p->block_size = d->block_size;
		p->read_only = d->read_only;
		p->max_segs = d->max_segs;
		p->driver = d->driver;
		p->whole = d;
		p->start_sector = e->start;
		p->partno = e->number;
		p->rdev = d->rdev + (uint32_t)e->number;
		if (add_dev(p)) {
			kfree(p);
			break;
		}
		make_node(p);
		if (n < sizeof(list) - 16)
			n += snprintf(list + n, sizeof(list) - n, " %s", p->name);
	}
	printk("blk: %s: %llu MiB, partition table %s:%s\n", d->name,
	       (unsigned long long)(d->nr_sectors >> 11), t->scheme, t->n ? list : " (no partitions)");
	kfree(t);
	return 0;
}

void blkdev_remove(struct blkdev *d)
{
	for (int i = 0; i < BLK_MAX_DEVS; i++)
		if (blk_devs[i] && blk_whole(blk_devs[i]) == d)
			blk_devs[i]->dead = 1;
}

struct blkdev *blkdev_lookup(const char *name)
{
	if (!strncmp(name, "/dev/", 5))
		name += 5;
	for (int i = 0; i < BLK_MAX_DEVS; i++)
		if (blk_devs[i] && !strcmp(blk_devs[i]->name, name))
			return blk_devs[i];
	return 0;
}

struct blkdev *blkdev_by_rdev(uint32_t rdev)
{
	for (int i = 0; i < BLK_MAX_DEVS; i++)
		if (blk_devs[i] && blk_devs[i]->rdev == rdev)
			return blk_devs[i];
	return 0;
}
