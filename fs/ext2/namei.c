/*
 * ext2 paths and the VFS operations (struct vfs_fs_ops, fs/mount.h):
 * walks from the root inode, following symlinks (40 at most; an absolute
 * target resolves from this volume's root), create, mkdir, unlink, rmdir,
 * rename, symlink, link, readlink, times.  Every operation takes fs->lock.
 */
#include "ext2.h"
#include "../mount.h"
#include "../file.h"
#include <amphi/errno.h>
#include <amphi/heap.h>
#include <amphi/string.h>
#include <amphi/printk.h>

struct ewalk {
	uint32_t dino, ino;             /* parent; target (0: does not exist) */
	struct ext2_inode dir, in;
	char name[EXT2_NAME_LEN + 1];
	size_t len;
	char canon[VFS_PATH_MAX];       /* the target's path, symlinks resolved */
	char path[VFS_PATH_MAX];
	char tmp[VFS_PATH_MAX];
};

#define IS_DIR(in) (((in)->i_mode & S_IFMT) == S_IFDIR)
#define IS_LNK(in) (((in)->i_mode & S_IFMT) == S_IFLNK)

static int read_link(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, char *buf, size_t n)
{
	uint64_t size = ext2_isize(in);
	if (size == 0 || size >= fs->g.bsize)
		return ext2_corrupt(fs, "symlink length out of range", ino, size);
	if (size > n)
		size = n;
	if (in->i_blocks == (in->i_file_acl ? fs->g.bsize / 512 : 0)) {
		if (size > sizeof(in->i_block))
			return ext2_corrupt(fs, "fast symlink longer than i_block", ino, size);
		memcpy(buf, in->i_block, size);
		return (int)size;
	}
	long r = ext2_read_data(fs, ino, in, 0, buf, size, 0);
	return r < 0 ? (int)r : (int)r;
}

/* Resolves path; w->ino 0 when only the last component is missing. */
static int walk(struct ext2_fs *fs, const char *path, int follow, struct ewalk *w)
{
	int links = 0, err;
	if (strlen(path) >= sizeof(w->path))
		return -ENAMETOOLONG;
	strlcpy(w->path, path, VFS_PATH_MAX);
restart:
	w->canon[0] = 0;
	w->dino = w->ino = EXT2_ROOT_INO;
	if ((err = ext2_iread(fs, EXT2_ROOT_INO, &w->in)) != 0)
		return err;
	if (!IS_DIR(&w->in))
		return ext2_corrupt(fs, "root is not a directory", EXT2_ROOT_INO, w->in.i_mode);
	w->dir = w->in;
	w->len = 0;
	w->name[0] = 0;
	const char *p = w->path;
	while (*p == '/')
		p++;
	while (*p) {
		const char *e = p;
		while (*e && *e != '/')
			e++;
		size_t len = (size_t)(e - p);
		const char *rest = e;
		while (*rest == '/')
			rest++;
		int last = *rest == 0;
		if (len > EXT2_NAME_LEN)
			return -ENAMETOOLONG;
		if (!IS_DIR(&w->in))
			return -ENOTDIR;
		w->dino = w->ino;
		w->dir = w->in;
		memcpy(w->name, p, len);
		w->name[len] = 0;
		w->len = len;
		uint32_t ino;
		err = ext2_dir_lookup(fs, w->dino, &w->dir, p, len, &ino);
		if (err == -ENOENT && last) {
			w->ino = 0;
			return 0;
		}
		if (err)
			return err;
		if (ino < EXT2_ROOT_INO)
			return ext2_corrupt(fs, "directory entry names a reserved inode", w->dino, ino);
		w->ino = ino;
		if ((err = ext2_iread(fs, ino, &w->in)) != 0)
			return err;
		if (w->in.i_links_count == 0 || (w->in.i_mode & S_IFMT) == 0)
			return ext2_corrupt(fs, "directory entry names a free inode", w->dino, ino);
		if ((err = ext2_inode_check(fs, ino, &w->in)) != 0)
			return err;
		if (IS_DIR(&w->in)) {
			/* its ".." must be the directory it was found in: else a
			 * loop (an entry naming an ancestor) or a second link */
			uint32_t up;
			err = ext2_dir_lookup(fs, ino, &w->in, "..", 2, &up);
			if (err && err != -ENOENT)
				return err;
			if (err || up != w->dino)
				return ext2_corrupt(fs, "directory's \"..\" is not the directory naming it", ino,
						    err ? 0 : up);
		}
		if (IS_LNK(&w->in) && (!last || follow)) {
			if (++links > 40)
				return -ELOOP;
			char *t = w->tmp;
			int n = read_link(fs, ino, &w->in, t, VFS_PATH_MAX - 1);
			if (n < 0)
				return n;
			t[n] = 0;
			char *np = kmalloc(VFS_PATH_MAX * 2);
			if (!np)
				return -ENOMEM;
			int k = snprintf(np, VFS_PATH_MAX * 2, "%s/%s/%s", t[0] == '/' ? "" : w->canon, t, rest);
			err = k >= VFS_PATH_MAX ? -ENAMETOOLONG : path_normalize("/", np, w->path, sizeof(w->path));
			kfree(np);
			if (err < 0)
				return err;
			goto restart;
		}
		size_t cl = strlen(w->canon);
		if (cl + 1 + len >= sizeof(w->canon))
			return -ENAMETOOLONG;
		w->canon[cl] = '/';
		memcpy(w->canon + cl + 1, p, len);
		w->canon[cl + 1 + len] = 0;
		p = rest;
	}
	if (!w->canon[0])
		strlcpy(w->canon, "/", VFS_PATH_MAX);
	return 0;
}

