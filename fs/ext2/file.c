/*
 * ext2 open files: struct file with ops (fs/file.h) and an ext2_file as
 * priv (the volume, the inode number, a directory's absolute path).
 * Every call takes the volume's mutex and re-reads the inode: nothing of
 * an inode is cached across calls.  An open inode is counted
 * (ext2_open_ref) so that unlinking it defers the freeing to the last close.
 */
#include "ext2.h"
#include "../file.h"
#include "../mount.h"
#include <amphi/errno.h>
#include <amphi/heap.h>
#include <amphi/string.h>
#include <amphi/timer.h>

struct ext2_file {
	struct ext2_fs *fs;
	uint32_t ino;
	char *dirpath;
	uint64_t ra;            /* read(2) read ahead below this block (ext2_read_data) */
	int64_t next_off;       /* where the last read(2) ended: the next one there is sequential */
};

#define EF(f) ((struct ext2_file *)(f)->priv)

uint32_t ext2_now(void)
{
	return (uint32_t)(realtime_ns() / 1000000000ull);
}

void ext2_open_ref(struct ext2_fs *fs, uint32_t ino, int delta)
{
	struct ext2_open **pp = &fs->opens, *o;
	for (; (o = *pp) != 0; pp = &o->next)
		if (o->ino == ino)
			break;
	if (!o) {
		if (delta < 0 || !(o = kzalloc(sizeof(*o))))
			return;
		o->ino = ino;
		o->next = fs->opens;
		fs->opens = o;
		pp = &fs->opens;
	}
	o->count += (uint32_t)delta;
	if (o->count == 0) {
		*pp = o->next;
		struct ext2_inode in;
		/* unlinked while open: the last close frees it */
		if (ext2_iread(fs, ino, &in) == 0 && in.i_links_count == 0)
			ext2_free_inode_now(fs, ino);
		kfree(o);
	}
}

int ext2_is_open(struct ext2_fs *fs, uint32_t ino)
{
	for (struct ext2_open *o = fs->opens; o; o = o->next)
		if (o->ino == ino)
			return 1;
	return 0;
}

void ext2_fill_stat(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in, struct kstat64 *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = fs->dev_id;
	st->st_ino = st->__st_ino = ino;
	st->st_mode = in->i_mode;
	st->st_nlink = in->i_links_count;
	st->st_uid = in->i_uid | ((uint32_t)((uint16_t *)in->i_osd2)[2] << 16);
	st->st_gid = in->i_gid | ((uint32_t)((uint16_t *)in->i_osd2)[3] << 16);
	st->st_size = (int64_t)ext2_isize(in);
	st->st_blksize = fs->g.bsize;
	st->st_blocks = in->i_blocks;
	st->st_atime = in->i_atime;
	st->st_mtime = in->i_mtime;
	st->st_ctime = in->i_ctime;
	uint32_t t = in->i_mode & S_IFMT;
	if (t == S_IFCHR || t == S_IFBLK) {     /* old (16-bit) or new encoding */
		uint32_t d = in->i_block[0] ? in->i_block[0] : in->i_block[1];
		uint32_t ma = (d >> 8) & 0xfff, mi = (d & 0xff) | ((d >> 12) & 0xfff00);
		st->st_rdev = (uint64_t)((ma << 8) | (mi & 0xff) | ((mi & ~0xffu) << 12));
	}
}

int ext2_set_times(struct ext2_fs *fs, uint32_t ino, const struct vfs_timespec *ts)
{
	struct ext2_inode in;
	int err = ext2_iread(fs, ino, &in);
	if (err)
		return err;
	uint32_t now = ext2_now();
	for (int i = 0; i < 2; i++) {
		if (ts && ts[i].nsec == UTIME_OMIT)
			continue;
		if (ts && ts[i].nsec != UTIME_NOW && ts[i].nsec >= 1000000000u)
			return -EINVAL;
		uint32_t v = ts && ts[i].nsec != UTIME_NOW ? (uint32_t)ts[i].sec : now;
		if (i == 0)
			in.i_atime = v;
		else
			in.i_mtime = v;
	}
	in.i_ctime = now;
	return ext2_iwrite(fs, ino, &in);
}

