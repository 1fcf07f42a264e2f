/*
 * pattern: big files with contents that depend on each word's offset, to
 * check that file data comes back intact (a page stored in the wrong place
 * or lost shows as a mismatch at its offset).
 *
 *   pattern write MIB        MIB MiB of the pattern to stdout
 *   pattern check MIB FILE   FILE must hold exactly that; prints "pattern:
 *                            MIB MiB match" or where it differs (exit 1)
 *   pattern free             free memory in MiB (sysinfo), for rm-gives-back checks
 *
 * write reports a failed or short write with errno's text and exits 1, so
 * that a full file system shows as "No space left on device".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#define BLOCK (1u << 20)

static uint32_t word_at(uint64_t off)
{
	uint32_t w = (uint32_t)(off >> 2);
	return (w * 2654435761u) ^ (uint32_t)(off >> 32) ^ 0xa5c3e1f7u;
}

static void fill(uint32_t *buf, uint64_t off)
{
	for (uint32_t i = 0; i < BLOCK / 4; i++)
		buf[i] = word_at(off + 4ull * i);
}

static int do_write(unsigned mib, uint32_t *buf)
{
	for (unsigned m = 0; m < mib; m++) {
		fill(buf, (uint64_t)m * BLOCK);
		size_t done = 0;
		while (done < BLOCK) {
			ssize_t k = write(1, (char *)buf + done, BLOCK - done);
			if (k < 0) {
				fprintf(stderr, "pattern: write at %llu bytes: %s\n",
					(unsigned long long)m * BLOCK + done, strerror(errno));
				return 1;
			}
			done += (size_t)k;
		}
	}
	return 0;
}

static int do_check(unsigned mib, const char *path, uint32_t *buf, uint32_t *want)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "pattern: %s: %s\n", path, strerror(errno));
		return 1;
	}
	uint64_t off = 0;
	for (;;) {
		ssize_t k = read(fd, buf, BLOCK);
		if (k < 0) {
			fprintf(stderr, "pattern: read at %llu: %s\n", (unsigned long long)off, strerror(errno));
			return 1;
		}
		if (k == 0)
			break;
		if (off + (uint64_t)k > (uint64_t)mib * BLOCK) {
			printf("pattern: %s is longer than %u MiB\n", path, mib);
			return 1;
		}
		fill(want, off & ~(uint64_t)(BLOCK - 1));
		const unsigned char *g = (const unsigned char *)buf;
		const unsigned char *w = (const unsigned char *)want + (off & (BLOCK - 1));
		if (memcmp(g, w, (size_t)k)) {
			size_t i = 0;
			while (g[i] == w[i])
				i++;
			printf("pattern: %s differs at offset %llu\n", path, (unsigned long long)(off + i));
			return 1;
		}
		off += (uint64_t)k;
	}
	close(fd);
	if (off != (uint64_t)mib * BLOCK) {
		printf("pattern: %s has %llu bytes, not %u MiB\n", path, (unsigned long long)off, mib);
		return 1;
	}
	printf("pattern: %u MiB match\n", mib);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "free")) {
		struct sysinfo si;
		if (sysinfo(&si)) {
			perror("pattern: sysinfo");
			return 1;
		}
		printf("%llu\n", (unsigned long long)si.freeram * si.mem_unit >> 20);
		return 0;
	}
	int wr = argc == 3 && !strcmp(argv[1], "write"), ck = argc == 4 && !strcmp(argv[1], "check");
	if (!wr && !ck) {
		fprintf(stderr, "usage: pattern write MIB | pattern check MIB FILE | pattern free\n");
		return 2;
	}
	unsigned mib = (unsigned)strtoul(argv[2], 0, 10);
	uint32_t *buf = malloc(BLOCK), *want = malloc(BLOCK);
	if (!buf || !want) {
		fprintf(stderr, "pattern: out of memory\n");
		return 1;
	}
	return wr ? do_write(mib, buf) : do_check(mib, argv[3], buf, want);
}
