/*
 * ext2 directories: linear entry lists in the directory's blocks (an
 * htree index, dir_index, reads as empty entries and is dropped, flag
 * cleared, the first time amphi changes the directory).  Every entry is
 * checked (ext2_dirent_check) before its fields are used.
 */
#include "ext2.h"
#include <amphi/errno.h>
#include <amphi/string.h>

/* Called per used or unused entry; returns 0 to go on, 1 to stop (done),
 * or -errno.  prev: the entry before it in the block (or -1). */
typedef int (*scan_fn)(void *ctx, struct buf *b, uint32_t off, int prev, uint64_t lblk);

static int dir_blocks(struct ext2_fs *fs, uint32_t dino, struct ext2_inode *dir, uint64_t *n)
{
	uint64_t size = ext2_isize(dir);
	if (size % fs->g.bsize)
		return ext2_corrupt(fs, "directory size not a multiple of the block size", dino, size);
	*n = size / fs->g.bsize;
	return 0;
}

static int dir_scan(struct ext2_fs *fs, uint32_t dino, struct ext2_inode *dir, uint64_t from_blk,
		    scan_fn fn, void *ctx)
{
	uint64_t nblk = 0;
	int err = dir_blocks(fs, dino, dir, &nblk);
	for (uint64_t l = from_blk; !err && l < nblk; l++) {
		uint32_t pblk;
		if ((err = ext2_bmap(fs, dino, dir, l, 0, &pblk)) != 0)
			break;
		if (!pblk)
			return ext2_corrupt(fs, "hole in a directory", dino, l);
		struct buf *b = bread(fs->dev, pblk, fs->g.bsize, &err);
		if (!b)
			break;
		int prev = -1;
		for (uint32_t off = 0; off < fs->g.bsize && !err;) {
			const char *why = ext2_dirent_check(b->data, fs->g.bsize, off, fs->g.inodes);
			if (why) {
				err = ext2_corrupt(fs, why, dino, (uint64_t)l * fs->g.bsize + off);
				break;
			}
			uint16_t rl = ((struct ext2_dirent *)((uint8_t *)b->data + off))->rec_len;
			err = fn(ctx, b, off, prev, l);
			prev = (int)off;
			off += rl;
		}
		brelse(b);
		if (err)
			return err > 0 ? 0 : err;
	}
	return err;
}

static struct ext2_dirent *ent(struct buf *b, uint32_t off)
{
	return (struct ext2_dirent *)((uint8_t *)b->data + off);
}

struct find_ctx {
	const char *name;
	size_t len;
	uint32_t ino, mode;
	int mode_set, found, remove;
};

static int find_cb(void *vc, struct buf *b, uint32_t off, int prev, uint64_t lblk)
{
	struct find_ctx *c = vc;
	struct ext2_dirent *d = ent(b, off);
	(void)lblk;
	if (!d->inode || d->name_len != c->len || memcmp(d->name, c->name, c->len))
		return 0;
	c->found = 1;
	if (c->remove) {
		if (prev >= 0)
			ent(b, (uint32_t)prev)->rec_len += d->rec_len;
		else
			d->inode = 0;
		bdirty(b);
	} else if (c->mode_set) {
		d->inode = c->ino;
		d->file_type = ext2_ftype(c->mode);
		bdirty(b);
	} else {
		c->ino = d->inode;
	}
	return 1;
}

/* Directories amphi writes are linear: drop an htree flag before a change. */
static int unindex(struct ext2_fs *fs, uint32_t dino, struct ext2_inode *dir)
{
	if (!(dir->i_flags & EXT2_INDEX_FL))
		return 0;
	dir->i_flags &= ~EXT2_INDEX_FL;
	return ext2_iwrite(fs, dino, dir);
}

int ext2_dir_lookup(struct ext2_fs *fs, uint32_t dino, struct ext2_inode *dir, const char *name, size_t len, uint32_t *ino)
{
	struct find_ctx c = { name, len, 0, 0, 0, 0, 0 };
	int err = dir_scan(fs, dino, dir, 0, find_cb, &c);
	if (err)
		return err;
	if (!c.found)
		return -ENOENT;
	*ino = c.ino;
	return 0;
}

int ext2_dir_remove(struct ext2_fs *fs, uint32_t dino, struct ext2_inode *dir, const char *name, size_t len)
{
	struct find_ctx c = { name, len, 0, 0, 0, 0, 1 };
	int err = unindex(fs, dino, dir);
	if (!err)
		err = dir_scan(fs, dino, dir, 0, find_cb, &c);
	return err ? err : c.found ? 0 : -ENOENT;
}

int ext2_dir_retarget(struct ext2_fs *fs, uint32_t dino, struct ext2_inode *dir, const char *name, size_t len,
		      uint32_t ino, uint32_t mode)
{
	struct find_ctx c = { name, len, ino, mode, 1, 0, 0 };
	int err = unindex(fs, dino, dir);
	if (!err)
		err = dir_scan(fs, dino, dir, 0, find_cb, &c);
	return err ? err : c.found ? 0 : -ENOENT;
}

struct add_ctx {
	const char *name;
	size_t len;
	uint32_t ino;
	uint8_t ft;
	uint32_t bsize;
	int done;
};

