/*
 * ext2 inside amphi (fs/ext2/): the mounted volume and the internal calls
 * between its files.  super.c mounts and syncs; alloc.c owns the bitmaps
 * and free counts; inode.c inodes, the block map and file data; dir.c
 * directory blocks; namei.c paths and the VFS operations; file.c open
 * files.  Every call runs under the volume's mutex (fs->lock), taken by
 * namei.c and file.c.  On-disk values are checked where they are read:
 * a bad one gives -EUCLEAN (logged with the inode or block), I/O errors -EIO.
 */
#ifndef FS_EXT2_H
#define FS_EXT2_H
#include "ext2_pure.h"
#include <amphi/blkdev.h>
#include <amphi/mutex.h>
#include <amphi/vfs.h>

struct ext2_open {                      /* inodes held by open files */
	uint32_t ino, count;
	int orphan;                     /* unlinked while open: freed at the last close */
	struct ext2_open *next;
};

struct ext2_fs {
	struct blkdev *dev;
	struct ext2_geom g;
	struct ext2_super sb;           /* the primary superblock, as in memory */
	struct ext2_group_desc *gd;     /* g.ngroups descriptors */
	uint32_t ppb;                   /* block numbers per block */
	int ro;
	int dirty;                      /* superblock / descriptors to write at sync */
	struct mutex lock;
	struct ext2_open *opens;
	uint32_t dev_id;                /* st_dev */
	char name[16];                  /* "vda1" */
};

/* A bad on-disk value: logged once per call site, -EUCLEAN. */
int ext2_corrupt(struct ext2_fs *fs, const char *what, uint32_t ino, uint64_t val);
uint32_t ext2_now(void);

/* super.c (the vfs_fs_ops entries of the volume) */
struct kstatfs64;
int ext2_mount(struct blkdev *dev, int ro, void **sbp);
int ext2_umount(void *sb);
int ext2_statfs(void *sb, struct kstatfs64 *sf);
int ext2_sync(void *sb);
int ext2_read_only(void *sb);
int ext2_write_meta(struct ext2_fs *fs);        /* superblock + descriptors to the cache */

/* alloc.c */
int ext2_balloc(struct ext2_fs *fs, uint32_t goal_group, uint32_t *blk);
int ext2_bfree(struct ext2_fs *fs, uint32_t blk);
int ext2_ialloc(struct ext2_fs *fs, uint32_t goal_group, int dir, uint32_t *ino);
int ext2_ifree(struct ext2_fs *fs, uint32_t ino, int dir);

/* inode.c */
int ext2_iread(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in);
/* A mode of a known type, a size the block map can hold: 0 or -EUCLEAN. */
int ext2_inode_check(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in);
int ext2_iwrite(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in);
uint64_t ext2_isize(const struct ext2_inode *in);
void ext2_set_isize(struct ext2_inode *in, uint64_t size);
int ext2_blk_ok(struct ext2_fs *fs, uint32_t blk);
/* The disk block of logical block lblk (0: a hole); alloc: fills holes
 * (new blocks zeroed), updating in (the caller writes it). */
int ext2_bmap(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint64_t lblk, int alloc, uint32_t *pblk);
/* ra: NULL, or a sequential reader's read-ahead mark (the first logical
 * block not yet read ahead; 0 to start): reads EXT2_READAHEAD blocks ahead. */
long ext2_read_data(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint64_t off, void *buf, size_t n,
		    uint64_t *ra);
/* The same into the calling program's memory at ubuf (-EFAULT). */
long ext2_read_user(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint64_t off, uint32_t ubuf, size_t n,
		    uint64_t *ra);
long ext2_write_data(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint64_t off, const void *buf, size_t n);
int ext2_truncate_blocks(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint64_t size);
/* nlink reached 0: frees the blocks and the inode (or later, if open). */
int ext2_drop_inode(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in);
int ext2_free_inode_now(struct ext2_fs *fs, uint32_t ino);

/* dir.c: dir is a checked directory inode. */
int ext2_dir_lookup(struct ext2_fs *fs, uint32_t dino, struct ext2_inode *dir, const char *name, size_t len, uint32_t *ino);
int ext2_dir_add(struct ext2_fs *fs, uint32_t dino, struct ext2_inode *dir, const char *name, size_t len, uint32_t ino, uint32_t mode);
int ext2_dir_remove(struct ext2_fs *fs, uint32_t dino, struct ext2_inode *dir, const char *name, size_t len);
/* Rewrites the inode number of name (rename over a target, ".."). */
int ext2_dir_retarget(struct ext2_fs *fs, uint32_t dino, struct ext2_inode *dir, const char *name, size_t len, uint32_t ino, uint32_t mode);
int ext2_dir_empty(struct ext2_fs *fs, uint32_t dino, struct ext2_inode *dir);
typedef int (*ext2_fill_fn)(void *ctx, const char *name, size_t len, uint32_t ino, uint32_t mode, uint64_t next);
int ext2_dir_iterate(struct ext2_fs *fs, uint32_t dino, struct ext2_inode *dir, uint64_t *pos, ext2_fill_fn fill, void *ctx);
int ext2_dir_init(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint32_t parent);

/* open-file accounting (namei.c) */
void ext2_open_ref(struct ext2_fs *fs, uint32_t ino, int delta);
int ext2_is_open(struct ext2_fs *fs, uint32_t ino);

/* file.c */
struct file *ext2_file_open(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, int flags,
			    const char *dirpath, int *err);
void ext2_fill_stat(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in, struct kstat64 *st);
int ext2_set_times(struct ext2_fs *fs, uint32_t ino, const struct vfs_timespec *ts);
#endif
