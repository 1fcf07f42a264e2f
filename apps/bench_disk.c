/*
 * bench-disk DEVICE [MIB]: raw block device throughput, the same program on
 * amphi and on Linux (tests/bench/disk).  Sequential write then read of MIB
 * MiB (default 64) in 1 MiB requests, then 4 KiB reads at random aligned
 * offsets for about two seconds.  Opened with O_DIRECT so that Linux reads
 * the device, not its page cache (amphi's raw nodes never cache).
 * Prints one line per measurement:
 *     bench-disk: seq-write 123.4 MiB/s
 *     bench-disk: seq-read 123.4 MiB/s
 *     bench-disk: rand-read-4k 1234 IOPS
 * The write destroys the first MIB MiB of the device.
 *
 * bench-disk --ext2 DIR [MIB]: the same three through a file system, with
 * its caches (no O_DIRECT: what a program reading files gets).  DIR holds
 * read.dat and rand.dat, MIB MiB each, made on the host (tests/bench/disk
 * writes them into the image), so each is read cold, once: seq-read reads
 * read.dat in 1 MiB requests, rand-read-4k reads rand.dat at random 4 KiB
 * offsets for two seconds (a file of its own: read.dat is in the cache by
 * then).  seq-write writes a new DIR/write.dat in 1 MiB requests and
 * fsyncs it, inside the time.  Lines "bench-disk: ext2-seq-write ..." etc.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const size_t chunk = 1 << 20;
static int full(int fd, char *buf, size_t n, off_t off, int wr);

/* 4 KiB reads at random aligned offsets below mib MiB for two seconds */
static int rand_reads(int fd, char *buf, long mib, const char *label)
{
	uint32_t x = 12345;
	long ops = 0;
	unsigned blocks = (unsigned)(mib * 256);
	double t = now(), end = t + 2.0;

	while (now() < end) {
		for (int k = 0; k < 16; k++) {
			x = x * 1103515245u + 12345u;
			off_t off = (off_t)((x >> 8) % blocks) * 4096;
			if (full(fd, buf, 4096, off, 0))
				return 1;
			ops++;
		}
	}
	printf("bench-disk: %s %.0f IOPS\n", label, ops / (now() - t));
	return 0;
}

static int open_in(const char *dir, const char *name, int flags)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(path, flags, 0644);
	if (fd < 0)
		perror(path);
	return fd;
}

static int through_fs(const char *dir, long mib, char *buf)
{
	int fd = open_in(dir, "write.dat", O_WRONLY | O_CREAT | O_TRUNC);
	if (fd < 0)
		return 1;
	double t = now();
	for (long i = 0; i < mib; i++)
		if (full(fd, buf, chunk, (off_t)i * chunk, 1))
			return 1;
	if (fsync(fd)) {
		perror("bench-disk: fsync");
		return 1;
	}
	double w = now() - t;
	close(fd);
	printf("bench-disk: ext2-seq-write %.1f MiB/s\n", mib / w);

	if ((fd = open_in(dir, "read.dat", O_RDONLY)) < 0)
		return 1;
	t = now();
	for (long i = 0; i < mib; i++)
		if (full(fd, buf, chunk, (off_t)i * chunk, 0))
			return 1;
	double r = now() - t;
	close(fd);
	printf("bench-disk: ext2-seq-read %.1f MiB/s\n", mib / r);

	if ((fd = open_in(dir, "rand.dat", O_RDONLY)) < 0 || rand_reads(fd, buf, mib, "ext2-rand-read-4k"))
		return 1;
	close(fd);
	return 0;
}

static int full(int fd, char *buf, size_t n, off_t off, int wr)
{
	size_t done = 0;
	if (lseek(fd, off, SEEK_SET) != off) {      /* (amphi has no pread64 yet) */
		perror("bench-disk: lseek");
		return -1;
	}
	while (done < n) {
		ssize_t k = wr ? write(fd, buf + done, n - done) : read(fd, buf + done, n - done);
		if (k <= 0) {
			perror(wr ? "bench-disk: write" : "bench-disk: read");
			return -1;
		}
		done += (size_t)k;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int ext2 = argc > 1 && !strcmp(argv[1], "--ext2");
	if (argc < 2 + ext2) {
		fprintf(stderr, "usage: bench-disk DEVICE [MIB] | bench-disk --ext2 DIR [MIB]\n");
		return 2;
	}
	long mib = argc > 2 + ext2 ? atol(argv[2 + ext2]) : 64;
	char *buf;
	if (posix_memalign((void **)&buf, 4096, chunk))
		return 1;
	for (size_t i = 0; i < chunk; i++)
		buf[i] = (char)(i * 7 + 1);
	if (ext2)
		return through_fs(argv[2], mib, buf);
	int fd = open(argv[1], O_RDWR | O_DIRECT);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}

	double t = now();
	for (long i = 0; i < mib; i++)
		if (full(fd, buf, chunk, (off_t)i * chunk, 1))
			return 1;
	if (fsync(fd))
		perror("bench-disk: fsync");
	double w = now() - t;
	printf("bench-disk: seq-write %.1f MiB/s\n", mib / w);

	t = now();
	for (long i = 0; i < mib; i++)
		if (full(fd, buf, chunk, (off_t)i * chunk, 0))
			return 1;
	double r = now() - t;
	printf("bench-disk: seq-read %.1f MiB/s\n", mib / r);

	if (rand_reads(fd, buf, mib, "rand-read-4k"))
		return 1;
	close(fd);
	return 0;
}
