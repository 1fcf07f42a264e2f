/* MBR and GPT parsing (drivers/block/partition.h).  Pure. */
#include "partition.h"
#include <stddef.h>

#define GPT_MAX_ENTRIES 1024u           /* 128 is the norm; more is hostile */
#define MBR_MAX_LOGICAL 64              /* EBR chain steps before we call it a loop */

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t le64(const uint8_t *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }

static void warn(struct part_table *t, const char *why)
{
	if (t->nr_warnings < (int)(sizeof(t->warning) / sizeof(t->warning[0])))
		t->warning[t->nr_warnings++] = why;
}

/* Adds a partition if it lies on the disk and is not empty. */
static void add(struct part_table *t, int number, uint64_t start, uint64_t count, uint8_t type,
		uint64_t nr_sectors)
{
	if (count == 0)
		return;
	if (start == 0 || start >= nr_sectors || count > nr_sectors - start) {
		warn(t, "partition outside the disk skipped");
		return;
	}
	if (t->n >= PART_MAX - 1 || number >= PART_MAX) {
		warn(t, "too many partitions: the rest skipped");
		return;
	}
	t->e[t->n++] = (struct part_entry){ number, start, count, type };
}

static int is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

static void scan_logical(part_read_fn read, void *ctx, uint64_t nr_sectors, uint64_t ext_start,
			 uint64_t ext_count, struct part_table *t)
{
	uint8_t s[512];
	uint64_t ebr = ext_start;
	int number = 5;
	for (int step = 0; step < MBR_MAX_LOGICAL; step++) {
		if (ebr < ext_start || ebr >= ext_start + ext_count || ebr >= nr_sectors) {
			warn(t, "logical partition chain leaves the extended partition");
			return;
		}
		if (read(ctx, ebr, s) || s[510] != 0x55 || s[511] != 0xaa) {
			warn(t, "unreadable or unsigned extended boot record");
			return;
		}
		const uint8_t *e0 = s + 446, *e1 = s + 462;
		if (e0[4] && !is_extended(e0[4]))
			add(t, number++, ebr + le32(e0 + 8), le32(e0 + 12), e0[4], nr_sectors);
		if (!is_extended(e1[4]) || le32(e1 + 12) == 0)
			return;
		uint64_t next = ext_start + le32(e1 + 8);
		if (next <= ebr) {
			warn(t, "logical partition chain loops back");
			return;
		}
		ebr = next;
	}
	warn(t, "logical partition chain too long");
}

