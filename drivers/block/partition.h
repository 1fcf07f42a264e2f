/*
 * Partition tables (drivers/block/partition.c): MBR (primary and the
 * extended/logical chain) and GPT (header and entry-array CRC32 checked,
 * the backup header used when the primary is damaged).  Pure: the caller
 * passes a sector reader.  Hostile tables are cut down, never trusted:
 * entries outside the disk, overlapping the table, loops in the logical
 * chain or absurd entry counts are skipped with a reason.
 */
#ifndef DRIVERS_PARTITION_H
#define DRIVERS_PARTITION_H
#include <stdint.h>

#define PART_MAX 16                     /* partitions 1..15 per disk (minors) */

struct part_entry {
	int number;                     /* 1.. : vda1; logical MBR partitions from 5 */
	uint64_t start, count;          /* 512-byte sectors */
	uint8_t mbr_type;               /* 0 for GPT */
};

struct part_table {
	const char *scheme;             /* "none", "mbr", "gpt" */
	int n;
	struct part_entry e[PART_MAX];
	int nr_warnings;
	const char *warning[8];         /* why entries or tables were refused */
};

/* read(ctx, lba, buf512) returns 0 or -errno. */
typedef int (*part_read_fn)(void *ctx, uint64_t lba, uint8_t *buf);
/* Scans a disk of nr_sectors; 0 (t filled, maybe with no partitions) or
 * -errno when the first sector cannot be read. */
int part_scan(part_read_fn read, void *ctx, uint64_t nr_sectors, struct part_table *t);
uint32_t crc32_le(uint32_t crc, const void *buf, uint64_t len);
#endif
