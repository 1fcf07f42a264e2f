/* Host tests for ext2's pure parts (fs/ext2/ext2_pure.h): the superblock
 * and group-descriptor checks against hostile fields, one field each; the
 * block-map path at every boundary of the direct/indirect trees; the
 * directory-entry check and the free-space search. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "../../fs/ext2/ext2_pure.h"

/* A sane 8 MiB, 1 KiB-block, one-group file system (as mke2fs makes it). */
static struct ext2_super good_super(void)
{
	struct ext2_super s;
	memset(&s, 0, sizeof(s));
	s.s_magic = EXT2_MAGIC;
	s.s_rev_level = 1;
	s.s_log_block_size = 0;
	s.s_first_data_block = 1;
	s.s_blocks_count = 8192;
	s.s_blocks_per_group = 8192;
	s.s_inodes_per_group = 2048;
	s.s_inodes_count = 2048;
	s.s_inode_size = 128;
	s.s_first_ino = 11;
	s.s_free_blocks_count = 7000;
	s.s_free_inodes_count = 2000;
	s.s_state = EXT2_VALID_FS;
	s.s_feature_incompat = EXT2_INCOMPAT_FILETYPE;
	s.s_feature_ro_compat = EXT2_RO_COMPAT_SPARSE_SUPER;
	return s;
}

static void test_super_good(void **state)
{
	(void)state;
	struct ext2_super s = good_super();
	struct ext2_geom g;
	assert_null(ext2_check_super(&s, 8192, &g));
	assert_int_equal(g.bsize, 1024);
	assert_int_equal(g.ngroups, 1);
	assert_int_equal(g.itable_blocks, 256);
	assert_int_equal(g.gdt_blocks, 1);
	assert_int_equal(g.read_only, 0);
}

/* Each hostile field alone must be refused (a reason, no overflow). */
static void test_super_hostile(void **state)
{
	(void)state;
	struct ext2_geom g;
	struct ext2_super s;
#define REFUSED(stmt, dev) do { s = good_super(); stmt; assert_non_null(ext2_check_super(&s, dev, &g)); } while (0)
	REFUSED(s.s_magic = 0x1234, 8192);
	REFUSED(s.s_rev_level = 7, 8192);
	REFUSED(s.s_log_block_size = 20, 8192);          /* block size 2^30 */
	REFUSED(s.s_log_block_size = 0xffffffffu, 8192);
	REFUSED(s.s_inodes_per_group = 0, 8192);
	REFUSED(s.s_blocks_per_group = 0, 8192);
	REFUSED(s.s_blocks_per_group = 8 * 1024 + 8, 8192);
	REFUSED(s.s_inodes_per_group = 13, 8192);
	REFUSED(s.s_blocks_count = 1, 8192);
	REFUSED((void)0, 4096);                          /* larger than the device */
	REFUSED(s.s_blocks_count = 0xffffffffu, 8192);
	REFUSED(s.s_inodes_count = 4096, 8192);          /* not groups x per group */
	REFUSED(s.s_inode_size = 0, 8192);
	REFUSED(s.s_inode_size = 200, 8192);
	REFUSED(s.s_inode_size = 2048, 8192);            /* larger than a block */
	REFUSED(s.s_first_ino = 2, 8192);
	REFUSED(s.s_first_ino = 5000, 8192);
	REFUSED(s.s_first_data_block = 0, 8192);         /* 1 KiB blocks start at 1 */
	REFUSED(s.s_free_blocks_count = 9000, 8192);
	REFUSED(s.s_free_inodes_count = 3000, 8192);
	REFUSED(s.s_feature_incompat |= 0x40, 8192);     /* extents */
	REFUSED(s.s_feature_incompat |= 0x80, 8192);     /* 64bit */
	REFUSED(s.s_feature_incompat |= 0x04, 8192);     /* needs_recovery */
#undef REFUSED
}

