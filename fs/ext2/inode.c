/*
 * ext2 inodes and file data: inodes read from and written to the inode
 * tables, the block map (12 direct pointers, single/double/triple
 * indirect trees, holes read as zeros), reads, writes that fill holes,
 * and truncation that frees data and emptied indirect blocks.  i_blocks
 * counts 512-byte sectors of every block an inode owns, as e2fsck checks.
 */
#include "ext2.h"
#include <amphi/errno.h>
#include <amphi/heap.h>
#include <amphi/layout.h>
#include <amphi/printk.h>
#include <amphi/string.h>
#include <amphi/uaccess.h>

int ext2_blk_ok(struct ext2_fs *fs, uint32_t blk)
{
	return blk > fs->g.first_data && blk < fs->g.blocks;
}

static int inode_loc(struct ext2_fs *fs, uint32_t ino, uint32_t *blk, uint32_t *off)
{
	const struct ext2_geom *g = &fs->g;
	if (ino == 0 || ino > g->inodes)
		return ext2_corrupt(fs, "inode number out of range", ino, ino);
	uint32_t grp = (ino - 1) / g->ipg, idx = (ino - 1) % g->ipg;
	uint64_t byte = (uint64_t)idx * g->inode_size;
	*blk = fs->gd[grp].bg_inode_table + (uint32_t)(byte / g->bsize);
	*off = (uint32_t)(byte % g->bsize);
	return 0;
}

int ext2_iread(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in)
{
	uint32_t blk, off;
	int err = inode_loc(fs, ino, &blk, &off);
	if (err)
		return err;
	struct buf *b = bread(fs->dev, blk, fs->g.bsize, &err);
	if (!b)
		return err;
	size_t n = fs->g.inode_size < sizeof(*in) ? fs->g.inode_size : sizeof(*in);
	memset(in, 0, sizeof(*in));
	memcpy(in, (uint8_t *)b->data + off, n);
	brelse(b);
	if (in->i_flags & EXT4_EXTENTS_FL)
		return ext2_corrupt(fs, "inode uses extents (not ext2)", ino, in->i_flags);
	return 0;
}

int ext2_inode_check(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in)
{
	switch (in->i_mode & S_IFMT) {
	case S_IFREG: case S_IFDIR: case S_IFLNK: case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		break;
	default:
		return ext2_corrupt(fs, "bad inode mode", ino, in->i_mode);
	}
	/* the block map reaches 12 + p + p^2 + p^3 blocks (p = ppb) */
	uint64_t p = fs->ppb, max = (12 + p + p * p + p * p * p) * fs->g.bsize;
	if (ext2_isize(in) > max)
		return ext2_corrupt(fs, "file size past what the block map holds", ino, ext2_isize(in));
	return 0;
}

int ext2_iwrite(struct ext2_fs *fs, uint32_t ino, const struct ext2_inode *in)
{
	uint32_t blk, off;
	int err = inode_loc(fs, ino, &blk, &off);
	if (err)
		return err;
	struct buf *b = bread(fs->dev, blk, fs->g.bsize, &err);
	if (!b)
		return err;
	size_t n = fs->g.inode_size < sizeof(*in) ? fs->g.inode_size : sizeof(*in);
	memcpy((uint8_t *)b->data + off, in, n);
	bdirty(b);
	brelse(b);
	return 0;
}

uint64_t ext2_isize(const struct ext2_inode *in)
{
	uint64_t s = in->i_size;
	if ((in->i_mode & S_IFMT) == S_IFREG)
		s |= (uint64_t)in->i_size_high << 32;
	return s;
}

void ext2_set_isize(struct ext2_inode *in, uint64_t size)
{
	in->i_size = (uint32_t)size;
	if ((in->i_mode & S_IFMT) == S_IFREG)
		in->i_size_high = (uint32_t)(size >> 32);
}

static uint32_t group_of(struct ext2_fs *fs, uint32_t ino)
{
	return ino ? (ino - 1) / fs->g.ipg : 0;
}

/* A fresh zeroed block owned by in. */
static int new_block(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint32_t *blk)
{
	int err = ext2_balloc(fs, group_of(fs, ino), blk);
	if (err)
		return err;
	struct buf *b = bget(fs->dev, *blk, fs->g.bsize, &err);
	if (!b) {
		ext2_bfree(fs, *blk);
		return err;
	}
	memset(b->data, 0, fs->g.bsize);
	bdirty(b);
	brelse(b);
	in->i_blocks += fs->g.bsize / 512;
	return 0;
}

