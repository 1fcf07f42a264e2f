/*
 * The VFS: one ramfs root, open file descriptions, descriptor tables.
 * Every ramfs call runs under vfs_lock (interrupts masked: ramfs never
 * blocks); pipes and the console block outside it, in their own code.
 */
#include <amphi/vfs.h>
#include <amphi/errno.h>
#include <amphi/heap.h>
#include <amphi/string.h>
#include <amphi/printk.h>
#include <amphi/spinlock.h>
#include <amphi/boot.h>
#include <amphi/kmap.h>
#include <amphi/mm.h>
#include <amphi/layout.h>
#include <amphi/procfs.h>
#include <amphi/cmdline.h>
#include <amphi/timer.h>
#include "../fs/file.h"
#include "../fs/mount.h"


/* A path on a mounted file system: the mount's operation runs instead of
 * the ramfs's.  OPS and SB name the mount, REL the path inside it. */
#define ROUTE(cwd, path, call) do {                                             \
		struct mount *m_;                                               \
		char *REL;                                                      \
		int mr_ = mount_find(cwd, path, &m_, &REL);                     \
		if (mr_ < 0)                                                    \
			return mr_;                                             \
		if (mr_) {                                                      \
			const struct vfs_fs_ops *OPS = mount_ops(m_);           \
			void *SB = mount_sb(m_);                                \
			(void)OPS; (void)SB;                                    \
			int rr_ = (call);                                       \
			kfree(REL);                                             \
			return rr_;                                             \
		}                                                               \
	} while (0)

static struct ramfs rootfs;
static int vfs_ready;
static int vfs_boot_done;
static spinlock_t vfs_lock = SPINLOCK_INIT("vfs");

#define LOCK() irqflags_t __lf = spin_lock_irqsave(&vfs_lock)
#define UNLOCK() spin_unlock_irqrestore(&vfs_lock, __lf)

/* ---- bring-up ---- */

static int mkdir_p(const char *path, uint32_t mode)
{
	struct ramfs_walk w;
	int r = ramfs_walk(&rootfs, 0, path, 1, &w);
	if (r)
		return r;
	if (w.node)
		return RNODE_IS_DIR(w.node) ? 0 : -EEXIST;
	return ramfs_mknod(&rootfs, w.parent, w.name, strlen(w.name), S_IFDIR | mode, 0, 0);
}

static int make_dev(const char *path, uint32_t mode, uint32_t rdev)
{
	struct ramfs_walk w;
	int r = ramfs_walk(&rootfs, 0, path, 0, &w);
	if (r)
		return r;
	if (w.node)
		return 0;          /* the archive brought its own */
	return ramfs_mknod(&rootfs, w.parent, w.name, strlen(w.name), mode, rdev, 0);
}

/* The size limit of the root tree (amphi.tmpfs_size=, as tmpfs's size=).
 * By default 90 % of memory, not tmpfs's 50 %: there is no swap and no page
 * cache here to share memory with, files are what a shell fills memory
 * with, and a 400 MiB file must fit on a 512 MiB machine.  The frames' own
 * reserve (mm/filepages.c) keeps the kernel alive whatever the limit. */
static void vfs_set_limit(void)
{
	char v[32];
	uint32_t total = mm_summary.frames_total;
	const char *arg = cmdline_get(boot_info.cmdline, "amphi.tmpfs_size", v, sizeof(v));
	if (arg && ramfs_parse_size(arg, total, &rootfs.max_pages) == 0) {
		printk("vfs: files may hold %u MiB (amphi.tmpfs_size=%s)\n", rootfs.max_pages >> 8, arg);
		return;
	}
	if (arg)
		printk("vfs: amphi.tmpfs_size=%s: not a size (bytes with k/m/g, or a percentage); "
		       "using the default\n", arg);
	rootfs.max_pages = (uint32_t)((uint64_t)total * 9 / 10);
	printk("vfs: files may hold %u MiB (90%% of memory; amphi.tmpfs_size= to change)\n",
	       rootfs.max_pages >> 8);
}

static int vfs_setup_root(void)
{
	if (vfs_ready)
		return 0;
	rootfs.clock_ns = realtime_ns;
	int r = ramfs_init(&rootfs);
	if (r)
		return r;
	vfs_set_limit();
	vfs_ready = 1;
	return 0;
}

