/* Host tests for drivers/block/partition.c: MBR (primary, extended chain)
 * and GPT (CRCs, backup header), with hostile tables: entries past the
 * end, loops in the logical chain, absurd GPT sizes, bad CRCs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../drivers/block/partition.h"

#define DISK_SECTORS 8192u
static uint8_t disk[DISK_SECTORS][512];
static unsigned reads;

static int rd(void *ctx, uint64_t lba, uint8_t *buf)
{
	(void)ctx;
	reads++;
	if (lba >= DISK_SECTORS)
		return -5;
	memcpy(buf, disk[lba], 512);
	return 0;
}

static void put32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i)); }
static void put64(uint8_t *p, uint64_t v) { put32(p, (uint32_t)v); put32(p + 4, (uint32_t)(v >> 32)); }

static void mbr_entry(uint64_t lba, int i, uint8_t type, uint32_t start, uint32_t count)
{
	uint8_t *e = disk[lba] + 446 + 16 * i;
	e[0] = 0;
	e[4] = type;
	put32(e + 8, start);
	put32(e + 12, count);
	disk[lba][510] = 0x55;
	disk[lba][511] = 0xaa;
}

static int setup(void **state)
{
	(void)state;
	memset(disk, 0, sizeof(disk));
	reads = 0;
	return 0;
}

static void scan(struct part_table *t)
{
	assert_int_equal(part_scan(rd, 0, DISK_SECTORS, t), 0);
}

static void test_no_table(void **state)
{
	(void)state;
	struct part_table t;
	scan(&t);
	assert_string_equal(t.scheme, "none");
	assert_int_equal(t.n, 0);
	/* A boot sector with a signature but garbage where entries go. */
	memset(disk[0] + 446, 0x41, 64);
	disk[0][510] = 0x55;
	disk[0][511] = 0xaa;
	scan(&t);
	assert_string_equal(t.scheme, "none");
}

static void test_mbr_primary(void **state)
{
	(void)state;
	mbr_entry(0, 0, 0x83, 2048, 1000);
	mbr_entry(0, 2, 0x83, 4096, DISK_SECTORS - 4096);
	struct part_table t;
	scan(&t);
	assert_string_equal(t.scheme, "mbr");
	assert_int_equal(t.n, 2);
	assert_int_equal(t.e[0].number, 1);
	assert_int_equal(t.e[0].start, 2048);
	assert_int_equal(t.e[1].number, 3);
	assert_int_equal(t.e[1].count, DISK_SECTORS - 4096);
}

static void test_mbr_hostile_entries(void **state)
{
	(void)state;
	mbr_entry(0, 0, 0x83, DISK_SECTORS, 10);           /* starts past the end */
	mbr_entry(0, 1, 0x83, 100, 0xffffffffu);           /* runs past the end */
	mbr_entry(0, 2, 0x83, 0, 50);                      /* overlaps the MBR */
	mbr_entry(0, 3, 0x83, 200, 100);                   /* fine */
	struct part_table t;
	scan(&t);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.e[0].number, 4);
	assert_true(t.nr_warnings >= 3);
}

static void test_mbr_logical_chain(void **state)
{
	(void)state;
	mbr_entry(0, 0, 0x05, 1000, 3000);                 /* extended 1000..3999 */
	mbr_entry(1000, 0, 0x83, 10, 100);                 /* sda5 at 1010 */
	mbr_entry(1000, 1, 0x05, 500, 500);                /* next EBR at 1500 */
	mbr_entry(1500, 0, 0x83, 10, 200);                 /* sda6 at 1510 */
	struct part_table t;
	scan(&t);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.e[0].number, 5);
	assert_int_equal(t.e[0].start, 1010);
	assert_int_equal(t.e[1].number, 6);
	assert_int_equal(t.e[1].start, 1510);
}

static void test_mbr_logical_loop(void **state)
{
	(void)state;
	mbr_entry(0, 0, 0x05, 1000, 3000);
	mbr_entry(1000, 0, 0x83, 10, 100);
	mbr_entry(1000, 1, 0x05, 0, 500);                  /* points back at itself */
	struct part_table t;
	scan(&t);
	assert_int_equal(t.n, 1);
	assert_true(t.nr_warnings >= 1);
	assert_true(reads < 10);
	/* A chain leaving the extended partition stops too. */
	setup(0);
	mbr_entry(0, 0, 0x05, 1000, 1000);
	mbr_entry(1000, 1, 0x05, 5000, 10);
	scan(&t);
	assert_int_equal(t.n, 0);
	assert_true(t.nr_warnings >= 1);
}

