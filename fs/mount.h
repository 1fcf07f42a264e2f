/*
 * The mount seam (kernel/vfs.c, fs/): a file system mounted on a directory
 * gets every path at or below it, as a path relative to its own root
 * ("/" for the mount point itself, lexically normalized: no "." or "..",
 * no double slashes).  The root ramfs (and /dev inside it) and /proc keep
 * their own routes in kernel/vfs.c; disk file systems (fs/ext2) implement
 * this table.  Errors are negative errno values.
 */
#ifndef FS_MOUNT_H
#define FS_MOUNT_H
#include <amphi/vfs.h>

struct blkdev;

struct vfs_fs_ops {
	const char *type;                               /* "ext2" */
	int (*mount)(struct blkdev *dev, int ro, void **sb);
	int (*umount)(void *sb);                        /* -EBUSY while files are open */
	/* prefix: the mount point, for the open directory's path */
	struct file *(*open)(void *sb, const char *path, int flags, uint32_t mode, const char *prefix, int *err);
	int (*stat)(void *sb, const char *path, int follow, struct kstat64 *st);
	int (*mkdir)(void *sb, const char *path, uint32_t mode);
	int (*unlink)(void *sb, const char *path, int rmdir);
	int (*rename)(void *sb, const char *from, const char *to);
	int (*symlink)(void *sb, const char *target, const char *path);
	int (*link)(void *sb, const char *from, const char *to, int follow);
	int (*readlink)(void *sb, const char *path, char *buf, size_t n);
	int (*utimens)(void *sb, const char *path, int follow, const struct vfs_timespec *ts);
	/* A directory's canonical path inside the fs (symlinks resolved), for chdir. */
	int (*resolve_dir)(void *sb, const char *path, char *out, size_t n);
	int (*statfs)(void *sb, struct kstatfs64 *sf);
	int (*sync)(void *sb);
	int (*read_only)(void *sb);
};

extern const struct vfs_fs_ops ext2_fs_ops;

/* mount(2) / umount2(2) (kernel/vfs.c). */
#define MS_RDONLY 1
#define MNT_FORCE 1
#define MNT_DETACH 2
int vfs_mount(const char *cwd, const char *source, const char *target, const char *type, uint32_t flags);
int vfs_umount(const char *cwd, const char *target, int flags);

/* kernel/mount.c's table: which mounted file system holds a path (1 and
 * *mp, rel; 0: the ramfs's or /proc's; -errno). */
struct mount;
int mount_route(const char *cwd, const char *path, struct mount **mp, char *rel, size_t n);
/* The same with the buffer made here: 1 with *mp and *relp (the caller
 * kfrees it), 0 (no buffer; nothing allocated while nothing is mounted),
 * or -errno. */
int mount_find(const char *cwd, const char *path, struct mount **mp, char **relp);
/* How many disk file systems are mounted: 0 keeps every path on the ramfs
 * without a look at the table (and without mount_route's buffers). */
extern int mounts_active;
const struct vfs_fs_ops *mount_ops(struct mount *m);
void *mount_sb(struct mount *m);
const char *mount_point(struct mount *m);
int mount_attach(const char *point, const char *type, struct blkdev *dev, int ro);
int mount_show(char *buf, size_t n);            /* /proc/mounts lines, as snprintf */
int mount_root_on_disk(void);
int mount_detach_root(void);                    /* power-off: umount "/", else sync it */
#endif
