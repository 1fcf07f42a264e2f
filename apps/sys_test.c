/*
 * sys-test: the system calls and /proc files that busybox's system tools
 * need (free, df, mount, uptime, dmesg, top): prctl names, statx,
 * statfs64/fstatfs64, sendfile64, syslog, rseq's answer, the /proc
 * system files, and alarm/setitimer/getitimer (ping paces itself with them).  Runs on Linux first (tests/userland/check-apps) and then
 * on amphi (the boot matrix's systools cell); the last line is
 * "sys-test: N passed, N failed".  `sys-test --call NR` makes one system
 * call NR without arguments and prints its result.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int passed, failed;

static void check(int ok, const char *what)
{
	if (ok)
		passed++;
	else
		failed++;
	printf("sys-test: %s: %s\n", what, ok ? "ok" : "FAILED");
}

/* the raw call, so that libc's fallbacks do not hide what the kernel says */
static long sc(long nr, long a, long b, long c, long d, long e)
{
	long r = syscall(nr, a, b, c, d, e);
	return r < 0 ? -errno : r;
}

static void test_prctl(void)
{
	char name[16];
	check(sc(SYS_prctl, 15 /* PR_SET_NAME */, (long)"sys-test-name-too-long", 0, 0, 0) == 0 &&
	      sc(SYS_prctl, 16 /* PR_GET_NAME */, (long)name, 0, 0, 0) == 0 &&
	      !strcmp(name, "sys-test-name-t"), "prctl PR_SET_NAME cuts at 15, PR_GET_NAME reads it");
	char buf[256] = "";
	FILE *f = fopen("/proc/self/stat", "r");
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	check(strstr(buf, "(sys-test-name-t)") != 0, "/proc/self/stat shows the new name");
	check(sc(SYS_prctl, 16, 4096, 0, 0, 0) == -EFAULT, "prctl PR_GET_NAME to a bad pointer: EFAULT");
	check(sc(SYS_prctl, 0x7fff, 0, 0, 0, 0) == -EINVAL, "prctl unknown option: EINVAL");
	sc(SYS_prctl, 15, (long)"sys-test", 0, 0, 0);
}

struct statx_ts { int64_t sec; uint32_t nsec; int32_t pad; };
struct statx_buf {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, pad0;
	uint64_t ino, size, blocks, attributes_mask;
	struct statx_ts atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t spare[14];
};

static const char *tmpfile_with(size_t n)
{
	static const char *path = "/tmp/sys-test.data";
	char buf[5000];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)('a' + i % 26);
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0 || write(fd, buf, n) != (ssize_t)n)
		return 0;
	close(fd);
	return path;
}

static void test_statx(void)
{
	const char *p = tmpfile_with(5000);
	struct statx_buf x;
	struct stat st;
	memset(&x, 0xff, sizeof(x));
	long r = sc(SYS_statx, AT_FDCWD, (long)p, 0, 0x7ff, (long)&x);
	check(p && r == 0 && stat(p, &st) == 0 && (x.mask & 0x7ff) == 0x7ff && x.size == 5000 &&
	      S_ISREG(x.mode) && x.ino == (uint64_t)st.st_ino && x.nlink == 1 &&
	      x.mtime.sec == (int64_t)st.st_mtime, "statx of a file: size, mode, inode, mtime as stat");
	int fd = open("/", O_RDONLY | O_DIRECTORY);
	r = sc(SYS_statx, fd, (long)"", AT_EMPTY_PATH, 0x7ff, (long)&x);
	check(r == 0 && S_ISDIR(x.mode), "statx AT_EMPTY_PATH of an open directory");
	close(fd);
	check(sc(SYS_statx, AT_FDCWD, (long)p, 0x6000, 0x7ff, (long)&x) == -EINVAL,
	      "statx with FORCE_SYNC|DONT_SYNC: EINVAL");
	check(sc(SYS_statx, AT_FDCWD, (long)p, 0, 0x7ff, 4096) == -EFAULT, "statx to a bad pointer: EFAULT");
	check(sc(SYS_statx, AT_FDCWD, (long)"/no/such", 0, 0x7ff, (long)&x) == -ENOENT, "statx of a missing path: ENOENT");
}

struct statfs64_buf {
	uint32_t type, bsize;
	uint64_t blocks, bfree, bavail, files, ffree;
	int32_t fsid[2];
	uint32_t namelen, frsize, flags, spare[4];
} __attribute__((packed));