/* Device nodes made by drivers (the block layer's /dev/vda ...). */
int vfs_mknod(const char *path, uint32_t mode, uint32_t rdev)
{
	LOCK();
	int r = vfs_setup_root();
	if (!r)
		r = mkdir_p("/dev", 0755);
	if (!r)
		r = make_dev(path, mode, rdev);
	UNLOCK();
	return r;
}

static int vfs_make_dev(void)
{
	int r = mkdir_p("/dev", 0755);
	if (!r)
		r = make_dev("/dev/console", S_IFCHR | 0600, MKDEV(5, 1));
	if (!r)
		r = make_dev("/dev/tty", S_IFCHR | 0666, MKDEV(5, 0));
	if (!r)
		r = make_dev("/dev/null", S_IFCHR | 0666, MKDEV(1, 3));
	if (!r)
		r = make_dev("/dev/zero", S_IFCHR | 0666, MKDEV(1, 5));
	if (!r)
		r = make_dev("/dev/random", S_IFCHR | 0666, MKDEV(1, 8));
	if (!r)
		r = make_dev("/dev/urandom", S_IFCHR | 0666, MKDEV(1, 9));
	if (!r)
		r = mkdir_p("/tmp", 01777);
	if (!r)
		r = mkdir_p("/proc", 0555);     /* listed in /; its contents are fs/procfs.c's */
	return r;
}

int vfs_init(const void *initrd, size_t size)
{
	int r, ru = 0;
	LOCK();
	r = vfs_setup_root();
	if (!r && initrd && size) {
		struct cpio_error err;
		ru = ramfs_unpack_cpio(&rootfs, initrd, size, &err);
		if (ru < 0)
			printk("vfs: initrd: %s at offset %zu (error %d); entries before it are kept\n",
			       err.msg ? err.msg : "error", err.offset, ru);
		else
			printk("vfs: initrd: %d entries unpacked\n", ru);
	}
	if (!r)
		r = vfs_make_dev();
	UNLOCK();
	if (r)
		printk("vfs: cannot set up the root file system (%d)\n", r);
	return r ? r : (ru < 0 ? ru : 0);
}

int vfs_init_from_boot(void)
{
	if (vfs_boot_done)
		return 0;
	vfs_boot_done = 1;
	if (!boot_info.nr_modules)
		return vfs_init(0, 0);
	uint64_t base = boot_info.modules[0].base, size = boot_info.modules[0].size;
	if (size > 0x7fffffffu) {
		printk("vfs: initrd of %llu bytes is too large\n", (unsigned long long)size);
		vfs_init(0, 0);
		return -EFBIG;
	}
	/* Read in place through the direct map when it covers the module. */
	if (base + size <= mm_summary.lowmem_end && base + size <= 0x100000000ull - KERNEL_VBASE)
		return vfs_init(phys_to_virt((uintptr_t)base), (size_t)size);
	void *copy = kmalloc((size_t)size);
	if (!copy) {
		vfs_init(0, 0);
		return -ENOMEM;
	}
	int r;
	if (phys_read(copy, base, (size_t)size)) {
		vfs_init(0, 0);
		r = -EIO;
	} else {
		r = vfs_init(copy, (size_t)size);
	}
	kfree(copy);
	return r;
}

/* ---- open files ---- */

static struct file *file_alloc(int flags)
{
	struct file *f = kzalloc(sizeof(*f));
	if (f) {
		f->refs = 1;
		f->flags = flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY | O_CLOEXEC);
	}
	return f;
}

struct file *file_new(const struct file_ops *ops, void *priv, int flags)
{
	struct file *f = file_alloc(flags);
	if (f) {
		f->ops = ops;
		f->priv = priv;
	}
	return f;
}

