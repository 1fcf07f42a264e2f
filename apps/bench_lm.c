/*
 * /bin/bench-lm: an lmbench-style suite of operating-system micro-benchmarks.
 * The same static i386 binary runs under amphi (ring 3 as /bin/bench-lm, a
 * kernel-mode application as /trusted/bin/bench-lm) and under Linux, so the
 * numbers compare kernels, not programs.
 *
 *   bench-lm [--quick] [--only NAME[,NAME...]] [--dir DIR] [--ext2 DIR] [--list]
 *   bench-lm --exit          exit 0 at once (the target of fork+execve)
 *
 * One line per benchmark, key=value words after "bench-lm:" (tests/bench/run
 * parses them; never reorder or rename keys, add new ones at the end):
 *
 *   bench-lm: name=N unit=ns|MB/s value=V cycles=C reps=R runs=K spread=S% status=ok samples=a,b,...
 *   bench-lm: name=N unit=ns value=- reps=0 runs=0 spread=- status=unsupported reason=ENOSYS
 *
 * value is the median of K runs of R operations each, after one warm-up
 * run (R shrinks so that a run takes about 1 s at most, 0.2 s quick); samples are every run's per-operation value; spread is
 * (max - min) / median.  Time is read with rdtsc and converted to ns with
 * a rate measured against clock_gettime(CLOCK_MONOTONIC) at start; cycles
 * is the median in TSC ticks.  status=unsupported: the kernel lacks the
 * feature (ENOSYS, ENODEV, EAFNOSUPPORT, no AT_SYSINFO, no-ext2-mount: no
 * ext2 mounted at the --ext2 directory, default /mnt/ext2);
 * status=failed: it has it but the benchmark saw an error (exit status 1).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 9
#define RUN_BUDGET_NS 1e9	/* one run's time, at most (about; quick: a fifth) */
#define PAGE 4096

static int runs = 5;
static int quick;
static const char *self = "/bin/bench-lm";
static char sh_path[256] = "/bin/sh";
static const char *fs_dir = "/tmp";
static const char *ext2_dir = "/mnt/ext2";
static uintptr_t sysinfo;	/* AT_SYSINFO: the path libc takes */
static double ticks_per_ns;

/* ---- time ---- */

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* TSC ticks per ns over a busy wait of at least 50 ms (20 ms quick) */
static void calibrate(void)
{
	uint64_t want = quick ? 20000000ull : 50000000ull;
	uint64_t n0 = mono_ns(), c0 = rdtsc(), n1, c1;

	do {
		n1 = mono_ns();
		c1 = rdtsc();
	} while (n1 - n0 < want);
	ticks_per_ns = (double)(c1 - c0) / (double)(n1 - n0);
	if (ticks_per_ns <= 0)
		ticks_per_ns = 1;
}

/* ---- helpers ---- */

/* A benchmark returns the TSC ticks its `iters` operations took, or -errno. */
typedef int64_t (*bench_fn)(long iters);

static int unsupported_errno(int e)
{
	return e == ENOSYS || e == ENODEV || e == ENOMEDIUM || e == EAFNOSUPPORT || e == EPROTONOSUPPORT ||
	       e == EOPNOTSUPP || e == ENOTSUP;
}

static inline long int80(long nr)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr) : "memory", "cc");
	return ret;
}

static inline long vcall(uintptr_t fn, long nr)
{
	long ret;

	/* __kernel_vsyscall (or amphi's direct entry) keeps every register but eax */
	__asm__ volatile("call *%[fn]" : "=a"(ret) : [fn] "S"(fn), "a"(nr) : "memory", "cc");
	return ret;
}

