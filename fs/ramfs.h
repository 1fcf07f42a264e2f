/*
 * ramfs: the in-memory tree (pure: only kmalloc/kzalloc/kfree and string
 * functions, no locks; kernel/vfs.c serialises every call).  Host-tested in
 * tests/unit/test_ramfs.c.
 */
#ifndef FS_RAMFS_H
#define FS_RAMFS_H
#include <stddef.h>
#include <stdint.h>
#include <amphi/vfs.h>
#include "cpio.h"

#define RAMFS_PAGE 4096u
#define RAMFS_MAX_FILE (256u << 20)     /* one file's size bound */
#define RAMFS_MAX_SYMLINK 4095
#define RAMFS_MAX_LINKS 40              /* symlinks followed in one lookup */

struct rdirent;

struct rnode {
	uint32_t mode;                  /* S_IF* | permissions */
	uint32_t ino, nlink, uid, gid, mtime, rdev;
	uint32_t opens;                 /* open files using it: kept after unlink */
	struct rnode *parent;           /* directories: NULL once removed */
	/* directory */
	struct rdirent *first, *last;
	uint32_t next_cookie;           /* readdir positions: 0 ".", 1 "..", entries 2.. */
	uint32_t nentries;
	/* regular file: pages[i] covers [i*4096, (i+1)*4096); NULL reads as 0 */
	uint64_t size;
	uint8_t **pages;
	uint32_t npages;                /* capacity of pages[] */
	/* symlink */
	char *target;
};

struct rdirent {
	struct rdirent *next, *prev;
	struct rnode *node;
	uint32_t cookie;
	uint16_t namelen;
	char name[];                    /* NUL-terminated */
};

struct ramfs {
	struct rnode *root;
	uint32_t next_ino;
	uint32_t dev;                   /* st_dev */
};

#define RNODE_TYPE(n) ((n)->mode & S_IFMT)
#define RNODE_IS_DIR(n) (RNODE_TYPE(n) == S_IFDIR)

int ramfs_init(struct ramfs *fs);                      /* 0 or -ENOMEM */
void ramfs_destroy(struct ramfs *fs);                  /* frees the whole tree */

struct rnode *ramfs_lookup(struct rnode *dir, const char *name, size_t len);
/* Creates name in dir: mode carries the type (S_IFREG, S_IFDIR, S_IFCHR...). */
int ramfs_mknod(struct ramfs *fs, struct rnode *dir, const char *name, size_t len,
		uint32_t mode, uint32_t rdev, struct rnode **out);
int ramfs_symlink(struct ramfs *fs, struct rnode *dir, const char *name, size_t len,
		  const char *target, size_t tlen, struct rnode **out);
int ramfs_link(struct rnode *dir, const char *name, size_t len, struct rnode *node);
/* Removes name from dir; rmdir: only directories (and only empty ones). */
int ramfs_unlink(struct rnode *dir, const char *name, size_t len, int rmdir);

/* Open references: a node whose last link is gone is freed at the last put. */
void ramfs_node_get(struct rnode *n);
void ramfs_node_put(struct rnode *n);

/* Regular files.  read returns bytes (0 at or past the end); write returns
 * bytes or -EFBIG / -ENOSPC (out of memory). */
size_t ramfs_read(struct rnode *n, uint64_t off, void *buf, size_t len);
long ramfs_write(struct rnode *n, uint64_t off, const void *buf, size_t len);
int ramfs_truncate(struct rnode *n, uint64_t size);

/* Directory listing from *pos: fill() returns nonzero when the record does
 * not fit, and the walk stops there with *pos at that entry. */
typedef int (*ramfs_fill_fn)(void *ctx, const char *name, size_t len, uint32_t ino,
			     uint32_t mode, uint64_t next_pos);
int ramfs_readdir(struct rnode *dir, uint64_t *pos, ramfs_fill_fn fill, void *ctx);

/* Looks path up (relative to the absolute cwd, NULL meaning "/").  On 0,
 * parent is the directory holding the last component, node the entry
 * (NULL when only the last component is missing: the caller may create
 * name in parent).  follow: follow a symlink in the last component.
 * Errors: -ENOENT, -ENOTDIR, -ELOOP, -ENAMETOOLONG, -ENOMEM. */
struct ramfs_walk {
	struct rnode *parent, *node;
	char name[VFS_NAME_MAX + 1];
	int trailing_slash;             /* path ended in '/': must be a directory */
};
int ramfs_walk(struct ramfs *fs, const char *cwd, const char *path, int follow,
	       struct ramfs_walk *w);
/* The absolute path of a directory: length, or -ENOENT / -ENAMETOOLONG. */
int ramfs_dir_path(struct ramfs *fs, struct rnode *dir, char *buf, size_t n);
void ramfs_stat(struct ramfs *fs, struct rnode *n, struct kstat64 *st);

/* Unpacks a newc archive into the tree (directories made as needed, hard
 * links kept as links, existing entries replaced).  Returns the number of
 * entries or a negative errno (err says where for -EINVAL). */
int ramfs_unpack_cpio(struct ramfs *fs, const void *buf, size_t len, struct cpio_error *err);
#endif
