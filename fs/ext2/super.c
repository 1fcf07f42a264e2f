/*
 * ext2 volumes: mount (the superblock and every group descriptor checked,
 * check.c; features decide refuse / read-only), the superblock and
 * descriptors written back through the buffer cache, sync, statfs,
 * umount.  A read-write mount clears the "clean" state until umount, as
 * Linux does.
 */
#include "ext2.h"
#include "../mount.h"
#include <amphi/errno.h>
#include <amphi/heap.h>
#include <amphi/printk.h>
#include <amphi/string.h>

#define MAX_REPORTS 32                  /* corruption messages per volume */
static unsigned reports;

int ext2_corrupt(struct ext2_fs *fs, const char *what, uint32_t ino, uint64_t val)
{
	if (reports++ < MAX_REPORTS)
		printk("ext2: %s: corrupt: %s (inode %u, value %llu)\n", fs->name, what, ino,
		       (unsigned long long)val);
	return -EUCLEAN;
}

static uint32_t sb_block(const struct ext2_fs *fs, uint32_t *off)
{
	*off = fs->g.bsize == 1024 ? 0 : 1024;
	return fs->g.bsize == 1024 ? 1 : 0;
}

int ext2_write_meta(struct ext2_fs *fs)
{
	uint32_t off, blk = sb_block(fs, &off);
	int err;
	struct buf *b = bread(fs->dev, blk, fs->g.bsize, &err);
	if (!b)
		return err;
	memcpy((uint8_t *)b->data + off, &fs->sb, sizeof(fs->sb));
	bdirty(b);
	brelse(b);
	size_t total = (size_t)fs->g.ngroups * sizeof(struct ext2_group_desc);
	for (uint32_t i = 0; i < fs->g.gdt_blocks; i++) {
		b = bread(fs->dev, fs->g.first_data + 1 + i, fs->g.bsize, &err);
		if (!b)
			return err;
		size_t at = (size_t)i * fs->g.bsize, n = total - at < fs->g.bsize ? total - at : fs->g.bsize;
		memcpy(b->data, (uint8_t *)fs->gd + at, n);
		bdirty(b);
		brelse(b);
	}
	fs->dirty = 0;
	return 0;
}

static int load_groups(struct ext2_fs *fs)
{
	size_t total = (size_t)fs->g.ngroups * sizeof(struct ext2_group_desc);
	fs->gd = kmalloc(total);
	if (!fs->gd)
		return -ENOMEM;
	for (uint32_t i = 0; i < fs->g.gdt_blocks; i++) {
		int err;
		struct buf *b = bread(fs->dev, fs->g.first_data + 1 + i, fs->g.bsize, &err);
		if (!b)
			return err;
		size_t at = (size_t)i * fs->g.bsize, n = total - at < fs->g.bsize ? total - at : fs->g.bsize;
		memcpy((uint8_t *)fs->gd + at, b->data, n);
		brelse(b);
	}
	uint64_t free_b = 0, free_i = 0;
	for (uint32_t i = 0; i < fs->g.ngroups; i++) {
		const char *why = ext2_check_group(&fs->g, i, &fs->gd[i]);
		if (why) {
			printk("ext2: %s: group %u: %s: not mounted\n", fs->name, i, why);
			return -EUCLEAN;
		}
		free_b += fs->gd[i].bg_free_blocks_count;
		free_i += fs->gd[i].bg_free_inodes_count;
	}
	if (free_b != fs->sb.s_free_blocks_count || free_i != fs->sb.s_free_inodes_count) {
		/* Linux recounts too: the superblock's totals are a summary */
		fs->sb.s_free_blocks_count = (uint32_t)free_b;
		fs->sb.s_free_inodes_count = (uint32_t)free_i;
	}
	return 0;
}

