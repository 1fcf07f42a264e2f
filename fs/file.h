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
	int tty;
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
/* pipe.c */
int pipe_create(struct file *rd, struct file *wr);
#endif
