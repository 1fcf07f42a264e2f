/*
 * /bin/bench-init: PID 1 for a benchmark boot, the same binary under amphi
 * (amphi.init=/bin/bench-init -- ...) and under Linux (rdinit=/bin/bench-init
 * -- ...).  It runs the programs named on its command line one after the
 * other and powers the machine off.
 *
 *   bench-init PROG [ARGS...] [-- PROG [ARGS...]]...     ("-- " separates programs)
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
	for (int i = 1; i < argc;) {
		int j = i;

		while (j < argc && strcmp(argv[j], "--"))
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