static struct ewalk *walk_new(void)
{
	return kmalloc(sizeof(struct ewalk));
}

#define FS(sb) ((struct ext2_fs *)(sb))
#define BEGIN(sb) struct ext2_fs *fs = FS(sb); mutex_lock(&fs->lock)
#define END() mutex_unlock(&fs->lock)

/* walk() for the calls that need the path's last name to exist. */
static int walk_existing(struct ext2_fs *fs, const char *path, int follow, struct ewalk *w)
{
	int err = walk(fs, path, follow, w);
	return !err && !w->ino ? -ENOENT : err;
}

static int writable(struct ext2_fs *fs)
{
	return fs->ro ? -EROFS : 0;
}

/* A new inode of mode in the walked parent, linked as w->name. */
static int create_node(struct ext2_fs *fs, struct ewalk *w, uint32_t mode, uint32_t *inop, struct ext2_inode *in)
{
	int dir = (mode & S_IFMT) == S_IFDIR;
	uint32_t ino;
	int err = ext2_ialloc(fs, (w->dino - 1) / fs->g.ipg, dir, &ino);
	if (err)
		return err;
	memset(in, 0, sizeof(*in));
	in->i_mode = (uint16_t)mode;
	in->i_links_count = dir ? 2 : 1;
	in->i_atime = in->i_ctime = in->i_mtime = ext2_now();
	if (fs->g.inode_size >= 160)
		in->i_extra_isize = 32;
	if (dir && (err = ext2_dir_init(fs, ino, in, w->dino)) != 0)
		goto undo;
	if ((err = ext2_iwrite(fs, ino, in)) != 0)
		goto undo;
	/* the parent may have changed (its inode re-read): add the entry */
	if ((err = ext2_iread(fs, w->dino, &w->dir)) != 0 ||
	    (err = ext2_dir_add(fs, w->dino, &w->dir, w->name, w->len, ino, mode)) != 0)
		goto undo;
	if ((err = ext2_iread(fs, w->dino, &w->dir)) != 0)
		return err;
	w->dir.i_mtime = w->dir.i_ctime = ext2_now();
	if (dir)
		w->dir.i_links_count++;
	if ((err = ext2_iwrite(fs, w->dino, &w->dir)) != 0)
		return err;
	*inop = ino;
	return 0;
undo:
	in->i_links_count = 0;
	ext2_iwrite(fs, ino, in);
	ext2_free_inode_now(fs, ino);
	return err;
}