static int wait_ok(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static int read_full(int fd, void *buf, size_t n)
{
	char *p = buf;

	while (n) {
		ssize_t r = read(fd, p, n);

		if (r <= 0)
			return -1;
		p += r, n -= (size_t)r;
	}
	return 0;
}

/* ---- null system calls and null I/O ---- */

static int64_t b_null_int80(long iters)
{
	uint64_t t = rdtsc();

	for (long i = 0; i < iters; i++)
		int80(20 /* getpid */);
	return (int64_t)(rdtsc() - t);
}

static int64_t b_null_sysinfo(long iters)
{
	if (!sysinfo)
		return -ENOSYS;
	uint64_t t = rdtsc();

	for (long i = 0; i < iters; i++)
		vcall(sysinfo, 20);
	return (int64_t)(rdtsc() - t);
}

static int64_t null_io(const char *path, int writing, long iters)
{
	char c = 'x';
	int fd = open(path, writing ? O_WRONLY : O_RDONLY);

	if (fd < 0)
		return -errno;
	uint64_t t = rdtsc();

	for (long i = 0; i < iters; i++)
		if ((writing ? write(fd, &c, 1) : read(fd, &c, 1)) != 1) {
			close(fd);
			return -EIO;
		}
	t = rdtsc() - t;
	close(fd);
	return (int64_t)t;
}

static int64_t b_null_read(long iters) { return null_io("/dev/zero", 0, iters); }
static int64_t b_null_write(long iters) { return null_io("/dev/null", 1, iters); }

/* ---- files ---- */

static char stat_file[300];

static int make_stat_file(void)
{
	snprintf(stat_file, sizeof(stat_file), "%s/bench-lm.%d", fs_dir, (int)getpid());
	int fd = open(stat_file, O_CREAT | O_WRONLY | O_TRUNC, 0644);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int64_t b_stat(long iters)
{
	struct stat st;
	int e = make_stat_file();

	if (e)
		return e;
	uint64_t t = rdtsc();

	for (long i = 0; i < iters; i++)
		if (stat(stat_file, &st) < 0) {
			e = -errno;
			break;
		}
	t = rdtsc() - t;
	unlink(stat_file);
	return e ? e : (int64_t)t;
}

static int64_t b_open_close(long iters)
{
	int e = make_stat_file();

	if (e)
		return e;
	uint64_t t = rdtsc();

	for (long i = 0; i < iters; i++) {
		int fd = open(stat_file, O_RDONLY);

		if (fd < 0) {
			e = -errno;
			break;
		}
		close(fd);
	}
	t = rdtsc() - t;
	unlink(stat_file);
	return e ? e : (int64_t)t;
}

/* create `iters` files of `size` bytes in dir and delete them; time one half */
static int64_t create_delete(const char *dir, size_t size, int time_delete, long iters)
{
	static char data[10240];
	char name[320];
	uint64_t tc = 0, td = 0, t;
	struct stat st;
	int e = 0;
	long made = 0;

	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return -ENODEV;
	memset(data, 'f', sizeof(data));
	t = rdtsc();
	for (; made < iters; made++) {
		snprintf(name, sizeof(name), "%s/lm%d.%ld", dir, (int)getpid(), made);
		int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644);

		if (fd < 0) {
			e = -errno;
			break;
		}
		if (size && write(fd, data, size) != (ssize_t)size)
			e = -EIO;
		close(fd);
		if (e) {
			made++;
			break;
		}
	}
	tc = rdtsc() - t;
	t = rdtsc();
	for (long i = 0; i < made; i++) {
		snprintf(name, sizeof(name), "%s/lm%d.%ld", dir, (int)getpid(), i);
		if (unlink(name) < 0 && !e)
			e = -errno;
	}
	td = rdtsc() - t;
	return e ? e : (int64_t)(time_delete ? td : tc);
}

/*
 * The ext2 rows run only on a mounted ext2 (tests/bench/run attaches a
 * host-made image and bench-init mounts it): a plain directory there would
 * time the root's in-memory fs under an ext2 name.  0xEF53 is the ext2
 * superblock magic, which Linux reports for ext2 mounted by ext4 as well.
 * ENOMEDIUM stands for "no ext2 here" (reason=no-ext2-mount).
 */
static int64_t ext2_create_delete(size_t size, int time_delete, long iters)
{
	struct statfs sf;

	if (statfs(ext2_dir, &sf) < 0 || sf.f_type != 0xEF53)
		return -ENOMEDIUM;
	return create_delete(ext2_dir, size, time_delete, iters);
}

static int64_t b_fs_create_0k(long n) { return create_delete(fs_dir, 0, 0, n); }
static int64_t b_fs_delete_0k(long n) { return create_delete(fs_dir, 0, 1, n); }
static int64_t b_fs_create_10k(long n) { return create_delete(fs_dir, 10240, 0, n); }
static int64_t b_fs_delete_10k(long n) { return create_delete(fs_dir, 10240, 1, n); }
static int64_t b_ext2_create_0k(long n) { return ext2_create_delete(0, 0, n); }
static int64_t b_ext2_delete_0k(long n) { return ext2_create_delete(0, 1, n); }
static int64_t b_ext2_create_10k(long n) { return ext2_create_delete(10240, 0, n); }
static int64_t b_ext2_delete_10k(long n) { return ext2_create_delete(10240, 1, n); }

/* ---- processes ---- */

static int64_t spawn_loop(long iters, char *const argv[])
{
	uint64_t t = rdtsc();

	for (long i = 0; i < iters; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return -errno;
		if (pid == 0) {
			if (argv)
				execv(argv[0], argv);
			_exit(argv ? 127 : 0);
		}
		if (!wait_ok(pid))
			return -ECHILD;
	}
	return (int64_t)(rdtsc() - t);
}

static int64_t b_fork_exit(long iters) { return spawn_loop(iters, NULL); }

static int64_t b_fork_execve(long iters)
{
	char *argv[] = { (char *)self, "--exit", NULL };

	return spawn_loop(iters, argv);
}

static int64_t b_fork_sh(long iters)
{
	char cmd[300];
	char *argv[] = { sh_path, "-c", cmd, NULL };

	snprintf(cmd, sizeof(cmd), "%s --exit", self);
	return spawn_loop(iters, argv);
}

/* N processes in a ring of pipes pass one byte; ticks per pass (one switch) */
static int64_t token_ring(int nproc, long iters)
{
	int fds[16][2];
	pid_t pids[16];
	long laps = iters / nproc > 0 ? iters / nproc : 1;
	char c = 't';
	int64_t ret;

	for (int i = 0; i < nproc; i++)
		if (pipe(fds[i]) < 0)
			return -errno;
	/* process i reads fds[i] and writes fds[(i+1) % nproc]; process 0 is us */
	for (int i = 1; i < nproc; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return -errno;
		if (pids[i] == 0) {
			for (long l = 0; l < laps; l++)
				if (read(fds[i][0], &c, 1) != 1 || write(fds[(i + 1) % nproc][1], &c, 1) != 1)
					_exit(1);
			_exit(0);
		}
	}
	uint64_t t = rdtsc();

	ret = 0;
	for (long l = 0; l < laps && !ret; l++)
		if (write(fds[1 % nproc][1], &c, 1) != 1 || read(fds[0][0], &c, 1) != 1)
			ret = -EIO;
	t = rdtsc() - t;
	for (int i = 0; i < nproc; i++)
		close(fds[i][0]), close(fds[i][1]);
	for (int i = 1; i < nproc; i++)
		if (!wait_ok(pids[i]) && !ret)
			ret = -ECHILD;
	/* scale to the iteration count the driver divides by */
	return ret ? ret : (int64_t)((double)t * (double)iters / (double)(laps * nproc));
}

static int64_t b_ctx_2(long iters) { return token_ring(2, iters); }
static int64_t b_ctx_16(long iters) { return token_ring(16, iters); }

/* ---- IPC ---- */

/* round trips of one byte between us and a child over a (fd pair) channel */
static int64_t ping_pong(int to_child[2], int from_child[2], long iters)
{
	char c = 'p';
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		for (long i = 0; i < iters; i++)
			if (read(to_child[0], &c, 1) != 1 || write(from_child[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	int64_t ret = 0;
	uint64_t t = rdtsc();

	for (long i = 0; i < iters; i++)
		if (write(to_child[1], &c, 1) != 1 || read(from_child[0], &c, 1) != 1) {
			ret = -EIO;
			break;
		}
	t = rdtsc() - t;
	close(to_child[1]);	/* a stuck child sees EOF */
	if (!wait_ok(pid) && !ret)
		ret = -ECHILD;
	return ret ? ret : (int64_t)t;
}

static int64_t b_pipe_lat(long iters)
{
	int a[2], b[2];

	if (pipe(a) < 0 || pipe(b) < 0)
		return -errno;
	int64_t r = ping_pong(a, b, iters);

	close(a[0]), close(a[1]), close(b[0]), close(b[1]);
	return r;
}

static int64_t b_unix_lat(long iters)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return -errno;
	/* one socket pair is a full-duplex channel: child reads and writes sv[1] */
	int to[2] = { sv[1], sv[0] }, from[2] = { sv[0], sv[1] };
	int64_t r = ping_pong(to, from, iters);

	close(sv[0]), close(sv[1]);
	return r;
}

#define BW_CHUNK 65536
/* iters = KiB moved; the driver turns ticks per KiB into MB/s */
static int64_t b_pipe_bw(long iters)
{
	static char buf[BW_CHUNK];
	long chunks = iters / (BW_CHUNK / 1024);
	int p[2];

	if (pipe(p) < 0)
		return -errno;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		close(p[0]);
		memset(buf, 'b', sizeof(buf));
		for (long i = 0; i < chunks; i++)
			if (write(p[1], buf, sizeof(buf)) != (ssize_t)sizeof(buf))
				_exit(1);
		_exit(0);
	}
	close(p[1]);
	int64_t ret = 0;
	uint64_t t = rdtsc();

	for (long i = 0; i < chunks; i++)
		if (read_full(p[0], buf, sizeof(buf)) < 0) {
			ret = -EIO;
			break;
		}
	t = rdtsc() - t;
	close(p[0]);
	if (!wait_ok(pid) && !ret)
		ret = -ECHILD;
	return ret ? ret : (int64_t)t;
}

/* ---- memory ---- */

/* touch fresh anonymous pages; ticks per page (the mmap and munmap untimed) */
static int64_t b_page_fault(long iters)
{
	uint64_t total = 0;

	for (long done = 0; done < iters;) {
		long n = iters - done > 1024 ? 1024 : iters - done;
		volatile char *p = mmap(NULL, (size_t)n * PAGE, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return -errno;
		uint64_t t = rdtsc();

		for (long i = 0; i < n; i++)
			p[i * PAGE] = 1;
		total += rdtsc() - t;
		munmap((void *)p, (size_t)n * PAGE);
		done += n;
	}
	return (int64_t)total;
}

/* mmap 1 MiB of anonymous memory and munmap it, nothing touched */
static int64_t b_mmap_1m(long iters)
{
	uint64_t t = rdtsc();

	for (long i = 0; i < iters; i++) {
		void *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return -errno;
		munmap(p, 1 << 20);
	}
	return (int64_t)(rdtsc() - t);
}

/* ---- signals ---- */

static volatile long sig_count;
static volatile char *prot_page;

static void on_usr1(int sig)
{
	(void)sig;
	sig_count++;
}

/* the write faulted on a read-only page: let it through and return to retry it */
static void on_segv(int sig)
{
	(void)sig;
	sig_count++;
	mprotect((void *)prot_page, PAGE, PROT_READ | PROT_WRITE);
}

static int64_t b_sig_install(long iters)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	uint64_t t = rdtsc();

	for (long i = 0; i < iters; i++)
		if (sigaction(SIGUSR1, &sa, NULL) < 0)
			return -errno;
	return (int64_t)(rdtsc() - t);
}

static int64_t b_sig_deliver(long iters)
{
	struct sigaction sa = { .sa_handler = on_usr1 };

	if (sigaction(SIGUSR1, &sa, NULL) < 0)
		return -errno;
	sig_count = 0;
	uint64_t t = rdtsc();

	for (long i = 0; i < iters; i++)
		kill(getpid(), SIGUSR1);
	t = rdtsc() - t;
	signal(SIGUSR1, SIG_DFL);
	return sig_count == iters ? (int64_t)t : -EINTR;
}

/*
 * Write to a read-only page: the SIGSEGV handler makes it writable and the
 * write is retried; then the page is made read-only again.  One operation
 * is the fault, the signal delivery, the return and two mprotect calls.
 * Run in a child: a kernel that gets this wrong kills only the child.
 */
static int64_t b_prot_fault(long iters)
{
	int p[2];
	int64_t ticks = -EIO;

	if (pipe(p) < 0)
		return -errno;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_segv };
		int64_t r;

		prot_page = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (prot_page == MAP_FAILED || sigaction(SIGSEGV, &sa, NULL) < 0) {
			r = -errno;
		} else {
			sig_count = 0;
			uint64_t t = rdtsc();

			for (long i = 0; i < iters; i++) {
				prot_page[0] = 1;
				mprotect((void *)prot_page, PAGE, PROT_READ);
			}
			t = rdtsc() - t;
			r = sig_count == iters ? (int64_t)t : -EINTR;
		}
		_exit(write(p[1], &r, sizeof(r)) == sizeof(r) ? 0 : 1);
	}
	close(p[1]);
	if (read_full(p[0], &ticks, sizeof(ticks)) < 0)
		ticks = -ECHILD;
	close(p[0]);
	if (!wait_ok(pid) && ticks >= 0)
		ticks = -ECHILD;
	return ticks;
}

