/*
 * /bin/proc-test: checks the process machinery a libc program relies on.
 * One line per check, "proc-test: <check>: ok" or "proc-test: <check>:
 * FAILED: <reason>" ("skipped: <reason>" when a precondition is absent),
 * then "proc-test: N passed, M failed"; exit status 0 iff M == 0.
 *
 *   proc-test [CHECK...]     run only the named checks (default: all)
 *   proc-test --list         list the checks
 *
 * The programs it execs (echo-args, echo-args-pie) are looked up beside
 * argv[0] when argv[0] holds a '/', else in /bin; the malformed ELF files in
 * /bad (or ../bad relative to that directory: build/bad on the host).
 * Every check that could kill or hang the caller runs in a child.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int passed, failed, skipped;
static char bindir[PATH_MAX];
static char self[PATH_MAX];
static char baddir[PATH_MAX + 16];

static void result(const char *check, int ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void result(const char *check, int ok, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("proc-test: %s: ok", check);
		passed++;
	} else {
		printf("proc-test: %s: FAILED", check);
		failed++;
	}
	if (fmt && *fmt) {
		printf(ok ? " (" : ": ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		if (ok)
			printf(")");
	}
	printf("\n");
	fflush(stdout);
}

static void skip(const char *check, const char *why)
{
	printf("proc-test: %s: skipped: %s\n", check, why);
	fflush(stdout);
	skipped++;
}

static void describe(int st, char *buf, size_t n)
{
	if (WIFEXITED(st))
		snprintf(buf, n, "exit status %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, n, "killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		snprintf(buf, n, "wait status 0x%x", st);
}

/* fork with stdout flushed, so that buffered output is not written twice */
static pid_t xfork(void)
{
	fflush(stdout);
	fflush(stderr);
	return fork();
}

/* waitpid that retries on EINTR; returns the status, or -1 */
static int reap(pid_t pid, int *st)
{
	pid_t r;

	do
		r = waitpid(pid, st, 0);
	while (r < 0 && errno == EINTR);
	return r == pid ? 0 : -1;
}

/* ---- getpid / getppid ---- */
static void check_pids(void)
{
	const char *c = "getpid-getppid";
	pid_t me = getpid(), parent = getppid(), child;
	int fds[2], st;
	pid_t seen[2] = { 0, 0 };

	if (me <= 0 || parent < 0 || me == parent) {
		result(c, 0, "getpid=%d getppid=%d", (int)me, (int)parent);
		return;
	}
	if (getpid() != me || (pid_t)syscall(SYS_getpid) != me) {
		result(c, 0, "getpid() not stable");
		return;
	}
	if (pipe(fds) < 0) {
		result(c, 0, "pipe: %s", strerror(errno));
		return;
	}
	child = xfork();
	if (child < 0) {
		result(c, 0, "fork: %s", strerror(errno));
		return;
	}
	if (child == 0) {
		pid_t v[2] = { getpid(), getppid() };

		close(fds[0]);
		_exit(write(fds[1], v, sizeof(v)) == sizeof(v) ? 0 : 1);
	}
	close(fds[1]);
	if (read(fds[0], seen, sizeof(seen)) != sizeof(seen))
		seen[0] = seen[1] = -1;
	close(fds[0]);
	if (reap(child, &st) < 0) {
		result(c, 0, "waitpid: %s", strerror(errno));
		return;
	}
	if (seen[0] != child || seen[1] != me)
		result(c, 0, "child says getpid=%d getppid=%d; fork returned %d, parent is %d",
		       (int)seen[0], (int)seen[1], (int)child, (int)me);
	else
		result(c, 1, "pid %d, parent %d, child %d", (int)me, (int)parent, (int)child);
}

/* ---- fork N children, each exits with its own status ---- */
static void check_fork_wait(void)
{
	const char *c = "fork-wait";
	enum { N = 8 };
	pid_t pids[N];
	int i, st, bad = 0, n = 0;
	char why[128] = "";

	for (i = 0; i < N; i++) {
		pids[i] = xfork();
		if (pids[i] < 0) {
			snprintf(why, sizeof(why), "fork #%d: %s", i, strerror(errno));
			bad = 1;
			break;
		}
		if (pids[i] == 0)
			_exit(10 + i);
		n++;
	}
	/* reap in reverse order: waitpid(pid) must pick the right one */
	for (i = n - 1; i >= 0; i--) {
		if (reap(pids[i], &st) < 0) {
			if (!bad)
				snprintf(why, sizeof(why), "waitpid(%d): %s", (int)pids[i], strerror(errno));
			bad = 1;
			continue;
		}
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 10 + i) {
			char d[64];

			describe(st, d, sizeof(d));
			if (!bad)
				snprintf(why, sizeof(why), "child %d: %s, expected exit status %d", i, d, 10 + i);
			bad = 1;
		}
	}
	/* nothing left: wait must say ECHILD, not block */
	if (!bad && (waitpid(-1, &st, WNOHANG) != -1 || errno != ECHILD)) {
		snprintf(why, sizeof(why), "waitpid(-1) with no children did not fail with ECHILD");
		bad = 1;
	}
	result(c, !bad, "%s", bad ? why : "8 children, statuses 10..17");
}