/* One GPT header at lba: 0 with the entries added, or -1 if invalid. */
static int scan_gpt_at(part_read_fn read, void *ctx, uint64_t nr_sectors, uint64_t lba,
		       struct part_table *t)
{
	uint8_t h[512], s[512];
	if (read(ctx, lba, h))
		return -1;
	static const char sig[8] = { 'E', 'F', 'I', ' ', 'P', 'A', 'R', 'T' };
	for (int i = 0; i < 8; i++)
		if (h[i] != (uint8_t)sig[i])
			return -1;
	uint32_t hsize = le32(h + 12);
	if (hsize < 92 || hsize > 512) {
		warn(t, "GPT header size invalid");
		return -1;
	}
	uint32_t want = le32(h + 16);
	h[16] = h[17] = h[18] = h[19] = 0;
	if (crc32_le(0, h, hsize) != want) {
		warn(t, "GPT header CRC mismatch");
		return -1;
	}
	uint64_t first_usable = le64(h + 40), last_usable = le64(h + 48);
	uint64_t entries_lba = le64(h + 72);
	uint32_t nentries = le32(h + 80), esize = le32(h + 84), ecrc = le32(h + 88);
	if (esize < 128 || esize > 512 || (esize & 7) || (512 % esize) ||
	    nentries == 0 || nentries > GPT_MAX_ENTRIES) {
		warn(t, "GPT entry array size invalid");
		return -1;
	}
	uint64_t array_sectors = ((uint64_t)nentries * esize + 511) / 512;
	if (entries_lba < 1 || entries_lba >= nr_sectors || array_sectors > nr_sectors - entries_lba) {
		warn(t, "GPT entry array outside the disk");
		return -1;
	}
	if (last_usable >= nr_sectors)
		last_usable = nr_sectors - 1;
	/* Pass 1: the CRC over the whole array; pass 2: the entries. */
	uint32_t crc = 0;
	uint64_t left = (uint64_t)nentries * esize;
	for (uint64_t i = 0; i < array_sectors; i++) {
		if (read(ctx, entries_lba + i, s))
			return -1;
		uint64_t chunk = left < 512 ? left : 512;
		crc = crc32_le(crc, s, chunk);
		left -= chunk;
	}
	if (crc != ecrc) {
		warn(t, "GPT entry array CRC mismatch");
		return -1;
	}
	uint32_t per = 512 / esize;
	for (uint32_t i = 0; i < nentries; i++) {
		if (i % per == 0 && read(ctx, entries_lba + i / per, s))
			return -1;
		const uint8_t *e = s + (i % per) * esize;
		int used = 0;
		for (int k = 0; k < 16; k++)
			used |= e[k];
		if (!used)
			continue;               /* unused entry: type GUID all zero */
		uint64_t first = le64(e + 32), last = le64(e + 40);
		if (last < first || first < first_usable || last > last_usable) {
			warn(t, "GPT entry outside the usable area skipped");
			continue;
		}
		if (i + 1 >= PART_MAX) {
			warn(t, "GPT entries beyond 15 skipped");
			break;
		}
		add(t, (int)i + 1, first, last - first + 1, 0, nr_sectors);
	}
	t->scheme = "gpt";
	return 0;
}

int part_scan(part_read_fn read, void *ctx, uint64_t nr_sectors, struct part_table *t)
{
	uint8_t s[512];
	t->scheme = "none";
	t->n = 0;
	t->nr_warnings = 0;
	if (nr_sectors < 2)
		return 0;
	int r = read(ctx, 0, s);
	if (r)
		return r;
	if (s[510] != 0x55 || s[511] != 0xaa)
		return 0;
	const uint8_t *pe = s + 446;
	for (int i = 0; i < 4; i++)
		if (pe[i * 16 + 4] == 0xee) {        /* protective MBR: GPT */
			if (scan_gpt_at(read, ctx, nr_sectors, 1, t) == 0)
				return 0;
			t->n = 0;
			warn(t, "primary GPT invalid: trying the backup");
			if (scan_gpt_at(read, ctx, nr_sectors, nr_sectors - 1, t) == 0)
				return 0;
			t->n = 0;
			t->scheme = "none";
			warn(t, "no valid GPT");
			return 0;
		}
	/* A boot sector without a table (a FAT or ext2 volume) has garbage
	 * here: the status byte of every entry must be 0x00 or 0x80. */
	for (int i = 0; i < 4; i++)
		if (pe[i * 16] != 0 && pe[i * 16] != 0x80)
			return 0;
	t->scheme = "mbr";
	int ext_seen = 0;
	for (int i = 0; i < 4; i++) {
		const uint8_t *e = pe + i * 16;
		uint8_t type = e[4];
		uint64_t start = le32(e + 8), count = le32(e + 12);
		if (!type || !count)
			continue;
		if (is_extended(type)) {
			if (ext_seen++) {
				warn(t, "second extended partition ignored");
				continue;
			}
			if (start == 0 || start >= nr_sectors || count > nr_sectors - start) {
				warn(t, "extended partition outside the disk");
				continue;
			}
			scan_logical(read, ctx, nr_sectors, start, count, t);
			continue;
		}
		add(t, i + 1, start, count, type, nr_sectors);
	}
	/* Primaries first, then logicals, as numbered. */
	for (int i = 1; i < t->n; i++)
		for (int j = i; j > 0 && t->e[j - 1].number > t->e[j].number; j--) {
			struct part_entry x = t->e[j];
			t->e[j] = t->e[j - 1];
			t->e[j - 1] = x;
		}
	return 0;
}
