/*
 * ext2 allocation: block and inode bitmaps, with the free counts kept
 * equal in the group descriptors and the superblock (e2fsck checks both).
 * The first free bit from the goal group on; a bit found set where the
 * counts say free, or a bitmap block out of range, is corruption.
 */
#include "ext2.h"
#include <amphi/errno.h>
#include <amphi/printk.h>

static int find_zero(const uint8_t *map, uint32_t nbits)
{
	for (uint32_t i = 0; i < nbits / 8; i++)
		if (map[i] != 0xff)
			for (int b = 0; b < 8; b++)
				if (!(map[i] & (1u << b)))
					return (int)(i * 8 + b);
	return -1;
}

/* Whether blk holds a group's superblock copy, descriptors, bitmaps or
 * inode table: a bitmap calling one of those free is corrupt, and handing
 * it out would zero (and so wipe) the inode table or the root. */
static int is_meta(struct ext2_fs *fs, uint32_t grp, uint32_t blk)
{
	const struct ext2_geom *g = &fs->g;
	const struct ext2_group_desc *gd = &fs->gd[grp];
	uint32_t first = g->first_data + grp * g->bpg;
	int sparse = !!(fs->sb.s_feature_ro_compat & EXT2_RO_COMPAT_SPARSE_SUPER);
	if (ext2_group_has_super(grp, sparse) && blk <= first + g->gdt_blocks)
		return 1;
	return blk == gd->bg_block_bitmap || blk == gd->bg_inode_bitmap ||
	       (blk >= gd->bg_inode_table && blk - gd->bg_inode_table < g->itable_blocks);
}

int ext2_balloc(struct ext2_fs *fs, uint32_t goal, uint32_t *blk)
{
	const struct ext2_geom *g = &fs->g;
	if (fs->sb.s_free_blocks_count == 0)
		return -ENOSPC;
	for (uint32_t k = 0; k < g->ngroups; k++) {
		uint32_t grp = (goal + k) % g->ngroups;
		struct ext2_group_desc *gd = &fs->gd[grp];
		if (!gd->bg_free_blocks_count)
			continue;
		uint32_t first = g->first_data + grp * g->bpg;
		uint32_t nbits = g->blocks - first < g->bpg ? g->blocks - first : g->bpg;
		int err;
		struct buf *b = bread(fs->dev, gd->bg_block_bitmap, g->bsize, &err);
		if (!b)
			return err;
		int bit = find_zero(b->data, (nbits + 7) & ~7u);
		if (bit < 0 || (uint32_t)bit >= nbits) {
			brelse(b);
			return ext2_corrupt(fs, "group has free blocks by its count but none in its bitmap", 0, grp);
		}
		if (is_meta(fs, grp, first + (uint32_t)bit)) {
			brelse(b);
			return ext2_corrupt(fs, "block bitmap calls a metadata block free", 0, first + (uint32_t)bit);
		}
		((uint8_t *)b->data)[bit / 8] |= (uint8_t)(1u << (bit % 8));
		bdirty(b);
		brelse(b);
		gd->bg_free_blocks_count--;
		fs->sb.s_free_blocks_count--;
		fs->dirty = 1;
		*blk = first + (uint32_t)bit;
		return 0;
	}
	return -ENOSPC;
}

int ext2_bfree(struct ext2_fs *fs, uint32_t blk)
{
	const struct ext2_geom *g = &fs->g;
	if (!ext2_blk_ok(fs, blk))
		return ext2_corrupt(fs, "freeing a block outside the volume", 0, blk);
	uint32_t grp = (blk - g->first_data) / g->bpg, bit = (blk - g->first_data) % g->bpg;
	int err;
	struct buf *b = bread(fs->dev, fs->gd[grp].bg_block_bitmap, g->bsize, &err);
	if (!b)
		return err;
	uint8_t *m = (uint8_t *)b->data + bit / 8;
	if (!(*m & (1u << (bit % 8)))) {
		brelse(b);
		return ext2_corrupt(fs, "freeing a block already free", 0, blk);
	}
	*m &= (uint8_t)~(1u << (bit % 8));
	bdirty(b);
	brelse(b);
	fs->gd[grp].bg_free_blocks_count++;
	fs->sb.s_free_blocks_count++;
	fs->dirty = 1;
	return 0;
}