static void test_statfs(void)
{
	struct statfs64_buf s;
	long r = sc(SYS_statfs64, (long)"/", sizeof(s), (long)&s, 0, 0);
	check(r == 0 && s.bsize > 0 && s.blocks >= s.bfree && s.bfree >= s.bavail && s.namelen == 255,
	      "statfs64 /: block size, totals in order");
	int fd = open("/proc/meminfo", O_RDONLY);
	r = sc(SYS_fstatfs64, fd, sizeof(s), (long)&s, 0, 0);
	check(r == 0 && s.type == 0x9fa0, "fstatfs64 of a /proc file: PROC_SUPER_MAGIC");
	close(fd);
	check(sc(SYS_statfs64, (long)"/", 80, (long)&s, 0, 0) == -EINVAL, "statfs64 with a wrong size: EINVAL");
	check(sc(SYS_statfs64, (long)"/", sizeof(s), 4096, 0, 0) == -EFAULT, "statfs64 to a bad pointer: EFAULT");
	check(sc(SYS_fstatfs64, 999, sizeof(s), (long)&s, 0, 0) == -EBADF, "fstatfs64 of a bad fd: EBADF");
}

static void test_sendfile(void)
{
	const char *p = tmpfile_with(5000);
	int fd = p ? open(p, O_RDONLY) : -1, pfd[2];
	if (fd < 0 || pipe(pfd)) {
		check(0, "sendfile64 setup");
		return;
	}
	int64_t off = 100;
	long r = sc(SYS_sendfile64, pfd[1], fd, (long)&off, 1000, 0);
	char got[1000];
	ssize_t k = read(pfd[0], got, sizeof(got));
	int same = k == 1000;
	for (int i = 0; same && i < 1000; i++)
		same = got[i] == (char)('a' + (100 + i) % 26);
	check(r == 1000 && off == 1100 && same && lseek(fd, 0, SEEK_CUR) == 0,
	      "sendfile64 with an offset: the bytes from there, offset moved, file position kept");
	r = sc(SYS_sendfile64, pfd[1], fd, 0, 10, 0);
	k = read(pfd[0], got, sizeof(got));
	check(r == 10 && k == 10 && got[0] == 'a' && lseek(fd, 0, SEEK_CUR) == 10,
	      "sendfile64 without an offset: from the file position, which moves");
	lseek(fd, 0, SEEK_END);
	check(sc(SYS_sendfile64, pfd[1], fd, 0, 10, 0) == 0, "sendfile64 at the end: 0");
	check(sc(SYS_sendfile64, pfd[1], fd, 4096, 10, 0) == -EFAULT, "sendfile64 with a bad offset pointer: EFAULT");
	check(sc(SYS_sendfile64, pfd[1], 999, 0, 10, 0) == -EBADF, "sendfile64 from a bad fd: EBADF");
	close(fd);
	close(pfd[0]);
	close(pfd[1]);
	unlink(p);
}

static void test_syslog(void)
{
	long size = sc(SYS_syslog, 10 /* SIZE_BUFFER */, 0, 0, 0, 0);
	if (size == -EPERM) {
		printf("sys-test: syslog: not permitted here (dmesg_restrict), skipped\n");
		return;
	}
	check(size > 0, "syslog SIZE_BUFFER");
	char *buf = malloc(size > 0 ? (size_t)size : 1);
	long n = sc(SYS_syslog, 3 /* READ_ALL */, (long)buf, size, 0, 0);
	check(buf && n > 0 && n <= size && buf[0] == '<' && buf[n - 1] == '\n',
	      "syslog READ_ALL: whole lines starting with <level>");
	check(sc(SYS_syslog, 3, (long)buf, 0, 0, 0) == 0, "syslog READ_ALL of 0 bytes: 0");
	check(sc(SYS_syslog, 3, 0, 10, 0, 0) == -EINVAL, "syslog READ_ALL to NULL: EINVAL");
	check(sc(SYS_syslog, 3, 4096, size, 0, 0) == -EFAULT, "syslog READ_ALL to a bad pointer: EFAULT");
	check(sc(SYS_syslog, 3, (long)buf, -1, 0, 0) == -EINVAL, "syslog READ_ALL of -1 bytes: EINVAL");
	check(sc(SYS_syslog, 8, 0, 9, 0, 0) == -EINVAL, "syslog CONSOLE_LEVEL 9: EINVAL");
	check(sc(SYS_syslog, 99, 0, 0, 0, 0) == -EINVAL, "syslog unknown action: EINVAL");
	check(sc(SYS_syslog, 9, 0, 0, 0, 0) >= 0, "syslog SIZE_UNREAD");
	free(buf);
}

static long meminfo_kb(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	return p ? strtol(p + strlen(key), 0, 10) : -1;
}