/* Follows idx (ext2_bmap_path's, depth levels) levels deep from the
 * inode: *cur is the block reached (0: a hole on the way; alloc fills
 * holes with new blocks). */
static int walk(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, const uint32_t *idx, int depth,
		int levels, int alloc, uint32_t *cur)
{
	int err;
	uint32_t *root = depth == 0 ? &in->i_block[idx[0]] : &in->i_block[EXT2_IND + depth - 1];
	*cur = 0;
	if (!*root) {
		if (!alloc)
			return 0;
		if ((err = new_block(fs, ino, in, root)) != 0)
			return err;
	}
	uint32_t c = *root;
	if (!ext2_blk_ok(fs, c))
		return ext2_corrupt(fs, "block pointer outside the volume", ino, c);
	for (int level = 0; level < levels; level++) {
		struct buf *b = bread(fs->dev, c, fs->g.bsize, &err);
		if (!b)
			return err;
		uint32_t *slot = (uint32_t *)b->data + idx[level];
		if (!*slot) {
			if (!alloc) {
				brelse(b);
				return 0;
			}
			if ((err = new_block(fs, ino, in, slot)) != 0) {
				brelse(b);
				return err;
			}
			bdirty(b);
		}
		c = *slot;
		brelse(b);
		if (!ext2_blk_ok(fs, c))
			return ext2_corrupt(fs, "indirect block pointer outside the volume", ino, c);
	}
	*cur = c;
	return 0;
}

int ext2_bmap(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint64_t lblk, int alloc, uint32_t *pblk)
{
	uint32_t idx[3];
	int depth = ext2_bmap_path(fs->ppb, lblk, idx);
	if (depth < 0)
		return -EFBIG;
	return walk(fs, ino, in, idx, depth, depth, alloc, pblk);
}

/* The disk blocks of logical blocks lblk.. (0: a hole) as far as the
 * table of pointers holding lblk's goes, at most max: one walk down the
 * tree and one bread for up to a table's worth (1024 blocks of 4 KiB),
 * where ext2_bmap walks it for every block (two breads each past 4 MiB).
 * 0 with *n (>= 1) entries, or -errno. */
static int bmap_run(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint64_t lblk, unsigned max,
		    uint32_t *out, unsigned *n)
{
	uint32_t idx[3], leaf;
	int depth = ext2_bmap_path(fs->ppb, lblk, idx), err;
	if (depth < 0)
		return -EFBIG;
	const uint32_t *table = in->i_block;
	struct buf *b = 0;
	unsigned first = idx[0], end = EXT2_NDIR;
	if (depth > 0) {
		if ((err = walk(fs, ino, in, idx, depth, depth - 1, 0, &leaf)) != 0)
			return err;
		if (!leaf) {
			out[0] = 0;     /* a hole above the table: one block at a time */
			*n = 1;
			return 0;
		}
		if (!(b = bread(fs->dev, leaf, fs->g.bsize, &err)))
			return err;
		table = b->data;
		first = idx[depth - 1];
		end = fs->ppb;
	}
	/* A bad pointer ends the run: the lookup that reaches it reports it. */
	unsigned k = 0;
	for (; k < max && first + k < end; k++) {
		uint32_t p = table[first + k];
		if (p && !ext2_blk_ok(fs, p))
			break;
		out[k] = p;
	}
	err = k ? 0 : ext2_corrupt(fs, depth ? "indirect block pointer outside the volume"
				   : "block pointer outside the volume", ino, table[first]);
	if (b)
		brelse(b);
	*n = k;
	return err;
}

/* A reader's window of looked-up blocks: [first, first + n). */
struct bmap_window {
	uint64_t first;
	unsigned n;
	uint32_t blk[BPREFETCH_MAX];
};

/* The disk block of lblk (0: a hole) through the window, refilled from
 * lblk on when it does not hold it. */
static int window_bmap(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, struct bmap_window *w,
		       uint64_t lblk, uint32_t *pblk)
{
	if (lblk < w->first || lblk - w->first >= w->n) {
		w->n = 0;
		int err = bmap_run(fs, ino, in, lblk, BPREFETCH_MAX, w->blk, &w->n);
		if (err)
			return err;
		w->first = lblk;
	}
	*pblk = w->blk[lblk - w->first];
	return 0;
}

