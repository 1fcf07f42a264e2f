/*
 * The pure parts of ext2 (no I/O, no kernel calls; host-tested in
 * tests/unit/test_ext2.c): superblock and group-descriptor checks
 * (check.c), block-map index arithmetic (bmap.c), directory-entry
 * arithmetic (dirent.c).  Errors are reasons (static strings) the caller
 * logs; nothing read from a disk is used before one of these said yes.
 */
#ifndef FS_EXT2_PURE_H
#define FS_EXT2_PURE_H
#include "ext2_fmt.h"

/* What the checked superblock says, in the units the code uses. */
struct ext2_geom {
	uint32_t bsize, log_bsize;      /* 1024 << s_log_block_size */
	uint32_t blocks, first_data, bpg, ipg, inodes;
	uint32_t ngroups, gdt_blocks;   /* group descriptor table: blocks after the superblock */
	uint32_t inode_size, first_ino;
	uint32_t itable_blocks;         /* per group */
	int read_only;                  /* unknown RO_COMPAT feature, or errors recorded */
	const char *ro_reason;
};

/* 0 and g filled, or a reason to refuse the mount.  dev_blocks: the
 * device's size in 1 KiB units. */
const char *ext2_check_super(const struct ext2_super *s, uint64_t dev_kib, struct ext2_geom *g);
/* The name of the first unknown INCOMPAT (or RO_COMPAT) bit of mask, "" if none. */
const char *ext2_incompat_name(uint32_t mask);
const char *ext2_ro_compat_name(uint32_t mask);
/* A group descriptor: bitmaps and inode table inside the volume, inside
 * its group, clear of the superblock and descriptor table; counts within
 * the group.  0 or a reason. */
const char *ext2_check_group(const struct ext2_geom *g, uint32_t group, const struct ext2_group_desc *gd);
/* Whether group has a superblock backup (sparse_super: 0, 1, powers of 3, 5, 7). */
int ext2_group_has_super(uint32_t group, int sparse);

/* The path to logical block lblk through i_block: depth 0 (direct,
 * idx[0] in i_block), 1 (single indirect: idx[0] in the block of
 * i_block[12]), 2, 3; -1 past the triple indirect range.  ppb: block
 * numbers per block (bsize / 4). */
int ext2_bmap_path(uint32_t ppb, uint64_t lblk, uint32_t idx[3]);
/* The number of logical blocks one pointer at depth d covers (1, ppb, ppb^2). */
uint64_t ext2_bmap_span(uint32_t ppb, int level);

/* Bytes an entry with a name of len bytes needs (header + name, rounded to 4). */
static inline uint32_t ext2_rec_len(uint32_t name_len)
{
	return (EXT2_DIRENT_HDR + name_len + 3) & ~3u;
}
/* Checks the entry at off in a directory block of bsize bytes: its
 * rec_len (>= 8 + name, multiple of 4, inside the block), name_len and
 * inode number (0 or 1..inodes).  0 or a reason. */
const char *ext2_dirent_check(const uint8_t *blk, uint32_t bsize, uint32_t off, uint32_t inodes);
/* Where an entry needing need bytes fits in a checked block: the offset
 * of the entry to split (or an unused one, inode 0, to take), or -1. */
int ext2_dirent_find_space(const uint8_t *blk, uint32_t bsize, uint32_t need);
/* The ext2 file type of a mode (S_IF* bits). */
uint8_t ext2_ftype(uint32_t mode);
#endif
