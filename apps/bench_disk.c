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
	if (argc < 2) {
		fprintf(stderr, "usage: bench-disk DEVICE [MIB]\n");
		return 2;
	}
	long mib = argc > 2 ? atol(argv[2]) : 64;
	int fd = open(argv[1], O_RDWR | O_DIRECT);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	const size_t chunk = 1 << 20;
	char *buf;
	if (posix_memalign((void **)&buf, 4096, chunk))
		return 1;
	for (size_t i = 0; i < chunk; i++)
		buf[i] = (char)(i * 7 + 1);

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

	uint32_t x = 12345;
	long ops = 0;
	unsigned blocks = (unsigned)(mib * 256);
	t = now();
	double end = t + 2.0;
	while (now() < end) {
		for (int k = 0; k < 16; k++) {
			x = x * 1103515245u + 12345u;
			off_t off = (off_t)((x >> 8) % blocks) * 4096;
			if (full(fd, buf, 4096, off, 0))
				return 1;
			ops++;
		}
	}
	printf("bench-disk: rand-read-4k %.0f IOPS\n", ops / (now() - t));
	close(fd);
	return 0;
}