struct file *vfs_open(const char *cwd, const char *path, int flags, uint32_t mode, int *err)
{
	struct ramfs_walk w;
	struct file *f = 0;
	int r, acc = flags & O_ACCMODE;
	int follow = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));
	if (acc == 3) {
		*err = -EINVAL;
		return 0;
	}
	struct mount *m;
	char *rel;
	int mr = mount_find(cwd, path, &m, &rel);
	if (mr) {
		f = mr < 0 ? 0 : mount_ops(m)->open(mount_sb(m), rel, flags, mode, mount_point(m), err);
		if (mr < 0)
			*err = mr;
		kfree(rel);
		return f;
	}
	struct procfs_ent pe;
	if (procfs_match(cwd, path, follow, &pe, err)) {
		if (!*err && !(f = file_alloc(flags)))
			*err = -ENOMEM;
		if (!*err && (*err = procfs_open(f, &pe, flags)) != 0) {
			kfree(f);
			f = 0;
		}
		return f;
	}
	LOCK();
	if (!vfs_ready) {
		r = -ENOENT;
		goto out;
	}
	r = ramfs_walk(&rootfs, cwd, path, follow, &w);
	if (r)
		goto out;
	struct rnode *n = w.node;
	if (!n) {
		if (!(flags & O_CREAT)) {
			r = -ENOENT;
			goto out;
		}
		if (w.trailing_slash) {
			r = -EISDIR;
			goto out;
		}
		r = ramfs_mknod(&rootfs, w.parent, w.name, strlen(w.name), S_IFREG | (mode & 07777), 0, &n);
		if (r)
			goto out;
	} else {
		if ((flags & O_CREAT) && (flags & O_EXCL)) {
			r = -EEXIST;
			goto out;
		}
		if (RNODE_TYPE(n) == S_IFLNK) {
			r = -ELOOP;
			goto out;
		}
		if ((flags & O_DIRECTORY) && !RNODE_IS_DIR(n)) {
			r = -ENOTDIR;
			goto out;
		}
		if (RNODE_IS_DIR(n) && (acc != O_RDONLY || (flags & (O_TRUNC | O_CREAT)))) {
			r = -EISDIR;
			goto out;
		}
		if ((flags & O_TRUNC) && acc != O_RDONLY && RNODE_TYPE(n) == S_IFREG)
			ramfs_truncate(n, 0);
	}
	f = file_alloc(flags);
	if (!f) {
		r = -ENOMEM;
		goto out;
	}
	f->node = n;
	uint32_t t = RNODE_TYPE(n);
	if (t == S_IFCHR)
		r = dev_open(f, n->rdev);
	else if (t == S_IFBLK)
		r = blk_file_open(f, n->rdev);
	else if (t != S_IFREG && t != S_IFDIR)
		r = -ENXIO;
	if (r) {
		kfree(f);
		f = 0;
		goto out;
	}
	ramfs_node_get(n);
out:
	UNLOCK();
	*err = r;
	return f;
}

struct file *file_get(struct file *f)
{
	if (f)
		__atomic_add_fetch(&f->refs, 1, __ATOMIC_SEQ_CST);
	return f;
}

void file_put(struct file *f)
{
	if (!f || __atomic_sub_fetch(&f->refs, 1, __ATOMIC_SEQ_CST) != 0)
		return;
	if (f->ops && f->ops->release)
		f->ops->release(f);
	if (f->node) {
		LOCK();
		ramfs_node_put(f->node);
		UNLOCK();
	}
	kfree(f);
}

ssize32_t file_read(struct file *f, void *kbuf, size_t n)
{
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (n > VFS_RW_MAX)
		n = VFS_RW_MAX;
	if (f->ops)
		return f->ops->read ? f->ops->read(f, kbuf, n) : -EINVAL;
	if (RNODE_IS_DIR(f->node))
		return -EISDIR;
	LOCK();
	size_t k = ramfs_read(f->node, (uint64_t)f->off, kbuf, n);
	f->off += (int64_t)k;
	UNLOCK();
	return (ssize32_t)k;
}

ssize32_t file_write(struct file *f, const void *kbuf, size_t n)
{
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (n > VFS_RW_MAX)
		n = VFS_RW_MAX;
	if (f->ops)
		return f->ops->write ? f->ops->write(f, kbuf, n) : -EINVAL;
	if (RNODE_IS_DIR(f->node))
		return -EISDIR;
	LOCK();
	if (f->flags & O_APPEND)
		f->off = (int64_t)f->node->size;
	long k = ramfs_write(f->node, (uint64_t)f->off, kbuf, n);
	if (k > 0)
		f->off += k;
	UNLOCK();
	return (ssize32_t)k;
}