/* The blocks of [first, end) (at most BPREFETCH_MAX) read from the disk
 * together (bprefetch); returns the first logical block not covered. */
#define EXT2_READAHEAD 128u     /* 512 KiB of 4 KiB blocks: 4 requests of 32 in flight */
static uint64_t prefetch_data(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, struct bmap_window *w,
			      uint64_t first, uint64_t end)
{
	uint64_t blk[BPREFETCH_MAX] = { 0 };
	int n = 0;
	for (; n < (int)BPREFETCH_MAX && first + (uint64_t)n < end; n++) {
		uint32_t p;
		if (window_bmap(fs, ino, in, w, first + (uint64_t)n, &p))
			break;          /* the read loop meets the error itself */
		blk[n] = p;
	}
	bprefetch(fs->dev, blk, n, fs->g.bsize);
	return first + (uint64_t)(n ? n : 1);
}

/* Where a read's bytes go: kernel memory, or (kbuf NULL) the calling
 * program's memory at ubuf, straight from the cached block: read(2) of a
 * file copies each byte once, not into a kernel buffer first. */
struct read_dst {
	uint8_t *kbuf;
	uint32_t ubuf;
};

static int put(const struct read_dst *d, size_t at, const void *src, uint32_t k)
{
	static const uint8_t zeros[PAGE_SIZE];  /* a hole's bytes (blocks are at most a page) */
	if (d->kbuf) {
		if (src)
			memcpy(d->kbuf + at, src, k);
		else
			memset(d->kbuf + at, 0, k);
		return 0;
	}
	return copy_to_user(d->ubuf + (uint32_t)at, src ? src : zeros, k);
}

static long read_data(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint64_t off,
		      const struct read_dst *dst, size_t n, uint64_t *ra)
{
	uint64_t size = ext2_isize(in);
	uint32_t bs = fs->g.bsize;
	if (off >= size)
		return 0;
	if (n > size - off)
		n = (size_t)(size - off);
	size_t done = 0;
	struct bmap_window *w = kmalloc(sizeof(*w));    /* 520 bytes: off the kernel stack */
	if (!w)
		return -ENOMEM;
	w->n = 0;
	/* Blocks below ahead have been read ahead: those of this read, and for
	 * a sequential reader a window past it, so that its next reads find
	 * them cached (the window starts again where the last one ended). */
	uint64_t first = off / bs, end = (off + n + bs - 1) / bs, last = (size + bs - 1) / bs;
	uint64_t ahead = ra && *ra > first && *ra <= end + EXT2_READAHEAD ? *ra : 0;
	uint64_t want = ra && end + EXT2_READAHEAD > end ? end + EXT2_READAHEAD : end;
	if (want > last)
		want = last;
	while (done < n) {
		uint64_t pos = off + done;
		uint32_t in_blk = (uint32_t)(pos % bs), k = bs - in_blk, pblk;
		if (k > n - done)
			k = (uint32_t)(n - done);
		if (pos / bs >= ahead && want - pos / bs > 1) {  /* more than this block to read */
			ahead = prefetch_data(fs, ino, in, w, pos / bs, want);
			if (ra)
				*ra = ahead;
		}
		struct buf *b = 0;
		int err = window_bmap(fs, ino, in, w, pos / bs, &pblk);
		if (!err && pblk)
			b = bread(fs->dev, pblk, bs, &err);
		if (!err)
			err = put(dst, done, b ? (uint8_t *)b->data + in_blk : 0, k);
		if (b)
			brelse(b);
		if (err) {
			kfree(w);
			return done ? (long)done : err;
		}
		done += k;
	}
	kfree(w);
	return (long)done;
}

long ext2_read_data(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint64_t off, void *buf, size_t n,
		    uint64_t *ra)
{
	struct read_dst d = { buf, 0 };
	return read_data(fs, ino, in, off, &d, n, ra);
}

long ext2_read_user(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint64_t off, uint32_t ubuf, size_t n,
		    uint64_t *ra)
{
	struct read_dst d = { 0, ubuf };
	return read_data(fs, ino, in, off, &d, n, ra);
}

