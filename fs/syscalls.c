/*
 * File system calls (Linux i386 ABI).  Every user pointer goes through
 * copy_from_user / copy_to_user / strncpy_from_user; data moves through a
 * kernel bounce buffer of at most BOUNCE bytes at a time, and lengths are
 * clamped to VFS_RW_MAX as Linux does.
 */
#include <amphi/syscall.h>
#include <amphi/ioctl.h>
#include <amphi/uaccess.h>
#include <amphi/proc.h>
#include <amphi/vfs.h>
#include <amphi/net.h>
#include <amphi/errno.h>
#include <amphi/heap.h>
#include <amphi/string.h>
#include "file.h"
#include "mount.h"

#ifndef __NR_link
#define __NR_link 9
#endif
#ifndef __NR_unlink
#define __NR_unlink 10
#endif
#ifndef __NR_rmdir
#define __NR_rmdir 40
#endif
#ifndef __NR_symlink
#define __NR_symlink 83
#endif
#ifndef __NR_fchdir
#define __NR_fchdir 133
#endif
#ifndef __NR_ftruncate64
#define __NR_ftruncate64 194
#endif
#ifndef __NR_symlinkat
#define __NR_symlinkat 304
#endif
#ifndef __NR_readlinkat
#define __NR_readlinkat 305
#endif

#define EOVERFLOW 75
#define BOUNCE 65536u
/* Block devices move 1 MiB at a time through a 512-aligned buffer (when
 * file_direct cannot use the program's own pages): the disk drivers then
 * DMA it directly, several requests in flight. */
#define BOUNCE_BLK (1u << 20)
#define BOUNCE_ALIGN 512u
/* Transfers this small (a pipe's token, a terminal's line) bounce through
 * the kernel stack: a kmalloc and kfree cost more than the copy. */
#define SMALL_BOUNCE 256u
#define ALIGN_UP(p) ((void *)(((uintptr_t)(p) + BOUNCE_ALIGN - 1) & ~(uintptr_t)(BOUNCE_ALIGN - 1)))
#define UIO_MAXIOV 1024
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1

static struct fdtable *cur_fds(void)
{
	struct process *p = proc_current();
	return p ? proc_fds(p) : 0;
}

static const char *cur_cwd(void)
{
	struct process *p = proc_current();
	const char *c = p ? proc_cwd(p) : 0;
	return c ? c : "/";
}

static struct file *getf(int fd)
{
	return fd_get(cur_fds(), fd);
}

/* A path argument and the directory it is relative to, both kmalloc'd. */
struct upath {
	char path[VFS_PATH_MAX];
	char base[VFS_PATH_MAX];
};

static int get_upath(uint32_t uptr, int dirfd, int empty_ok, struct upath **out)
{
	struct upath *u = kmalloc(sizeof(*u));
	if (!u)
		return -ENOMEM;
	long n = strncpy_from_user(u->path, uptr, sizeof(u->path));
	int r = 0;
	if (n < 0)
		r = (int)n;
	else if (n == 0 && !empty_ok)
		r = -ENOENT;
	if (!r) {
		if ((n > 0 && u->path[0] == '/') || dirfd == AT_FDCWD) {
			strlcpy(u->base, cur_cwd(), sizeof(u->base));
		} else {
			struct file *f = getf(dirfd);
			if (!f)
				r = -EBADF;
			else if (n > 0)
				r = file_dir_path(f, u->base, sizeof(u->base));
			if (r > 0)
				r = 0;
		}
	}
	if (r) {
		kfree(u);
		return r;
	}
	*out = u;
	return 0;
}

/* ---- read and write ---- */

/* The kernel buffer for chunk bytes of a read or write: small (the caller's
 * SMALL_BOUNCE bytes on its stack), or kmalloc'd and aligned, *mem to kfree
 * (NULL for small); NULL when out of memory. */
static void *bounce(uint32_t type, size_t chunk, uint8_t *small, void **mem)
{
	*mem = 0;
	if (type != S_IFBLK && chunk <= SMALL_BOUNCE)
		return small;
	*mem = kmalloc(chunk + BOUNCE_ALIGN);
	return *mem ? ALIGN_UP(*mem) : 0;
}