static void test_super_read_only(void **state)
{
	(void)state;
	struct ext2_geom g;
	struct ext2_super s = good_super();
	s.s_feature_ro_compat |= 0x0400;                 /* metadata_csum */
	assert_null(ext2_check_super(&s, 8192, &g));
	assert_int_equal(g.read_only, 1);
	s = good_super();
	s.s_state = EXT2_ERROR_FS;
	assert_null(ext2_check_super(&s, 8192, &g));
	assert_int_equal(g.read_only, 1);
	assert_string_equal(ext2_incompat_name(0x40 | EXT2_INCOMPAT_FILETYPE), "extents");
	assert_string_equal(ext2_incompat_name(0x4), "needs_recovery");
	assert_string_equal(ext2_incompat_name(EXT2_INCOMPAT_FILETYPE), "");
	assert_string_equal(ext2_ro_compat_name(0x400), "metadata_csum");
	assert_string_equal(ext2_incompat_name(0x80000000u), "unknown");
}

static void test_group_checks(void **state)
{
	(void)state;
	struct ext2_super s = good_super();
	struct ext2_geom g;
	assert_null(ext2_check_super(&s, 8192, &g));
	struct ext2_group_desc ok = { .bg_block_bitmap = 3, .bg_inode_bitmap = 4, .bg_inode_table = 5,
				      .bg_free_blocks_count = 7000, .bg_free_inodes_count = 2000 };
	assert_null(ext2_check_group(&g, 0, &ok));
	struct ext2_group_desc d;
#define BAD(stmt) do { d = ok; stmt; assert_non_null(ext2_check_group(&g, 0, &d)); } while (0)
	BAD(d.bg_block_bitmap = 9000);                   /* past the end */
	BAD(d.bg_inode_bitmap = 0);
	BAD(d.bg_inode_table = 8000);                    /* table runs past the group */
	BAD(d.bg_inode_table = 1);                       /* over the superblock */
	BAD(d.bg_block_bitmap = 2);                      /* over the descriptor table */
	BAD(d.bg_inode_bitmap = 3);                      /* the same block as the block bitmap */
	BAD(d.bg_block_bitmap = 100);                    /* inside the inode table */
	BAD(d.bg_free_blocks_count = 9000);
	BAD(d.bg_free_inodes_count = 2049);
	BAD(d.bg_used_dirs_count = 4000);
#undef BAD
	assert_int_equal(ext2_group_has_super(0, 1), 1);
	assert_int_equal(ext2_group_has_super(1, 1), 1);
	assert_int_equal(ext2_group_has_super(2, 1), 0);
	assert_int_equal(ext2_group_has_super(9, 1), 1);
	assert_int_equal(ext2_group_has_super(25, 1), 1);
	assert_int_equal(ext2_group_has_super(49, 1), 1);
	assert_int_equal(ext2_group_has_super(10, 1), 0);
	assert_int_equal(ext2_group_has_super(10, 0), 1);
}

static void test_bmap_boundaries(void **state)
{
	(void)state;
	uint32_t idx[3];
	const uint32_t p = 256;                          /* 1 KiB blocks */
	assert_int_equal(ext2_bmap_path(p, 0, idx), 0);
	assert_int_equal(idx[0], 0);
	assert_int_equal(ext2_bmap_path(p, 11, idx), 0);
	assert_int_equal(idx[0], 11);
	assert_int_equal(ext2_bmap_path(p, 12, idx), 1);
	assert_int_equal(idx[0], 0);
	assert_int_equal(ext2_bmap_path(p, 12 + 255, idx), 1);
	assert_int_equal(idx[0], 255);
	assert_int_equal(ext2_bmap_path(p, 12 + 256, idx), 2);
	assert_int_equal(idx[0], 0);
	assert_int_equal(idx[1], 0);
	assert_int_equal(ext2_bmap_path(p, 12 + 256 + 65535, idx), 2);
	assert_int_equal(idx[0], 255);
	assert_int_equal(idx[1], 255);
	assert_int_equal(ext2_bmap_path(p, 12 + 256 + 65536, idx), 3);
	assert_int_equal(idx[0], 0);
	assert_int_equal(idx[1], 0);
	assert_int_equal(idx[2], 0);
	uint64_t last = 12 + 256 + 65536ull + 256ull * 256 * 256 - 1;
	assert_int_equal(ext2_bmap_path(p, last, idx), 3);
	assert_int_equal(idx[0], 255);
	assert_int_equal(idx[1], 255);
	assert_int_equal(idx[2], 255);
	assert_int_equal(ext2_bmap_path(p, last + 1, idx), -1);
	assert_int_equal(ext2_bmap_path(1024, 1ull << 40, idx), -1);   /* 4 KiB blocks */
	assert_true(ext2_bmap_span(1024, 3) == 1024ull * 1024 * 1024);
	/* every logical block maps to a distinct path (a sample across the trees) */
	for (uint64_t b = 0; b < 70000; b += 7) {
		int d = ext2_bmap_path(p, b, idx);
		uint64_t back = 0, base = 12;
		for (int l = 1; l < d; l++)
			base += ext2_bmap_span(p, l);
		for (int l = 0; l < (d ? d : 1); l++)
			back = back * (d ? p : 1) + idx[l];
		assert_true((d ? base + back : idx[0]) == b);
	}
}

