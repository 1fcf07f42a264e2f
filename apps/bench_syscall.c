/*
 * /bin/bench-syscall [ITERATIONS]: cycles (rdtsc) per system call for
 *   getpid, a 1-byte write to /dev/null, clock_gettime(CLOCK_MONOTONIC)
 * through four entry paths:
 *   int80    int $0x80 in inline assembly
 *   sysenter call *AT_SYSINFO (the vDSO's __kernel_vsyscall: sysenter or
 *            syscall where the kernel offers it); "-" when there is no AT_SYSINFO.
 *            In a kernel-mode application on amphi (ring 0, or 1 under Xen
 *            PV; AT_SYSINFO in the kernel half) this is amphi's entry page
 *            at 0xbffff000 instead.
 *   direct   amphi's direct call for kernel-mode applications: AT_SYSINFO
 *            when it points into the kernel half; "-" elsewhere
 *   libc     musl's normal path (getpid(), write(), clock_gettime(): musl
 *            itself calls through AT_SYSINFO when present, and uses the
 *            vDSO's clock_gettime when there is one)
 * Reports the median of 7 runs of ITERATIONS (default 20000) calls each, and
 * how many times cheaper than int $0x80 each other path is (int80/x).  rdtsc counts TSC ticks, which
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

static uintptr_t vsys;   /* the sysenter path (AT_SYSINFO in ring 3) */
static uintptr_t direct; /* the direct call (AT_SYSINFO of a kernel-mode program) */
#define AMPHI_ENTRY_PAGE 0xbffff000u
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

static inline long vcall(uintptr_t fn, long nr, long a, long b, long c)
{
	long ret;

	/* __kernel_vsyscall preserves every register but eax */
	__asm__ volatile("call *%[fn]"
			 : "=a"(ret)
			 : [fn] "S"(fn), "a"(nr), "b"(a), "c"(b), "d"(c)
			 : "memory", "cc");
	return ret;
}

enum { GETPID, WRITE, CLOCK, NOPS };
enum { INT80, VSYS, DIRECT, LIBC, NPATHS };
static const char *op_names[NOPS] = { "getpid", "write(/dev/null, 1)", "clock_gettime(MONO)" };
static const char *path_names[NPATHS] = { "int80", "sysenter", "direct", "libc" };

static int one(int op, int path)
{
	struct ts32 t32;
	struct timespec ts;

	switch (path * NOPS + op) {
	case INT80 * NOPS + GETPID: return int80(NR_getpid, 0, 0, 0) > 0;
	case INT80 * NOPS + WRITE: return int80(NR_write, nullfd, (long)&byte, 1) == 1;
	case INT80 * NOPS + CLOCK: return int80(NR_clock_gettime, CLOCK_MONOTONIC, (long)&t32, 0) == 0;
	case VSYS * NOPS + GETPID: return vcall(vsys, NR_getpid, 0, 0, 0) > 0;
	case VSYS * NOPS + WRITE: return vcall(vsys, NR_write, nullfd, (long)&byte, 1) == 1;
	case VSYS * NOPS + CLOCK: return vcall(vsys, NR_clock_gettime, CLOCK_MONOTONIC, (long)&t32, 0) == 0;
	case DIRECT * NOPS + GETPID: return vcall(direct, NR_getpid, 0, 0, 0) > 0;
	case DIRECT * NOPS + WRITE: return vcall(direct, NR_write, nullfd, (long)&byte, 1) == 1;
	case DIRECT * NOPS + CLOCK: return vcall(direct, NR_clock_gettime, CLOCK_MONOTONIC, (long)&t32, 0) == 0;
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

	if ((path == VSYS && !vsys) || (path == DIRECT && !direct))
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
	unsigned cs;
	uintptr_t at;

	if (iters <= 0)
		iters = 20000;
	__asm__ volatile("movl %%cs, %0" : "=r"(cs));
	at = getauxval(AT_SYSINFO);
	if ((cs & 3) != 3 && at >= 0xc0000000u) {   /* ring 0, or ring 1 under Xen PV */
		direct = at;                 /* amphi, kernel-mode application */
		vsys = AMPHI_ENTRY_PAGE;
	} else {
		vsys = at;
	}
	nullfd = open("/dev/null", O_WRONLY);
	printf("bench-syscall: ring %u, %ld calls x %d runs, median cycles (rdtsc ticks) per call\n",
	       cs & 3, iters, RUNS);
	printf("bench-syscall: AT_SYSINFO=0x%lx AT_SYSINFO_EHDR=0x%lx%s\n", (unsigned long)at,
	       getauxval(AT_SYSINFO_EHDR), nullfd < 0 ? " (no /dev/null: write row skipped)" : "");
	printf("%-22s %9s %9s %9s %9s  %9s %9s %9s\n", "call", path_names[0], path_names[1],
	       path_names[2], path_names[3], "int80/sys", "int80/dir", "int80/libc");
	for (op = 0; op < NOPS; op++) {
		printf("%-22s", op_names[op]);
		for (p = 0; p < NPATHS; p++) {
			c[op][p] = measure(op, p, iters);
			if (c[op][p])
				printf(" %9llu", (unsigned long long)c[op][p]);
			else
				printf(" %9s", "-");
		}
		printf(" ");
		for (p = VSYS; p <= LIBC; p++) {
			if (c[op][p] && c[op][INT80])
				printf(" %8.1fx", (double)c[op][INT80] / (double)c[op][p]);
			else
				printf(" %9s", "-");
		}
		printf("\n");
	}
	return 0;
}
