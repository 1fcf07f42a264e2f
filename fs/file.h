/* Open files inside fs/ and kernel/vfs.c (private to them). */
#ifndef FS_FILE_H
#define FS_FILE_H
#include <amphi/vfs.h>
#include "ramfs.h"

struct file_ops {
	ssize32_t (*read)(struct file *f, void *buf, size_t n);
	ssize32_t (*write)(struct file *f, const void *buf, size_t n);
	int64_t (*lseek)(struct file *f, int64_t off, int whence);   /* NULL: -ESPIPE */
	int (*ioctl)(struct file *f, uint32_t cmd, void *arg);       /* NULL: -ENOTTY */
	void (*release)(struct file *f);
	int (*stat)(struct file *f, struct kstat64 *st);             /* pipes */
	int (*poll)(struct file *f, int events);                     /* NULL: always ready */
	/* Directories without a ramfs node (/proc): entries from f->off, as
	 * ramfs_readdir; and the directory's absolute path (file_dir_path). */
	int (*readdir)(struct file *f, ramfs_fill_fn fill, void *ctx);
	int (*dir_path)(struct file *f, char *buf, size_t n);
	/* Files of a mounted file system (fs/mount.h): positioned reads (the
	 * ELF loader), ftruncate, futimens, fstatfs, fsync.  NULL: refused. */
	ssize32_t (*pread)(struct file *f, void *buf, size_t n, uint64_t off);
	int (*truncate)(struct file *f, uint64_t size);
	int (*utimens)(struct file *f, const struct vfs_timespec *ts);
	int (*statfs)(struct file *f, struct kstatfs64 *sf);
	int (*fsync)(struct file *f, int datasync);
	/* Optional: moves n bytes between the device and the user memory at
	 * ubuf (of the current process) without a kernel copy (block nodes).
	 * Bytes moved, -errno, or -EOPNOTSUPP when it cannot (alignment):
	 * then read/write go through a kernel buffer as for any file. */
	ssize32_t (*direct)(struct file *f, uint32_t ubuf, size_t n, int wr);
	int tty;
	/* Reads never wait and fill what is asked (/dev/zero): read(2) goes on
	 * past its bounce buffer, as for regular files (dd counts full blocks). */
	int read_whole;
};

struct file {
	int refs;
	int flags;                      /* O_ACCMODE | O_APPEND | O_NONBLOCK | ... */
	int64_t off;                    /* files: byte offset; directories: readdir position */
	struct rnode *node;             /* ramfs node (files, directories, device nodes) */
	const struct file_ops *ops;     /* NULL: a ramfs file or directory */
	void *priv;
};

/* devices.c: sets f->ops for a character device number, or -ENXIO. */
#define MKDEV(ma, mi) (((uint32_t)(ma) << 20) | (mi))
int dev_open(struct file *f, uint32_t rdev);
/* kernel/vfs.c: a new open file of a kind outside the ramfs (sockets):
 * refs 1, flags, ops, priv; NULL when out of memory. */
struct file *file_new(const struct file_ops *ops, void *priv, int flags);
/* drivers/block/blk_file.c: a block device node, or -ENXIO / -EROFS. */
int blk_file_open(struct file *f, uint32_t rdev);
/* pipe.c */
int pipe_create(struct file *rd, struct file *wr);
/* procfs.c: 1 when path (relative to cwd) normalizes to /proc or below,
 * with *err 0 and e what it names, or *err -errno; 0 when not under /proc.
 * The rest takes a matched entry. */
struct procfs_ent;
int procfs_match(const char *cwd, const char *path, int follow, struct procfs_ent *e, int *err);
int procfs_open(struct file *f, const struct procfs_ent *e, int flags);   /* sets ops, priv */
int procfs_stat(const struct procfs_ent *e, struct kstat64 *st);
int procfs_readlink(const struct procfs_ent *e, char *buf, size_t n);
int procfs_dir_path(const struct procfs_ent *e, char *buf, size_t n);
#endif
