/*
 * The mount table (fs/mount.h): disk file systems mounted on directories
 * of the VFS, the route from a path to the mount holding it, mount(2) /
 * umount2(2)'s work, /proc/mounts' extra lines and the sync hooks.
 *
 * Routing is lexical, as the ramfs resolves ".." (path_normalize): the
 * longest mount point that is a prefix of the normalized path at a
 * component boundary.  /proc (fs/procfs.c) and, when the root is on disk,
 * /dev (the ramfs's device nodes) keep their routes.  A ramfs symlink that
 * points into a mount is not followed into it (the ramfs walk stays in
 * the ramfs).
 */
#include "../fs/mount.h"
#include "../fs/file.h"
#include <amphi/blkdev.h>
#include <amphi/errno.h>
#include <amphi/heap.h>
#include <amphi/mutex.h>
#include <amphi/printk.h>
#include <amphi/string.h>

#define MOUNT_MAX 8

struct mount {
	char point[VFS_PATH_MAX];       /* absolute, normalized; "/" for the root */
	size_t len;
	const struct vfs_fs_ops *ops;
	void *sb;
	char source[32];                /* "/dev/vda1" */
	int active;
};

static struct mount mounts[MOUNT_MAX];
static struct mutex mount_lock = MUTEX_INIT("mount");

static int under(const char *path, const char *point, size_t len)
{
	if (len == 1)                   /* "/" */
		return path[0] == '/';
	return !strncmp(path, point, len) && (path[len] == '/' || path[len] == 0);
}

int mounts_active;

/* 1 and m, rel when path is on a mounted file system; 0 when it is the
 * ramfs's or /proc's; -errno for a bad path. */
int mount_route(const char *cwd, const char *path, struct mount **mp, char *rel, size_t n)
{
	if (!path || !mounts_active)
		return 0;
	char *abs = kmalloc(VFS_PATH_MAX);
	if (!abs)
		return -ENOMEM;
	int r = path_normalize(cwd ? cwd : "/", path, abs, VFS_PATH_MAX);
	if (r < 0) {
		kfree(abs);
		return 0;               /* the ramfs walk reports it */
	}
	struct mount *best = 0;
	for (int i = 0; i < MOUNT_MAX; i++)
		if (mounts[i].active && under(abs, mounts[i].point, mounts[i].len) &&
		    (!best || mounts[i].len > best->len))
			best = &mounts[i];
	r = 0;
	if (best && best->len == 1 && (under(abs, "/proc", 5) || under(abs, "/dev", 4)))
		best = 0;               /* the root on disk: /proc and /dev stay */
	if (best) {
		const char *tail = best->len == 1 ? abs : abs + best->len;
		if (!*tail)
			tail = "/";
		if (strlen(tail) >= n) {
			r = -ENAMETOOLONG;
		} else {
			memcpy(rel, tail, strlen(tail) + 1);
			*mp = best;
			r = 1;
		}
	}
	kfree(abs);
	return r;
}

int mount_find(const char *cwd, const char *path, struct mount **mp, char **relp)
{
	*relp = 0;
	if (!path || !mounts_active)
		return 0;
	char *rel = kmalloc(VFS_PATH_MAX);
	if (!rel)
		return -ENOMEM;
	int r = mount_route(cwd, path, mp, rel, VFS_PATH_MAX);
	if (r == 1)
		*relp = rel;
	else
		kfree(rel);
	return r;
}

const struct vfs_fs_ops *mount_ops(struct mount *m)
{
	return m->ops;
}

void *mount_sb(struct mount *m)
{
	return m->sb;
}

const char *mount_point(struct mount *m)
{
	return m->point;
}

static const struct vfs_fs_ops *fs_type(const char *type)
{
	if (!strcmp(type, "ext2") || !strcmp(type, "ext3") || !strcmp(type, "auto"))
		return &ext2_fs_ops;
	return 0;
}

/* Mounts dev on the absolute directory point (already checked). */
int mount_attach(const char *point, const char *type, struct blkdev *dev, int ro)
{
	const struct vfs_fs_ops *ops = fs_type(type);
	if (!ops)
		return -ENODEV;
	mutex_lock(&mount_lock);
	struct mount *m = 0;
	int r = 0;
	for (int i = 0; i < MOUNT_MAX; i++) {
		if (mounts[i].active && !strcmp(mounts[i].point, point))
			r = -EBUSY;
		if (!mounts[i].active && !m)
			m = &mounts[i];
	}
	if (!r && !m)
		r = -ENOMEM;
	void *sb = 0;
	if (!r)
		r = ops->mount(dev, ro, &sb);
	if (!r) {
		strlcpy(m->point, point, sizeof(m->point));
		m->len = strlen(point);
		m->ops = ops;
		m->sb = sb;
		snprintf(m->source, sizeof(m->source), "/dev/%s", dev->name);
		m->active = 1;
		mounts_active++;
	}
	mutex_unlock(&mount_lock);
	return r;
}