ssize32_t file_direct(struct file *f, uint32_t ubuf, size_t n, int wr)
{
	if (!f->ops || !f->ops->direct || !n)
		return -EOPNOTSUPP;
	if ((f->flags & O_ACCMODE) == (wr ? O_RDONLY : O_WRONLY))
		return -EBADF;
	return f->ops->direct(f, ubuf, n > VFS_RW_MAX ? VFS_RW_MAX : n, wr);
}

ssize32_t vfs_pread(struct file *f, void *kbuf, size_t n, uint64_t off)
{
	if (f->ops && f->ops->pread)
		return f->ops->pread(f, kbuf, n > VFS_RW_MAX ? VFS_RW_MAX : n, off);
	if (f->ops || !f->node)
		return -ESPIPE;
	if (RNODE_IS_DIR(f->node))
		return -EISDIR;
	if (n > VFS_RW_MAX)
		n = VFS_RW_MAX;
	LOCK();
	size_t k = ramfs_read(f->node, off, kbuf, n);
	UNLOCK();
	return (ssize32_t)k;
}

int vfs_share_frames(struct file *f, uint32_t first, unsigned n, pfn_t *out)
{
	for (unsigned i = 0; i < n; i++)
		out[i] = PFN_NONE;
	if (f->ops || !f->node || RNODE_TYPE(f->node) != S_IFREG)
		return -ENOSYS;
	LOCK();
	/* Pages past the end hold no file bytes the reader may see. */
	uint64_t pages = (f->node->size + RAMFS_PAGE - 1) / RAMFS_PAGE;
	for (unsigned i = 0; i < n && first + i < pages; i++)
		out[i] = filepage_share(&f->node->data, first + i);
	UNLOCK();
	return 0;
}

int64_t file_lseek(struct file *f, int64_t off, int whence)
{
	if (f->ops)
		return f->ops->lseek ? f->ops->lseek(f, off, whence) : -ESPIPE;
	int64_t r;
	LOCK();
	if (RNODE_IS_DIR(f->node)) {
		/* Directory positions are readdir cookies. */
		if (whence == SEEK_SET && off >= 0)
			r = f->off = off;
		else if (whence == SEEK_CUR && off == 0)
			r = f->off;
		else
			r = -EINVAL;
	} else {
		int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->off
			     : whence == SEEK_END ? (int64_t)f->node->size : -1;
		if (base < 0 || (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END))
			r = -EINVAL;
		else if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
			r = -EINVAL;
		else
			r = f->off = base + off;
	}
	UNLOCK();
	return r;
}

int file_stat(struct file *f, struct kstat64 *st)
{
	if (f->ops && f->ops->stat)
		return f->ops->stat(f, st);
	if (!f->node)
		return -EBADF;
	LOCK();
	ramfs_stat(&rootfs, f->node, st);
	UNLOCK();
	return 0;
}

struct dirent_ctx {
	uint8_t *buf;
	size_t len, used;
	int full;
};

static uint8_t dtype(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return DT_DIR;
	case S_IFREG: return DT_REG;
	case S_IFLNK: return DT_LNK;
	case S_IFCHR: return DT_CHR;
	case S_IFBLK: return DT_BLK;
	case S_IFIFO: return DT_FIFO;
	case S_IFSOCK: return DT_SOCK;
	}
	return DT_UNKNOWN;
}

static int fill_dirent(void *vctx, const char *name, size_t len, uint32_t ino, uint32_t mode,
		       uint64_t next_pos)
{
	struct dirent_ctx *c = vctx;
	size_t reclen = (__builtin_offsetof(struct linux_dirent64, d_name) + len + 1 + 7) & ~(size_t)7;
	if (reclen > c->len - c->used) {
		c->full = 1;
		return 1;
	}
	struct linux_dirent64 *d = (struct linux_dirent64 *)(c->buf + c->used);
	memset(d, 0, reclen);
	d->d_ino = ino;
	d->d_off = (int64_t)next_pos;
	d->d_reclen = (uint16_t)reclen;
	d->d_type = dtype(mode);
	memcpy(d->d_name, name, len);
	c->used += reclen;
	return 0;
}

