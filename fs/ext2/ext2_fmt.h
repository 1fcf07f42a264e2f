/*
 * ext2's on-disk format (revision 0 and 1, as mke2fs -t ext2 writes it):
 * the superblock, group descriptors, inodes and directory entries, all
 * little-endian (amphi is x86: read in place).  Shared by fs/ext2/ and its
 * host unit tests; no kernel headers.
 */
#ifndef FS_EXT2_FMT_H
#define FS_EXT2_FMT_H
#include <stdint.h>
#include <stddef.h>

#define EXT2_MAGIC 0xef53
#define EXT2_SB_OFFSET 1024             /* bytes from the start of the volume */
#define EXT2_ROOT_INO 2
#define EXT2_GOOD_OLD_FIRST_INO 11
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_NDIR 12                    /* direct pointers in i_block */
#define EXT2_IND 12
#define EXT2_DIND 13
#define EXT2_TIND 14
#define EXT2_N_BLOCKS 15
#define EXT2_NAME_LEN 255
#define EXT2_FAST_LINK_MAX 59           /* fast symlink: target in i_block (60 bytes, NUL) */

/* s_state */
#define EXT2_VALID_FS 1
#define EXT2_ERROR_FS 2

/* Features amphi implements. */
#define EXT2_INCOMPAT_FILETYPE 0x0002
#define EXT2_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT2_RO_COMPAT_LARGE_FILE 0x0002
#define EXT2_INCOMPAT_SUPP EXT2_INCOMPAT_FILETYPE
#define EXT2_RO_COMPAT_SUPP (EXT2_RO_COMPAT_SPARSE_SUPER | EXT2_RO_COMPAT_LARGE_FILE)

/* i_flags */
#define EXT2_INDEX_FL 0x00001000        /* htree directory (we write it linear) */
#define EXT4_EXTENTS_FL 0x00080000

/* Directory entry file types (INCOMPAT_FILETYPE). */
#define EXT2_FT_UNKNOWN 0
#define EXT2_FT_REG 1
#define EXT2_FT_DIR 2
#define EXT2_FT_CHR 3
#define EXT2_FT_BLK 4
#define EXT2_FT_FIFO 5
#define EXT2_FT_SOCK 6
#define EXT2_FT_LNK 7

struct ext2_super {
	uint32_t s_inodes_count, s_blocks_count, s_r_blocks_count;
	uint32_t s_free_blocks_count, s_free_inodes_count;
	uint32_t s_first_data_block, s_log_block_size, s_log_frag_size;
	uint32_t s_blocks_per_group, s_frags_per_group, s_inodes_per_group;
	uint32_t s_mtime, s_wtime;
	uint16_t s_mnt_count;
	int16_t s_max_mnt_count;
	uint16_t s_magic, s_state, s_errors, s_minor_rev_level;
	uint32_t s_lastcheck, s_checkinterval, s_creator_os, s_rev_level;
	uint16_t s_def_resuid, s_def_resgid;
	/* revision 1 */
	uint32_t s_first_ino;
	uint16_t s_inode_size, s_block_group_nr;
	uint32_t s_feature_compat, s_feature_incompat, s_feature_ro_compat;
	uint8_t s_uuid[16];
	char s_volume_name[16];
	char s_last_mounted[64];
	uint32_t s_algo_bitmap;
	uint8_t s_rest[1024 - 204];     /* journal, hash seeds, ...: kept as read */
} __attribute__((packed));

struct ext2_group_desc {
	uint32_t bg_block_bitmap, bg_inode_bitmap, bg_inode_table;
	uint16_t bg_free_blocks_count, bg_free_inodes_count, bg_used_dirs_count;
	uint16_t bg_flags;
	uint8_t bg_reserved[12];
} __attribute__((packed));

struct ext2_inode {
	uint16_t i_mode, i_uid;
	uint32_t i_size, i_atime, i_ctime, i_mtime, i_dtime;
	uint16_t i_gid, i_links_count;
	uint32_t i_blocks;              /* 512-byte sectors, indirect blocks included */
	uint32_t i_flags, i_osd1;
	uint32_t i_block[EXT2_N_BLOCKS];
	uint32_t i_generation, i_file_acl;
	uint32_t i_size_high;           /* i_dir_acl; regular files: size bits 32..63 */
	uint32_t i_faddr;
	uint8_t i_osd2[12];             /* Linux: blocks_hi, file_acl_high, uid_high, gid_high, ... */
	/* large inodes (s_inode_size > 128) */
	uint16_t i_extra_isize;
	uint16_t i_checksum_hi;
};                                      /* naturally aligned: not packed (pointers into i_block) */
_Static_assert(sizeof(struct ext2_inode) == 132, "ext2 inode layout");

struct ext2_dirent {
	uint32_t inode;
	uint16_t rec_len;
	uint8_t name_len;
	uint8_t file_type;
	char name[];
} __attribute__((packed));
#define EXT2_DIRENT_HDR 8u
#endif