/* ---- the table ---- */

enum unit { NS, MBS };
struct bench {
	const char *name;
	bench_fn fn;
	long iters;	/* operations per run (KiB for MB/s) */
	enum unit unit;
};

static const struct bench benches[] = {
	{ "null_int80", b_null_int80, 20000, NS },
	{ "null_sysinfo", b_null_sysinfo, 20000, NS },
	{ "null_read", b_null_read, 10000, NS },
	{ "null_write", b_null_write, 10000, NS },
	{ "stat", b_stat, 5000, NS },
	{ "open_close", b_open_close, 5000, NS },
	{ "fork_exit", b_fork_exit, 100, NS },
	{ "fork_execve", b_fork_execve, 50, NS },
	{ "fork_sh", b_fork_sh, 20, NS },
	{ "ctx_2", b_ctx_2, 4000, NS },
	{ "ctx_16", b_ctx_16, 4000, NS },
	{ "pipe_lat", b_pipe_lat, 2000, NS },
	{ "pipe_bw", b_pipe_bw, 16384, MBS },
	{ "unix_lat", b_unix_lat, 2000, NS },
	{ "page_fault", b_page_fault, 2048, NS },
	{ "mmap_1m", b_mmap_1m, 500, NS },
	{ "prot_fault", b_prot_fault, 1000, NS },
	{ "sig_install", b_sig_install, 10000, NS },
	{ "sig_deliver", b_sig_deliver, 5000, NS },
	{ "fs_create_0k", b_fs_create_0k, 500, NS },
	{ "fs_delete_0k", b_fs_delete_0k, 500, NS },
	{ "fs_create_10k", b_fs_create_10k, 300, NS },
	{ "fs_delete_10k", b_fs_delete_10k, 300, NS },
	{ "ext2_create_0k", b_ext2_create_0k, 500, NS },
	{ "ext2_delete_0k", b_ext2_delete_0k, 500, NS },
	{ "ext2_create_10k", b_ext2_create_10k, 300, NS },
	{ "ext2_delete_10k", b_ext2_delete_10k, 300, NS },
};
#define NBENCH (sizeof(benches) / sizeof(benches[0]))

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static const char *errno_name(int e)
{
	switch (e) {
	case ENOSYS: return "ENOSYS";
	case ENODEV: return "ENODEV";
	case ENOMEDIUM: return "no-ext2-mount";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ECHILD: return "child-failed";
	case EINTR: return "signal-count-wrong";
	case EIO: return "short-transfer";
	default: return strerror(e);
	}
}