ssize32_t file_getdents64(struct file *f, void *kbuf, size_t n)
{
	struct dirent_ctx c = { kbuf, n, 0, 0 };
	int r;
	if (f->ops && f->ops->readdir) {
		r = f->ops->readdir(f, fill_dirent, &c);
	} else {
		if (f->ops || !RNODE_IS_DIR(f->node))
			return -ENOTDIR;
		LOCK();
		uint64_t pos = (uint64_t)f->off;
		r = ramfs_readdir(f->node, &pos, fill_dirent, &c);
		f->off = (int64_t)pos;
		UNLOCK();
	}
	if (r)
		return r;
	if (c.used == 0 && c.full)
		return -EINVAL;          /* the next record does not fit */
	return (ssize32_t)c.used;
}

int file_ioctl(struct file *f, uint32_t cmd, void *karg)
{
	if (f->ops && f->ops->ioctl)
		return f->ops->ioctl(f, cmd, karg);
	return -ENOTTY;
}

int file_poll(struct file *f, int events)
{
	if (f->ops && f->ops->poll)
		return f->ops->poll(f, events);
	return events & (POLLIN | POLLOUT);
}

uint32_t file_type(struct file *f)
{
	if (f->node)
		return RNODE_TYPE(f->node);
	struct kstat64 st;
	if (f->ops && f->ops->readdir)
		return S_IFDIR;
	if (f->ops && f->ops->stat && f->ops->stat(f, &st) == 0)
		return st.st_mode & S_IFMT;
	return S_IFIFO;
}

int file_isatty(struct file *f)
{
	return f->ops && f->ops->tty;
}

int file_get_flags(struct file *f)
{
	return f->flags;
}

void file_set_flags(struct file *f, int flags)
{
	const int mask = O_APPEND | O_NONBLOCK;
	f->flags = (f->flags & ~mask) | (flags & mask);
}

int file_dir_path(struct file *f, char *buf, size_t n)
{
	if (f->ops && f->ops->dir_path)
		return f->ops->dir_path(f, buf, n);
	if (f->ops || !f->node || !RNODE_IS_DIR(f->node))
		return -ENOTDIR;
	LOCK();
	int r = ramfs_dir_path(&rootfs, f->node, buf, n);
	UNLOCK();
	return r;
}

int vfs_truncate(struct file *f, uint64_t size)
{
	if ((f->flags & O_ACCMODE) == O_RDONLY && (f->node || (f->ops && f->ops->truncate)))
		return -EBADF;
	if (f->ops && f->ops->truncate)
		return f->ops->truncate(f, size);
	if (f->ops || !f->node)
		return -EINVAL;
	LOCK();
	int r = ramfs_truncate(f->node, size);
	UNLOCK();
	return r;
}

int vfs_pipe(struct file *ends[2])
{
	struct file *rd = file_alloc(O_RDONLY), *wr = file_alloc(O_WRONLY);
	int r = (rd && wr) ? pipe_create(rd, wr) : -ENOMEM;
	if (r) {
		kfree(rd);
		kfree(wr);
		return r;
	}
	ends[0] = rd;
	ends[1] = wr;
	return 0;
}

/* ---- path operations ---- */

/* Looks path up; -ENOENT when it does not exist (callers hold the lock). */
static int walk_existing(const char *cwd, const char *path, int follow, struct ramfs_walk *w)
{
	int r = ramfs_walk(&rootfs, cwd, path, follow, w);
	if (!r && !w->node)
		r = -ENOENT;
	return r;
}

/* /proc is read-only: nothing is created, linked or removed under it. */
static int procfs_refuse(const char *cwd, const char *path)
{
	struct procfs_ent pe;
	int err;
	if (!procfs_match(cwd, path, 0, &pe, &err))
		return 0;
	return !err && pe.kind == PROCFS_ROOT ? -EBUSY : -EACCES;
}

static int access_mounted(const struct vfs_fs_ops *ops, void *sb, const char *rel, int mode, int follow)
{
	struct kstat64 st;
	int r = ops->stat(sb, rel, follow, &st);
	if (!r && (mode & 1) && (st.st_mode & S_IFMT) != S_IFDIR && !(st.st_mode & 0111))
		r = -EACCES;
	if (!r && (mode & 2) && ops->read_only(sb))
		r = -EROFS;
	return r;
}

