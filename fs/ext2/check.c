/*
 * ext2 superblock and group-descriptor checks (pure): every field the
 * driver uses is bounded here before the mount goes on.  A hostile image
 * gets a reason, never an overflow, a division by zero or a huge loop.
 */
#include "ext2_pure.h"

static const char *const incompat_names[] = {
	"compression", "filetype", "needs_recovery", "journal_dev", "meta_bg", "0x20",
	"extents", "64bit", "mmp", "flex_bg", "ea_inode", "0x800", "dirdata", "metadata_csum_seed",
	"large_dir", "inline_data", "encrypt", "casefold",
};
static const char *const ro_compat_names[] = {
	"sparse_super", "large_file", "btree_dir", "huge_file", "uninit_bg", "dir_nlink",
	"extra_isize", "has_snapshot", "quota", "bigalloc", "metadata_csum", "replica",
	"read-only", "project", "shared_blocks", "verity", "orphan_present",
};

static const char *first_bit(uint32_t mask, const char *const *names, unsigned n)
{
	for (unsigned i = 0; i < 32; i++)
		if (mask & (1u << i))
			return i < n ? names[i] : "unknown";
	return "";
}

const char *ext2_incompat_name(uint32_t mask)
{
	return first_bit(mask & ~EXT2_INCOMPAT_SUPP, incompat_names,
			 sizeof(incompat_names) / sizeof(incompat_names[0]));
}

const char *ext2_ro_compat_name(uint32_t mask)
{
	return first_bit(mask & ~EXT2_RO_COMPAT_SUPP, ro_compat_names,
			 sizeof(ro_compat_names) / sizeof(ro_compat_names[0]));
}

const char *ext2_check_super(const struct ext2_super *s, uint64_t dev_kib, struct ext2_geom *g)
{
	if (s->s_magic != EXT2_MAGIC)
		return "bad magic (not ext2)";
	if (s->s_rev_level > 1)
		return "unknown revision";
	if (s->s_log_block_size > 2)
		return "block size not 1, 2 or 4 KiB";
	g->log_bsize = 10 + s->s_log_block_size;
	g->bsize = 1u << g->log_bsize;
	g->blocks = s->s_blocks_count;
	g->first_data = s->s_first_data_block;
	g->bpg = s->s_blocks_per_group;
	g->ipg = s->s_inodes_per_group;
	g->inodes = s->s_inodes_count;
	if (g->first_data != (g->bsize == 1024 ? 1u : 0u))
		return "first data block does not match the block size";
	if (g->bpg == 0 || g->bpg > 8 * g->bsize || g->bpg % 8)
		return "blocks per group out of range";
	if (g->ipg == 0 || g->ipg > 8 * g->bsize || g->ipg % 8)
		return "inodes per group out of range";
	if (g->blocks <= g->first_data + 1)
		return "block count too small";
	if ((uint64_t)g->blocks << (g->log_bsize - 10) > dev_kib)
		return "file system larger than the device";
	g->ngroups = (g->blocks - g->first_data + g->bpg - 1) / g->bpg;
	if ((uint64_t)g->ngroups * g->ipg != g->inodes)
		return "inode count is not groups x inodes per group";
	if (s->s_rev_level == 0) {
		g->inode_size = EXT2_GOOD_OLD_INODE_SIZE;
		g->first_ino = EXT2_GOOD_OLD_FIRST_INO;
	} else {
		g->inode_size = s->s_inode_size;
		g->first_ino = s->s_first_ino;
		if (g->inode_size < 128 || g->inode_size > g->bsize || (g->inode_size & (g->inode_size - 1)))
			return "inode size not a power of two in 128..block size";
		if (g->first_ino < EXT2_GOOD_OLD_FIRST_INO || g->first_ino >= g->inodes)
			return "first inode out of range";
	}
	if (g->inodes <= EXT2_ROOT_INO)
		return "too few inodes";
	g->itable_blocks = (uint32_t)(((uint64_t)g->ipg * g->inode_size + g->bsize - 1) / g->bsize);
	g->gdt_blocks = (uint32_t)(((uint64_t)g->ngroups * sizeof(struct ext2_group_desc) + g->bsize - 1) / g->bsize);
	if ((uint64_t)g->first_data + 1 + g->gdt_blocks >= g->blocks)
		return "group descriptors past the end of the file system";
	if (s->s_free_blocks_count > g->blocks || s->s_free_inodes_count > g->inodes)
		return "free counts larger than the totals";
	g->read_only = 0;
	g->ro_reason = 0;
	if (s->s_rev_level >= 1 && (s->s_feature_incompat & ~EXT2_INCOMPAT_SUPP))
		return "unsupported INCOMPAT feature";   /* the caller names it */
	if (s->s_rev_level >= 1 && (s->s_feature_ro_compat & ~EXT2_RO_COMPAT_SUPP)) {
		g->read_only = 1;
		g->ro_reason = "unsupported RO_COMPAT feature";
	} else if (s->s_state & EXT2_ERROR_FS) {
		g->read_only = 1;
		g->ro_reason = "the file system has errors (run e2fsck)";
	}
	return 0;
}

int ext2_group_has_super(uint32_t group, int sparse)
{
	if (!sparse || group <= 1)
		return 1;
	for (uint32_t b = 3; b <= 7; b += 2) {
		uint64_t p = b;
		while (p < group)
			p *= b;
		if (p == group)
			return 1;
	}
	return 0;
}

const char *ext2_check_group(const struct ext2_geom *g, uint32_t group, const struct ext2_group_desc *gd)
{
	uint64_t meta_end = (uint64_t)g->first_data + 1 + g->gdt_blocks;   /* group 0's sb + gdt */
	uint64_t lo = (uint64_t)g->first_data + (uint64_t)group * g->bpg;
	uint64_t hi = lo + g->bpg;
	if (hi > g->blocks)
		hi = g->blocks;
	uint64_t bb = gd->bg_block_bitmap, ib = gd->bg_inode_bitmap, it = gd->bg_inode_table;
	if (bb < lo || bb >= hi)
		return "block bitmap outside its group";
	if (ib < lo || ib >= hi)
		return "inode bitmap outside its group";
	if (it < lo || it + g->itable_blocks > hi)
		return "inode table outside its group";
	if (bb < meta_end || ib < meta_end || it < meta_end)
		return "bitmap or inode table overlaps the superblock or descriptors";
	if (bb == ib || (bb >= it && bb < it + g->itable_blocks) || (ib >= it && ib < it + g->itable_blocks))
		return "bitmaps and inode table overlap";
	if (gd->bg_free_blocks_count > hi - lo || gd->bg_free_inodes_count > g->ipg ||
	    gd->bg_used_dirs_count > g->ipg)
		return "group counts larger than the group";
	return 0;
}