static void put_entry(struct ext2_dirent *d, uint32_t ino, uint16_t rec_len, const char *name, size_t len, uint8_t ft)
{
	d->inode = ino;
	d->rec_len = rec_len;
	d->name_len = (uint8_t)len;
	d->file_type = ft;
	memcpy(d->name, name, len);
}

static int add_cb(void *vc, struct buf *b, uint32_t off, int prev, uint64_t lblk)
{
	struct add_ctx *c = vc;
	struct ext2_dirent *d = ent(b, off);
	uint32_t need = ext2_rec_len((uint32_t)c->len);
	(void)prev;
	(void)lblk;
	uint32_t used = d->inode ? ext2_rec_len(d->name_len) : 0;
	if (d->rec_len < used + need)
		return 0;
	if (!used) {
		put_entry(d, c->ino, d->rec_len, c->name, c->len, c->ft);
	} else {
		uint16_t rest = (uint16_t)(d->rec_len - used);
		d->rec_len = (uint16_t)used;
		put_entry(ent(b, off + used), c->ino, rest, c->name, c->len, c->ft);
	}
	bdirty(b);
	c->done = 1;
	return 1;
}

int ext2_dir_add(struct ext2_fs *fs, uint32_t dino, struct ext2_inode *dir, const char *name, size_t len,
		 uint32_t ino, uint32_t mode)
{
	if (len == 0 || len > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	struct add_ctx c = { name, len, ino, ext2_ftype(mode), fs->g.bsize, 0 };
	if (!(fs->sb.s_feature_incompat & EXT2_INCOMPAT_FILETYPE))
		c.ft = 0;
	int err = unindex(fs, dino, dir);
	if (!err)
		err = dir_scan(fs, dino, dir, 0, add_cb, &c);
	if (err || c.done)
		return err;
	/* No room: the directory grows by a block holding just this entry. */
	uint64_t nblk = ext2_isize(dir) / fs->g.bsize;
	uint32_t pblk;
	if ((err = ext2_bmap(fs, dino, dir, nblk, 1, &pblk)) != 0)
		return err;
	struct buf *b = bread(fs->dev, pblk, fs->g.bsize, &err);
	if (!b)
		return err;
	put_entry(ent(b, 0), ino, (uint16_t)fs->g.bsize, name, len, c.ft);
	bdirty(b);
	brelse(b);
	ext2_set_isize(dir, (nblk + 1) * fs->g.bsize);
	return ext2_iwrite(fs, dino, dir);
}

static int empty_cb(void *vc, struct buf *b, uint32_t off, int prev, uint64_t lblk)
{
	struct ext2_dirent *d = ent(b, off);
	(void)prev;
	(void)lblk;
	if (!d->inode)
		return 0;
	if ((d->name_len == 1 && d->name[0] == '.') ||
	    (d->name_len == 2 && d->name[0] == '.' && d->name[1] == '.'))
		return 0;
	*(int *)vc = 0;
	return 1;
}

int ext2_dir_empty(struct ext2_fs *fs, uint32_t dino, struct ext2_inode *dir)
{
	int empty = 1;
	int err = dir_scan(fs, dino, dir, 0, empty_cb, &empty);
	return err ? err : empty;
}

struct iter_ctx {
	struct ext2_fs *fs;
	ext2_fill_fn fill;
	void *ctx;
	uint64_t pos;
	int stopped;
};

static int iter_cb(void *vc, struct buf *b, uint32_t off, int prev, uint64_t lblk)
{
	struct iter_ctx *c = vc;
	struct ext2_dirent *d = ent(b, off);
	uint64_t here = lblk * c->fs->g.bsize + off, next = here + d->rec_len;
	(void)prev;
	if (here < c->pos || !d->inode)
		return 0;
	static const uint32_t modes[] = { 0, S_IFREG, S_IFDIR, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK, S_IFLNK };
	uint32_t mode = d->file_type < 8 ? modes[d->file_type] : 0;
	if (c->fill(c->ctx, d->name, d->name_len, d->inode, mode, next)) {
		c->stopped = 1;
		return 1;
	}
	c->pos = next;
	return 0;
}

int ext2_dir_iterate(struct ext2_fs *fs, uint32_t dino, struct ext2_inode *dir, uint64_t *pos, ext2_fill_fn fill, void *ctx)
{
	struct iter_ctx c = { fs, fill, ctx, *pos, 0 };
	int err = dir_scan(fs, dino, dir, *pos / fs->g.bsize, iter_cb, &c);
	if (!c.stopped && !err)
		c.pos = ext2_isize(dir);
	*pos = c.pos;
	return err;
}

int ext2_dir_init(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint32_t parent)
{
	uint32_t pblk;
	int err = ext2_bmap(fs, ino, in, 0, 1, &pblk);
	if (err)
		return err;
	struct buf *b = bread(fs->dev, pblk, fs->g.bsize, &err);
	if (!b)
		return err;
	uint8_t ft = (fs->sb.s_feature_incompat & EXT2_INCOMPAT_FILETYPE) ? EXT2_FT_DIR : 0;
	put_entry(ent(b, 0), ino, 12, ".", 1, ft);
	put_entry(ent(b, 12), parent, (uint16_t)(fs->g.bsize - 12), "..", 2, ft);
	bdirty(b);
	brelse(b);
	ext2_set_isize(in, fs->g.bsize);
	return 0;
}