/* chdir into a mount: the mount point joined with the fs's canonical path. */
static int resolve_mounted(const struct vfs_fs_ops *ops, void *sb, const char *rel, const char *point,
			   char *out, size_t n)
{
	char *in = kmalloc(VFS_PATH_MAX);
	if (!in)
		return -ENOMEM;
	int r = ops->resolve_dir(sb, rel, in, VFS_PATH_MAX);
	if (!r) {
		int k = strcmp(point, "/") ? snprintf(out, n, "%s%s", point, strcmp(in, "/") ? in : "")
					   : snprintf(out, n, "%s", in);
		r = k >= (int)n ? -ENAMETOOLONG : 0;
	}
	kfree(in);
	return r;
}

/* link and rename: 1 when both paths are the ramfs's (go on there), the
 * mounted fs's result when both are on one mount, -EXDEV across. */
static int two_paths(const char *cwd, const char *from, const char *to, int rename, int follow)
{
	struct mount *ma = 0, *mb = 0;
	char *ra, *rb;
	int a = mount_find(cwd, from, &ma, &ra), b = mount_find(cwd, to, &mb, &rb), r;
	if (a < 0 || b < 0)
		r = a < 0 ? a : b;
	else if (!a && !b)
		r = 1;
	else if (ma != mb)
		r = -EXDEV;
	else if (rename)
		r = mount_ops(ma)->rename(mount_sb(ma), ra, rb);
	else
		r = mount_ops(ma)->link(mount_sb(ma), ra, rb, follow);
	kfree(ra);
	kfree(rb);
	return r;
}

/* rename(2): on a mounted file system; the ramfs has no rename (busybox
 * mv copies and removes on EXDEV). */
int vfs_rename(const char *cwd, const char *from, const char *to)
{
	int r = two_paths(cwd, from, to, 1, 0);
	return r == 1 ? -EXDEV : r;
}

int vfs_stat(const char *cwd, const char *path, struct kstat64 *st, int follow)
{
	struct ramfs_walk w;
	struct procfs_ent pe;
	int err;
	ROUTE(cwd, path, OPS->stat(SB, REL, follow, st));
	if (procfs_match(cwd, path, follow, &pe, &err))
		return err ? err : procfs_stat(&pe, st);
	LOCK();
	int r = walk_existing(cwd, path, follow, &w);
	if (!r)
		ramfs_stat(&rootfs, w.node, st);
	UNLOCK();
	return r;
}

int vfs_utimens(const char *cwd, const char *path, struct file *f, int follow,
		const struct vfs_timespec *ts)
{
	struct rtime t[2], *set[2];
	for (int i = 0; i < 2; i++) {
		set[i] = &t[i];
		if (ts && ts[i].nsec == UTIME_OMIT)
			set[i] = 0;
		else if (ts && ts[i].nsec != UTIME_NOW && ts[i].nsec >= 1000000000u)
			return -EINVAL;
		else if (ts && ts[i].nsec != UTIME_NOW)
			t[i] = (struct rtime){ (uint32_t)ts[i].sec, ts[i].nsec };
		else
			t[i] = ramfs_now(&rootfs);
	}
	if (path)
		ROUTE(cwd, path, OPS->utimens(SB, REL, follow, ts));
	else if (f && f->ops && f->ops->utimens)
		return f->ops->utimens(f, ts);
	if (path) {
		int pr = procfs_refuse(cwd, path);
		if (pr)
			return pr == -EBUSY ? -EPERM : pr;
	} else if (!f || !f->node) {
		return f ? -EPERM : -EBADF;       /* pipes, /proc: no times to set */
	}
	struct ramfs_walk w;
	LOCK();
	int r = path ? walk_existing(cwd, path, follow, &w) : 0;
	if (!r)
		ramfs_set_times(path ? w.node : f->node, set[0], set[1]);
	UNLOCK();
	return r;
}

int vfs_mkdir(const char *cwd, const char *path, uint32_t mode)
{
	struct ramfs_walk w;
	ROUTE(cwd, path, OPS->mkdir(SB, REL, mode));
	int pr = procfs_refuse(cwd, path);
	if (pr)
		return pr;
	LOCK();
	int r = ramfs_walk(&rootfs, cwd, path, 0, &w);
	if (!r && w.node)
		r = -EEXIST;
	if (!r)
		r = ramfs_mknod(&rootfs, w.parent, w.name, strlen(w.name), S_IFDIR | (mode & 07777), 0, 0);
	UNLOCK();
	return r;
}