int vfs_mount(const char *cwd, const char *source, const char *target, const char *type, uint32_t flags)
{
	char *point = kmalloc(VFS_PATH_MAX);
	if (!point)
		return -ENOMEM;
	int r = vfs_resolve_dir(cwd, target, point, VFS_PATH_MAX);
	struct blkdev *dev = 0;
	if (!r) {
		struct kstat64 st;
		r = vfs_stat(cwd, source, &st, 1);
		if (!r && (st.st_mode & S_IFMT) != S_IFBLK)
			r = -ENOTBLK;
		/* the node's name ("/dev/vda1"), else its device number */
		if (!r && !(dev = blkdev_lookup(source)) && !(dev = blkdev_by_rdev((uint32_t)st.st_rdev)))
			r = -ENXIO;
	}
	if (!r)
		r = mount_attach(point, type ? type : "auto", dev, flags & MS_RDONLY);
	kfree(point);
	return r;
}

int vfs_umount(const char *cwd, const char *target, int flags)
{
	char *point = kmalloc(VFS_PATH_MAX);
	if (!point)
		return -ENOMEM;
	(void)flags;
	/* the mount point as given (the mounted root resolves to itself) */
	int r = path_normalize(cwd ? cwd : "/", target, point, VFS_PATH_MAX);
	r = r < 0 ? r : -EINVAL;
	mutex_lock(&mount_lock);
	for (int i = 0; r == -EINVAL && i < MOUNT_MAX; i++) {
		if (!mounts[i].active || strcmp(mounts[i].point, point))
			continue;
		if (mounts[i].len == 1) {
			r = -EBUSY;     /* the root stays */
			break;
		}
		r = mounts[i].ops->umount(mounts[i].sb);
		if (!r) {
			mounts[i].active = 0;
			mounts_active--;
		}
	}
	mutex_unlock(&mount_lock);
	kfree(point);
	return r;
}

/* /proc/mounts' lines for the disk file systems. */
int mount_show(char *buf, size_t n)
{
	int len = 0;
	for (int i = 0; i < MOUNT_MAX; i++) {
		struct mount *m = &mounts[i];
		if (!m->active)
			continue;
		len += snprintf(len < (int)n ? buf + len : 0, len < (int)n ? n - (size_t)len : 0,
				"%s %s %s %s,relatime 0 0\n", m->source, m->point, m->ops->type,
				m->ops->read_only(m->sb) ? "ro" : "rw");
	}
	return len;
}

/* A mounted root hides the ramfs's "/" in /proc/mounts' first line. */
int mount_root_on_disk(void)
{
	for (int i = 0; i < MOUNT_MAX; i++)
		if (mounts[i].active && mounts[i].len == 1)
			return 1;
	return 0;
}

/* At power-off (kernel/rootfs.c): the disk root unmounted, which marks
 * it clean; -EBUSY (synced only) while a process still holds a file. */
int mount_detach_root(void)
{
	int r = -EINVAL;
	mutex_lock(&mount_lock);
	for (int i = 0; i < MOUNT_MAX; i++) {
		if (!mounts[i].active || mounts[i].len != 1)
			continue;
		r = mounts[i].ops->umount(mounts[i].sb);
		if (!r) {
			mounts[i].active = 0;
			mounts_active--;
		} else {
			mounts[i].ops->sync(mounts[i].sb);
		}
	}
	mutex_unlock(&mount_lock);
	return r;
}

/* Strong versions of drivers/block/sync.c's hooks. */
int vfs_sync_all(void)
{
	int r = 0;
	for (int i = 0; i < MOUNT_MAX; i++)
		if (mounts[i].active) {
			int e = mounts[i].ops->sync(mounts[i].sb);
			if (!r)
				r = e;
		}
	return r;
}

int vfs_fsync_file(struct file *f, int datasync)
{
	if (f->ops && f->ops->fsync)
		return f->ops->fsync(f, datasync);
	return -ENOSYS;
}
