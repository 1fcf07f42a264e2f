/*
 * raw-check DEVICE: read(2) and write(2) of a block node through each of
 * amphi's paths, checked (tests/disk/run: the *-raw-user cells).  Sector-aligned transfers at a sector-aligned address go
 * straight between the disk and the program's pinned pages; anything else
 * goes through a kernel buffer (partial sectors read-modify-write).
 *
 *   A  1 MiB + 4 KiB at sector 16384 from a page-aligned buffer: more than
 *      one pinned chunk (1 MiB each)
 *   B  64 KiB at sector 20480 from 512 bytes into a page: segments that
 *      start and end mid-page
 *   C  8 KiB at sector 24576 from an odd address: the copying path
 *   D  700 bytes at byte 100 of sector 26000: partial sectors
 *   from a read-only mapping (the disk only reads it) and into a buffer
 *   whose second page is PROT_NONE: EFAULT, nothing pinned left behind
 *
 * Each region is read back through another alignment than it was written
 * with.  A, B and C hold sector_line("amphi-rawX ", sector) per sector
 * (as tests/disk/run builds them) for the host to check afterwards.
 * Prints "raw-check: ..." lines; exit 0 when everything matched.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SECTOR 512
#define PAGE 4096

static int fd;

/* tests/disk/run's sector_line: prefix + "%07d\n", repeated, padded with '\n' */
static void sector_line(char *s, const char *prefix, unsigned sector)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "%s%07u\n", prefix, sector);
	int k = 0;
	while (k + n <= SECTOR) {
		memcpy(s + k, line, (size_t)n);
		k += n;
	}
	memset(s + k, '\n', (size_t)(SECTOR - k));
}

static void fill(char *buf, const char *prefix, unsigned first, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		sector_line(buf + (size_t)i * SECTOR, prefix, first + i);
}

static int xfer(int wr, char *buf, size_t n, off_t off)
{
	if (lseek(fd, off, SEEK_SET) != off) {
		perror("raw-check: lseek");
		return -1;
	}
	ssize_t k = wr ? write(fd, buf, n) : read(fd, buf, n);
	if (k != (ssize_t)n) {
		printf("raw-check: %s of %zu at %lld gave %zd (%s)\n", wr ? "write" : "read", n,
		       (long long)off, k, k < 0 ? strerror(errno) : "short");
		return -1;
	}
	return 0;
}

/* count sectors of prefix at first: written from wbuf, read into rbuf */
static int region(const char *name, const char *prefix, unsigned first, unsigned count, char *wbuf, char *rbuf)
{
	size_t n = (size_t)count * SECTOR;
	fill(wbuf, prefix, first, count);
	memset(rbuf, 0x5a, n);
	if (xfer(1, wbuf, n, (off_t)first * SECTOR) || xfer(0, rbuf, n, (off_t)first * SECTOR))
		return 1;
	if (memcmp(wbuf, rbuf, n)) {
		size_t i = 0;
		while (wbuf[i] == rbuf[i])
			i++;
		printf("raw-check: %s: byte %zu (sector %zu) differs\n", name, i, first + i / SECTOR);
		return 1;
	}
	printf("raw-check: %s: %u sectors at %u written and read back\n", name, count, first);
	return 0;
}

static char *pages(size_t n)
{
	char *p = mmap(0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("raw-check: mmap");
		exit(1);
	}
	return p;
}

/* 700 bytes in the middle of two sectors; the bytes around them stay */
static int partial(char *a, char *b)
{
	off_t base = (off_t)26000 * SECTOR;
	if (xfer(0, a, 2 * SECTOR, base))
		return 1;
	for (int i = 0; i < 700; i++)
		b[i] = (char)(i * 13 + 7);
	if (xfer(1, b, 700, base + 100))
		return 1;
	memcpy(a + 100, b, 700);
	if (xfer(0, b, 2 * SECTOR, base) || memcmp(a, b, 2 * SECTOR)) {
		printf("raw-check: D: partial-sector write not read back\n");
		return 1;
	}
	printf("raw-check: D: 700 bytes at byte 100 of sector 26000 written and read back\n");
	return 0;
}

/* The disk reads a read-only mapping; a read into memory the program
 * cannot write fails with EFAULT and leaves the node usable. */
static int protections(char *scratch)
{
	char *ro = pages(2 * PAGE);
	fill(ro, "amphi-rawR ", 28000, 16);
	mprotect(ro, 2 * PAGE, PROT_READ);
	if (xfer(1, ro, 2 * PAGE, (off_t)28000 * SECTOR) || xfer(0, scratch, 2 * PAGE, (off_t)28000 * SECTOR) ||
	    memcmp(ro, scratch, 2 * PAGE)) {
		printf("raw-check: write from a read-only mapping failed\n");
		return 1;
	}
	char *half = pages(2 * PAGE);
	mprotect(half + PAGE, PAGE, PROT_NONE);
	lseek(fd, (off_t)28000 * SECTOR, SEEK_SET);
	ssize_t k = read(fd, half, 2 * PAGE);
	if (k != -1 || errno != EFAULT) {
		printf("raw-check: read into a PROT_NONE page gave %zd, not EFAULT\n", k);
		return 1;
	}
	if (xfer(0, half, PAGE, (off_t)28000 * SECTOR) || memcmp(half, ro, PAGE)) {
		printf("raw-check: the node after EFAULT\n");
		return 1;
	}
	printf("raw-check: a read-only source written; a PROT_NONE destination gave EFAULT\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: raw-check DEVICE\n");
		return 2;
	}
	if ((fd = open(argv[1], O_RDWR)) < 0) {
		perror(argv[1]);
		return 1;
	}
	size_t big = (1 << 20) + PAGE;
	char *w = pages(big + 2 * PAGE), *r = pages(big + 2 * PAGE);
	int bad = region("A", "amphi-rawA ", 16384, (unsigned)(big / SECTOR), w, r + 1) ||
		  region("B", "amphi-rawB ", 20480, 128, w + SECTOR, r) ||
		  region("C", "amphi-rawC ", 24576, 16, w + 1, r + SECTOR) ||
		  partial(w, r) || protections(r);
	if (!bad && fsync(fd)) {
		perror("raw-check: fsync");
		bad = 1;
	}
	printf("raw-check: %s\n", bad ? "FAILED" : "all regions match");
	return bad;
}