#define BEGIN(f) struct ext2_fs *fs = EF(f)->fs; uint32_t ino = EF(f)->ino; \
	struct ext2_inode in; mutex_lock(&fs->lock); int err = ext2_iread(fs, ino, &in)
#define END() mutex_unlock(&fs->lock)

/* Into kernel memory (buf), or the program's at ubuf when buf is NULL. */
static ssize32_t read_at(struct file *f, void *buf, uint32_t ubuf, size_t n, uint64_t off, uint64_t *ra)
{
	BEGIN(f);
	long r = err ? err : buf ? ext2_read_data(fs, ino, &in, off, buf, n, ra)
				 : ext2_read_user(fs, ino, &in, off, ubuf, n, ra);
	END();
	return (ssize32_t)r;
}

static ssize32_t ef_pread(struct file *f, void *buf, size_t n, uint64_t off)
{
	return read_at(f, buf, 0, n, off, 0);
}

/* read(2) where the last one ended reads ahead (random reads do not) */
static ssize32_t read_on(struct file *f, void *buf, uint32_t ubuf, size_t n)
{
	struct ext2_file *e = EF(f);
	if (f->off != e->next_off)
		e->ra = 0;
	ssize32_t r = read_at(f, buf, ubuf, n, (uint64_t)f->off, f->off == e->next_off ? &e->ra : 0);
	if (r > 0)
		f->off += r;
	e->next_off = f->off;
	return r;
}

static ssize32_t ef_read(struct file *f, void *buf, size_t n)
{
	return read_on(f, buf, 0, n);
}

/* file_ops.direct: read(2) copies from the cached blocks to the program
 * once (no kernel buffer between), a MiB at a time so that fs->lock is let
 * go between; writes take the copying path.  (A fault in the copy never
 * comes back here: amphi's file mmap copies the file at mmap time.) */
#define DIRECT_CHUNK (1u << 20)
static ssize32_t ef_direct(struct file *f, uint32_t ubuf, size_t n, int wr)
{
	if (wr)
		return -EOPNOTSUPP;
	size_t done = 0;
	while (done < n) {
		size_t k = n - done < DIRECT_CHUNK ? n - done : DIRECT_CHUNK;
		ssize32_t r = read_on(f, 0, ubuf + (uint32_t)done, k);
		if (r <= 0)
			return done ? (ssize32_t)done : r;
		done += (size_t)r;
		if ((size_t)r < k)
			break;          /* the end of the file */
	}
	return (ssize32_t)done;
}

static ssize32_t ef_write(struct file *f, const void *buf, size_t n)
{
	BEGIN(f);
	long r = err;
	if (!err && fs->ro)
		r = -EROFS;
	else if (!err) {
		if (f->flags & O_APPEND)
			f->off = (int64_t)ext2_isize(&in);
		r = ext2_write_data(fs, ino, &in, (uint64_t)f->off, buf, n);
		if (r > 0) {
			f->off += r;
			in.i_mtime = in.i_ctime = ext2_now();
		}
		int e2 = ext2_iwrite(fs, ino, &in);      /* i_blocks changed even on ENOSPC */
		if (r >= 0 && e2)
			r = e2;
	}
	END();
	return (ssize32_t)r;
}

static int64_t ef_lseek(struct file *f, int64_t off, int whence)
{
	BEGIN(f);
	int64_t r = err;
	if (!err) {
		int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->off
			     : whence == SEEK_END ? (int64_t)ext2_isize(&in) : -1;
		if (base < 0 || (off > 0 && base > INT64_MAX - off) || base + off < 0)
			r = -EINVAL;
		else
			r = f->off = base + off;
	}
	END();
	return r;
}

static int ef_stat(struct file *f, struct kstat64 *st)
{
	BEGIN(f);
	if (!err)
		ext2_fill_stat(fs, ino, &in, st);
	END();
	return err;
}

static int ef_truncate(struct file *f, uint64_t size)
{
	BEGIN(f);
	if (!err && fs->ro)
		err = -EROFS;
	if (!err && (in.i_mode & S_IFMT) != S_IFREG)
		err = -EINVAL;
	if (!err && size < ext2_isize(&in))
		err = ext2_truncate_blocks(fs, ino, &in, size);
	else if (!err)
		ext2_set_isize(&in, size);      /* growing: a hole */
	if (!err) {
		in.i_mtime = in.i_ctime = ext2_now();
		err = ext2_iwrite(fs, ino, &in);
	}
	END();
	return err;
}