static long do_read(struct file *f, uint32_t ubuf, size_t n)
{
	if (n > VFS_RW_MAX)
		n = VFS_RW_MAX;
	if (n == 0) {
		ssize32_t k = file_read(f, 0, 0);
		return k < 0 ? k : 0;
	}
	ssize32_t direct = file_direct(f, ubuf, n, 0);
	if (direct != -EOPNOTSUPP)
		return direct;
	uint32_t type = file_type(f);
	int regular = type == S_IFREG || type == S_IFBLK ||   /* read on to n bytes */
	              (f->ops && f->ops->read_whole);
	size_t max = type == S_IFBLK ? BOUNCE_BLK : BOUNCE;
	size_t chunk = n < max ? n : max;
	uint8_t small[SMALL_BOUNCE] __attribute__((aligned(16)));
	void *mem, *kb = bounce(type, chunk, small, &mem);
	if (!kb)
		return -ENOMEM;
	size_t done = 0;
	long r = 0;
	while (done < n) {
		size_t want = n - done < chunk ? n - done : chunk;
		ssize32_t k = file_read(f, kb, want);
		if (k < 0) {
			r = k;
			break;
		}
		if (k > 0 && copy_to_user(ubuf + done, kb, (size_t)k)) {
			r = -EFAULT;
			break;
		}
		done += (size_t)k;
		/* Only regular files and /dev/zero are read on: a pipe or terminal
		 * returns what it has. */
		if (!regular || (size_t)k < want)
			break;
	}
	kfree(mem);
	return done ? (long)done : r;
}

static long do_write(struct file *f, uint32_t ubuf, size_t n)
{
	if (n > VFS_RW_MAX)
		n = VFS_RW_MAX;
	if (n == 0)
		return file_write(f, 0, 0);
	ssize32_t direct = file_direct(f, ubuf, n, 1);
	if (direct != -EOPNOTSUPP)
		return direct;
	uint32_t type = file_type(f);
	size_t max = type == S_IFBLK ? BOUNCE_BLK : BOUNCE;
	size_t chunk = n < max ? n : max;
	uint8_t small[SMALL_BOUNCE] __attribute__((aligned(16)));
	void *mem, *kb = bounce(type, chunk, small, &mem);
	if (!kb)
		return -ENOMEM;
	size_t done = 0;
	long r = 0;
	while (done < n) {
		size_t want = n - done < chunk ? n - done : chunk;
		if (copy_from_user(kb, ubuf + done, want)) {
			r = -EFAULT;
			break;
		}
		ssize32_t k = file_write(f, kb, want);
		if (k < 0) {
			r = k;
			break;
		}
		done += (size_t)k;
		if ((size_t)k < want)
			break;
	}
	kfree(mem);
	return done ? (long)done : r;
}

SYSCALL_DEFINE(__NR_read, read)
{
	struct file *f = getf((int)a->arg[0]);
	return f ? do_read(f, a->arg[1], a->arg[2]) : -EBADF;
}

SYSCALL_DEFINE(__NR_write, write)
{
	struct file *f = getf((int)a->arg[0]);
	return f ? do_write(f, a->arg[1], a->arg[2]) : -EBADF;
}

struct uiovec {
	uint32_t base, len;
};