static struct file *e_open(void *sb, const char *path, int flags, uint32_t mode, const char *prefix, int *errp)
{
	struct ewalk *w = walk_new();
	struct file *f = 0;
	if (!w) {
		*errp = -ENOMEM;
		return 0;
	}
	BEGIN(sb);
	int acc = flags & O_ACCMODE;
	int follow = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));
	int err = walk(fs, path, follow, w);
	if (err)
		goto out;
	if (!w->ino) {
		if (!(flags & O_CREAT)) {
			err = -ENOENT;
			goto out;
		}
		if ((err = writable(fs)) != 0 ||
		    (err = create_node(fs, w, S_IFREG | (mode & 07777), &w->ino, &w->in)) != 0)
			goto out;
	} else {
		if ((flags & O_CREAT) && (flags & O_EXCL)) {
			err = -EEXIST;
			goto out;
		}
		if (IS_LNK(&w->in)) {
			err = -ELOOP;
			goto out;
		}
		if ((flags & O_DIRECTORY) && !IS_DIR(&w->in)) {
			err = -ENOTDIR;
			goto out;
		}
		if (IS_DIR(&w->in) && (acc != O_RDONLY || (flags & (O_TRUNC | O_CREAT)))) {
			err = -EISDIR;
			goto out;
		}
		if (acc != O_RDONLY && (err = writable(fs)) != 0)
			goto out;
		if ((flags & O_TRUNC) && acc != O_RDONLY && (w->in.i_mode & S_IFMT) == S_IFREG) {
			if ((err = ext2_truncate_blocks(fs, w->ino, &w->in, 0)) != 0)
				goto out;
			w->in.i_mtime = w->in.i_ctime = ext2_now();
			if ((err = ext2_iwrite(fs, w->ino, &w->in)) != 0)
				goto out;
		}
	}
	char *dp = 0;
	if (IS_DIR(&w->in)) {
		/* the directory's absolute path: mount point + canonical path */
		snprintf(w->tmp, sizeof(w->tmp), "%s%s", strcmp(prefix, "/") ? prefix : "",
			 strcmp(w->canon, "/") || !strcmp(prefix, "/") ? w->canon : "");
		dp = w->tmp;
	}
	f = ext2_file_open(fs, w->ino, &w->in, flags, dp, &err);
out:
	END();
	kfree(w);
	*errp = err;
	return f;
}

static int e_stat(void *sb, const char *path, int follow, struct kstat64 *st)
{
	struct ewalk *w = walk_new();
	if (!w)
		return -ENOMEM;
	BEGIN(sb);
	int err = walk_existing(fs, path, follow, w);
	if (!err)
		ext2_fill_stat(fs, w->ino, &w->in, st);
	END();
	kfree(w);
	return err;
}

static int e_mkdir(void *sb, const char *path, uint32_t mode)
{
	struct ewalk *w = walk_new();
	if (!w)
		return -ENOMEM;
	BEGIN(sb);
	int err = walk(fs, path, 0, w);
	if (!err && w->ino)
		err = -EEXIST;
	if (!err && !strcmp(path, "/"))
		err = -EEXIST;
	if (!err && w->dir.i_links_count >= 65000)
		err = -EMLINK;
	if (!err)
		err = writable(fs);
	uint32_t ino;
	struct ext2_inode in;
	if (!err)
		err = create_node(fs, w, S_IFDIR | (mode & 07777), &ino, &in);
	END();
	kfree(w);
	return err;
}

static int e_unlink(void *sb, const char *path, int rmdir)
{
	struct ewalk *w = walk_new();
	if (!w)
		return -ENOMEM;
	BEGIN(sb);
	int err = walk_existing(fs, path, 0, w);
	if (!err && w->ino == EXT2_ROOT_INO)
		err = -EBUSY;
	if (!err)
		err = writable(fs);
	if (!err && rmdir && !IS_DIR(&w->in))
		err = -ENOTDIR;
	if (!err && !rmdir && IS_DIR(&w->in))
		err = -EISDIR;
	if (!err && rmdir) {
		int e = ext2_dir_empty(fs, w->ino, &w->in);
		err = e < 0 ? e : e ? 0 : -ENOTEMPTY;
	}
	if (!err)
		err = ext2_dir_remove(fs, w->dino, &w->dir, w->name, w->len);
	if (!err)
		err = ext2_iread(fs, w->dino, &w->dir);
	if (!err) {
		w->dir.i_mtime = w->dir.i_ctime = ext2_now();
		if (rmdir && w->dir.i_links_count > 2)
			w->dir.i_links_count--;
		err = ext2_iwrite(fs, w->dino, &w->dir);
	}
	if (!err) {
		w->in.i_ctime = ext2_now();
		w->in.i_links_count = rmdir ? 0 : w->in.i_links_count - (w->in.i_links_count > 0);
		err = ext2_drop_inode(fs, w->ino, &w->in);
	}
	END();
	kfree(w);
	return err;
}

