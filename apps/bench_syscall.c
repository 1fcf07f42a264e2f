/*
 * /bin/bench-syscall [ITERATIONS]: cycles (rdtsc) per system call for
 *   getpid, a 1-byte write to /dev/null, clock_gettime(CLOCK_MONOTONIC)
 * through three entry paths:
 *   int80    int $0x80 in inline assembly
 *   vsyscall call *AT_SYSINFO (the vDSO's __kernel_vsyscall: sysenter or
 *            syscall where the kernel offers it); "-" when there is no AT_SYSINFO
 *   libc     musl's normal path (getpid(), write(), clock_gettime(): musl
 *            itself calls through AT_SYSINFO when present, and uses the
 *            vDSO's clock_gettime when there is one)
 * Reports the median of 7 runs of ITERATIONS (default 20000) calls each, and
 * the ratios vsyscall/int80 and libc/int80.  rdtsc counts TSC ticks, which
 * are core cycles only on CPUs without frequency scaling; the ratios hold.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <time.h>
#include <unistd.h>

#define NR_write 4
#define NR_getpid 20
#define NR_clock_gettime 265	/* 32-bit time_t; clock_gettime64 is 403 */
#define RUNS 7

struct ts32 {
	int32_t sec, nsec;
};

static uintptr_t vsys; /* AT_SYSINFO */
static int nullfd = -1;
static char byte = 'x';

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline long int80(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory", "cc");
	return ret;
}

static inline long vcall(long nr, long a, long b, long c)
{
	long ret;

	/* __kernel_vsyscall preserves every register but eax */
	__asm__ volatile("call *%[fn]"
			 : "=a"(ret)
			 : [fn] "S"(vsys), "a"(nr), "b"(a), "c"(b), "d"(c)
			 : "memory", "cc");
	return ret;
}

enum { GETPID, WRITE, CLOCK, NOPS };
enum { INT80, VSYS, LIBC, NPATHS };
static const char *op_names[NOPS] = { "getpid", "write(/dev/null, 1)", "clock_gettime(MONO)" };
static const char *path_names[NPATHS] = { "int80", "vsyscall", "libc" };

static int one(int op, int path)
{
	struct ts32 t32;
	struct timespec ts;

	switch (path * NOPS + op) {
	case INT80 * NOPS + GETPID: return int80(NR_getpid, 0, 0, 0) > 0;
	case INT80 * NOPS + WRITE: return int80(NR_write, nullfd, (long)&byte, 1) == 1;
	case INT80 * NOPS + CLOCK: return int80(NR_clock_gettime, CLOCK_MONOTONIC, (long)&t32, 0) == 0;
	case VSYS * NOPS + GETPID: return vcall(NR_getpid, 0, 0, 0) > 0;
	case VSYS * NOPS + WRITE: return vcall(NR_write, nullfd, (long)&byte, 1) == 1;
	case VSYS * NOPS + CLOCK: return vcall(NR_clock_gettime, CLOCK_MONOTONIC, (long)&t32, 0) == 0;
	case LIBC * NOPS + GETPID: return getpid() > 0;
	case LIBC * NOPS + WRITE: return write(nullfd, &byte, 1) == 1;
	case LIBC * NOPS + CLOCK: return clock_gettime(CLOCK_MONOTONIC, &ts) == 0;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* median cycles per call, or 0 if the call fails */
static uint64_t measure(int op, int path, long iters)
{
	uint64_t runs[RUNS];
	long i;
	int r;

	if (path == VSYS && !vsys)
		return 0;
	if (op == WRITE && nullfd < 0)
		return 0;
	if (!one(op, path))
		return 0;
	for (r = 0; r < RUNS; r++) {
		uint64_t t0 = rdtsc();

		for (i = 0; i < iters; i++)
			one(op, path);
		runs[r] = (rdtsc() - t0) / (uint64_t)iters;
	}
	qsort(runs, RUNS, sizeof(runs[0]), cmp_u64);
	return runs[RUNS / 2] ? runs[RUNS / 2] : 1;
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? strtol(argv[1], NULL, 0) : 20000;
	uint64_t c[NOPS][NPATHS];
	int op, p;

	if (iters <= 0)
		iters = 20000;
	vsys = getauxval(AT_SYSINFO);
	nullfd = open("/dev/null", O_WRONLY);
	printf("bench-syscall: %ld calls x %d runs, median cycles (rdtsc ticks) per call\n", iters, RUNS);
	printf("bench-syscall: AT_SYSINFO=0x%lx AT_SYSINFO_EHDR=0x%lx%s\n", (unsigned long)vsys,
	       getauxval(AT_SYSINFO_EHDR), nullfd < 0 ? " (no /dev/null: write row skipped)" : "");
	printf("%-22s %10s %10s %10s %9s %9s\n", "call", path_names[0], path_names[1], path_names[2],
	       "vsys/int80", "libc/int80");
	for (op = 0; op < NOPS; op++) {
		printf("%-22s", op_names[op]);
		for (p = 0; p < NPATHS; p++) {
			c[op][p] = measure(op, p, iters);
			if (c[op][p])
				printf(" %10llu", (unsigned long long)c[op][p]);
			else
				printf(" %10s", "-");
		}
		for (p = VSYS; p <= LIBC; p++) {
			if (c[op][p] && c[op][INT80])
				printf(" %9.2f", (double)c[op][p] / (double)c[op][INT80]);
			else
				printf(" %9s", "-");
		}
		printf("\n");
	}
	return 0;
}