long ext2_write_data(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint64_t off, const void *buf, size_t n)
{
	uint32_t bs = fs->g.bsize;
	size_t done = 0;
	int err = 0;
	while (done < n) {
		uint64_t pos = off + done;
		uint32_t in_blk = (uint32_t)(pos % bs), k = bs - in_blk, pblk;
		if (k > n - done)
			k = (uint32_t)(n - done);
		err = ext2_bmap(fs, ino, in, pos / bs, 1, &pblk);
		if (err)
			break;
		struct buf *b = bread(fs->dev, pblk, bs, &err);
		if (!b)
			break;
		memcpy((uint8_t *)b->data + in_blk, (const uint8_t *)buf + done, k);
		bdirty(b);
		brelse(b);
		done += k;
		if (off + done > ext2_isize(in))
			ext2_set_isize(in, off + done);
	}
	if (done || n == 0)
		return (long)done;
	return err;
}

/* Frees what lies at or past logical block first in the tree under *ptr
 * (level 0: a data block).  base: the first logical block it covers. */
static int trunc_tree(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint32_t *ptr,
		      int level, uint64_t base, uint64_t first)
{
	uint64_t span = ext2_bmap_span(fs->ppb, level);
	if (!*ptr || base + span <= first)
		return 0;
	if (!ext2_blk_ok(fs, *ptr))
		return ext2_corrupt(fs, "block pointer outside the volume (truncate)", ino, *ptr);
	int err = 0;
	if (level > 0) {
		struct buf *b = bread(fs->dev, *ptr, fs->g.bsize, &err);
		if (!b)
			return err;
		uint64_t child = span / fs->ppb;
		uint32_t *e = b->data;
		for (uint32_t i = 0; i < fs->ppb && !err; i++) {
			if (!e[i] || base + (i + 1) * child <= first)
				continue;
			err = trunc_tree(fs, ino, in, &e[i], level - 1, base + i * child, first);
			bdirty(b);
		}
		brelse(b);
		if (err)
			return err;
	}
	if (base >= first) {            /* the whole subtree went: the block too */
		err = ext2_bfree(fs, *ptr);
		*ptr = 0;
		in->i_blocks -= in->i_blocks >= fs->g.bsize / 512 ? fs->g.bsize / 512 : in->i_blocks;
	}
	return err;
}

static int fast_symlink(struct ext2_fs *fs, const struct ext2_inode *in)
{
	return (in->i_mode & S_IFMT) == S_IFLNK &&
	       in->i_blocks == (in->i_file_acl ? fs->g.bsize / 512 : 0);
}

int ext2_truncate_blocks(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in, uint64_t size)
{
	uint32_t bs = fs->g.bsize;
	if (fast_symlink(fs, in))
		return 0;
	uint64_t first = (size + bs - 1) / bs;
	int err = 0;
	for (uint32_t i = 0; i < EXT2_NDIR && !err; i++)
		err = trunc_tree(fs, ino, in, &in->i_block[i], 0, i, first);
	uint64_t base = EXT2_NDIR;
	for (int lv = 1; lv <= 3 && !err; lv++) {
		err = trunc_tree(fs, ino, in, &in->i_block[EXT2_IND + lv - 1], lv, base, first);
		base += ext2_bmap_span(fs->ppb, lv);
	}
	if (!err && size % bs) {        /* the kept part of the last block: zero its tail */
		uint32_t pblk;
		err = ext2_bmap(fs, ino, in, size / bs, 0, &pblk);
		if (!err && pblk) {
			struct buf *b = bread(fs->dev, pblk, bs, &err);
			if (b) {
				memset((uint8_t *)b->data + size % bs, 0, bs - size % bs);
				bdirty(b);
				brelse(b);
			}
		}
	}
	if (!err)
		ext2_set_isize(in, size);
	return err;
}

int ext2_free_inode_now(struct ext2_fs *fs, uint32_t ino)
{
	struct ext2_inode in;
	int err = ext2_iread(fs, ino, &in);
	if (err)
		return err;
	int dir = (in.i_mode & S_IFMT) == S_IFDIR;
	err = ext2_truncate_blocks(fs, ino, &in, 0);
	in.i_dtime = ext2_now();
	in.i_links_count = 0;
	int e2 = ext2_iwrite(fs, ino, &in);
	int e3 = ext2_ifree(fs, ino, dir);
	return err ? err : e2 ? e2 : e3;
}

int ext2_drop_inode(struct ext2_fs *fs, uint32_t ino, struct ext2_inode *in)
{
	int err = ext2_iwrite(fs, ino, in);
	if (err || in->i_links_count)
		return err;
	if (ext2_is_open(fs, ino))
		return 0;               /* freed at the last close (file.c) */
	return ext2_free_inode_now(fs, ino);
}