/* runs one benchmark and prints its line; returns 0 ok, 1 unsupported, 2 failed */
static int run_one(const struct bench *b)
{
	long iters = b->iters;
	double s[MAX_RUNS], cyc[MAX_RUNS], sorted[MAX_RUNS];
	int64_t t;

	if (quick)
		iters = iters / 10 > 2 ? iters / 10 : 2;
	if (b->unit == MBS && iters < 64)
		iters = 64;
	long warm = iters / 4 > 1 ? iters / 4 : 1;

	t = b->fn(warm);	/* warm-up */
	/* A slow mode (fork under Xen PV, say) gets fewer operations per run,
	 * not a longer round: each run is capped at about RUN_BUDGET_NS. */
	if (t > 0 && b->unit == NS) {
		double per_op_ns = (double)t / (double)warm / ticks_per_ns;
		double budget = quick ? RUN_BUDGET_NS / 5 : RUN_BUDGET_NS;

		if (per_op_ns * (double)iters > budget)
			iters = (long)(budget / per_op_ns) > 3 ? (long)(budget / per_op_ns) : 3;
	}
	for (int r = 0; t >= 0 && r < runs; r++) {
		t = b->fn(iters);
		if (t < 0)
			break;
		cyc[r] = (double)t / (double)iters;
		/* MB/s: 1024 bytes every (cycles / ticks_per_ns) ns */
		s[r] = b->unit == MBS ? 1024.0 * 1000.0 / (cyc[r] / ticks_per_ns) : cyc[r] / ticks_per_ns;
	}
	if (t < 0) {
		int e = (int)-t, unsup = unsupported_errno(e);
		char reason[64];

		snprintf(reason, sizeof(reason), "%s", errno_name(e));
		for (char *c = reason; *c; c++)
			if (*c == ' ')
				*c = '-';
		printf("bench-lm: name=%s unit=%s value=- reps=0 runs=0 spread=- status=%s reason=%s\n",
		       b->name, b->unit == MBS ? "MB/s" : "ns", unsup ? "unsupported" : "failed", reason);
		fflush(stdout);
		return unsup ? 1 : 2;
	}
	memcpy(sorted, s, sizeof(double) * (size_t)runs);
	qsort(sorted, (size_t)runs, sizeof(double), cmp_double);
	double med = sorted[runs / 2];
	double spread = med > 0 ? (sorted[runs - 1] - sorted[0]) / med * 100.0 : 0;

	qsort(cyc, (size_t)runs, sizeof(double), cmp_double);
	printf("bench-lm: name=%s unit=%s value=%.1f cycles=%.0f reps=%ld runs=%d spread=%.1f%% status=ok samples=",
	       b->name, b->unit == MBS ? "MB/s" : "ns", med, b->unit == MBS ? 0.0 : cyc[runs / 2],
	       iters, runs, spread);
	for (int r = 0; r < runs; r++)
		printf("%s%.1f", r ? "," : "", s[r]);
	printf("\n");
	fflush(stdout);
	return 0;
}