static int e_rename(void *sb, const char *from, const char *to)
{
	struct ewalk *a = walk_new(), *b = walk_new();
	if (!a || !b) {
		kfree(a);
		kfree(b);
		return -ENOMEM;
	}
	BEGIN(sb);
	int err = writable(fs);
	if (!err)
		err = walk(fs, from, 0, a);
	if (!err && !a->ino)
		err = -ENOENT;
	if (!err && a->ino == EXT2_ROOT_INO)
		err = -EBUSY;
	if (!err)
		err = walk(fs, to, 0, b);
	if (err)
		goto out;
	int dir = IS_DIR(&a->in);
	size_t fl = strlen(a->canon);
	if (dir && !strncmp(b->canon, a->canon, fl) && (b->canon[fl] == '/' || b->canon[fl] == 0) &&
	    b->ino != a->ino) {
		err = -EINVAL;          /* a directory into itself */
		goto out;
	}
	/* b->canon of a missing target is its parent's: check the parent too */
	if (dir && !b->ino) {
		char *pp = b->tmp;
		snprintf(pp, VFS_PATH_MAX, "%s/", b->canon);
		if (!strncmp(pp, a->canon, fl) && (pp[fl] == '/')) {
			err = -EINVAL;
			goto out;
		}
	}
	if (b->ino == a->ino)
		goto out;               /* the same file: nothing to do */
	if (b->ino) {
		if (dir && !IS_DIR(&b->in)) {
			err = -ENOTDIR;
			goto out;
		}
		if (!dir && IS_DIR(&b->in)) {
			err = -EISDIR;
			goto out;
		}
		if (dir) {
			int e = ext2_dir_empty(fs, b->ino, &b->in);
			if ((err = e < 0 ? e : e ? 0 : -ENOTEMPTY) != 0)
				goto out;
		}
		if ((err = ext2_dir_retarget(fs, b->dino, &b->dir, b->name, b->len, a->ino, a->in.i_mode)) != 0)
			goto out;
		b->in.i_ctime = ext2_now();
		b->in.i_links_count = dir ? 0 : b->in.i_links_count - (b->in.i_links_count > 0);
		if ((err = ext2_drop_inode(fs, b->ino, &b->in)) != 0)
			goto out;
		if (dir) {              /* the replaced directory's ".." link goes */
			if ((err = ext2_iread(fs, b->dino, &b->dir)) != 0)
				goto out;
			b->dir.i_links_count--;
			if ((err = ext2_iwrite(fs, b->dino, &b->dir)) != 0)
				goto out;
		}
	} else {
		if ((err = ext2_iread(fs, b->dino, &b->dir)) != 0 ||
		    (err = ext2_dir_add(fs, b->dino, &b->dir, b->name, b->len, a->ino, a->in.i_mode)) != 0)
			goto out;
	}
	if ((err = ext2_iread(fs, a->dino, &a->dir)) != 0 ||
	    (err = ext2_dir_remove(fs, a->dino, &a->dir, a->name, a->len)) != 0)
		goto out;
	uint32_t now = ext2_now();
	if ((err = ext2_iread(fs, a->dino, &a->dir)) != 0)
		goto out;
	a->dir.i_mtime = a->dir.i_ctime = now;
	if (dir && a->dino != b->dino)
		a->dir.i_links_count--;
	if ((err = ext2_iwrite(fs, a->dino, &a->dir)) != 0)
		goto out;
	if ((err = ext2_iread(fs, b->dino, &b->dir)) != 0)
		goto out;
	b->dir.i_mtime = b->dir.i_ctime = now;
	if (dir && a->dino != b->dino)
		b->dir.i_links_count++;
	if ((err = ext2_iwrite(fs, b->dino, &b->dir)) != 0)
		goto out;
	if ((err = ext2_iread(fs, a->ino, &a->in)) != 0)
		goto out;
	a->in.i_ctime = now;
	if ((err = ext2_iwrite(fs, a->ino, &a->in)) != 0)
		goto out;
	if (dir && a->dino != b->dino)
		err = ext2_dir_retarget(fs, a->ino, &a->in, "..", 2, b->dino, S_IFDIR);
out:
	END();
	kfree(a);
	kfree(b);
	return err;
}