/* In a forked child: execve, or the errno through efd (close-on-exec in
 * the parent's copy: EOF there means the exec succeeded) and exit 127. */
static void __attribute__((noreturn)) exec_or_report(const char *path, char *const argv[], char *const envp[],
						     int efd)
{
	execve(path, argv, envp);
	int e = errno;
	if (write(efd, &e, sizeof(e)) < 0)
		_exit(126);
	_exit(127);
}

/* run PATH with ARGV in a child, stdout into a pipe; returns the status and output */
static int run(const char *path, char *const argv[], char *out, size_t outsz, int *st, int *exec_errno)
{
	int fds[2], efd[2];
	pid_t pid;
	size_t got = 0;
	ssize_t r;
	int e = 0;

	if (pipe(fds) < 0 || pipe2(efd, O_CLOEXEC) < 0)
		return -1;
	pid = xfork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		char *envp[] = { "PROC_TEST=1", NULL };

		close(fds[0]);
		close(efd[0]);
		dup2(fds[1], 1);
		close(fds[1]);
		exec_or_report(path, argv, envp, efd[1]);
	}
	close(fds[1]);
	close(efd[1]);
	while (got + 1 < outsz && (r = read(fds[0], out + got, outsz - 1 - got)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		got += (size_t)r;
	}
	out[got] = 0;
	close(fds[0]);
	/* EOF on the close-on-exec pipe: exec succeeded (nothing) or failed (errno) */
	if (read(efd[0], &e, sizeof(e)) != sizeof(e))
		e = 0;
	close(efd[0]);
	*exec_errno = e;
	return reap(pid, st);
}

static void check_exec_one(const char *c, const char *path, int code)
{
	char arg1[] = "hello world", arg3[16], out[1024], exp[512], d[64];
	char *argv[] = { (char *)path, arg1, "", arg3, "--env", NULL };
	int st, e;

	if (access(path, X_OK) < 0) {
		result(c, 0, "%s: %s", path, strerror(errno));
		return;
	}
	snprintf(arg3, sizeof(arg3), "--exit=%d", code);
	if (run(path, argv, out, sizeof(out), &st, &e) < 0) {
		result(c, 0, "fork/pipe/wait: %s", strerror(errno));
		return;
	}
	if (e) {
		result(c, 0, "execve(%s): %s", path, strerror(e));
		return;
	}
	describe(st, d, sizeof(d));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != code) {
		result(c, 0, "%s: %s, expected exit status %d", path, d, code);
		return;
	}
	snprintf(exp, sizeof(exp),
		 "echo-args: argc=5\n"
		 "echo-args: argv[0]=\"%s\"\n"
		 "echo-args: argv[1]=\"hello world\"\n"
		 "echo-args: argv[2]=\"\"\n"
		 "echo-args: argv[3]=\"--exit=%d\"\n"
		 "echo-args: argv[4]=\"--env\"\n"
		 "echo-args: envp[0]=\"PROC_TEST=1\"\n", path, code);
	if (strcmp(out, exp) != 0) {
		result(c, 0, "output differs: got \"%.300s\"", out);
		return;
	}
	result(c, 1, "%s, argv/envp passed, exit status %d", path, code);
}

/* ---- fork + exec: several children exec echo-args with different statuses ---- */
static void check_fork_exec(void)
{
	const char *c = "fork-exec";
	char path[PATH_MAX + 32], code[16];
	enum { N = 4 };
	pid_t pids[N];
	int i, st, bad = 0, n = 0;
	char why[200] = "";

	snprintf(path, sizeof(path), "%s/echo-args", bindir);
	check_exec_one("exec-argv-envp", path, 42);

	for (i = 0; i < N; i++) {
		pids[i] = xfork();
		if (pids[i] < 0) {
			snprintf(why, sizeof(why), "fork: %s", strerror(errno));
			bad = 1;
			break;
		}
		if (pids[i] == 0) {
			snprintf(code, sizeof(code), "--exit=%d", 20 + i);
			execl(path, "echo-args", "--quiet", code, (char *)NULL);
			_exit(127);
		}
		n++;
	}
	for (i = 0; i < n; i++) {
		char d[64];

		if (reap(pids[i], &st) < 0) {
			snprintf(why, sizeof(why), "waitpid: %s", strerror(errno));
			bad = 1;
			continue;
		}
		describe(st, d, sizeof(d));
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 20 + i) {
			if (!bad)
				snprintf(why, sizeof(why), "child %d: %s, expected exit status %d%s", i, d, 20 + i,
					 WIFEXITED(st) && WEXITSTATUS(st) == 127 ? " (exec failed)" : "");
			bad = 1;
		}
	}
	result(c, !bad, "%s", bad ? why : "4 children exec'd echo-args, statuses 20..23");
}