static long do_rwv(const struct syscall_args *a, int wr)
{
	struct file *f = getf((int)a->arg[0]);
	uint32_t cnt = a->arg[2];
	if (!f)
		return -EBADF;
	if (cnt == 0)
		return 0;
	if (cnt > UIO_MAXIOV)
		return -EINVAL;
	struct uiovec *iov = kmalloc(cnt * sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	long r = 0;
	if (copy_from_user(iov, a->arg[1], cnt * sizeof(*iov)))
		r = -EFAULT;
	uint32_t total = 0;
	for (uint32_t i = 0; !r && i < cnt; i++) {
		if (iov[i].len > 0x7fffffffu - total)
			r = -EINVAL;
		else
			total += iov[i].len;
	}
	long done = 0;
	for (uint32_t i = 0; !r && i < cnt; i++) {
		if (!iov[i].len)
			continue;
		long k = wr ? do_write(f, iov[i].base, iov[i].len) : do_read(f, iov[i].base, iov[i].len);
		if (k < 0) {
			if (!done)
				r = k;
			break;
		}
		done += k;
		if ((uint32_t)k < iov[i].len)
			break;
	}
	kfree(iov);
	return r ? r : done;
}

SYSCALL_DEFINE(__NR_readv, readv)
{
	return do_rwv(a, 0);
}

SYSCALL_DEFINE(__NR_writev, writev)
{
	return do_rwv(a, 1);
}

/* ---- open and close ---- */

static long do_openat(int dirfd, uint32_t upath, int flags, uint32_t mode)
{
	struct fdtable *t = cur_fds();
	if (!t)
		return -EBADF;
	struct upath *u;
	int r = get_upath(upath, dirfd, 0, &u);
	if (r)
		return r;
	int err;
	struct file *f = vfs_open(u->base, u->path, flags, mode, &err);
	kfree(u);
	if (!f)
		return err;
	int fd = fd_install(t, f, 0, !!(flags & O_CLOEXEC));
	if (fd < 0)
		file_put(f);
	return fd;
}

SYSCALL_DEFINE(__NR_open, open)
{
	return do_openat(AT_FDCWD, a->arg[0], (int)a->arg[1], a->arg[2]);
}

SYSCALL_DEFINE(__NR_openat, openat)
{
	return do_openat((int)a->arg[0], a->arg[1], (int)a->arg[2], a->arg[3]);
}

SYSCALL_DEFINE(__NR_close, close)
{
	struct fdtable *t = cur_fds();
	return t ? fd_close(t, (int)a->arg[0]) : -EBADF;
}

/* ---- seeking ---- */

SYSCALL_DEFINE(__NR_lseek, lseek)
{
	struct file *f = getf((int)a->arg[0]);
	if (!f)
		return -EBADF;
	int64_t r = file_lseek(f, (int32_t)a->arg[1], (int)a->arg[2]);
	if (r < 0)
		return (long)r;
	if (r > 0x7fffffff)
		return -EOVERFLOW;
	return (long)r;
}

SYSCALL_DEFINE(__NR__llseek, _llseek)
{
	struct file *f = getf((int)a->arg[0]);
	if (!f)
		return -EBADF;
	int64_t off = (int64_t)(((uint64_t)a->arg[1] << 32) | a->arg[2]);
	int64_t r = file_lseek(f, off, (int)a->arg[4]);
	if (r < 0)
		return (long)r;
	if (copy_to_user(a->arg[3], &r, sizeof(r)))
		return -EFAULT;
	return 0;
}

/* ---- stat ---- */

static long put_stat(uint32_t ubuf, const struct kstat64 *st)
{
	return copy_to_user(ubuf, st, sizeof(*st)) ? -EFAULT : 0;
}

static long do_fstatat(int dirfd, uint32_t upath, uint32_t ubuf, uint32_t flags)
{
	if (flags & ~(uint32_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 /* AT_NO_AUTOMOUNT */))
		return -EINVAL;
	struct upath *u;
	int r = get_upath(upath, dirfd, !!(flags & AT_EMPTY_PATH), &u);
	if (r)
		return r;
	struct kstat64 st;
	if (!u->path[0]) {
		struct file *f = dirfd == AT_FDCWD ? 0 : getf(dirfd);
		if (dirfd == AT_FDCWD)
			r = vfs_stat(u->base, ".", &st, 1);
		else
			r = f ? file_stat(f, &st) : -EBADF;
	} else {
		r = vfs_stat(u->base, u->path, &st, !(flags & AT_SYMLINK_NOFOLLOW));
	}
	kfree(u);
	return r ? r : put_stat(ubuf, &st);
}

SYSCALL_DEFINE(__NR_stat64, stat64)
{
	return do_fstatat(AT_FDCWD, a->arg[0], a->arg[1], 0);
}

SYSCALL_DEFINE(__NR_lstat64, lstat64)
{
	return do_fstatat(AT_FDCWD, a->arg[0], a->arg[1], AT_SYMLINK_NOFOLLOW);
}

SYSCALL_DEFINE(__NR_fstat64, fstat64)
{
	struct file *f = getf((int)a->arg[0]);
	if (!f)
		return -EBADF;
	struct kstat64 st;
	int r = file_stat(f, &st);
	return r ? r : put_stat(a->arg[1], &st);
}

SYSCALL_DEFINE(__NR_fstatat64, fstatat64)
{
	return do_fstatat((int)a->arg[0], a->arg[1], a->arg[2], a->arg[3]);
}

/* ---- file times ---- */

static long do_utimens(int dirfd, uint32_t upath, const struct vfs_timespec *ts, uint32_t flags)
{
	if (flags & ~(uint32_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (!upath) {                           /* futimens(fd, times) */
		struct file *f = getf(dirfd);
		return f ? vfs_utimens(0, 0, f, 0, ts) : -EBADF;
	}
	struct upath *u;
	int r = get_upath(upath, dirfd, !!(flags & AT_EMPTY_PATH), &u);
	if (r)
		return r;
	if (!u->path[0] && dirfd != AT_FDCWD) {
		struct file *f = getf(dirfd);
		r = f ? vfs_utimens(0, 0, f, 0, ts) : -EBADF;
	} else {
		r = vfs_utimens(u->base, u->path[0] ? u->path : ".", 0,
				!(flags & AT_SYMLINK_NOFOLLOW), ts);
	}
	kfree(u);
	return r;
}

SYSCALL_DEFINE(320, utimensat)
{
	int32_t t[4];
	struct vfs_timespec ts[2];
	if (a->arg[2]) {
		if (copy_from_user(t, a->arg[2], sizeof(t)))
			return -EFAULT;
		ts[0] = (struct vfs_timespec){ t[0], (uint32_t)t[1] };
		ts[1] = (struct vfs_timespec){ t[2], (uint32_t)t[3] };
	}
	return do_utimens((int)a->arg[0], a->arg[1], a->arg[2] ? ts : 0, a->arg[3]);
}

SYSCALL_DEFINE(412, utimensat_time64)
{
	int64_t t[4];
	struct vfs_timespec ts[2];
	if (a->arg[2]) {
		if (copy_from_user(t, a->arg[2], sizeof(t)))
			return -EFAULT;
		for (int i = 0; i < 2; i++) {
			/* tv_nsec is a long long in the 64-bit layout: out of range is EINVAL. */
			uint64_t ns = (uint64_t)t[2 * i + 1];
			ts[i] = (struct vfs_timespec){ t[2 * i], ns > 0xffffffffu ? 0xffffffffu : (uint32_t)ns };
		}
	}
	return do_utimens((int)a->arg[0], a->arg[1], a->arg[2] ? ts : 0, a->arg[3]);
}

/* utimes(path, timeval[2]) and utime(path, utimbuf): the older forms. */
SYSCALL_DEFINE(271, utimes)
{
	if (!a->arg[0])
		return -EFAULT;
	int32_t t[4];
	struct vfs_timespec ts[2];
	if (a->arg[1]) {
		if (copy_from_user(t, a->arg[1], sizeof(t)))
			return -EFAULT;
		for (int i = 0; i < 2; i++) {
			if (t[2 * i + 1] < 0 || t[2 * i + 1] >= 1000000)
				return -EINVAL;
			ts[i] = (struct vfs_timespec){ t[2 * i], (uint32_t)t[2 * i + 1] * 1000u };
		}
	}
	return do_utimens(AT_FDCWD, a->arg[0], a->arg[1] ? ts : 0, 0);
}

SYSCALL_DEFINE(30, utime)
{
	if (!a->arg[0])
		return -EFAULT;
	int32_t t[2];
	struct vfs_timespec ts[2];
	if (a->arg[1]) {
		if (copy_from_user(t, a->arg[1], sizeof(t)))
			return -EFAULT;
		ts[0] = (struct vfs_timespec){ t[0], 0 };
		ts[1] = (struct vfs_timespec){ t[1], 0 };
	}
	return do_utimens(AT_FDCWD, a->arg[0], a->arg[1] ? ts : 0, 0);
}

/* ---- directories ---- */

SYSCALL_DEFINE(__NR_getdents64, getdents64)
{
	struct file *f = getf((int)a->arg[0]);
	uint32_t n = a->arg[2];
	if (!f)
		return -EBADF;
	if (n > BOUNCE)
		n = BOUNCE;
	void *kb = kmalloc(n ? n : 1);
	if (!kb)
		return -ENOMEM;
	ssize32_t k = file_getdents64(f, kb, n);
	if (k > 0 && copy_to_user(a->arg[1], kb, (size_t)k))
		k = -EFAULT;
	kfree(kb);
	return k;
}

static long set_cwd(const char *base, const char *path)
{
	struct process *p = proc_current();
	if (!p)
		return -ESRCH;
	char *abs = kmalloc(VFS_PATH_MAX);
	if (!abs)
		return -ENOMEM;
	int r = vfs_resolve_dir(base, path, abs, VFS_PATH_MAX);
	if (!r) {
		if (strlen(abs) >= PATH_MAX_AMPHI)
			r = -ENAMETOOLONG;
		else
			r = proc_set_cwd(p, abs);
	}
	kfree(abs);
	return r;
}

SYSCALL_DEFINE(__NR_chdir, chdir)
{
	struct upath *u;
	int r = get_upath(a->arg[0], AT_FDCWD, 0, &u);
	if (r)
		return r;
	r = (int)set_cwd(u->base, u->path);
	kfree(u);
	return r;
}

SYSCALL_DEFINE(__NR_fchdir, fchdir)
{
	struct file *f = getf((int)a->arg[0]);
	if (!f)
		return -EBADF;
	char *buf = kmalloc(VFS_PATH_MAX);
	if (!buf)
		return -ENOMEM;
	int r = file_dir_path(f, buf, VFS_PATH_MAX);
	if (r >= 0)
		r = (int)set_cwd("/", buf);
	kfree(buf);
	return r;
}

SYSCALL_DEFINE(__NR_getcwd, getcwd)
{
	const char *c = cur_cwd();
	size_t len = strlen(c) + 1;
	if (a->arg[1] < len)
		return -ERANGE;
	if (copy_to_user(a->arg[0], c, len))
		return -EFAULT;
	return (long)len;
}

static long do_mkdirat(int dirfd, uint32_t upath, uint32_t mode)
{
	struct upath *u;
	int r = get_upath(upath, dirfd, 0, &u);
	if (r)
		return r;
	r = vfs_mkdir(u->base, u->path, mode);
	kfree(u);
	return r;
}

SYSCALL_DEFINE(__NR_mkdir, mkdir)
{
	return do_mkdirat(AT_FDCWD, a->arg[0], a->arg[1]);
}

SYSCALL_DEFINE(__NR_mkdirat, mkdirat)
{
	return do_mkdirat((int)a->arg[0], a->arg[1], a->arg[2]);
}

static long do_unlinkat(int dirfd, uint32_t upath, uint32_t flags)
{
	if (flags & ~(uint32_t)AT_REMOVEDIR)
		return -EINVAL;
	struct upath *u;
	int r = get_upath(upath, dirfd, 0, &u);
	if (r)
		return r;
	r = vfs_unlink(u->base, u->path, !!(flags & AT_REMOVEDIR));
	kfree(u);
	return r;
}

SYSCALL_DEFINE(__NR_unlinkat, unlinkat)
{
	return do_unlinkat((int)a->arg[0], a->arg[1], a->arg[2]);
}

SYSCALL_DEFINE(__NR_unlink, unlink)
{
	return do_unlinkat(AT_FDCWD, a->arg[0], 0);
}

SYSCALL_DEFINE(__NR_rmdir, rmdir)
{
	return do_unlinkat(AT_FDCWD, a->arg[0], AT_REMOVEDIR);
}

static long do_symlinkat(uint32_t utarget, int dirfd, uint32_t upath)
{
	char *target = kmalloc(VFS_PATH_MAX);
	if (!target)
		return -ENOMEM;
	long n = strncpy_from_user(target, utarget, VFS_PATH_MAX);
	if (n <= 0) {
		kfree(target);
		return n < 0 ? n : -ENOENT;
	}
	struct upath *u;
	int r = get_upath(upath, dirfd, 0, &u);
	if (!r) {
		r = vfs_symlink(u->base, target, u->path);
		kfree(u);
	}
	kfree(target);
	return r;
}

SYSCALL_DEFINE(__NR_symlink, symlink)
{
	return do_symlinkat(a->arg[0], AT_FDCWD, a->arg[1]);
}

SYSCALL_DEFINE(__NR_symlinkat, symlinkat)
{
	return do_symlinkat(a->arg[0], (int)a->arg[1], a->arg[2]);
}

SYSCALL_DEFINE(__NR_link, link)
{
	struct upath *u1, *u2;
	int r = get_upath(a->arg[0], AT_FDCWD, 0, &u1);
	if (r)
		return r;
	r = get_upath(a->arg[1], AT_FDCWD, 0, &u2);
	if (!r) {
		r = vfs_link(u1->base, u1->path, u2->path, 0);
		kfree(u2);
	}
	kfree(u1);
	return r;
}

/* rename, renameat, renameat2 (flags 0 only): on mounted file systems. */
static long do_renameat(int olddir, uint32_t uold, int newdir, uint32_t unew, uint32_t flags)
{
	if (flags)
		return -EINVAL;
	struct upath *u1, *u2;
	int r = get_upath(uold, olddir, 0, &u1);
	if (r)
		return r;
	r = get_upath(unew, newdir, 0, &u2);
	if (!r) {
		/* both relative to their own bases: make the second absolute */
		char *abs = kmalloc(VFS_PATH_MAX);
		r = abs ? path_normalize(u2->base, u2->path, abs, VFS_PATH_MAX) : -ENOMEM;
		if (r >= 0)
			r = vfs_rename(u1->base, u1->path, abs);
		kfree(abs);
		kfree(u2);
	}
	kfree(u1);
	return r;
}

SYSCALL_DEFINE(38, rename)
{
	return do_renameat(AT_FDCWD, a->arg[0], AT_FDCWD, a->arg[1], 0);
}

SYSCALL_DEFINE(302, renameat)
{
	return do_renameat((int)a->arg[0], a->arg[1], (int)a->arg[2], a->arg[3], 0);
}

SYSCALL_DEFINE(353, renameat2)
{
	return do_renameat((int)a->arg[0], a->arg[1], (int)a->arg[2], a->arg[3], a->arg[4]);
}

/* mount(2): source a block device node, fstype "ext2" (data ignored);
 * umount(2), umount2(2). */
SYSCALL_DEFINE(21, mount)
{
	struct upath *src, *dst;
	char type[16];
	long n = strncpy_from_user(type, a->arg[2], sizeof(type));
	if (n < 0)
		return n;
	if (n >= (long)sizeof(type))
		return -ENODEV;
	int r = get_upath(a->arg[0], AT_FDCWD, 0, &src);
	if (r)
		return r;
	r = get_upath(a->arg[1], AT_FDCWD, 0, &dst);
	if (!r) {
		r = vfs_mount(src->base, src->path, dst->path, type, a->arg[3]);
		kfree(dst);
	}
	kfree(src);
	return r;
}

static long do_umount(uint32_t upath, int flags)
{
	struct upath *u;
	int r = get_upath(upath, AT_FDCWD, 0, &u);
	if (r)
		return r;
	r = vfs_umount(u->base, u->path, flags);
	kfree(u);
	return r;
}

SYSCALL_DEFINE(22, umount)
{
	return do_umount(a->arg[0], 0);
}

SYSCALL_DEFINE(52, umount2)
{
	return do_umount(a->arg[0], (int)a->arg[1]);
}

static long do_readlinkat(int dirfd, uint32_t upath, uint32_t ubuf, uint32_t size)
{
	if ((int32_t)size <= 0)
		return -EINVAL;
	if (size > VFS_PATH_MAX)
		size = VFS_PATH_MAX;
	struct upath *u;
	int r = get_upath(upath, dirfd, 0, &u);
	if (r)
		return r;
	char *kb = kmalloc(size);
	if (!kb) {
		kfree(u);
		return -ENOMEM;
	}
	r = vfs_readlink(u->base, u->path, kb, size);
	if (r > 0 && copy_to_user(ubuf, kb, (size_t)r))
		r = -EFAULT;
	kfree(kb);
	kfree(u);
	return r;
}

SYSCALL_DEFINE(__NR_readlink, readlink)
{
	return do_readlinkat(AT_FDCWD, a->arg[0], a->arg[1], a->arg[2]);
}

SYSCALL_DEFINE(__NR_readlinkat, readlinkat)
{
	return do_readlinkat((int)a->arg[0], a->arg[1], a->arg[2], a->arg[3]);
}

static long do_faccessat(int dirfd, uint32_t upath, uint32_t mode, uint32_t flags)
{
	if (flags & ~(uint32_t)(AT_EACCESS | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	struct upath *u;
	int r = get_upath(upath, dirfd, 0, &u);
	if (r)
		return r;
	r = vfs_access(u->base, u->path, (int)mode, !(flags & AT_SYMLINK_NOFOLLOW));
	kfree(u);
	return r;
}

SYSCALL_DEFINE(__NR_access, access)
{
	return do_faccessat(AT_FDCWD, a->arg[0], a->arg[1], 0);
}

SYSCALL_DEFINE(__NR_faccessat, faccessat)
{
	return do_faccessat((int)a->arg[0], a->arg[1], a->arg[2], a->arg[3]);
}

SYSCALL_DEFINE(__NR_ftruncate64, ftruncate64)
{
	struct file *f = getf((int)a->arg[0]);
	if (!f)
		return -EBADF;
	int64_t len = (int64_t)(((uint64_t)a->arg[2] << 32) | a->arg[1]);
	if (len < 0)
		return -EINVAL;
	return vfs_truncate(f, (uint64_t)len);
}

/* ---- descriptors ---- */

SYSCALL_DEFINE(__NR_dup, dup)
{
	struct fdtable *t = cur_fds();
	struct file *f = fd_get(t, (int)a->arg[0]);
	if (!f)
		return -EBADF;
	int fd = fd_install(t, file_get(f), 0, 0);
	if (fd < 0)
		file_put(f);
	return fd;
}

SYSCALL_DEFINE(__NR_dup2, dup2)
{
	struct fdtable *t = cur_fds();
	int oldfd = (int)a->arg[0], newfd = (int)a->arg[1];
	if (!fd_get(t, oldfd))
		return -EBADF;
	if (oldfd == newfd)
		return newfd;
	return fd_dup2(t, oldfd, newfd, 0);
}

SYSCALL_DEFINE(__NR_dup3, dup3)
{
	struct fdtable *t = cur_fds();
	int oldfd = (int)a->arg[0], newfd = (int)a->arg[1];
	uint32_t flags = a->arg[2];
	if (flags & ~(uint32_t)O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	return fd_dup2(t, oldfd, newfd, !!(flags & O_CLOEXEC));
}

static long do_pipe2(uint32_t ufds, uint32_t flags)
{
	struct fdtable *t = cur_fds();
	if (flags & ~(uint32_t)(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	if (!t)
		return -EBADF;
	struct file *ends[2];
	int r = vfs_pipe(ends);
	if (r)
		return r;
	if (flags & O_NONBLOCK) {
		file_set_flags(ends[0], file_get_flags(ends[0]) | O_NONBLOCK);
		file_set_flags(ends[1], file_get_flags(ends[1]) | O_NONBLOCK);
	}
	int cloexec = !!(flags & O_CLOEXEC);
	int fds[2];
	fds[0] = fd_install(t, ends[0], 0, cloexec);
	if (fds[0] < 0) {
		file_put(ends[0]);
		file_put(ends[1]);
		return fds[0];
	}
	fds[1] = fd_install(t, ends[1], 0, cloexec);
	if (fds[1] < 0) {
		fd_close(t, fds[0]);
		file_put(ends[1]);
		return fds[1];
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		fd_close(t, fds[0]);
		fd_close(t, fds[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE(__NR_pipe, pipe)
{
	return do_pipe2(a->arg[0], 0);
}

SYSCALL_DEFINE(__NR_pipe2, pipe2)
{
	return do_pipe2(a->arg[0], a->arg[1]);
}

static long do_fcntl(const struct syscall_args *a)
{
	struct fdtable *t = cur_fds();
	int fd = (int)a->arg[0];
	uint32_t arg = a->arg[2];
	struct file *f = fd_get(t, fd);
	if (!f)
		return -EBADF;
	switch (a->arg[1]) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC: {
		if (arg >= FD_MAX)
			return -EINVAL;
		int nfd = fd_install(t, file_get(f), (int)arg, a->arg[1] == F_DUPFD_CLOEXEC);
		if (nfd < 0)
			file_put(f);
		return nfd;
	}
	case F_GETFD:
		return fd_get_cloexec(t, fd) > 0 ? FD_CLOEXEC : 0;
	case F_SETFD:
		fd_set_cloexec(t, fd, arg & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return file_get_flags(f);
	case F_SETFL:
		file_set_flags(f, (int)arg);
		return 0;
	}
	return -EINVAL;
}

SYSCALL_DEFINE(__NR_fcntl64, fcntl64)
{
	return do_fcntl(a);
}

SYSCALL_DEFINE(__NR_fcntl, fcntl)
{
	return do_fcntl(a);
}

/* ---- ioctl ---- */

SYSCALL_DEFINE(__NR_ioctl, ioctl)
{
	struct fdtable *t = cur_fds();
	int fd = (int)a->arg[0];
	uint32_t cmd = a->arg[1], uarg = a->arg[2];
	struct file *f = fd_get(t, fd);
	if (!f)
		return -EBADF;
	switch (cmd) {          /* descriptor-level requests, any file */
	case FIOCLEX:
	case FIONCLEX:
		fd_set_cloexec(t, fd, cmd == FIOCLEX);
		return 0;
	case FIONBIO: {
		int32_t on;
		if (copy_from_user(&on, uarg, 4))
			return -EFAULT;
		file_set_flags(f, on ? file_get_flags(f) | O_NONBLOCK : file_get_flags(f) & ~O_NONBLOCK);
		return 0;
	}
	}
	if ((cmd & 0xff00) == 0x8900)       /* socket and interface requests (net/) */
		return net_sock_ioctl(f, cmd, uarg);
	size_t in = 0, out = 0;
	switch (cmd) {
	case TCGETS: out = 36; break;
	case TCSETS: case TCSETSW: case TCSETSF: in = 36; break;
	case TIOCGWINSZ: out = 8; break;
	case TIOCSWINSZ: in = 8; break;
	case TIOCGPGRP: case FIONREAD: out = 4; break;
	case TIOCSPGRP: in = 4; break;
	case TIOCSCTTY: break;
	case BLKGETSIZE64: out = 8; break;
	case BLKGETSIZE: case BLKSSZGET: case BLKBSZGET: case BLKROGET: out = 4; break;
	case BLKFLSBUF: break;
	default:
		return -ENOTTY;
	}
	uint8_t karg[36];
	memset(karg, 0, sizeof(karg));
	if (in && copy_from_user(karg, uarg, in))
		return -EFAULT;
	int r = file_ioctl(f, cmd, karg);
	if (r)
		return r;
	if (cmd == TIOCGPGRP) {
		int32_t pg;
		memcpy(&pg, karg, 4);
		if (pg <= 0) {     /* not set yet: the caller's own */
			struct syscall_args ga = { __NR_getpid, { 0, 0, 0, 0, 0, 0 } };
			pg = (int32_t)syscall_dispatch(&ga);
			memcpy(karg, &pg, 4);
		}
	}
	if (out && copy_to_user(uarg, karg, out))
		return -EFAULT;
	return 0;
}

/* ---- statx, statfs, sendfile ---- */

#define __NR_sendfile64 239
#define __NR_statfs64 268
#define __NR_fstatfs64 269
#define STATX_BASIC_STATS 0x7ffu
#define STATX__RESERVED 0x80000000u
#define AT_STATX_FORCE_SYNC 0x2000u
#define AT_STATX_DONT_SYNC 0x4000u

struct statx_ts {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};
struct statx {                          /* include/uapi/linux/stat.h: 256 bytes */
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, spare0;
	uint64_t ino, size, blocks, attributes_mask;
	struct statx_ts atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t spare[14];
};
_Static_assert(sizeof(struct statx) == 256, "struct statx is 256 bytes");

/* A dev_t as glibc encodes it (major 12 bits, minor 20, split). */
static uint32_t dev_major(uint64_t d) { return (uint32_t)(((d >> 8) & 0xfff) | ((d >> 32) & ~0xfffull)); }
static uint32_t dev_minor(uint64_t d) { return (uint32_t)((d & 0xff) | ((d >> 12) & ~0xffull)); }

static void statx_from_kstat(struct statx *x, const struct kstat64 *st)
{
	memset(x, 0, sizeof(*x));
	x->mask = STATX_BASIC_STATS;    /* no birth time */
	x->blksize = st->st_blksize;
	x->nlink = st->st_nlink;
	x->uid = st->st_uid;
	x->gid = st->st_gid;
	x->mode = (uint16_t)st->st_mode;
	x->ino = st->st_ino;
	x->size = (uint64_t)st->st_size;
	x->blocks = st->st_blocks;
	x->atime.tv_sec = st->st_atime;
	x->atime.tv_nsec = st->st_atime_nsec;
	x->mtime.tv_sec = st->st_mtime;
	x->mtime.tv_nsec = st->st_mtime_nsec;
	x->ctime.tv_sec = st->st_ctime;
	x->ctime.tv_nsec = st->st_ctime_nsec;
	x->rdev_major = dev_major(st->st_rdev);
	x->rdev_minor = dev_minor(st->st_rdev);
	x->dev_major = dev_major(st->st_dev);
	x->dev_minor = dev_minor(st->st_dev);
}

/* statx(dirfd, path, flags, mask, buf): the stat64 fields in statx's layout. */
SYSCALL_DEFINE(__NR_statx, statx)
{
	int dirfd = (int)a->arg[0];
	uint32_t flags = a->arg[2];
	if ((a->arg[3] & STATX__RESERVED) ||
	    (flags & (AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC)) == (AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC) ||
	    (flags & ~(uint32_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 | AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC)))
		return -EINVAL;
	struct upath *u;
	int r = get_upath(a->arg[1], dirfd, !!(flags & AT_EMPTY_PATH), &u);
	if (r)
		return r;
	struct kstat64 st;
	if (!u->path[0]) {
		struct file *f = dirfd == AT_FDCWD ? 0 : getf(dirfd);
		if (dirfd == AT_FDCWD)
			r = vfs_stat(u->base, ".", &st, 1);
		else
			r = f ? file_stat(f, &st) : -EBADF;
	} else {
		r = vfs_stat(u->base, u->path, &st, !(flags & AT_SYMLINK_NOFOLLOW));
	}
	kfree(u);
	if (r)
		return r;
	struct statx x;
	statx_from_kstat(&x, &st);
	return copy_to_user(a->arg[4], &x, sizeof(x)) ? -EFAULT : 0;
}

static long put_statfs(uint32_t ubuf, int r, const struct kstatfs64 *sf)
{
	if (r)
		return r;
	return copy_to_user(ubuf, sf, sizeof(*sf)) ? -EFAULT : 0;
}

/* statfs64(path, size, buf): size must be the i386 struct's (84). */
SYSCALL_DEFINE(__NR_statfs64, statfs64)
{
	if (a->arg[1] != sizeof(struct kstatfs64))
		return -EINVAL;
	struct upath *u;
	int r = get_upath(a->arg[0], AT_FDCWD, 0, &u);
	if (r)
		return r;
	struct kstatfs64 sf;
	r = vfs_statfs(u->base, u->path, &sf);
	kfree(u);
	return put_statfs(a->arg[2], r, &sf);
}

SYSCALL_DEFINE(__NR_fstatfs64, fstatfs64)
{
	if (a->arg[1] != sizeof(struct kstatfs64))
		return -EINVAL;
	struct file *f = getf((int)a->arg[0]);
	if (!f)
		return -EBADF;
	struct kstatfs64 sf;
	return put_statfs(a->arg[2], file_statfs(f, &sf), &sf);
}

/* sendfile64(out_fd, in_fd, loff_t *offset, count): copies through a kernel
 * buffer.  With an offset the input is read from there and its file
 * position is left as it was (set and restored around the copy: a file
 * description shared with another process may see the moved position
 * meanwhile). */
SYSCALL_DEFINE(__NR_sendfile64, sendfile64)
{
	struct file *out = getf((int)a->arg[0]), *in = getf((int)a->arg[1]);
	uint32_t uoff = a->arg[2];
	size_t n = a->arg[3] > VFS_RW_MAX ? VFS_RW_MAX : a->arg[3];
	if (!out || !in)
		return -EBADF;
	if ((file_get_flags(in) & O_ACCMODE) == O_WRONLY || (file_get_flags(out) & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (file_get_flags(out) & O_APPEND)
		return -EINVAL;                 /* as Linux */
	int64_t off = 0, saved = 0;
	if (uoff) {
		if (copy_from_user(&off, uoff, sizeof(off)))
			return -EFAULT;
		if (off < 0)
			return -EINVAL;
		if ((saved = file_lseek(in, 0, SEEK_CUR)) < 0 || file_lseek(in, off, SEEK_SET) < 0)
			return -ESPIPE;
	}
	size_t chunk = n < BOUNCE ? n : BOUNCE, done = 0;
	void *kb = kmalloc(chunk ? chunk : 1);
	long r = kb ? 0 : -ENOMEM;
	while (kb && done < n) {
		size_t want = n - done < chunk ? n - done : chunk;
		ssize32_t k = file_read(in, kb, want);
		if (k <= 0) {
			r = k;
			break;
		}
		ssize32_t w = file_write(out, kb, (size_t)k);
		if (w < 0) {
			r = w;
			break;
		}
		done += (size_t)w;
		if (w < k) {                    /* the rest goes back to be read again */
			file_lseek(in, (int64_t)w - k, SEEK_CUR);
			break;
		}
		if ((size_t)k < want)
			break;
	}
	kfree(kb);
	if (uoff) {
		off += (int64_t)done;
		file_lseek(in, saved, SEEK_SET);
		if (copy_to_user(uoff, &off, sizeof(off)))
			return -EFAULT;
	}
	return done ? (long)done : r;
}