static int e_symlink(void *sb, const char *target, const char *path)
{
	struct ewalk *w = walk_new();
	if (!w)
		return -ENOMEM;
	size_t len = strlen(target);
	BEGIN(sb);
	int err = walk(fs, path, 0, w);
	if (!err && w->ino)
		err = -EEXIST;
	if (!err && (len == 0 || len >= fs->g.bsize))
		err = len ? -ENAMETOOLONG : -ENOENT;
	if (!err)
		err = writable(fs);
	uint32_t ino;
	struct ext2_inode in;
	if (!err)
		err = create_node(fs, w, S_IFLNK | 0777, &ino, &in);
	if (!err) {
		if (len <= EXT2_FAST_LINK_MAX) {
			memcpy(in.i_block, target, len);
			ext2_set_isize(&in, len);
		} else {
			long k = ext2_write_data(fs, ino, &in, 0, target, len);
			if (k < 0)
				err = (int)k;
		}
		int e2 = ext2_iwrite(fs, ino, &in);
		if (!err)
			err = e2;
	}
	END();
	kfree(w);
	return err;
}

static int e_link(void *sb, const char *from, const char *to, int follow)
{
	struct ewalk *a = walk_new(), *b = walk_new();
	int err = a && b ? 0 : -ENOMEM;
	if (err) {
		kfree(a);
		kfree(b);
		return err;
	}
	BEGIN(sb);
	err = writable(fs);
	if (!err)
		err = walk(fs, from, follow, a);
	if (!err && !a->ino)
		err = -ENOENT;
	if (!err && IS_DIR(&a->in))
		err = -EPERM;
	if (!err && a->in.i_links_count >= 65000)
		err = -EMLINK;
	if (!err)
		err = walk(fs, to, 0, b);
	if (!err && b->ino)
		err = -EEXIST;
	if (!err)
		err = ext2_dir_add(fs, b->dino, &b->dir, b->name, b->len, a->ino, a->in.i_mode);
	if (!err && !(err = ext2_iread(fs, b->dino, &b->dir))) {
		b->dir.i_mtime = b->dir.i_ctime = ext2_now();
		err = ext2_iwrite(fs, b->dino, &b->dir);
	}
	if (!err && !(err = ext2_iread(fs, a->ino, &a->in))) {
		a->in.i_links_count++;
		a->in.i_ctime = ext2_now();
		err = ext2_iwrite(fs, a->ino, &a->in);
	}
	END();
	kfree(a);
	kfree(b);
	return err;
}

static int e_readlink(void *sb, const char *path, char *buf, size_t n)
{
	struct ewalk *w = walk_new();
	if (!w)
		return -ENOMEM;
	BEGIN(sb);
	int err = walk_existing(fs, path, 0, w);
	if (!err && !IS_LNK(&w->in))
		err = -EINVAL;
	if (!err)
		err = read_link(fs, w->ino, &w->in, buf, n);
	END();
	kfree(w);
	return err;
}

static int e_utimens(void *sb, const char *path, int follow, const struct vfs_timespec *ts)
{
	struct ewalk *w = walk_new();
	if (!w)
		return -ENOMEM;
	BEGIN(sb);
	int err = walk_existing(fs, path, follow, w);
	if (!err)
		err = writable(fs);
	if (!err)
		err = ext2_set_times(fs, w->ino, ts);
	END();
	kfree(w);
	return err;
}

static int e_resolve_dir(void *sb, const char *path, char *out, size_t n)
{
	struct ewalk *w = walk_new();
	if (!w)
		return -ENOMEM;
	BEGIN(sb);
	int err = walk_existing(fs, path, 1, w);
	if (!err && !IS_DIR(&w->in))
		err = -ENOTDIR;
	if (!err && strlen(w->canon) >= n)
		err = -ENAMETOOLONG;
	if (!err)
		strlcpy(out, w->canon, VFS_PATH_MAX);
	END();
	kfree(w);
	return err;
}


const struct vfs_fs_ops ext2_fs_ops = {
	.type = "ext2",
	.mount = ext2_mount,
	.umount = ext2_umount,
	.open = e_open,
	.stat = e_stat,
	.mkdir = e_mkdir,
	.unlink = e_unlink,
	.rename = e_rename,
	.symlink = e_symlink,
	.link = e_link,
	.readlink = e_readlink,
	.utimens = e_utimens,
	.resolve_dir = e_resolve_dir,
	.statfs = ext2_statfs,
	.sync = ext2_sync,
	.read_only = ext2_read_only,
};