int vfs_unlink(const char *cwd, const char *path, int rmdir)
{
	struct ramfs_walk w;
	ROUTE(cwd, path, OPS->unlink(SB, REL, rmdir));
	int pr = procfs_refuse(cwd, path);
	if (pr)
		return pr;
	LOCK();
	int r = walk_existing(cwd, path, 0, &w);
	if (!r && w.node == rootfs.root)
		r = -EBUSY;
	if (!r && !rmdir && w.trailing_slash)
		r = RNODE_IS_DIR(w.node) ? -EISDIR : -ENOTDIR;
	if (!r)
		r = ramfs_unlink(w.parent, w.name, strlen(w.name), rmdir);
	UNLOCK();
	return r;
}

int vfs_symlink(const char *cwd, const char *target, const char *path)
{
	struct ramfs_walk w;
	ROUTE(cwd, path, OPS->symlink(SB, target, REL));
	int pr = procfs_refuse(cwd, path);
	if (pr)
		return pr;
	LOCK();
	int r = ramfs_walk(&rootfs, cwd, path, 0, &w);
	if (!r && w.node)
		r = -EEXIST;
	if (!r)
		r = ramfs_symlink(&rootfs, w.parent, w.name, strlen(w.name), target, strlen(target), 0);
	UNLOCK();
	return r;
}

int vfs_link(const char *cwd, const char *oldpath, const char *newpath, int follow)
{
	struct ramfs_walk w, w2;
	int two = two_paths(cwd, oldpath, newpath, 0, follow);
	if (two != 1)
		return two;
	int pr = procfs_refuse(cwd, newpath);
	if (!pr)
		pr = procfs_refuse(cwd, oldpath) ? -EXDEV : 0;
	if (pr)
		return pr;
	LOCK();
	int r = ramfs_walk(&rootfs, cwd, oldpath, follow, &w);
	if (!r && !w.node)
		r = -ENOENT;
	if (!r)
		r = ramfs_walk(&rootfs, cwd, newpath, 0, &w2);
	if (!r && w2.node)
		r = -EEXIST;
	if (!r)
		r = ramfs_link(w2.parent, w2.name, strlen(w2.name), w.node);
	UNLOCK();
	return r;
}

int vfs_readlink(const char *cwd, const char *path, char *buf, size_t n)
{
	struct ramfs_walk w;
	struct procfs_ent pe;
	int err;
	ROUTE(cwd, path, OPS->readlink(SB, REL, buf, n));
	if (procfs_match(cwd, path, 0, &pe, &err))
		return err ? err : procfs_readlink(&pe, buf, n);
	LOCK();
	int r = walk_existing(cwd, path, 0, &w);
	if (!r && RNODE_TYPE(w.node) != S_IFLNK)
		r = -EINVAL;
	if (!r) {
		size_t len = strlen(w.node->target);
		if (len > n)
			len = n;
		memcpy(buf, w.node->target, len);
		r = (int)len;
	}
	UNLOCK();
	return r;
}

int vfs_access(const char *cwd, const char *path, int mode, int follow)
{
	struct ramfs_walk w;
	if (mode & ~7)
		return -EINVAL;
	struct procfs_ent pe;
	struct kstat64 st;
	int err;
	ROUTE(cwd, path, access_mounted(OPS, SB, REL, mode, follow));
	if (procfs_match(cwd, path, follow, &pe, &err)) {
		if (!err)
			err = procfs_stat(&pe, &st);
		if (!err && (mode & 1) && (st.st_mode & S_IFMT) != S_IFDIR)
			err = -EACCES;
		return err;
	}
	LOCK();
	int r = walk_existing(cwd, path, follow, &w);
	/* Everyone is root: only execute needs a bit (or a directory). */
	if (!r && (mode & 1) && !RNODE_IS_DIR(w.node) && !(w.node->mode & 0111))
		r = -EACCES;
	UNLOCK();
	return r;
}

