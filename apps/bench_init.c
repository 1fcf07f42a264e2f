/*
 * /bin/bench-init: PID 1 for a benchmark boot, the same binary under amphi
 * (amphi.init=/bin/bench-init -- ...) and under Linux (rdinit=/bin/bench-init
 * -- ...).  It runs the programs named on its command line one after the
 * other and powers the machine off.
 *
 *   bench-init [--insmod DIR] [--wait DEV] [--mount DEV DIR] PROG [ARGS...] [-- PROG [ARGS...]]...
 *
 * "--" or "++" separates programs: Linux ends init's arguments at the second
 * "--" of its command line, so a Linux boot that runs two programs says "++".
 *
 * --insmod DIR loads the kernel modules DIR/ORDER names, in that order, with
 * finit_module (Linux: Debian's kernel has virtio_blk and ext4, which mounts
 * ext2, as modules; tests/bench/run adds them to Linux's initrd).  --mount
 * DEV DIR waits up to 10 s for the block device DEV (a module's probe is
 * asynchronous), makes DIR and mounts DEV there as ext2, printing
 * "bench-init: mounted DEV on DIR (ext2)"; a failure is printed, DIR is
 * removed again (so no program mistakes the empty directory on the root for
 * the disk) and the exit status becomes 1.  --wait DEV waits up to 30 s for
 * DEV to appear (Linux's xen-blkfront connects to its back end after the
 * module is loaded), printing "bench-init: DEV after N ms" or, failing it,
 * "bench-init: no DEV after 30 s" (exit status 1).  All before the first
 * program, in the order given.
 *
 * It first prints "bench-init: start monotonic_ns=N": the first line a user
 * program writes, so the host can time the boot up to it.  As PID 1 it mounts
 * devtmpfs on /dev and proc on /proc where the kernel has them (Linux's
 * initramfs has no device nodes; amphi makes its own and answers ENOSYS),
 * and at the end calls reboot(RB_POWER_OFF); where that is missing it exits
 * (amphi powers off when PID 1 exits).  Without fds 0-2 it opens the
 * console itself (below).  Exit status: 0 when every program
 * exited 0, else 1.  Ends with "bench-init: done status=N".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * Linux as a Xen PVH dom0 (Debian's 686-pae) has no console device for
 * init ("unable to open an initial console": no hvc0 in that build); its
 * messages reach Xen's console through earlyprintk=xen.  Without fds 0-2,
 * try the console devices (not ttyS0: Xen owns the serial port and a
 * dom0 opening it writes into the void), failing them /dev/kmsg: each line
 * becomes a kernel message ("[ 12.34] bench-lm: ..."; the runner boots it
 * with printk.devkmsg=on and a loglevel that shows them).
 */
static void open_console(void)
{
	int fd = open("/dev/console", O_RDWR | O_NOCTTY);

	if (fd < 0)
		fd = open("/dev/hvc0", O_RDWR | O_NOCTTY);
	if (fd < 0)
		fd = open("/dev/kmsg", O_WRONLY);
	if (fd < 0)
		return;
	dup2(fd, 0), dup2(fd, 1), dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

/* DIR/ORDER: one module file name a line, each after what it depends on */
static int insmod_all(const char *dir)
{
	char path[512], name[256];
	int bad = 0;

	snprintf(path, sizeof(path), "%s/ORDER", dir);
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("bench-init: %s: %s\n", path, strerror(errno));
		return 1;
	}
	while (fgets(name, sizeof(name), f)) {
		name[strcspn(name, "\r\n")] = 0;
		if (!name[0])
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || syscall(SYS_finit_module, fd, "", 0) < 0) {
			printf("bench-init: insmod %s: %s\n", path, strerror(errno));
			bad = 1;
		}
		if (fd >= 0)
			close(fd);
	}
	fclose(f);
	return bad;
}

static int mount_ext2(const char *dev, const char *dir)
{
	struct stat st;
	char path[256];
	int n = 0;

	while (stat(dev, &st) < 0 && n++ < 100)
		usleep(100000);
	snprintf(path, sizeof(path), "%s", dir);
	for (char *p = path + 1; *p; p++)       /* mkdir -p: the parents first */
		if (*p == '/') {
			*p = 0;
			mkdir(path, 0755);
			*p = '/';
		}
	mkdir(dir, 0755);
	if (mount(dev, dir, "ext2", 0, NULL) < 0) {
		printf("bench-init: mount %s on %s: %s\n", dev, dir, strerror(errno));
		rmdir(dir);
		return 1;
	}
	printf("bench-init: mounted %s on %s (ext2)\n", dev, dir);
	return 0;
}

static int wait_dev(const char *dev)
{
	struct timespec a, b;
	struct stat st;
	int n = 0;

	clock_gettime(CLOCK_MONOTONIC, &a);
	while (stat(dev, &st) < 0) {
		if (n++ >= 300) {
			printf("bench-init: no %s after 30 s\n", dev);
			return 1;
		}
		usleep(100000);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("bench-init: %s after %lld ms\n", dev,
	       (long long)(b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000);
	return 0;
}

static int run(char **argv)
{
	int st;
	pid_t pid = fork();

	if (pid < 0) {
		printf("bench-init: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		execv(argv[0], argv);
		printf("bench-init: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 1;
	if (WIFEXITED(st)) {
		printf("bench-init: %s exited %d\n", argv[0], WEXITSTATUS(st));
		return WEXITSTATUS(st) != 0;
	}
	printf("bench-init: %s killed by signal %d\n", argv[0], WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	return 1;
}

static int is_separator(const char *arg)
{
	return !strcmp(arg, "--") || !strcmp(arg, "++");
}

int main(int argc, char **argv)
{
	struct timespec ts;
	int status = 0;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (getpid() == 1) {
		mkdir("/dev", 0755), mkdir("/proc", 0555), mkdir("/tmp", 01777);
		mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
		mount("proc", "/proc", "proc", 0, NULL);
		if (fcntl(1, F_GETFD) < 0)
			open_console();
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("bench-init: start monotonic_ns=%lld pid=%d\n",
	       (long long)ts.tv_sec * 1000000000ll + ts.tv_nsec, (int)getpid());
	int i = 1;
	for (;;) {
		if (i + 1 < argc && !strcmp(argv[i], "--insmod"))
			status |= insmod_all(argv[i + 1]), i += 2;
		else if (i + 1 < argc && !strcmp(argv[i], "--wait"))
			status |= wait_dev(argv[i + 1]), i += 2;
		else if (i + 2 < argc && !strcmp(argv[i], "--mount"))
			status |= mount_ext2(argv[i + 1], argv[i + 2]), i += 3;
		else
			break;
	}
	while (i < argc) {
		int j = i;

		while (j < argc && !is_separator(argv[j]))
			j++;
		if (j < argc)
			argv[j] = NULL;
		if (j > i)
			status |= run(&argv[i]);
		i = j + 1;
	}
	printf("bench-init: done status=%d\n", status);
	if (getpid() == 1) {
		sync();
		reboot(RB_POWER_OFF);
	}
	return status;
}
