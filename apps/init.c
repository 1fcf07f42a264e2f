/*
 * /init: amphi's PID 1.
 *
 *   /init              run /bin/sh interactively on the console
 *   /init -c "CMD"     run /bin/sh -c CMD
 *
 * Either way init waits for the shell, reaping every other child that is
 * reparented to it (wait4(-1)), prints "init: sh exited with status N" and
 * exits with N; the kernel powers off when PID 1 exits.  Mounts nothing: the
 * kernel unpacks the initrd as the root file system.  If fork() is missing
 * (ENOSYS), init execs the shell in its own place.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHELL "/bin/sh"

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	/* write(2) directly: no stdio buffer to duplicate across fork */
	if (write(2, buf, (size_t)n) < 0)
		return;
}

/* Make sure fds 0, 1 and 2 exist, on /dev/console. */
static void open_console(void)
{
	int fd, i, missing = 0;

	for (i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) < 0)
			missing = 1;
	if (!missing)
		return;
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return; /* nowhere to report it */
	for (i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) < 0 && i != fd)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

static void default_env(const char *name, const char *value)
{
	if (!getenv(name))
		setenv(name, value, 0);
}

static int status_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 255;
}

int main(int argc, char **argv)
{
	char *sh_argv[4];
	pid_t sh, pid;
	int st = 0, code;

	open_console();
	default_env("PATH", "/bin:/sbin:/usr/bin:/usr/sbin");
	default_env("HOME", "/");
	default_env("TERM", "linux");
	default_env("SHELL", SHELL);

	if (argc >= 3 && strcmp(argv[1], "-c") == 0) {
		sh_argv[0] = "sh";
		sh_argv[1] = "-c";
		sh_argv[2] = argv[2];
		sh_argv[3] = NULL;
		say("init: running " SHELL " -c \"%s\"\n", argv[2]);
	} else if (argc == 1) {
		/* "-sh": a login shell (reads /etc/profile if there is one) */
		sh_argv[0] = "-sh";
		sh_argv[1] = NULL;
		say("init: starting " SHELL "\n");
	} else {
		say("init: usage: /init [-c CMD]\n");
		return 2;
	}

	sh = fork();
	if (sh < 0) {
		say("init: fork: %s; exec'ing " SHELL " as PID %d\n", strerror(errno), (int)getpid());
		execv(SHELL, sh_argv);
		say("init: exec " SHELL ": %s\n", strerror(errno));
		return 127;
	}
	if (sh == 0) {
		/* a session of its own, the console as controlling terminal;
		 * neither is required, so errors are ignored */
		setsid();
		execv(SHELL, sh_argv);
		say("init: exec " SHELL ": %s\n", strerror(errno));
		_exit(127);
	}

	/* Reap everything; stop when the shell is gone. */
	for (;;) {
		int s;

		pid = wait4(-1, &s, 0, NULL);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			say("init: wait4: %s\n", strerror(errno));
			st = 255 << 8;
			break;
		}
		if (pid == sh) {
			st = s;
			break;
		}
	}
	/* Orphans that are already dead; the rest die with the machine. */
	while (wait4(-1, NULL, WNOHANG, NULL) > 0)
		;

	code = status_code(st);
	if (WIFSIGNALED(st))
		say("init: sh killed by signal %d\n", WTERMSIG(st));
	say("init: sh exited with status %d\n", code);
	return code;
}