int ext2_mount(struct blkdev *dev, int ro, void **sbp)
{
	struct ext2_fs *fs = kzalloc(sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	mutex_init(&fs->lock, "ext2");
	fs->dev = dev;
	strlcpy(fs->name, dev->name, sizeof(fs->name));
	fs->dev_id = dev->rdev ? dev->rdev : 0x800;
	int err = blk_rw(dev, BLK_READ, EXT2_SB_OFFSET / BLK_SECTOR, &fs->sb, sizeof(fs->sb) / BLK_SECTOR);
	if (err) {
		printk("ext2: %s: cannot read the superblock (%d)\n", fs->name, err);
		goto fail;
	}
	const char *why = ext2_check_super(&fs->sb, dev->nr_sectors / 2, &fs->g);
	if (why) {
		if (fs->sb.s_magic == EXT2_MAGIC && !strcmp(why, "unsupported INCOMPAT feature"))
			printk("ext2: %s: unsupported INCOMPAT feature %s (0x%x): not mounted\n", fs->name,
			       ext2_incompat_name(fs->sb.s_feature_incompat),
			       fs->sb.s_feature_incompat & ~EXT2_INCOMPAT_SUPP);
		else
			printk("ext2: %s: %s: not mounted\n", fs->name, why);
		err = fs->sb.s_magic == EXT2_MAGIC ? -EUCLEAN : -EINVAL;
		goto fail;
	}
	fs->ppb = fs->g.bsize / 4;
	if ((err = load_groups(fs)) != 0)
		goto fail;
	fs->ro = ro || dev->read_only;
	if (fs->g.read_only && !fs->ro) {
		if (fs->sb.s_feature_ro_compat & ~EXT2_RO_COMPAT_SUPP)
			printk("ext2: %s: unsupported RO_COMPAT feature %s: mounted read-only\n", fs->name,
			       ext2_ro_compat_name(fs->sb.s_feature_ro_compat));
		else
			printk("ext2: %s: %s: mounted read-only\n", fs->name, fs->g.ro_reason);
		fs->ro = 1;
	}
	if (!fs->ro) {
		fs->sb.s_state &= (uint16_t)~EXT2_VALID_FS;
		fs->sb.s_mnt_count++;
		fs->sb.s_mtime = ext2_now();
		if ((err = ext2_write_meta(fs)) != 0 || (err = bsync(dev)) != 0)
			goto fail;
	}
	printk("ext2: %s: mounted %s, %u KiB blocks, %u blocks, %u inodes, %u groups\n", fs->name,
	       fs->ro ? "read-only" : "read-write", fs->g.bsize / 1024, fs->g.blocks, fs->g.inodes,
	       fs->g.ngroups);
	reports = 0;
	*sbp = fs;
	return 0;
fail:
	kfree(fs->gd);
	kfree(fs);
	return err;
}

int ext2_sync(void *sb)
{
	struct ext2_fs *fs = sb;
	mutex_lock(&fs->lock);
	int err = 0;
	if (!fs->ro) {
		fs->sb.s_wtime = ext2_now();
		err = ext2_write_meta(fs);
	}
	mutex_unlock(&fs->lock);
	int e2 = bsync(fs->dev);
	return err ? err : e2;
}

int ext2_umount(void *sb)
{
	struct ext2_fs *fs = sb;
	mutex_lock(&fs->lock);
	int busy = fs->opens != 0;
	if (!busy && !fs->ro)
		fs->sb.s_state |= EXT2_VALID_FS;
	mutex_unlock(&fs->lock);
	if (busy)
		return -EBUSY;
	int err = ext2_sync(fs);
	binvalidate(fs->dev);
	printk("ext2: %s: unmounted\n", fs->name);
	kfree(fs->gd);
	kfree(fs);
	return err;
}

int ext2_statfs(void *sb, struct kstatfs64 *sf)
{
	struct ext2_fs *fs = sb;
	mutex_lock(&fs->lock);
	memset(sf, 0, sizeof(*sf));
	sf->f_type = EXT2_MAGIC;
	sf->f_bsize = sf->f_frsize = fs->g.bsize;
	sf->f_blocks = fs->g.blocks;
	sf->f_bfree = fs->sb.s_free_blocks_count;
	sf->f_bavail = fs->sb.s_free_blocks_count > fs->sb.s_r_blocks_count ?
		       fs->sb.s_free_blocks_count - fs->sb.s_r_blocks_count : 0;
	sf->f_files = fs->g.inodes;
	sf->f_ffree = fs->sb.s_free_inodes_count;
	sf->f_namelen = EXT2_NAME_LEN;
	sf->f_fsid[0] = (int32_t)fs->dev_id;
	sf->f_flags = 0x20 | (fs->ro ? 1 : 0);  /* ST_VALID, ST_RDONLY */
	mutex_unlock(&fs->lock);
	return 0;
}

int ext2_read_only(void *sb)
{
	return ((struct ext2_fs *)sb)->ro;
}
