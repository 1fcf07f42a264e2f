/*
 * ramfs: the in-memory tree (pure: kmalloc/kzalloc/kfree, string functions
 * and the file-page calls of amphi/filepages.h, no locks; kernel/vfs.c
 * serialises every call).  File data lives in page frames (filepages.h),
 * not in the heap.  Host-tested in tests/unit/test_ramfs.c (with a fake of
 * the file pages, tests/unit/fake_filepages.c).
 */
#ifndef FS_RAMFS_H
#define FS_RAMFS_H
#include <stddef.h>
#include <stdint.h>
#include <amphi/vfs.h>
#include <amphi/filepages.h>
#include "cpio.h"

#define RAMFS_PAGE 4096u
/* One file's size bound: what a 32-bit page index reaches (16 TiB, as
 * Linux's tmpfs on 32-bit); memory and the size limit come first. */
#define RAMFS_MAX_FILE (1ull << 44)     /* 2^32 pages of 4 KiB */
#define RAMFS_MAX_SYMLINK 4095
#define RAMFS_MAX_LINKS 40              /* symlinks followed in one lookup */

struct rdirent;
struct ramfs;

/* Times as stat reports them (seconds since 1970 and nanoseconds). */
struct rtime {
	uint32_t sec, nsec;
};

struct rnode {
	uint32_t mode;                  /* S_IF* | permissions */
	uint32_t ino, nlink, uid, gid, rdev;
	struct rtime atime, mtime, ctime;
	uint32_t opens;                 /* open files using it: kept after unlink */
	struct ramfs *fs;               /* the tree it belongs to (size accounting) */
	struct rnode *parent;           /* directories: NULL once removed */
	/* directory */
	struct rdirent *first, *last;
	uint32_t next_cookie;           /* readdir positions: 0 ".", 1 "..", entries 2.. */
	uint32_t nentries;
	/* regular file: page i covers [i*4096, (i+1)*4096); a hole reads as 0 */
	uint64_t size;
	struct page_index data;
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
	/* The size limit (tmpfs's size=): data pages all files may hold;
	 * 0 = no limit but memory.  pages counts those held now. */
	uint32_t max_pages, pages;
	/* The wall clock for file times, in ns since 1970 (NULL: time 0). */
	uint64_t (*clock_ns)(void);
};

#define RNODE_TYPE(n) ((n)->mode & S_IFMT)
#define RNODE_IS_DIR(n) (RNODE_TYPE(n) == S_IFDIR)

int ramfs_init(struct ramfs *fs);                      /* 0 or -ENOMEM */
/* A size limit as tmpfs's size= takes it: bytes with an optional k/m/g
 * suffix, or a percentage of total_pages ("90%").  0 or -EINVAL. */
int ramfs_parse_size(const char *s, uint32_t total_pages, uint32_t *pages);
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
 * bytes (short when space ran out part way) or -EFBIG / -ENOSPC (the size
 * limit reached or memory for files used up before the first byte). */
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
/* Sets atime / mtime (NULL: leave it) and makes ctime now, as utimensat. */
void ramfs_set_times(struct rnode *n, const struct rtime *atime, const struct rtime *mtime);
struct rtime ramfs_now(const struct ramfs *fs);

/* Unpacks a newc archive into the tree (directories made as needed, hard
 * links kept as links, existing entries replaced).  Returns the number of
 * entries or a negative errno (err says where for -EINVAL). */
int ramfs_unpack_cpio(struct ramfs *fs, const void *buf, size_t len, struct cpio_error *err);
#endif