int vfs_resolve_dir(const char *cwd, const char *path, char *out, size_t outlen)
{
	struct ramfs_walk w;
	struct procfs_ent pe;
	int err;
	ROUTE(cwd, path, resolve_mounted(OPS, SB, REL, mount_point(m_), out, outlen));
	if (procfs_match(cwd, path, 1, &pe, &err)) {
		if (!err)
			err = procfs_dir_path(&pe, out, outlen);
		return err < 0 ? err : 0;
	}
	LOCK();
	int r = walk_existing(cwd, path, 1, &w);
	if (!r && !RNODE_IS_DIR(w.node))
		r = -ENOTDIR;
	if (!r)
		r = ramfs_dir_path(&rootfs, w.node, out, outlen);
	UNLOCK();
	return r < 0 ? r : 0;
}

/* ---- descriptor tables ---- */

struct fdtable {
	struct file *fd[FD_MAX];
	uint64_t cloexec;
};

struct fdtable *fdtable_new(void)
{
	return kzalloc(sizeof(struct fdtable));
}

struct fdtable *fdtable_clone(const struct fdtable *t)
{
	struct fdtable *n = fdtable_new();
	if (!n)
		return 0;
	for (int i = 0; i < FD_MAX; i++)
		n->fd[i] = file_get(t->fd[i]);
	n->cloexec = t->cloexec;
	return n;
}

void fdtable_free(struct fdtable *t)
{
	if (!t)
		return;
	for (int i = 0; i < FD_MAX; i++)
		if (t->fd[i])
			fd_close(t, i);
	kfree(t);
}

static void set_cloexec(struct fdtable *t, int fd, int on)
{
	if (on)
		t->cloexec |= 1ull << fd;
	else
		t->cloexec &= ~(1ull << fd);
}

int fd_install(struct fdtable *t, struct file *f, int min_fd, int cloexec)
{
	if (min_fd < 0 || min_fd >= FD_MAX)
		return -EINVAL;
	for (int i = min_fd; i < FD_MAX; i++)
		if (!t->fd[i]) {
			t->fd[i] = f;
			set_cloexec(t, i, cloexec);
			return i;
		}
	return -EMFILE;
}

struct file *fd_get(struct fdtable *t, int fd)
{
	if (!t || fd < 0 || fd >= FD_MAX)
		return 0;
	return t->fd[fd];
}

int fd_close(struct fdtable *t, int fd)
{
	struct file *f = fd_get(t, fd);
	if (!f)
		return -EBADF;
	t->fd[fd] = 0;
	set_cloexec(t, fd, 0);
	file_put(f);
	return 0;
}

int fd_dup2(struct fdtable *t, int oldfd, int newfd, int cloexec)
{
	struct file *f = fd_get(t, oldfd);
	if (!f || newfd < 0 || newfd >= FD_MAX)
		return -EBADF;
	if (oldfd == newfd)
		return newfd;            /* dup2(fd, fd): nothing changes */
	file_get(f);
	struct file *old = t->fd[newfd];
	t->fd[newfd] = f;
	set_cloexec(t, newfd, cloexec);
	if (old)
		file_put(old);
	return newfd;
}

void fdtable_close_on_exec(struct fdtable *t)
{
	for (int i = 0; i < FD_MAX; i++)
		if (t->fd[i] && (t->cloexec & (1ull << i)))
			fd_close(t, i);
}

int fd_get_cloexec(struct fdtable *t, int fd)
{
	if (!fd_get(t, fd))
		return -EBADF;
	return !!(t->cloexec & (1ull << fd));
}

void fd_set_cloexec(struct fdtable *t, int fd, int on)
{
	if (fd_get(t, fd))
		set_cloexec(t, fd, on);
}

/* The mount table, as /proc/mounts prints it.  Today it is fixed: the root
 * ramfs and /proc, which is routed by path (procfs_match).  (The root is
 * not called "rootfs", as Linux's initramfs is: busybox df leaves a
 * "rootfs" out.)  A real mount table replaces this body. */
int vfs_mounts_show(char *buf, size_t n)
{
	int k = snprintf(buf, n, "%s", mount_root_on_disk() ? "" : "ramfs / ramfs rw 0 0\n");
	k += mount_show(k < (int)n ? buf + k : 0, k < (int)n ? n - (size_t)k : 0);
	k += snprintf(k < (int)n ? buf + k : 0, k < (int)n ? n - (size_t)k : 0,
		      "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n");
	return k;
}