static int wanted(const char *only, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = only; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && !strncmp(p, name, n))
			return 1;
		p = e ? e + 1 : NULL;
	}
	return !only;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench-lm [--quick] [--only NAME[,NAME...]] [--dir DIR] [--ext2 DIR] [--list]\n"
			"       bench-lm --exit\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *only = NULL;
	int count[3] = { 0, 0, 0 };
	struct utsname u;
	unsigned cs;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--exit"))
			return 0;
		else if (!strcmp(argv[i], "--quick"))
			quick = 1;
		else if (!strcmp(argv[i], "--list")) {
			for (size_t b = 0; b < NBENCH; b++)
				printf("%s\n", benches[b].name);
			return 0;
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			fs_dir = argv[++i];
		else if (!strcmp(argv[i], "--ext2") && i + 1 < argc)
			ext2_dir = argv[++i];
		else
			usage();
	}
	if (quick)
		runs = 3;
	if (strchr(argv[0], '/'))
		self = argv[0];
	/* the shell beside us: /trusted/bin/sh for the trusted copy */
	snprintf(sh_path, sizeof(sh_path), "%.*s/sh", (int)(strrchr(self, '/') - self), self);
	if (access(sh_path, X_OK) < 0)
		snprintf(sh_path, sizeof(sh_path), "/bin/sh");
	sysinfo = getauxval(AT_SYSINFO);
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	calibrate();
	__asm__ volatile("movl %%cs, %0" : "=r"(cs));
	if (uname(&u) < 0)
		strcpy(u.sysname, "?"), strcpy(u.release, "?");
	printf("bench-lm: start os=%s release=%s ring=%u tsc_per_ns=%.4f runs=%d quick=%d sysinfo=%s\n",
	       u.sysname, u.release, cs & 3, ticks_per_ns, runs, quick,
	       !sysinfo ? "none" : (cs & 3) != 3 && sysinfo >= 0xc0000000u ? "direct" : "vdso");
	for (size_t b = 0; b < NBENCH; b++)
		if (wanted(only, benches[b].name))
			count[run_one(&benches[b])]++;
	printf("bench-lm: end ok=%d unsupported=%d failed=%d\n", count[0], count[1], count[2]);
	return count[2] ? 1 : 0;
}