/* A GPT with one partition per (first,last) pair at header lba `at`. */
static void make_gpt(uint64_t at, uint64_t entries_lba, uint32_t nentries, uint32_t esize,
		     const uint64_t (*ranges)[2], int nranges)
{
	mbr_entry(0, 0, 0xee, 1, DISK_SECTORS - 1);
	uint8_t *arr = calloc(nentries, esize);
	for (int i = 0; i < nranges; i++) {
		uint8_t *e = arr + (size_t)i * esize;
		e[0] = 0xaf;                                  /* some type GUID */
		put64(e + 32, ranges[i][0]);
		put64(e + 40, ranges[i][1]);
	}
	size_t bytes = (size_t)nentries * esize;
	for (size_t s = 0; s * 512 < bytes && entries_lba + s < DISK_SECTORS; s++)
		memcpy(disk[entries_lba + s], arr + s * 512, bytes - s * 512 < 512 ? bytes - s * 512 : 512);
	uint8_t *h = disk[at];
	memset(h, 0, 512);
	memcpy(h, "EFI PART", 8);
	put32(h + 8, 0x00010000);
	put32(h + 12, 92);
	put64(h + 24, at);
	put64(h + 40, 34);
	put64(h + 48, DISK_SECTORS - 34);
	put64(h + 72, entries_lba);
	put32(h + 80, nentries);
	put32(h + 84, esize);
	put32(h + 88, crc32_le(0, arr, bytes));
	put32(h + 16, crc32_le(0, h, 92));
	free(arr);
}

static void test_gpt(void **state)
{
	(void)state;
	const uint64_t r[2][2] = { { 2048, 4095 }, { 4096, DISK_SECTORS - 40 } };
	make_gpt(1, 2, 128, 128, r, 2);
	struct part_table t;
	scan(&t);
	assert_string_equal(t.scheme, "gpt");
	assert_int_equal(t.n, 2);
	assert_int_equal(t.e[0].start, 2048);
	assert_int_equal(t.e[0].count, 2048);
	assert_int_equal(t.e[1].number, 2);
}

static void test_gpt_bad_crc_uses_backup(void **state)
{
	(void)state;
	const uint64_t r[1][2] = { { 2048, 4095 } };
	make_gpt(DISK_SECTORS - 1, DISK_SECTORS - 33, 128, 128, r, 1);   /* backup */
	make_gpt(1, 2, 128, 128, r, 1);
	disk[2][40] ^= 1;                                   /* corrupt the primary array */
	struct part_table t;
	scan(&t);
	assert_string_equal(t.scheme, "gpt");
	assert_int_equal(t.n, 1);
	assert_true(t.nr_warnings >= 1);
	/* Both damaged: no partitions, no crash. */
	disk[DISK_SECTORS - 1][20] ^= 1;
	scan(&t);
	assert_string_equal(t.scheme, "none");
	assert_int_equal(t.n, 0);
}

static void test_gpt_hostile(void **state)
{
	(void)state;
	struct part_table t;
	const uint64_t r[3][2] = { { 4095, 2048 }, { 10, 20 }, { 2048, DISK_SECTORS + 5 } };
	make_gpt(1, 2, 128, 128, r, 3);                    /* backwards, in the table, past the end */
	scan(&t);
	assert_int_equal(t.n, 0);
	assert_true(t.nr_warnings >= 3);
	setup(0);
	make_gpt(1, 2, 5000, 128, 0, 0);                  /* absurd count: refused before reading */
	scan(&t);
	assert_int_equal(t.n, 0);
	assert_true(reads < 10);
	setup(0);
	make_gpt(1, DISK_SECTORS - 2, 128, 128, 0, 0);    /* array runs off the disk */
	scan(&t);
	assert_int_equal(t.n, 0);
	setup(0);
	make_gpt(1, 2, 128, 100, 0, 0);                   /* entry size not a power-of-two divisor */
	scan(&t);
	assert_int_equal(t.n, 0);
	/* Many used entries: only 15 minors per disk. */
	setup(0);
	uint64_t many[40][2];
	for (int i = 0; i < 40; i++) {
		many[i][0] = 100 + 10 * (uint64_t)i;
		many[i][1] = many[i][0] + 9;
	}
	make_gpt(1, 2, 128, 128, (const uint64_t (*)[2])many, 40);
	scan(&t);
	assert_int_equal(t.n, PART_MAX - 1);
}

static void test_crc32(void **state)
{
	(void)state;
	assert_int_equal(crc32_le(0, "123456789", 9), 0xcbf43926u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_no_table, setup),
		cmocka_unit_test_setup(test_mbr_primary, setup),
		cmocka_unit_test_setup(test_mbr_hostile_entries, setup),
		cmocka_unit_test_setup(test_mbr_logical_chain, setup),
		cmocka_unit_test_setup(test_mbr_logical_loop, setup),
		cmocka_unit_test_setup(test_gpt, setup),
		cmocka_unit_test_setup(test_gpt_bad_crc_uses_backup, setup),
		cmocka_unit_test_setup(test_gpt_hostile, setup),
		cmocka_unit_test(test_crc32),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