static int ef_utimens(struct file *f, const struct vfs_timespec *ts)
{
	struct ext2_fs *fs = EF(f)->fs;
	mutex_lock(&fs->lock);
	int err = fs->ro ? -EROFS : ext2_set_times(fs, EF(f)->ino, ts);
	mutex_unlock(&fs->lock);
	return err;
}

static int ef_statfs(struct file *f, struct kstatfs64 *sf)
{
	return ext2_fs_ops.statfs(EF(f)->fs, sf);
}

static int ef_fsync(struct file *f, int datasync)
{
	(void)datasync;
	return ext2_fs_ops.sync(EF(f)->fs);
}

struct rd_ctx {
	ramfs_fill_fn fill;
	void *ctx;
};

static int ef_fill(void *vc, const char *name, size_t len, uint32_t ino, uint32_t mode, uint64_t next)
{
	struct rd_ctx *c = vc;
	return c->fill(c->ctx, name, len, ino, mode, next);
}

static int ef_readdir(struct file *f, ramfs_fill_fn fill, void *ctx)
{
	BEGIN(f);
	struct rd_ctx c = { fill, ctx };
	uint64_t pos = (uint64_t)f->off;
	if (!err)
		err = ext2_dir_iterate(fs, ino, &in, &pos, ef_fill, &c);
	f->off = (int64_t)pos;
	END();
	return err;
}

static int ef_dir_path(struct file *f, char *buf, size_t n)
{
	const char *p = EF(f)->dirpath;
	size_t len = strlen(p);
	if (len >= n)
		return -ENAMETOOLONG;
	memcpy(buf, p, len + 1);
	return (int)len;
}

static int64_t ed_lseek(struct file *f, int64_t off, int whence)
{
	if (whence == SEEK_SET && off >= 0)
		return f->off = off;
	if (whence == SEEK_CUR && off == 0)
		return f->off;
	return -EINVAL;
}

static void ef_release(struct file *f)
{
	struct ext2_file *e = EF(f);
	mutex_lock(&e->fs->lock);
	ext2_open_ref(e->fs, e->ino, -1);
	mutex_unlock(&e->fs->lock);
	kfree(e->dirpath);
	kfree(e);
}

static const struct file_ops ext2_reg_ops = {
	.read = ef_read, .write = ef_write, .lseek = ef_lseek, .release = ef_release,
	.stat = ef_stat, .pread = ef_pread, .truncate = ef_truncate, .utimens = ef_utimens,
	.statfs = ef_statfs, .fsync = ef_fsync, .read_whole = 1, .direct = ef_direct,
};

static const struct file_ops ext2_dir_ops = {
	.lseek = ed_lseek, .release = ef_release, .stat = ef_stat, .readdir = ef_readdir,
	.dir_path = ef_dir_path, .utimens = ef_utimens, .statfs = ef_statfs, .fsync = ef_fsync,
};

struct file *ext2_file_open(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, int flags,
			    const char *dirpath, int *err)
{
	uint32_t t = in->i_mode & S_IFMT;
	if (t != S_IFREG && t != S_IFDIR) {
		*err = -ENXIO;          /* device nodes and fifos on disk: not opened */
		return 0;
	}
	struct ext2_file *e = kzalloc(sizeof(*e));
	if (e && dirpath && (e->dirpath = kmalloc(strlen(dirpath) + 1)) != 0)
		memcpy(e->dirpath, dirpath, strlen(dirpath) + 1);
	struct file *f = e && (!dirpath || e->dirpath) ?
		file_new(t == S_IFDIR ? &ext2_dir_ops : &ext2_reg_ops, e, flags) : 0;
	if (!f) {
		if (e)
			kfree(e->dirpath);
		kfree(e);
		*err = -ENOMEM;
		return 0;
	}
	e->fs = fs;
	e->ino = ino;
	ext2_open_ref(fs, ino, 1);
	*err = 0;
	return f;
}