static void put_dirent(uint8_t *blk, uint32_t off, uint32_t ino, uint16_t rec, uint8_t nlen, const char *name)
{
	struct ext2_dirent *d = (struct ext2_dirent *)(blk + off);
	d->inode = ino;
	d->rec_len = rec;
	d->name_len = nlen;
	d->file_type = EXT2_FT_REG;
	memcpy(blk + off + EXT2_DIRENT_HDR, name, nlen);
}

static void test_dirents(void **state)
{
	(void)state;
	uint8_t blk[1024];
	memset(blk, 0, sizeof(blk));
	put_dirent(blk, 0, 2, 12, 1, ".");
	put_dirent(blk, 12, 2, 12, 2, "..");
	put_dirent(blk, 24, 12, 1000, 5, "hello");
	assert_null(ext2_dirent_check(blk, 1024, 0, 100));
	assert_null(ext2_dirent_check(blk, 1024, 24, 100));
	assert_int_equal(ext2_rec_len(5), 16);
	assert_int_equal(ext2_rec_len(1), 12);
	/* room for a 20-byte entry: in the slack of "hello" */
	assert_int_equal(ext2_dirent_find_space(blk, 1024, 20), 24);
	assert_int_equal(ext2_dirent_find_space(blk, 1024, 2000), -1);

	uint8_t b[1024];
#define BAD(stmt, off) do { memcpy(b, blk, sizeof(b)); stmt; \
		assert_non_null(ext2_dirent_check(b, 1024, off, 100)); } while (0)
	BAD(((struct ext2_dirent *)(b + 24))->rec_len = 0, 24);
	BAD(((struct ext2_dirent *)(b + 24))->rec_len = 4, 24);
	BAD(((struct ext2_dirent *)(b + 24))->rec_len = 1002, 24);     /* not a multiple of 4 */
	BAD(((struct ext2_dirent *)(b + 24))->rec_len = 1004, 24);     /* past the block */
	BAD(((struct ext2_dirent *)(b + 12))->name_len = 9, 12);       /* 8+9 > 12 */
	BAD(((struct ext2_dirent *)(b + 24))->inode = 101, 24);
	BAD(((struct ext2_dirent *)(b + 24))->name_len = 0, 24);
	BAD((void)0, 1020);                                            /* header past the block */
	BAD((void)0, 26);                                              /* misaligned */
#undef BAD
	/* a zero rec_len stops the space search instead of looping */
	memset(b, 0, sizeof(b));
	assert_int_equal(ext2_dirent_find_space(b, 1024, 12), -1);
	assert_int_equal(ext2_ftype(0100644), EXT2_FT_REG);
	assert_int_equal(ext2_ftype(0040755), EXT2_FT_DIR);
	assert_int_equal(ext2_ftype(0120777), EXT2_FT_LNK);
	assert_int_equal(ext2_ftype(0), EXT2_FT_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_super_good),
		cmocka_unit_test(test_super_hostile),
		cmocka_unit_test(test_super_read_only),
		cmocka_unit_test(test_group_checks),
		cmocka_unit_test(test_bmap_boundaries),
		cmocka_unit_test(test_dirents),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
