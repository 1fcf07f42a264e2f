/*
 * /proc, read-only and synthesised (nothing of it lives in ramfs): the
 * directory lists "self" (a symlink to the caller's pid) and one directory
 * per process, zombies included; each holds status, stat and cmdline in
 * Linux's formats (fs/procfs_fmt.c), so that `ps` and `cat /proc/<pid>/status`
 * work, and status adds amphi's "Kmode:" and "Ring:" lines (the ring a
 * process runs in: kmode/README).  /proc itself also holds the system
 * files (meminfo, mounts, uptime, loadavg, cpuinfo, version, stat, and
 * kmsg, the kernel log: fs/procfs_sys.c).
 *
 * kernel/vfs.c hands every path that normalizes to /proc or below here
 * (procfs_match) before it looks at ramfs; a ramfs symlink that points into
 * /proc is not followed into it.  A file's text is generated once, at open,
 * from a snapshot the process core takes under its lock (proc_info_get):
 * reads at any offset see one consistent copy.  A process that is gone by
 * open or stat gives -ENOENT; anything that would write gives -EACCES.
 */
#include <amphi/procfs.h>
#include <amphi/vfs.h>
#include <amphi/errno.h>
#include <amphi/heap.h>
#include <amphi/printk.h>
#include <amphi/string.h>
#include "file.h"

#define PROCFS_DEV 4                    /* st_dev: apart from ramfs (1) */
#define PROCFS_BUF 1024                 /* the longest file (status) is ~300 bytes */

static int pid_exists(int pid)
{
	return proc_next_pid(pid) == pid;
}

/* Kept out of the callers' frames: the path buffer is 1 KiB. */
__attribute__((noinline))
int procfs_match(const char *cwd, const char *path, int follow, struct procfs_ent *e, int *err)
{
	char abs[VFS_PATH_MAX];
	if (path_normalize(cwd, path, abs, sizeof(abs)) != 0)
		return 0;               /* ramfs reports the error */
	if (strncmp(abs, "/proc", 5) || (abs[5] && abs[5] != '/'))
		return 0;
	*err = procfs_parse(abs + 5, proc_current_pid(), follow, e);
	if (!*err && e->pid && !pid_exists(e->pid))
		*err = -ENOENT;
	return 1;
}

static uint32_t ino_of(const struct procfs_ent *e)
{
	return e->kind == PROCFS_ROOT ? 1 : e->kind == PROCFS_SELF ? 2
	     : e->kind >= PROCFS_MEMINFO ? 16u + (uint32_t)e->kind
	     : 0x1000u + ((uint32_t)e->pid << 3) + (uint32_t)e->kind;
}

static uint32_t mode_of(enum procfs_kind k)
{
	if (k == PROCFS_ROOT || k == PROCFS_PID_DIR || k == PROCFS_NET_DIR)
		return S_IFDIR | 0555;
	if (k == PROCFS_SELF)
		return S_IFLNK | 0777;
	return S_IFREG | (k == PROCFS_KMSG ? 0400 : 0444);
}

int procfs_stat(const struct procfs_ent *e, struct kstat64 *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = PROCFS_DEV;
	st->__st_ino = st->st_ino = ino_of(e);
	st->st_mode = mode_of(e->kind);
	st->st_nlink = (st->st_mode & S_IFMT) == S_IFDIR ? 2 : 1;
	st->st_blksize = 1024;
	if (e->kind == PROCFS_SELF) {
		char buf[16];
		st->st_size = snprintf(buf, sizeof(buf), "%d", proc_current_pid());
	}
	return 0;                       /* files read as size 0, as on Linux */
}

int procfs_readlink(const struct procfs_ent *e, char *buf, size_t n)
{
	if (e->kind != PROCFS_SELF)
		return -EINVAL;
	char tmp[16];
	int pid = proc_current_pid();
	if (pid <= 0)
		return -ENOENT;
	size_t len = (size_t)snprintf(tmp, sizeof(tmp), "%d", pid);
	if (len > n)
		len = n;
	memcpy(buf, tmp, len);
	return (int)len;
}

