/*
 * sync, fsync, fdatasync, syncfs.  File systems that cache their own
 * metadata provide the strong versions of the two hooks below (ext2 writes
 * its inodes and bitmaps into the buffer cache there); the block layer then
 * writes the dirty buffers and flushes the disks' caches.
 */
#include "blk_internal.h"
#include <amphi/proc.h>
#include <amphi/syscall.h>
#include <amphi/vfs.h>


/* Every mounted file system: push its state into the buffer cache. */
__attribute__((weak)) int vfs_sync_all(void)
{
	return 0;
}

/* One open file: 0 when done (including bsync of its device), -ENOSYS when
 * the file is on no disk (ramfs, pipes: nothing to write). */
__attribute__((weak)) int vfs_fsync_file(struct file *f, int datasync)
{
	(void)f;
	(void)datasync;
	return -ENOSYS;
}

int blk_sync_all(void)
{
	int r = vfs_sync_all();
	int b = bsync(0);
	return r ? r : b;
}

static long do_fsync(int fd, int datasync)
{
	struct process *p = proc_current();
	struct file *f = p ? fd_get(proc_fds(p), fd) : 0;
	if (!f)
		return -EBADF;
	struct blkdev *d = blk_file_dev(f);
	if (d)
		return bsync(d);
	int r = vfs_fsync_file(f, datasync);
	return r == -ENOSYS ? 0 : r;
}

#define __NR_sync 36
#define __NR_fsync 118
#define __NR_fdatasync 148
#define __NR_syncfs 344

SYSCALL_DEFINE(__NR_sync, sync)
{
	blk_sync_all();
	return 0;
}

SYSCALL_DEFINE(__NR_fsync, fsync)
{
	return do_fsync((int)a->arg[0], 0);
}

SYSCALL_DEFINE(__NR_fdatasync, fdatasync)
{
	return do_fsync((int)a->arg[0], 1);
}

SYSCALL_DEFINE(__NR_syncfs, syncfs)
{
	struct process *p = proc_current();
	if (!p || !fd_get(proc_fds(p), (int)a->arg[0]))
		return -EBADF;
	return blk_sync_all();
}