/* ---- exec itself with an argument ---- */
static void check_exec_self(void)
{
	const char *c = "exec-self";
	pid_t pid;
	int st;
	char d[64];

	pid = xfork();
	if (pid < 0) {
		result(c, 0, "fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		execl(self, "proc-test", "--child-exit", "33", (char *)NULL);
		_exit(127);
	}
	if (reap(pid, &st) < 0) {
		result(c, 0, "waitpid: %s", strerror(errno));
		return;
	}
	describe(st, d, sizeof(d));
	result(c, WIFEXITED(st) && WEXITSTATUS(st) == 33, "%s: %s%s", self, d,
	       WIFEXITED(st) && WEXITSTATUS(st) == 33 ? "" : ", expected exit status 33");
}

/*
 * A running program's file is rewritten, truncated and removed under it:
 * the program must go on with the bytes it was started from (exec may
 * map the file's own pages; those stay the program's).  Linux refuses the
 * write with ETXTBSY; then only the unlink and a new file of the same name
 * over the freed space are tried.
 */
static void check_exec_file_changed(void)
{
	const char *c = "exec-file-changed";
	char src[PATH_MAX + 32], copy[64], out[1024], d[64], why[200] = "";
	static char buf[1 << 16];
	int in[2], fds[2], efd[2], st, e = 0, bad = 0, busy = 0;
	ssize_t n, got = 0;

	snprintf(src, sizeof(src), "%s/echo-args", bindir);
	snprintf(copy, sizeof(copy), "/tmp/proc-test-exe.%d", (int)getpid());
	int from = open(src, O_RDONLY), to = open(copy, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	while (from >= 0 && to >= 0 && (n = read(from, buf, sizeof(buf))) > 0)
		if (write(to, buf, (size_t)n) != n)
			bad = 1;
	if (from < 0 || to < 0 || bad) {
		result(c, 0, "cannot copy %s to %s: %s", src, copy, strerror(errno));
		return;
	}
	close(from);
	close(to);
	if (pipe(in) < 0 || pipe(fds) < 0 || pipe2(efd, O_CLOEXEC) < 0) {
		result(c, 0, "pipe: %s", strerror(errno));
		return;
	}
	pid_t pid = xfork();
	if (pid == 0) {
		char *argv[] = { copy, "--wait", "--exit=7", NULL };
		dup2(in[0], 0);
		dup2(fds[1], 1);
		close(in[1]);
		close(fds[0]);
		exec_or_report(copy, argv, NULL, efd[1]);
	}
	close(in[0]);
	close(fds[1]);
	close(efd[1]);
	if (read(efd[0], &e, sizeof(e)) == sizeof(e)) {     /* EOF: the exec is done */
		result(c, 0, "execve(%s): %s", copy, strerror(e));
		return;
	}
	close(efd[0]);
	/* Over every byte, then cut to nothing, then gone, and the freed space
	 * filled again with int3s (what runs from a freed page traps). */
	memset(buf, 0xcc, sizeof(buf));
	to = open(copy, O_WRONLY);
	if (to < 0 && errno == ETXTBSY) {
		busy = 1;
	} else if (to < 0 || write(to, buf, sizeof(buf)) != (ssize_t)sizeof(buf) || ftruncate(to, 0) < 0) {
		snprintf(why, sizeof(why), "rewriting the running program's file: %s", strerror(errno));
		bad = 1;
	}
	if (to >= 0)
		close(to);
	if (unlink(copy) < 0) {
		snprintf(why, sizeof(why), "unlink(%s): %s", copy, strerror(errno));
		bad = 1;
	}
	to = open(copy, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	for (int i = 0; to >= 0 && i < 16; i++)
		if (write(to, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			break;
	if (to >= 0)
		close(to);
	if (write(in[1], "g", 1) != 1 && !bad) {
		snprintf(why, sizeof(why), "the program did not wait for its go (stdin closed)");
		bad = 1;
	}
	close(in[1]);
	while (got + 1 < (ssize_t)sizeof(out) && (n = read(fds[0], out + got, sizeof(out) - 1 - got)) > 0)
		got += n;
	out[got] = 0;
	close(fds[0]);
	unlink(copy);
	if (reap(pid, &st) < 0) {
		result(c, 0, "waitpid: %s", strerror(errno));
		return;
	}
	describe(st, d, sizeof(d));
	if (!bad && (!WIFEXITED(st) || WEXITSTATUS(st) != 7))
		snprintf(why, sizeof(why), "the program %s after its file changed, expected exit status 7", d), bad = 1;
	if (!bad && !strstr(out, "echo-args: argc=3\n"))
		snprintf(why, sizeof(why), "the program printed \"%.60s\", expected its argc line", out), bad = 1;
	result(c, !bad, "%s", bad ? why : busy ? "runs on after unlink and reuse of the space (write: ETXTBSY)"
					     : "runs on after its file was rewritten, truncated and removed");
}

static void check_exec_pie(void)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/echo-args-pie", bindir);
	if (access(path, F_OK) < 0) {
		skip("exec-static-pie", "no echo-args-pie beside proc-test");
		return;
	}
	check_exec_one("exec-static-pie", path, 7);
}

/* exec failures return to the caller; done in a child in case one does not */
static char *volatile bad_ptr = (char *)1;

static int exec_errors(char *why, size_t n)
{
	char *argv[] = { "x", NULL };
	char path[PATH_MAX + 32];
	int r, e;

	r = execve("/nonexistent/program", argv, NULL);
	e = errno;
	if (r != -1 || e != ENOENT)
		return snprintf(why, n, "execve(/nonexistent/program) = %d, %s; expected ENOENT", r, strerror(e));
	r = execve(bindir, argv, NULL); /* a directory */
	e = errno;
	if (r != -1 || e != EACCES)
		return snprintf(why, n, "execve(%s) (a directory) = %d, %s; expected EACCES", bindir, r, strerror(e));
	r = execve(bad_ptr, argv, NULL);
	e = errno;
	if (r != -1 || e != EFAULT)
		return snprintf(why, n, "execve((char *)1) = %d, %s; expected EFAULT", r, strerror(e));
	snprintf(path, sizeof(path), "%s/echo-args", bindir);
	r = execve(path, (char **)0xc0000000, NULL);
	e = errno;
	if (r != -1 || e != EFAULT)
		return snprintf(why, n, "execve(echo-args, argv=0xc0000000) = %d, %s; expected EFAULT", r, strerror(e));
	{
		char *bad_argv[] = { "x", (char *)0xc0000000, NULL };

		r = execve(path, bad_argv, NULL);
		e = errno;
		if (r != -1 || e != EFAULT)
			return snprintf(why, n, "execve(echo-args, argv[1]=0xc0000000) = %d, %s; expected EFAULT",
					r, strerror(e));
	}
	return 0;
}

static void check_exec_errors(void)
{
	const char *c = "exec-errors";
	char why[300] = "";
	int fds[2], st;
	ssize_t r;
	pid_t pid;

	if (pipe(fds) < 0) {
		result(c, 0, "pipe: %s", strerror(errno));
		return;
	}
	pid = xfork();
	if (pid < 0) {
		result(c, 0, "fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		int n;

		close(fds[0]);
		n = exec_errors(why, sizeof(why));
		if (n > 0 && write(fds[1], why, strlen(why)) < 0)
			_exit(2);
		_exit(n > 0);
	}
	close(fds[1]);
	r = read(fds[0], why, sizeof(why) - 1);
	why[r > 0 ? r : 0] = 0;
	close(fds[0]);
	if (reap(pid, &st) < 0) {
		result(c, 0, "waitpid: %s", strerror(errno));
		return;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		char d[64];

		describe(st, d, sizeof(d));
		result(c, 0, "%s", why[0] ? why : d);
		return;
	}
	result(c, 1, "ENOENT, EACCES, EFAULT for path, argv and argv[1]");
}

/* ---- malformed ELF files: /bad/EXPECT lists
 *      "name amphi-outcome[|outcome...] linux-host-outcome[|outcome...]" ---- */
static const struct { int e; const char *name; } errnames[] = {
	{ ENOEXEC, "ENOEXEC" }, { EINVAL, "EINVAL" }, { ENOMEM, "ENOMEM" }, { EFAULT, "EFAULT" },
	{ ENOENT, "ENOENT" }, { EACCES, "EACCES" }, { EIO, "EIO" }, { E2BIG, "E2BIG" },
	{ ELIBBAD, "ELIBBAD" }, { EPERM, "EPERM" }, { ENAMETOOLONG, "ENAMETOOLONG" },
};

static const char *errname(int e)
{
	static char buf[16];
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].e == e)
			return errnames[i].name;
	snprintf(buf, sizeof(buf), "errno%d", e);
	return buf;
}

static void check_bad_elf(void)
{
	const char *c = "exec-bad-elf";
	char line[512], path[PATH_MAX + 300], got[64], out[512];
	FILE *f;
	int n = 0, bad = 0;
	/* column 3 of EXPECT when running on a Linux host (tests/userland/check-apps) */
	int on_host = getenv("PROC_TEST_HOST") != NULL;

	if (!baddir[0]) {
		skip(c, "no /bad directory");
		return;
	}
	snprintf(path, sizeof(path), "%s/EXPECT", baddir);
	f = fopen(path, "r");
	if (!f) {
		result(c, 0, "%s: %s", path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char name[128], amphi[256], host[256], *allowed, *tok, *save;
		char *argv[2];
		int st, e, ok = 0;

		if (line[0] == '#' || sscanf(line, "%127s %255s %255s", name, amphi, host) != 3)
			continue;
		allowed = on_host ? host : amphi;
		snprintf(path, sizeof(path), "%s/%s", baddir, name);
		argv[0] = path;
		argv[1] = NULL;
		if (run(path, argv, out, sizeof(out), &st, &e) < 0) {
			result(c, 0, "%s: fork/pipe/wait: %s", name, strerror(errno));
			bad = 1;
			continue;
		}
		if (e)
			snprintf(got, sizeof(got), "%s", errname(e));
		else if (WIFSIGNALED(st))
			snprintf(got, sizeof(got), "SIG%s", WTERMSIG(st) == SIGSEGV ? "SEGV" :
				 WTERMSIG(st) == SIGKILL ? "KILL" : WTERMSIG(st) == SIGBUS ? "BUS" :
				 WTERMSIG(st) == SIGILL ? "ILL" : "OTHER");
		else if (WIFEXITED(st))
			snprintf(got, sizeof(got), "exit:%d", WEXITSTATUS(st));
		else
			snprintf(got, sizeof(got), "status:0x%x", st);
		for (tok = strtok_r(allowed, "|", &save); tok; tok = strtok_r(NULL, "|", &save))
			if (strcmp(tok, got) == 0)
				ok = 1;
		n++;
		printf("proc-test:   %s/%s: %s%s\n", baddir, name, got, ok ? "" : " (NOT allowed)");
		if (!ok)
			bad++;
	}
	fclose(f);
	if (n == 0)
		result(c, 0, "EXPECT lists no files");
	else
		result(c, !bad, "%d files, %d outcomes not allowed by %s/EXPECT (%s column)", n, bad, baddir,
		       on_host ? "Linux host" : "amphi");
}

/* ---- pipes: data through, EOF when the writer closes ---- */
static void check_pipe(void)
{
	const char *c = "pipe";
	enum { TOTAL = 200000 };
	static unsigned char buf[8192];
	int fds[2], st;
	pid_t pid;
	size_t sent = 0;
	char d[64];

	if (pipe(fds) < 0) {
		result(c, 0, "pipe: %s", strerror(errno));
		return;
	}
	pid = xfork();
	if (pid < 0) {
		result(c, 0, "fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		/* reader: check the pattern and the count, then EOF */
		size_t got = 0, i;
		ssize_t r;

		close(fds[1]);
		while ((r = read(fds[0], buf, sizeof(buf))) != 0) {
			if (r < 0) {
				if (errno == EINTR)
					continue;
				_exit(2);
			}
			for (i = 0; i < (size_t)r; i++)
				if (buf[i] != (unsigned char)((got + i) * 7 + 3))
					_exit(3);
			got += (size_t)r;
		}
		_exit(got == TOTAL ? 0 : 4);
	}
	close(fds[0]);
	while (sent < TOTAL) {
		size_t chunk = TOTAL - sent < 3001 ? TOTAL - sent : 3001, i;
		ssize_t w;

		for (i = 0; i < chunk; i++)
			buf[i] = (unsigned char)((sent + i) * 7 + 3);
		w = write(fds[1], buf, chunk);
		if (w <= 0) {
			if (w < 0 && errno == EINTR)
				continue;
			break;
		}
		sent += (size_t)w;
	}
	close(fds[1]);
	if (reap(pid, &st) < 0) {
		result(c, 0, "waitpid: %s", strerror(errno));
		return;
	}
	describe(st, d, sizeof(d));
	if (sent != TOTAL)
		result(c, 0, "wrote only %zu of %d bytes", sent, TOTAL);
	else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		result(c, 0, "reader: %s (2 read error, 3 data corrupt, 4 wrong count / no EOF)", d);
	else
		result(c, 1, "%d bytes parent->child, EOF after close", TOTAL);
}

static void check_pipe_epipe(void)
{
	const char *c = "pipe-epipe";
	int fds[2];
	ssize_t w;

	if (pipe(fds) < 0) {
		result(c, 0, "pipe: %s", strerror(errno));
		return;
	}
	signal(SIGPIPE, SIG_IGN);
	close(fds[0]);
	w = write(fds[1], "x", 1);
	if (w != -1 || errno != EPIPE)
		result(c, 0, "write with no reader = %zd (%s), expected EPIPE", w, strerror(errno));
	else
		result(c, 1, "write with no reader: EPIPE");
	close(fds[1]);
	signal(SIGPIPE, SIG_DFL);
}

/* ---- anonymous mmap (mmap2 on i386), munmap, fault after munmap ---- */
/* A child writes one byte at addr; it must die of SIGSEGV. */
static __attribute__((noinline)) void expect_child_segv(const char *c, unsigned char *addr, const char *what)
{
	pid_t pid = xfork();
	int st;
	char d[64];

	if (pid < 0) {
		result(c, 0, "fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		*(volatile unsigned char *)addr = 1;
		_exit(0);
	}
	if (reap(pid, &st) < 0) {
		result(c, 0, "waitpid: %s", strerror(errno));
		return;
	}
	describe(st, d, sizeof(d));
	result(c, WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "%s: %s", what, d);
}

static void check_mmap(void)
{
	const char *c = "mmap-anon";
	enum { PAGES = 16 };
	size_t len = PAGES * 4096, i;
	unsigned char *p;
	pid_t pid;
	int st;
	char d[64];

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		result(c, 0, "mmap: %s", strerror(errno));
		return;
	}
	if ((uintptr_t)p & 4095) {
		result(c, 0, "mmap returned unaligned %p", (void *)p);
		return;
	}
	for (i = 0; i < len; i++)
		if (p[i]) {
			result(c, 0, "fresh mapping not zero at +%zu", i);
			return;
		}
	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(i ^ (i >> 12));
	for (i = 0; i < len; i++)
		if (p[i] != (unsigned char)(i ^ (i >> 12))) {
			result(c, 0, "read back differs at +%zu", i);
			return;
		}
	/* a child sees a copy */
	pid = xfork();
	if (pid == 0) {
		for (i = 0; i < len; i += 4096)
			if (p[i] != (unsigned char)(i ^ (i >> 12)))
				_exit(1);
		memset(p, 0x55, len); /* must not show in the parent */
		_exit(0);
	}
	if (pid < 0 || reap(pid, &st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		result(c, 0, "child did not see the parent's data");
		return;
	}
	if (p[0] != 0 || p[4096] != (unsigned char)(4096 ^ 1)) {
		result(c, 0, "child's writes leaked into the parent (copy-on-write)");
		return;
	}
	if (munmap(p, len) < 0) {
		result(c, 0, "munmap: %s", strerror(errno));
		return;
	}
	result(c, 1, "%d pages: zeroed, written, read back, private across fork, unmapped", PAGES);

	expect_child_segv("mmap-segv-after-munmap", p + 4096, "child touching the unmapped page");

	c = "mprotect";
	p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		result(c, 0, "mmap: %s", strerror(errno));
		return;
	}
	p[0] = 1;
	if (mprotect(p, 4096, PROT_READ) < 0) {
		result(c, 0, "mprotect: %s", strerror(errno));
		munmap(p, 2 * 4096);
		return;
	}
	pid = xfork();
	if (pid == 0) {
		p[4096] = 2;		/* still writable */
		if (p[0] != 1)		/* still readable */
			_exit(1);
		*(volatile unsigned char *)p = 3; /* read-only now */
		_exit(0);
	}
	if (pid < 0 || reap(pid, &st) < 0) {
		result(c, 0, "fork/waitpid: %s", strerror(errno));
		munmap(p, 2 * 4096);
		return;
	}
	describe(st, d, sizeof(d));
	result(c, WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "write to a PROT_READ page: %s", d);
	munmap(p, 2 * 4096);
}

/* ---- brk directly, and malloc of a few MB ---- */
static void check_brk_malloc(void)
{
	const char *c = "brk";
	uintptr_t cur, want, got;
	size_t mb = 4 << 20, i;
	unsigned char *m;

	cur = (uintptr_t)syscall(SYS_brk, 0);
	want = cur + mb;
	got = (uintptr_t)syscall(SYS_brk, want);
	if (cur == 0 || got != want) {
		result(c, 0, "brk(0)=0x%lx, brk(0x%lx)=0x%lx", (unsigned long)cur, (unsigned long)want,
		       (unsigned long)got);
	} else {
		m = (unsigned char *)cur;
		for (i = 0; i < mb; i += 4096)
			m[i] = (unsigned char)(i >> 12);
		for (i = 0; i < mb; i += 4096)
			if (m[i] != (unsigned char)(i >> 12))
				break;
		got = (uintptr_t)syscall(SYS_brk, cur);
		if (i < mb)
			result(c, 0, "read back differs at +%zu", i);
		else if (got != cur)
			result(c, 0, "shrinking back returned 0x%lx", (unsigned long)got);
		else
			result(c, 1, "grew by 4 MiB at 0x%lx, wrote, shrank back", (unsigned long)cur);
	}

	c = "malloc";
	{
		enum { SMALL = 2000 };
		static void *small[SMALL];
		size_t big = 6 << 20;

		m = malloc(big);
		if (!m) {
			result(c, 0, "malloc(%zu) failed", big);
			return;
		}
		memset(m, 0xa5, big);
		for (i = 0; i < SMALL; i++) {
			small[i] = malloc(16 + i % 500);
			if (!small[i])
				break;
			memset(small[i], (int)i, 16 + i % 500);
		}
		if (i < SMALL) {
			result(c, 0, "small malloc #%zu failed", i);
			return;
		}
		for (i = 0; i < SMALL; i++)
			if (((unsigned char *)small[i])[15] != (unsigned char)i)
				break;
		if (i < SMALL || m[big - 1] != 0xa5) {
			result(c, 0, "heap contents corrupted");
			return;
		}
		for (i = 0; i < SMALL; i++)
			free(small[i]);
		free(m);
		result(c, 1, "6 MiB block and %d small blocks", SMALL);
	}
}

/* ---- TLS: set_thread_area by musl's start-up; per-process copies ---- */
static __thread int tls_a = 0x1234;
static __thread int tls_b = 0x5678;
static __thread char tls_zero[256];

static void check_tls(void)
{
	const char *c = "tls";
	uintptr_t gs0 = 0, self_p = (uintptr_t)pthread_self();
	unsigned short gs;
	size_t i;
	pid_t pid;
	int st;

	__asm__ volatile("mov %%gs, %0" : "=r"(gs));
	if ((gs & 3) != 3) {
		result(c, 0, "%%gs=0x%x is not a user selector (set_thread_area not done?)", gs);
		return;
	}
	__asm__ volatile("movl %%gs:0, %0" : "=r"(gs0));
	if (gs0 != self_p) {
		result(c, 0, "%%gs:0=0x%lx, pthread_self()=0x%lx", (unsigned long)gs0, (unsigned long)self_p);
		return;
	}
	if (tls_a != 0x1234 || tls_b != 0x5678) {
		result(c, 0, ".tdata initial values wrong: %#x %#x", tls_a, tls_b);
		return;
	}
	for (i = 0; i < sizeof(tls_zero); i++)
		if (tls_zero[i]) {
			result(c, 0, ".tbss not zero at %zu", i);
			return;
		}
	if ((uintptr_t)&tls_a == (uintptr_t)&tls_b) {
		result(c, 0, "two __thread variables share an address");
		return;
	}
	tls_a = 111;
	memset(tls_zero, 0x7f, sizeof(tls_zero));
	if (tls_b != 0x5678 || *(volatile int *)&tls_a != 111) {
		result(c, 0, "writing tls_a changed tls_b (%#x)", tls_b);
		return;
	}
	result(c, 1, "%%gs=0x%x, tp=0x%lx, &tls_a=%p", gs, (unsigned long)self_p, (void *)&tls_a);

	c = "tls-fork";
	pid = xfork();
	if (pid < 0) {
		result(c, 0, "fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		uintptr_t g = 0;

		__asm__ volatile("movl %%gs:0, %0" : "=r"(g));
		if (tls_a != 111 || g != self_p)
			_exit(1); /* the child inherits TLS and its thread pointer */
		tls_a = 222;
		tls_b = 333;
		_exit(tls_a == 222 && tls_b == 333 && tls_zero[5] == 0x7f ? 0 : 2);
	}
	if (reap(pid, &st) < 0) {
		result(c, 0, "waitpid: %s", strerror(errno));
		return;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		char d[64];

		describe(st, d, sizeof(d));
		result(c, 0, "child: %s (1: inherited TLS wrong, 2: writes lost)", d);
		return;
	}
	if (tls_a != 111 || tls_b != 0x5678)
		result(c, 0, "child's TLS writes leaked into the parent (%d %#x)", tls_a, tls_b);
	else
		result(c, 1, "child inherits and writes its own copy");
}

/* ---- clocks ---- */
static long long ts_ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static void check_clock(void)
{
	const char *c = "clock-nanosleep";
	struct timespec t0, t1, t2, req = { 0, 10 * 1000 * 1000 };
	long long d;

	if (clock_gettime(CLOCK_MONOTONIC, &t0) < 0) {
		result(c, 0, "clock_gettime(CLOCK_MONOTONIC): %s", strerror(errno));
		return;
	}
	if (clock_gettime(CLOCK_MONOTONIC, &t1) < 0 || ts_ns(&t1) < ts_ns(&t0)) {
		result(c, 0, "CLOCK_MONOTONIC went backwards");
		return;
	}
	if (nanosleep(&req, NULL) < 0) {
		result(c, 0, "nanosleep: %s", strerror(errno));
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t2);
	d = ts_ns(&t2) - ts_ns(&t1);
	if (d < 10 * 1000 * 1000LL)
		result(c, 0, "nanosleep(10 ms) took %lld us", d / 1000);
	else if (d > 5 * 1000 * 1000 * 1000LL)
		result(c, 0, "nanosleep(10 ms) took %lld ms", d / 1000000);
	else
		result(c, 1, "nanosleep(10 ms): CLOCK_MONOTONIC advanced %lld us", d / 1000);
}

/* ---- a fault in a child is that child's death only ---- */
static void check_child_fault(void)
{
	expect_child_segv("child-segv", NULL, "child writing address 0");
}

/* ---- orphans: a grandchild outlives its parent and is reparented ---- */
static void check_orphan(void)
{
	const char *c = "orphan";
	int fds[2], st;
	pid_t pid;
	char b;

	if (pipe(fds) < 0) {
		result(c, 0, "pipe: %s", strerror(errno));
		return;
	}
	pid = xfork();
	if (pid < 0) {
		result(c, 0, "fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		pid_t g = fork(), parent = getpid();

		if (g == 0) {
			int i;

			close(fds[0]);
			/* wait until reparented, then report */
			for (i = 0; i < 500 && getppid() == parent; i++)
				usleep(2000);
			b = getppid() != parent ? 'y' : 'n';
			if (write(fds[1], &b, 1) < 0)
				_exit(1);
			_exit(0);
		}
		_exit(g < 0 ? 1 : 0);
	}
	close(fds[1]);
	if (reap(pid, &st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		result(c, 0, "middle child failed");
		close(fds[0]);
		return;
	}
	if (read(fds[0], &b, 1) != 1)
		b = '?';
	close(fds[0]);
	result(c, b == 'y', "grandchild %s", b == 'y' ? "reparented after its parent exited" :
	       b == 'n' ? "still sees its dead parent as getppid()" : "never reported");
}

static const struct {
	const char *name;
	void (*fn)(void);
} checks[] = {
	{ "getpid", check_pids },
	{ "fork-wait", check_fork_wait },
	{ "fork-exec", check_fork_exec },
	{ "exec-self", check_exec_self },
	{ "exec-static-pie", check_exec_pie },
	{ "exec-file-changed", check_exec_file_changed },
	{ "exec-errors", check_exec_errors },
	{ "exec-bad-elf", check_bad_elf },
	{ "pipe", check_pipe },
	{ "pipe-epipe", check_pipe_epipe },
	{ "mmap", check_mmap },
	{ "brk-malloc", check_brk_malloc },
	{ "tls", check_tls },
	{ "clock", check_clock },
	{ "child-segv", check_child_fault },
	{ "orphan", check_orphan },
};
#define NCHECKS (sizeof(checks) / sizeof(checks[0]))

static void find_dirs(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	char cand[PATH_MAX + 8];

	if (slash && slash != argv0) {
		snprintf(bindir, sizeof(bindir), "%.*s", (int)(slash - argv0), argv0);
		snprintf(self, sizeof(self), "%s", argv0);
	} else {
		snprintf(bindir, sizeof(bindir), "/bin");
		snprintf(self, sizeof(self), "/bin/proc-test");
	}
	snprintf(cand, sizeof(cand), "%s/../bad", bindir);
	if (access("/bad/EXPECT", R_OK) == 0)
		snprintf(baddir, sizeof(baddir), "/bad");
	else if (access(cand, R_OK) == 0)
		snprintf(baddir, sizeof(baddir), "%s", cand);
}

int main(int argc, char **argv)
{
	size_t i;
	int a;

	if (argc == 3 && strcmp(argv[1], "--child-exit") == 0)
		return atoi(argv[2]);
	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (i = 0; i < NCHECKS; i++)
			printf("%s\n", checks[i].name);
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	find_dirs(argv[0]);
	printf("proc-test: pid %d, programs from %s, bad ELF files from %s\n", (int)getpid(), bindir,
	       baddir[0] ? baddir : "(none)");
	for (i = 0; i < NCHECKS; i++) {
		int want = argc == 1;

		for (a = 1; a < argc; a++)
			if (strcmp(argv[a], checks[i].name) == 0)
				want = 1;
		if (want)
			checks[i].fn();
	}
	/* nothing may be left behind */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	printf("proc-test: %d passed, %d failed%s\n", passed, failed,
	       skipped ? " (some skipped)" : "");
	return failed != 0;
}