int procfs_dir_path(const struct procfs_ent *e, char *buf, size_t n)
{
	if (e->kind != PROCFS_ROOT && e->kind != PROCFS_PID_DIR && e->kind != PROCFS_NET_DIR)
		return -ENOTDIR;
	size_t len = e->kind == PROCFS_ROOT ? (size_t)snprintf(buf, n, "/proc")
		   : e->kind == PROCFS_NET_DIR ? (size_t)snprintf(buf, n, "/proc/net")
					       : (size_t)snprintf(buf, n, "/proc/%d", e->pid);
	return len < n ? (int)len : -ENAMETOOLONG;
}

/* ---- files: a snapshot taken at open ---- */

struct snap {
	struct procfs_ent ent;          /* for fstat */
	size_t len;
	char data[];
};

static ssize32_t snap_read(struct file *f, void *buf, size_t n)
{
	struct snap *s = f->priv;
	if (n == 0 || f->off < 0 || (uint64_t)f->off >= s->len)
		return 0;
	size_t k = s->len - (size_t)f->off;
	if (k > n)
		k = n;
	memcpy(buf, s->data + f->off, k);
	f->off += (int64_t)k;
	return (ssize32_t)k;
}

static int64_t snap_lseek(struct file *f, int64_t off, int whence)
{
	struct snap *s = f->priv;
	int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->off
		     : whence == SEEK_END ? (int64_t)s->len : -1;
	if (base < 0 || (off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	return f->off = base + off;
}

/* Both kinds of file keep a struct procfs_ent first in priv. */
static int ent_stat(struct file *f, struct kstat64 *st)
{
	return procfs_stat((const struct procfs_ent *)f->priv, st);
}

static void ent_release(struct file *f)
{
	kfree(f->priv);
}

static ssize32_t ro_write(struct file *f, const void *buf, size_t n)
{
	(void)f; (void)buf; (void)n;
	return -EACCES;                 /* not reached: opens for writing fail */
}

static const struct file_ops snap_ops = {
	.read = snap_read, .write = ro_write, .lseek = snap_lseek,
	.release = ent_release, .stat = ent_stat,
};

static int snap_make(struct file *f, const struct procfs_ent *e, const char *text, size_t len)
{
	struct snap *s = kmalloc(sizeof(*s) + len);
	if (!s)
		return -ENOMEM;
	s->ent = *e;
	s->len = len;
	memcpy(s->data, text, len);
	f->priv = s;
	f->ops = &snap_ops;
	return 0;
}

static int snap_open(struct file *f, const struct procfs_ent *e)
{
	if (e->kind == PROCFS_KMSG)
		return procfs_kmsg_open(f, e);
	if (e->kind >= PROCFS_MEMINFO) {
		char *text;
		size_t len;
		int r = procfs_sys_text(e->kind, &text, &len);
		if (r)
			return r;
		r = snap_make(f, e, text, len);
		kfree(text);
		return r;
	}
	struct proc_info *pi = kmalloc(sizeof(*pi));
	char *buf = kmalloc(PROCFS_BUF);
	struct snap *s = 0;
	int r = -ENOMEM;
	if (pi && buf) {
		r = proc_info_get(e->pid, pi);      /* -ENOENT: it has gone since the lookup */
		if (!r) {
			size_t len = procfs_format(e->kind, pi, buf, PROCFS_BUF);
			if (len > PROCFS_BUF)
				len = PROCFS_BUF;   /* not reached: the formats are bounded */
			s = kmalloc(sizeof(*s) + len);
			if (s) {
				s->ent = *e;
				s->len = len;
				memcpy(s->data, buf, len);
				f->priv = s;
				f->ops = &snap_ops;
			} else {
				r = -ENOMEM;
			}
		}
	}
	kfree(pi);
	kfree(buf);
	return r;
}

/* ---- directories ---- */

/* Positions: 0 ".", 1 "..", then in /proc the system files from 2, "self"
 * at SELF_POS and pid P at P + SELF_POS + 1 (a position survives processes
 * coming and going); in /proc/<pid> the files from 2. */
#define NR_SYS_FILES (PROCFS_KMSG - PROCFS_MEMINFO + 1)
#define SELF_POS (2 + NR_SYS_FILES)
static int dir_readdir(struct file *f, ramfs_fill_fn fill, void *ctx)
{
	const struct procfs_ent *e = f->priv;
	char name[16];
	for (;;) {
		int64_t pos = f->off;
		struct procfs_ent c = { PROCFS_ROOT, 0 };
		const char *nm;
		int64_t next = pos + 1;
		if (pos == 0) {
			nm = ".";
			c = *e;
		} else if (pos == 1) {
			nm = "..";
		} else if (e->kind == PROCFS_ROOT && pos < SELF_POS) {
			nm = procfs_sys_files[pos - 2].name;
			c.kind = procfs_sys_files[pos - 2].kind;
		} else if (e->kind == PROCFS_ROOT && pos == SELF_POS) {
			nm = "self";
			c.kind = PROCFS_SELF;
		} else if (e->kind == PROCFS_ROOT) {
			int64_t min = pos - (SELF_POS + 1);
			int pid = min > 0x7fffffff ? -1 : proc_next_pid((int)min);
			if (pid < 0)
				return 0;
			snprintf(name, sizeof(name), "%d", pid);
			nm = name;
			c.kind = PROCFS_PID_DIR;
			c.pid = pid;
			next = (int64_t)pid + SELF_POS + 2;
		} else if (e->kind == PROCFS_NET_DIR) {
			if (pos - 2 >= PROCFS_NET_FILES)
				return 0;
			nm = procfs_net_files[pos - 2].name;
			c.kind = procfs_net_files[pos - 2].kind;
		} else {
			if (!pid_exists(e->pid))
				return -ENOENT;
			if (pos - 2 >= 3 || !procfs_pid_files[pos - 2])
				return 0;
			nm = procfs_pid_files[pos - 2];
			c.pid = e->pid;
			c.kind = nm[0] == 'c' ? PROCFS_CMDLINE : nm[4] ? PROCFS_STATUS : PROCFS_STAT;
		}
		if (fill(ctx, nm, strlen(nm), ino_of(&c), mode_of(c.kind), (uint64_t)next))
			return 0;
		f->off = next;
	}
}

static int64_t dir_lseek(struct file *f, int64_t off, int whence)
{
	if (whence == SEEK_SET && off >= 0)
		return f->off = off;
	if (whence == SEEK_CUR && off == 0)
		return f->off;
	return -EINVAL;
}

static ssize32_t dir_read(struct file *f, void *buf, size_t n)
{
	(void)f; (void)buf; (void)n;
	return -EISDIR;
}

static int dir_path(struct file *f, char *buf, size_t n)
{
	return procfs_dir_path((const struct procfs_ent *)f->priv, buf, n);
}

static const struct file_ops dir_ops = {
	.read = dir_read, .write = ro_write, .lseek = dir_lseek, .release = ent_release,
	.stat = ent_stat, .readdir = dir_readdir, .dir_path = dir_path,
};

int procfs_open(struct file *f, const struct procfs_ent *e, int flags)
{
	int acc = flags & O_ACCMODE;
	int dir = e->kind == PROCFS_ROOT || e->kind == PROCFS_PID_DIR || e->kind == PROCFS_NET_DIR;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	if (e->kind == PROCFS_SELF)
		return -ELOOP;          /* O_NOFOLLOW on the link */
	if ((flags & O_DIRECTORY) && !dir)
		return -ENOTDIR;
	if (acc != O_RDONLY || (flags & (O_TRUNC | O_CREAT)))
		return dir ? -EISDIR : -EACCES;
	if (!dir)
		return snap_open(f, e);
	struct procfs_ent *d = kmalloc(sizeof(*d));
	if (!d)
		return -ENOMEM;
	*d = *e;
	f->priv = d;
	f->ops = &dir_ops;
	return 0;
}
