/*
 * statfs(2) and fstatfs(2): which file system a file lives on, and its
 * totals.  Today the file system is known by the file's st_dev (ramfs,
 * /proc, pipes); a path or file on a mounted file system (ext2) asks
 * the mount (fs/mount.h).
 *
 * The root ramfs keeps its data in RAM, so it reports the RAM the frame
 * allocator manages: total = the free frames right after boot, free and
 * available = the frames free now (a ramfs has no inode limit: files 0, as
 * Linux's ramfs).
 */
#include <amphi/vfs.h>
#include <amphi/frame.h>
#include <amphi/mm.h>
#include <amphi/string.h>
#include <amphi/errno.h>
#include <amphi/heap.h>
#include "file.h"
#include "mount.h"


#define ST_VALID 0x20u
#define DEV_RAMFS 1                     /* fs/ramfs.c: the root's st_dev */
#define DEV_PIPEFS 2                    /* fs/pipe.c */
#define DEV_PROCFS 4                    /* fs/procfs.c */

static int statfs_of_dev(uint64_t dev, struct kstatfs64 *sf)
{
	memset(sf, 0, sizeof(*sf));
	sf->f_bsize = sf->f_frsize = 4096;
	sf->f_namelen = VFS_NAME_MAX;
	sf->f_flags = ST_VALID;
	sf->f_fsid[0] = (int32_t)dev;
	switch (dev) {
	case DEV_RAMFS:
		sf->f_type = RAMFS_MAGIC;
		sf->f_blocks = mm_summary.frames_total;
		sf->f_bfree = sf->f_bavail = frames.nr_free;
		return 0;
	case DEV_PROCFS:
		sf->f_type = PROC_SUPER_MAGIC;
		return 0;
	case DEV_PIPEFS:
		sf->f_type = PIPEFS_MAGIC;
		return 0;
	}
	return -ENOSYS;                 /* a file system statfs does not know yet */
}

int vfs_statfs(const char *cwd, const char *path, struct kstatfs64 *sf)
{
	struct kstat64 st;
	int r = vfs_stat(cwd, path, &st, 1);
	if (r)
		return r;
	struct mount *m;
	char *rel;
	int mr = mount_find(cwd, path, &m, &rel);
	kfree(rel);
	if (mr)                         /* a mounted file system (fs/mount.h) */
		return mr < 0 ? mr : mount_ops(m)->statfs(mount_sb(m), sf);
	return statfs_of_dev(st.st_dev, sf);
}

int file_statfs(struct file *f, struct kstatfs64 *sf)
{
	if (f->ops && f->ops->statfs)
		return f->ops->statfs(f, sf);
	struct kstat64 st;
	int r = file_stat(f, &st);
	return r ? r : statfs_of_dev(st.st_dev, sf);
}