static void test_proc_files(void)
{
	char text[4096];
	int fd = open("/proc/meminfo", O_RDONLY);
	ssize_t k = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;
	text[k > 0 ? k : 0] = '\0';
	close(fd);
	long total = meminfo_kb(text, "MemTotal:"), mfree = meminfo_kb(text, "MemFree:");
	check(total > 0 && mfree > 0 && mfree <= total && meminfo_kb(text, "MemAvailable:") >= 0 &&
	      meminfo_kb(text, "Cached:") >= 0, "/proc/meminfo: MemTotal >= MemFree > 0");
	double up = -1, idle = -1;
	FILE *f = fopen("/proc/uptime", "r");
	check(f && fscanf(f, "%lf %lf", &up, &idle) == 2 && up > 0 && idle >= 0, "/proc/uptime: two numbers");
	if (f)
		fclose(f);
	double l1, l5, l15;
	int run, all, last;
	f = fopen("/proc/loadavg", "r");
	check(f && fscanf(f, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &run, &all, &last) == 6 && run >= 1 &&
	      all >= run && last >= getpid(), "/proc/loadavg: 3 loads, running/total, last pid");
	if (f)
		fclose(f);
	f = fopen("/proc/mounts", "r");
	int root = 0, proc = 0;
	char line[512];
	while (f && fgets(line, sizeof(line), f)) {
		char dev[128], dir[128], type[64];
		if (sscanf(line, "%127s %127s %63s", dev, dir, type) == 3) {
			root |= !strcmp(dir, "/");
			proc |= !strcmp(dir, "/proc") && !strcmp(type, "proc");
		}
	}
	if (f)
		fclose(f);
	check(root && proc, "/proc/mounts: / and /proc");
}

/* The i386 kernel's struct itimerval (32-bit fields; musl's own has a
 * 64-bit time_t, so the raw calls take this one). */
struct itv32 { int32_t int_s, int_us, val_s, val_us; };
static volatile int alarms;
static void on_alarm(int sig) { (void)sig; alarms++; }

static double mono(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Waits (sleeps interrupted by SIGALRM) until n alarms or s seconds. */
static void wait_alarms(int n, double s)
{
	struct timespec ten_ms = { 0, 10000000 };
	for (double end = mono() + s; alarms < n && mono() < end;)
		nanosleep(&ten_ms, 0);
}

static void test_itimer(void)
{
	signal(SIGALRM, on_alarm);
	struct itv32 v = { 0, 20000, 0, 20000 }, g;
	alarms = 0;
	check(sc(SYS_setitimer, 0, (long)&v, 0, 0, 0) == 0, "setitimer ITIMER_REAL every 20 ms");
	wait_alarms(3, 5);
	check(alarms >= 3, "setitimer: three SIGALRMs come");
	check(sc(SYS_getitimer, 0, (long)&g, 0, 0, 0) == 0 && g.int_s == 0 && g.int_us == 20000 &&
	      g.val_s == 0 && g.val_us > 0 && g.val_us <= 20000, "getitimer: the reload and what is left");
	struct itv32 off = { 0, 0, 0, 0 };
	check(sc(SYS_setitimer, 0, (long)&off, (long)&g, 0, 0) == 0 && g.int_us == 20000,
	      "setitimer to zero disarms and returns the old value");
	check(sc(SYS_getitimer, 0, (long)&g, 0, 0, 0) == 0 && !g.val_s && !g.val_us, "getitimer: disarmed");

	struct itv32 once = { 0, 0, 0, 30000 };
	alarms = 0;
	sc(SYS_setitimer, 0, (long)&once, 0, 0, 0);
	wait_alarms(2, 0.3);
	check(alarms == 1, "setitimer one-shot: exactly one SIGALRM");

	check(sc(SYS_alarm, 5, 0, 0, 0, 0) == 0, "alarm(5) with none pending: 0");
	check(sc(SYS_alarm, 0, 0, 0, 0, 0) == 5, "alarm(0) cancels, returns the 5 s left");
	struct itv32 bad = { 0, 0, 0, 1000000 };
	check(sc(SYS_setitimer, 0, (long)&bad, 0, 0, 0) == -EINVAL, "setitimer tv_usec 1000000: EINVAL");
	check(sc(SYS_setitimer, 7, (long)&v, 0, 0, 0) == -EINVAL, "setitimer unknown timer: EINVAL");
	check(sc(SYS_getitimer, 0, 4096, 0, 0, 0) == -EFAULT, "getitimer to a bad pointer: EFAULT");
	check(sc(SYS_setitimer, 0, 4096, 0, 0, 0) == -EFAULT, "setitimer from a bad pointer: EFAULT");
	signal(SIGALRM, SIG_DFL);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, 0, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "--call")) {
		/* one system call by number, no arguments (the loglevel cell
		 * makes the kernel log an unknown number) */
		long nr = strtol(argv[2], 0, 10);
		printf("sys-test: syscall %ld: %ld\n", nr, sc(nr, 0, 0, 0, 0, 0));
		return 0;
	}
	test_prctl();
	test_statx();
	test_statfs();
	test_sendfile();
	test_syslog();
	test_proc_files();
	test_itimer();
	long r = sc(387 /* past rseq */ - 1, 0, 0, 0, 0, 0);
	check(r == -ENOSYS || r == -EINVAL, "rseq: ENOSYS (amphi) or EINVAL (Linux, bad arguments)");
	printf("sys-test: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
