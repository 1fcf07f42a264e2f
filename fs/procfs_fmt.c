/*
 * /proc's pure half (no locks, no allocation; host-tested in
 * tests/unit/test_procfs.c): names under /proc parsed into what they
 * denote, and a process snapshot (struct proc_info) formatted as Linux
 * formats /proc/<pid>/status, stat and cmdline (proc(5)), so that
 * busybox ps and friends read them unchanged.  fs/procfs.c is the VFS side.
 */
#include <amphi/procfs.h>
#include <amphi/errno.h>
#include <amphi/printk.h>
#include <amphi/string.h>
#include <stdarg.h>

const char *const procfs_pid_files[] = { "cmdline", "stat", "status", 0 };

int procfs_parse_pid(const char *s, size_t len)
{
	if (len == 0 || len > 9 || (s[0] == '0'))
		return -1;              /* pids are positive, printed without leading zeros */
	int v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* The next component of *p (after its slashes): its length, 0 at the end. */
static size_t component(const char **p, const char **start)
{
	while (**p == '/')
		(*p)++;
	*start = *p;
	while (**p && **p != '/')
		(*p)++;
	return (size_t)(*p - *start);
}

static int is_name(const char *s, size_t len, const char *name)
{
	return strlen(name) == len && !memcmp(s, name, len);
}

int procfs_parse(const char *rest, int self_pid, int follow, struct procfs_ent *out)
{
	const char *p = rest, *c;
	size_t len = component(&p, &c);
	out->pid = 0;
	if (!len) {
		out->kind = PROCFS_ROOT;
		return 0;
	}
	int pid;
	if (is_name(c, len, "self")) {
		const char *q = p, *c2;
		int more = component(&q, &c2) != 0;
		if (!more && !follow) {
			out->kind = PROCFS_SELF;
			return 0;
		}
		if (self_pid <= 0)
			return -ENOENT;     /* a kernel thread has no /proc/self */
		pid = self_pid;
	} else if ((pid = procfs_parse_pid(c, len)) < 0) {
		for (const struct procfs_sys_file *f = procfs_sys_files; f->name; f++)
			if (is_name(c, len, f->name)) {
				out->kind = f->kind;
				len = component(&p, &c);
				if (f->kind == PROCFS_NET_DIR && len) {
					const struct procfs_sys_file *nf = procfs_net_files;
					while (nf->name && !is_name(c, len, nf->name))
						nf++;
					if (!nf->name)
						return -ENOENT;
					out->kind = nf->kind;
					len = component(&p, &c);
				}
				return len ? -ENOTDIR : 0;
			}
		return -ENOENT;
	}
	out->pid = pid;
	len = component(&p, &c);
	if (!len) {
		out->kind = PROCFS_PID_DIR;
		return 0;
	}
	if (is_name(c, len, "status"))
		out->kind = PROCFS_STATUS;
	else if (is_name(c, len, "stat"))
		out->kind = PROCFS_STAT;
	else if (is_name(c, len, "cmdline"))
		out->kind = PROCFS_CMDLINE;
	else
		return -ENOENT;
	if (component(&p, &c))
		return -ENOTDIR;        /* a file used as a directory */
	return 0;
}

/* snprintf that appends and keeps counting past the end of the buffer. */
struct sbuf {
	char *buf;
	size_t n, len;
};

static void put(struct sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct sbuf *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = s->len < s->n ? s->n - s->len : 0;
	int k = vsnprintf(room ? s->buf + s->len : 0, room, fmt, ap);
	va_end(ap);
	if (k > 0)
		s->len += (size_t)k;
}

static void put_raw(struct sbuf *s, const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++, s->len++)
		if (s->len + 1 < s->n)
			s->buf[s->len] = data[i];
	if (s->n)
		s->buf[s->len < s->n ? s->len : s->n - 1] = '\0';
}

static const char *state_name(char st)
{
	switch (st) {
	case 'R': return "R (running)";
	case 'S': return "S (sleeping)";
	case 'Z': return "Z (zombie)";
	}
	return "? (unknown)";
}

static void format_status(struct sbuf *s, const struct proc_info *pi)
{
	/* Name as Linux escapes it: a backslash and a newline are written \\ and \n. */
	put(s, "Name:\t");
	for (size_t i = 0; i < sizeof(pi->name) && pi->name[i]; i++) {
		char ch = pi->name[i];
		if (ch == '\\')
			put_raw(s, "\\\\", 2);
		else if (ch == '\n')
			put_raw(s, "\\n", 2);
		else
			put_raw(s, &ch, 1);
	}
	put(s, "\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n"
	       "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t64\nGroups:\t\nThreads:\t1\n",
	    (unsigned)(pi->umask & 0777), state_name(pi->state), pi->pid, pi->pid, pi->ppid);
	put(s, "SigPnd:\t%08x%08x\nShdPnd:\t0000000000000000\nSigBlk:\t%08x%08x\n",
	    (unsigned)(pi->sig_pending >> 32), (unsigned)pi->sig_pending,
	    (unsigned)(pi->sig_blocked >> 32), (unsigned)pi->sig_blocked);
	/* amphi's own lines. */
	put(s, "Kmode:\t%s\nRing:\t%d\n", pi->kmode ? "yes" : "no", pi->ring);
}

static void format_stat(struct sbuf *s, const struct proc_info *pi)
{
	/* proc(5)'s 52 fields; what amphi does not track is 0 (rsslim: no
	 * limit; exit_signal: SIGCHLD).  comm is written raw, as Linux does:
	 * readers split at the last ')'. */
	char comm[sizeof(pi->name) + 1];
	memcpy(comm, pi->name, sizeof(pi->name));
	comm[sizeof(pi->name)] = '\0';
	put(s, "%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 %llu 0 0 4294967295 "
	       "0 0 0 0 0 %u %u 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
	    pi->pid, comm, pi->state, pi->ppid, pi->pgid, pi->sid,
	    (unsigned long long)pi->start_ticks,
	    (unsigned)pi->sig_pending & 0x7fffffffu, (unsigned)pi->sig_blocked & 0x7fffffffu);
}

size_t procfs_format(enum procfs_kind kind, const struct proc_info *pi, char *buf, size_t n)
{
	struct sbuf s = { buf, n, 0 };
	if (n)
		buf[0] = '\0';
	switch (kind) {
	case PROCFS_STATUS:
		format_status(&s, pi);
		break;
	case PROCFS_STAT:
		format_stat(&s, pi);
		break;
	case PROCFS_CMDLINE: {
		/* argv as kept at exec; the name when none was kept. */
		uint32_t len = pi->cmdline_len < sizeof(pi->cmdline) ? pi->cmdline_len : sizeof(pi->cmdline);
		if (len)
			put_raw(&s, pi->cmdline, len);
		else {
			put_raw(&s, pi->name, strnlen(pi->name, sizeof(pi->name)));
			put_raw(&s, "", 1);
		}
		break;
	}
	default:
		break;
	}
	return s.len;
}