int ext2_ialloc(struct ext2_fs *fs, uint32_t goal, int dir, uint32_t *ino)
{
	const struct ext2_geom *g = &fs->g;
	if (fs->sb.s_free_inodes_count == 0)
		return -ENOSPC;
	if (dir) {                      /* spread directories: the group with most free inodes */
		uint32_t best = goal;
		for (uint32_t i = 0; i < g->ngroups; i++)
			if (fs->gd[i].bg_free_inodes_count > fs->gd[best].bg_free_inodes_count)
				best = i;
		goal = best;
	}
	for (uint32_t k = 0; k < g->ngroups; k++) {
		uint32_t grp = (goal + k) % g->ngroups;
		struct ext2_group_desc *gd = &fs->gd[grp];
		if (!gd->bg_free_inodes_count)
			continue;
		int err;
		struct buf *b = bread(fs->dev, gd->bg_inode_bitmap, g->bsize, &err);
		if (!b)
			return err;
		int bit = find_zero(b->data, g->ipg);
		/* inodes below first_ino are reserved, whatever their bits say */
		while (bit >= 0 && grp * g->ipg + (uint32_t)bit + 1 < g->first_ino) {
			uint8_t *m = b->data;
			int next = -1;
			for (uint32_t i = (uint32_t)bit + 1; i < g->ipg; i++)
				if (!(m[i / 8] & (1u << (i % 8)))) {
					next = (int)i;
					break;
				}
			bit = next;
		}
		if (bit < 0) {
			brelse(b);
			continue;
		}
		/* a bitmap calling a live inode free would have it overwritten */
		struct ext2_inode in;
		uint32_t n = grp * g->ipg + (uint32_t)bit + 1;
		if ((err = ext2_iread(fs, n, &in)) != 0 || in.i_links_count) {
			brelse(b);
			return err ? err : ext2_corrupt(fs, "inode bitmap calls a live inode free", n, in.i_links_count);
		}
		((uint8_t *)b->data)[bit / 8] |= (uint8_t)(1u << (bit % 8));
		bdirty(b);
		brelse(b);
		gd->bg_free_inodes_count--;
		fs->sb.s_free_inodes_count--;
		if (dir)
			gd->bg_used_dirs_count++;
		fs->dirty = 1;
		*ino = grp * g->ipg + (uint32_t)bit + 1;
		return 0;
	}
	return -ENOSPC;
}

int ext2_ifree(struct ext2_fs *fs, uint32_t ino, int dir)
{
	const struct ext2_geom *g = &fs->g;
	if (ino < g->first_ino || ino > g->inodes)
		return ext2_corrupt(fs, "freeing a reserved or out-of-range inode", ino, ino);
	uint32_t grp = (ino - 1) / g->ipg, bit = (ino - 1) % g->ipg;
	int err;
	struct buf *b = bread(fs->dev, fs->gd[grp].bg_inode_bitmap, g->bsize, &err);
	if (!b)
		return err;
	uint8_t *m = (uint8_t *)b->data + bit / 8;
	if (!(*m & (1u << (bit % 8)))) {
		brelse(b);
		return ext2_corrupt(fs, "freeing an inode already free", ino, ino);
	}
	*m &= (uint8_t)~(1u << (bit % 8));
	bdirty(b);
	brelse(b);
	fs->gd[grp].bg_free_inodes_count++;
	fs->sb.s_free_inodes_count++;
	if (dir && fs->gd[grp].bg_used_dirs_count)
		fs->gd[grp].bg_used_dirs_count--;
	fs->dirty = 1;
	return 0;
}
