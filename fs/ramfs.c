/*
 * ramfs: directories as ordered lists of named entries, regular files as
 * page indexes of 4 KiB page frames (amphi/filepages.h: allocated on first
 * write, holes read as zeros, counted against the tree's size limit),
 * symlinks, device and fifo nodes.  Hard links share one node; a node is
 * freed when its last link and its last open reference are gone.  Times
 * come from the tree's wall clock.
 */
#include "ramfs.h"
#include <amphi/errno.h>
#include <amphi/heap.h>
#include <amphi/string.h>

struct rtime ramfs_now(const struct ramfs *fs)
{
	uint64_t ns = fs->clock_ns ? fs->clock_ns() : 0;
	return (struct rtime){ (uint32_t)(ns / 1000000000u), (uint32_t)(ns % 1000000000u) };
}

/* Contents or entries changed: mtime and ctime. */
static void modified(struct rnode *n)
{
	n->mtime = n->ctime = ramfs_now(n->fs);
}

static struct rnode *node_new(struct ramfs *fs, uint32_t mode)
{
	struct rnode *n = kzalloc(sizeof(*n));
	if (!n)
		return 0;
	n->mode = mode;
	n->ino = fs->next_ino++;
	n->next_cookie = 2;
	n->fs = fs;
	n->atime = n->mtime = n->ctime = ramfs_now(fs);
	return n;
}

/* Frees the data pages at index >= first, and gives them back to the limit. */
static void drop_pages(struct rnode *n, uint32_t first)
{
	uint32_t before = n->data.nr_pages;
	filepages_truncate(&n->data, first);
	n->fs->pages -= before - n->data.nr_pages;
}

static void node_free(struct rnode *n)
{
	drop_pages(n, 0);
	if (n->target)
		kfree(n->target);
	kfree(n);
}

static void maybe_free(struct rnode *n)
{
	if (n->nlink == 0 && n->opens == 0)
		node_free(n);
}

int ramfs_init(struct ramfs *fs)
{
	fs->next_ino = 1;
	if (!fs->dev)
		fs->dev = 1;
	fs->root = node_new(fs, S_IFDIR | 0755);
	if (!fs->root)
		return -ENOMEM;
	fs->root->nlink = 2;
	fs->root->parent = fs->root;
	return 0;
}

int ramfs_parse_size(const char *s, uint32_t total_pages, uint32_t *pages)
{
	uint64_t v = 0;
	const char *p = s;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > (1ull << 44))
			return -EINVAL;
	}
	uint64_t n;
	switch (*p) {
	case '%':
		if (v > 100)
			return -EINVAL;
		n = (uint64_t)total_pages * v / 100;
		p++;
		break;
	case 'k': case 'K': n = (v << 10) / RAMFS_PAGE; p++; break;
	case 'm': case 'M': n = (v << 20) / RAMFS_PAGE; p++; break;
	case 'g': case 'G': n = (v << 30) / RAMFS_PAGE; p++; break;
	default: n = v / RAMFS_PAGE; break;
	}
	if (*p || n == 0 || n > 0xffffffffu)
		return -EINVAL;
	*pages = (uint32_t)n;
	return 0;
}

static void destroy_tree(struct rnode *dir)
{
	struct rdirent *d = dir->first;
	while (d) {
		struct rdirent *next = d->next;
		struct rnode *n = d->node;
		if (RNODE_IS_DIR(n)) {
			destroy_tree(n);
			n->nlink = 0;
		} else {
			n->nlink--;
		}
		n->opens = 0;
		kfree(d);
		if (n->nlink == 0)
			node_free(n);
		d = next;
	}
	dir->first = dir->last = 0;
}

void ramfs_destroy(struct ramfs *fs)
{
	if (!fs->root)
		return;
	destroy_tree(fs->root);
	node_free(fs->root);
	fs->root = 0;
}

struct rnode *ramfs_lookup(struct rnode *dir, const char *name, size_t len)
{
	if (!dir || !RNODE_IS_DIR(dir))
		return 0;
	for (struct rdirent *d = dir->first; d; d = d->next)
		if (d->namelen == len && !memcmp(d->name, name, len))
			return d->node;
	return 0;
}

static int check_name(struct rnode *dir, const char *name, size_t len)
{
	if (!RNODE_IS_DIR(dir))
		return -ENOTDIR;
	if (!dir->parent)
		return -ENOENT;              /* removed directory */
	if (len == 0 || (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return -EEXIST;
	if (len > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	for (size_t i = 0; i < len; i++)
		if (name[i] == '/' || name[i] == '\0')
			return -EINVAL;
	if (ramfs_lookup(dir, name, len))
		return -EEXIST;
	return 0;
}

static int add_entry(struct rnode *dir, const char *name, size_t len, struct rnode *n)
{
	struct rdirent *d = kmalloc(sizeof(*d) + len + 1);
	if (!d)
		return -ENOMEM;
	d->node = n;
	d->namelen = (uint16_t)len;
	memcpy(d->name, name, len);
	d->name[len] = '\0';
	d->cookie = dir->next_cookie++;
	d->next = 0;
	d->prev = dir->last;
	if (dir->last)
		dir->last->next = d;
	else
		dir->first = d;
	dir->last = d;
	dir->nentries++;
	return 0;
}

int ramfs_mknod(struct ramfs *fs, struct rnode *dir, const char *name, size_t len,
		uint32_t mode, uint32_t rdev, struct rnode **out)
{
	int r = check_name(dir, name, len);
	if (r)
		return r;
	if (!(mode & S_IFMT))
		mode |= S_IFREG;
	struct rnode *n = node_new(fs, mode);
	if (!n)
		return -ENOMEM;
	n->rdev = rdev;
	if (RNODE_IS_DIR(n)) {
		n->nlink = 2;
		n->parent = dir;
	} else {
		n->nlink = 1;
	}
	if ((r = add_entry(dir, name, len, n))) {
		node_free(n);
		return r;
	}
	if (RNODE_IS_DIR(n))
		dir->nlink++;
	modified(dir);
	if (out)
		*out = n;
	return 0;
}

int ramfs_symlink(struct ramfs *fs, struct rnode *dir, const char *name, size_t len,
		  const char *target, size_t tlen, struct rnode **out)
{
	if (tlen == 0)
		return -ENOENT;
	if (tlen > RAMFS_MAX_SYMLINK)
		return -ENAMETOOLONG;
	int r = check_name(dir, name, len);
	if (r)
		return r;
	struct rnode *n = node_new(fs, S_IFLNK | 0777);
	if (!n)
		return -ENOMEM;
	n->target = kmalloc(tlen + 1);
	if (!n->target) {
		node_free(n);
		return -ENOMEM;
	}
	memcpy(n->target, target, tlen);
	n->target[tlen] = '\0';
	n->size = tlen;
	n->nlink = 1;
	if ((r = add_entry(dir, name, len, n))) {
		node_free(n);
		return r;
	}
	modified(dir);
	if (out)
		*out = n;
	return 0;
}

int ramfs_link(struct rnode *dir, const char *name, size_t len, struct rnode *node)
{
	if (RNODE_IS_DIR(node))
		return -EPERM;
	if (node->nlink == 0)
		return -ENOENT;
	int r = check_name(dir, name, len);
	if (r)
		return r;
	if ((r = add_entry(dir, name, len, node)))
		return r;
	node->nlink++;
	node->ctime = ramfs_now(node->fs);
	modified(dir);
	return 0;
}

int ramfs_unlink(struct rnode *dir, const char *name, size_t len, int rmdir)
{
	if (!RNODE_IS_DIR(dir))
		return -ENOTDIR;
	struct rdirent *d = dir->first;
	while (d && !(d->namelen == len && !memcmp(d->name, name, len)))
		d = d->next;
	if (!d)
		return -ENOENT;
	struct rnode *n = d->node;
	if (rmdir) {
		if (!RNODE_IS_DIR(n))
			return -ENOTDIR;
		if (n->first)
			return -ENOTEMPTY;
	} else if (RNODE_IS_DIR(n)) {
		return -EISDIR;
	}
	if (d->prev)
		d->prev->next = d->next;
	else
		dir->first = d->next;
	if (d->next)
		d->next->prev = d->prev;
	else
		dir->last = d->prev;
	dir->nentries--;
	kfree(d);
	modified(dir);
	n->ctime = dir->ctime;
	if (RNODE_IS_DIR(n)) {
		n->nlink = 0;
		n->parent = 0;
		dir->nlink--;
	} else {
		n->nlink--;
	}
	maybe_free(n);
	return 0;
}

void ramfs_node_get(struct rnode *n)
{
	n->opens++;
}

void ramfs_node_put(struct rnode *n)
{
	if (n->opens)
		n->opens--;
	maybe_free(n);
}

/* ---- file data ---- */

/* Copies between buf and the file's pages, page by page; to_file: write.
 * Returns bytes done; a page that cannot be mapped (no kmap slot) stops it. */
static size_t copy_pages(struct rnode *n, uint64_t off, uint8_t *buf, size_t len, int to_file,
			 int *err)
{
	size_t done = 0;
	while (done < len) {
		uint64_t pos = off + done;
		uint32_t pg = (uint32_t)(pos / RAMFS_PAGE);
		size_t po = (size_t)(pos % RAMFS_PAGE);
		size_t k = RAMFS_PAGE - po;
		if (k > len - done)
			k = len - done;
		pfn_t pfn = filepage_lookup(&n->data, pg);
		if (pfn == PFN_NONE && !to_file) {
			memset(buf + done, 0, k);       /* a hole */
			done += k;
			continue;
		}
		if (pfn == PFN_NONE) {
			struct ramfs *fs = n->fs;
			if (fs->max_pages && fs->pages >= fs->max_pages) {
				*err = -ENOSPC;
				break;
			}
			int r = filepage_get(&n->data, pg, &pfn);
			if (r < 0) {
				*err = r;
				break;
			}
			fs->pages++;
		} else if (to_file) {
			int r = filepage_private(&n->data, pg, &pfn);
			if (r < 0) {
				*err = r;
				break;
			}
		}
		uint8_t *va = filepage_map(pfn);
		if (!va) {
			*err = -ENOMEM;
			break;
		}
		if (to_file)
			memcpy(va + po, buf + done, k);
		else
			memcpy(buf + done, va + po, k);
		filepage_unmap(va);
		done += k;
	}
	return done;
}

size_t ramfs_read(struct rnode *n, uint64_t off, void *buf, size_t len)
{
	if (off >= n->size)
		return 0;
	if (len > n->size - off)
		len = (size_t)(n->size - off);
	int err = 0;
	size_t done = copy_pages(n, off, buf, len, 0, &err);
	/* relatime, as Linux mounts by default: atime moves when it is older
	 * than the last change or a day old, not on every read. */
	struct rtime now = ramfs_now(n->fs);
	if (n->atime.sec <= n->mtime.sec || n->atime.sec <= n->ctime.sec ||
	    now.sec - n->atime.sec >= 86400)
		n->atime = now;
	return done;
}

long ramfs_write(struct rnode *n, uint64_t off, const void *buf, size_t len)
{
	if (len == 0)
		return 0;
	if (off >= RAMFS_MAX_FILE)
		return -EFBIG;
	if (len > RAMFS_MAX_FILE - off)
		len = (size_t)(RAMFS_MAX_FILE - off);
	if (len > 0x7fffffffu)
		len = 0x7ffff000u;
	int err = 0;
	size_t done = copy_pages(n, off, (uint8_t *)buf, len, 1, &err);
	if (done == 0)
		return err ? err : -ENOSPC;
	if (off + done > n->size)
		n->size = off + done;
	modified(n);
	return (long)done;
}

int ramfs_truncate(struct rnode *n, uint64_t size)
{
	if (RNODE_TYPE(n) != S_IFREG)
		return RNODE_IS_DIR(n) ? -EISDIR : -EINVAL;
	if (size > RAMFS_MAX_FILE)
		return -EFBIG;
	if (size < n->size) {
		uint64_t keep = (size + RAMFS_PAGE - 1) / RAMFS_PAGE;
		if (keep <= 0xffffffffu)
			drop_pages(n, (uint32_t)keep);
		/* Zero the tail of the last page so that growing again reads zeros. */
		size_t po = (size_t)(size % RAMFS_PAGE);
		pfn_t last = po ? filepage_lookup(&n->data, (uint32_t)(keep - 1)) : PFN_NONE;
		if (last != PFN_NONE && filepage_private(&n->data, (uint32_t)(keep - 1), &last) < 0)
			last = PFN_NONE;        /* a program's page: it keeps its bytes */
		uint8_t *va = last != PFN_NONE ? filepage_map(last) : 0;
		if (va) {
			memset(va + po, 0, RAMFS_PAGE - po);
			filepage_unmap(va);
		}
	}
	n->size = size;
	modified(n);
	return 0;
}

void ramfs_set_times(struct rnode *n, const struct rtime *atime, const struct rtime *mtime)
{
	if (atime)
		n->atime = *atime;
	if (mtime)
		n->mtime = *mtime;
	n->ctime = ramfs_now(n->fs);
}

/* ---- directories ---- */

int ramfs_readdir(struct rnode *dir, uint64_t *pos, ramfs_fill_fn fill, void *ctx)
{
	if (!RNODE_IS_DIR(dir))
		return -ENOTDIR;
	if (*pos == 0) {
		if (fill(ctx, ".", 1, dir->ino, dir->mode, 1))
			return 0;
		*pos = 1;
	}
	if (*pos == 1) {
		struct rnode *p = dir->parent ? dir->parent : dir;
		if (fill(ctx, "..", 2, p->ino, p->mode, 2))
			return 0;
		*pos = 2;
	}
	for (struct rdirent *d = dir->first; d; d = d->next) {
		if (d->cookie < *pos)
			continue;
		if (fill(ctx, d->name, d->namelen, d->node->ino, d->node->mode, (uint64_t)d->cookie + 1))
			return 0;
		*pos = (uint64_t)d->cookie + 1;
	}
	return 0;
}

int ramfs_dir_path(struct ramfs *fs, struct rnode *dir, char *buf, size_t n)
{
	if (!RNODE_IS_DIR(dir))
		return -ENOTDIR;
	if (n < 2)
		return -ENAMETOOLONG;
	/* Built backwards from the end of buf, then moved to the front. */
	size_t at = n - 1;
	buf[at] = '\0';
	struct rnode *c = dir;
	while (c != fs->root) {
		struct rnode *p = c->parent;
		if (!p)
			return -ENOENT;
		struct rdirent *d = p->first;
		while (d && d->node != c)
			d = d->next;
		if (!d)
			return -ENOENT;
		if (at < (size_t)d->namelen + 1)
			return -ENAMETOOLONG;
		at -= d->namelen;
		memcpy(buf + at, d->name, d->namelen);
		buf[--at] = '/';
		c = p;
	}
	if (at == n - 1)
		buf[--at] = '/';
	size_t len = n - 1 - at;
	memmove(buf, buf + at, len + 1);
	return (int)len;
}

void ramfs_stat(struct ramfs *fs, struct rnode *n, struct kstat64 *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = fs->dev;
	st->__st_ino = n->ino;
	st->st_ino = n->ino;
	st->st_mode = n->mode;
	st->st_nlink = n->nlink;
	st->st_uid = n->uid;
	st->st_gid = n->gid;
	uint32_t t = RNODE_TYPE(n);
	if (t == S_IFCHR || t == S_IFBLK) {
		uint32_t maj = n->rdev >> 20, min = n->rdev & 0xfffff;
		st->st_rdev = (min & 0xff) | (maj << 8) | ((uint64_t)(min & ~0xffu) << 12);
	}
	if (t == S_IFDIR)
		st->st_size = RAMFS_PAGE;
	else
		st->st_size = (int64_t)n->size;
	st->st_blksize = RAMFS_PAGE;
	if (t == S_IFREG)
		st->st_blocks = (uint64_t)n->data.nr_pages * (RAMFS_PAGE / 512);
	st->st_atime = n->atime.sec;
	st->st_atime_nsec = n->atime.nsec;
	st->st_mtime = n->mtime.sec;
	st->st_mtime_nsec = n->mtime.nsec;
	st->st_ctime = n->ctime.sec;
	st->st_ctime_nsec = n->ctime.nsec;
}

/* ---- path walk ---- */

int ramfs_walk(struct ramfs *fs, const char *cwd, const char *path, int follow,
	       struct ramfs_walk *w)
{
	w->parent = w->node = 0;
	w->name[0] = '\0';
	w->trailing_slash = 0;
	if (!path)
		return -EFAULT;
	size_t plen = strlen(path);
	if (plen >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	if (plen > 1 && path[plen - 1] == '/') {
		w->trailing_slash = 1;
		follow = 1;
	}
	char *mem = kmalloc(3 * VFS_PATH_MAX);
	if (!mem)
		return -ENOMEM;
	char *buf = mem, *tmp = mem + VFS_PATH_MAX, *pre = mem + 2 * VFS_PATH_MAX;
	int r = path_normalize(cwd, path, buf, VFS_PATH_MAX);
	int links = 0;
restart:
	if (r)
		goto out;
	struct rnode *cur = fs->root;
	const char *p = buf + 1;
	if (!*p) {
		w->parent = w->node = fs->root;
		goto out;
	}
	for (;;) {
		const char *c = p;
		while (*p && *p != '/')
			p++;
		size_t clen = (size_t)(p - c);
		int last = (*p == '\0');
		if (!RNODE_IS_DIR(cur)) {
			r = -ENOTDIR;
			goto out;
		}
		if (!cur->parent) {
			r = -ENOENT;
			goto out;
		}
		struct rnode *n = ramfs_lookup(cur, c, clen);
		if (!n) {
			if (!last) {
				r = -ENOENT;
				goto out;
			}
			w->parent = cur;
			memcpy(w->name, c, clen);
			w->name[clen] = '\0';
			goto out;
		}
		if (RNODE_TYPE(n) == S_IFLNK && (!last || follow)) {
			if (++links > RAMFS_MAX_LINKS) {
				r = -ELOOP;
				goto out;
			}
			/* tmp = target + "/" + rest; pre = the directory holding the link */
			size_t tl = strlen(n->target), rl = last ? 0 : strlen(p + 1);
			if (tl + 1 + rl + 1 > VFS_PATH_MAX) {
				r = -ENAMETOOLONG;
				goto out;
			}
			memcpy(tmp, n->target, tl);
			tmp[tl] = '/';
			memcpy(tmp + tl + 1, last ? "" : p + 1, rl + 1);
			size_t dl = (size_t)(c - buf) - 1;      /* the slash before c */
			if (dl == 0) {
				pre[0] = '/';
				pre[1] = '\0';
			} else {
				memcpy(pre, buf, dl);
				pre[dl] = '\0';
			}
			r = path_normalize(pre, tmp, buf, VFS_PATH_MAX);
			goto restart;
		}
		if (last) {
			w->parent = cur;
			w->node = n;
			memcpy(w->name, c, clen);
			w->name[clen] = '\0';
			goto out;
		}
		cur = n;
		p++;
	}
out:
	if (!r && w->trailing_slash && w->node && !RNODE_IS_DIR(w->node))
		r = -ENOTDIR;
	kfree(mem);
	return r;
}

/* ---- cpio unpacking ---- */

struct hardlink {
	uint32_t ino, devmajor, devminor;
	struct rnode *node;
};

struct unpack_ctx {
	struct ramfs *fs;
	struct hardlink *links;
	size_t nlinks, caplinks;
	char *path;
};

/* mkdir -p for the parents of path (normalized, absolute); returns the
 * parent directory of the last component and its name in *name. */
static int make_parents(struct ramfs *fs, char *path, struct rnode **dirp, const char **name)
{
	struct rnode *cur = fs->root;
	char *p = path + 1;
	for (;;) {
		char *c = p;
		while (*p && *p != '/')
			p++;
		if (!*p) {
			*dirp = cur;
			*name = c;
			return 0;
		}
		size_t clen = (size_t)(p - c);
		struct rnode *n = ramfs_lookup(cur, c, clen);
		if (n && RNODE_TYPE(n) == S_IFLNK) {
			/* A symlinked directory in the archive (e.g. /lib -> usr/lib). */
			struct ramfs_walk w;
			char save = *p;
			*p = '\0';
			int r = ramfs_walk(fs, 0, path, 1, &w);
			*p = save;
			n = r ? 0 : w.node;
			if (!n)
				return r ? r : -ENOENT;
		}
		if (!n) {
			int r = ramfs_mknod(fs, cur, c, clen, S_IFDIR | 0755, 0, &n);
			if (r)
				return r;
		}
		if (!RNODE_IS_DIR(n))
			return -ENOTDIR;
		cur = n;
		p++;
	}
}

static int unpack_entry(void *vctx, const struct cpio_entry *e)
{
	struct unpack_ctx *ctx = vctx;
	struct ramfs *fs = ctx->fs;
	int r = path_normalize("/", e->name, ctx->path, VFS_PATH_MAX);
	if (r)
		return r;
	uint32_t type = e->mode & S_IFMT;
	uint32_t perm = e->mode & 07777;
	if (!strcmp(ctx->path, "/")) {
		if (type == S_IFDIR) {
			fs->root->mode = S_IFDIR | perm;
			fs->root->mtime = fs->root->atime = (struct rtime){ e->mtime, 0 };
		}
		return 0;
	}
	struct rnode *dir;
	const char *name;
	if ((r = make_parents(fs, ctx->path, &dir, &name)))
		return r;
	size_t nlen = strlen(name);
	struct rnode *old = ramfs_lookup(dir, name, nlen);

	if (type == S_IFDIR) {
		if (old && RNODE_IS_DIR(old)) {
			old->mode = S_IFDIR | perm;
			old->uid = e->uid;
			old->gid = e->gid;
			old->mtime = old->atime = (struct rtime){ e->mtime, 0 };
			return 0;
		}
		if (old && (r = ramfs_unlink(dir, name, nlen, 0)))
			return r;
		struct rnode *n;
		if ((r = ramfs_mknod(fs, dir, name, nlen, S_IFDIR | perm, 0, &n)))
			return r;
		n->uid = e->uid;
		n->gid = e->gid;
		n->mtime = n->atime = (struct rtime){ e->mtime, 0 };
		return 0;
	}
	/* Anything else replaces what was there (a directory only if empty). */
	if (old && (r = ramfs_unlink(dir, name, nlen, RNODE_IS_DIR(old))))
		return r;

	struct rnode *n = 0;
	if (type == S_IFLNK) {
		r = ramfs_symlink(fs, dir, name, nlen, (const char *)e->data, e->filesize, &n);
	} else if (type == S_IFREG) {
		/* Hard links: the same (ino, dev) seen before becomes a link to that
		 * node; the data (on the last entry in newc) lands in the shared node. */
		struct hardlink *hl = 0;
		if (e->nlink > 1)
			for (size_t i = 0; i < ctx->nlinks; i++)
				if (ctx->links[i].ino == e->ino && ctx->links[i].devmajor == e->devmajor &&
				    ctx->links[i].devminor == e->devminor && ctx->links[i].node->nlink) {
					hl = &ctx->links[i];
					break;
				}
		if (hl) {
			n = hl->node;
			if ((r = ramfs_link(dir, name, nlen, n)))
				return r;
		} else {
			if ((r = ramfs_mknod(fs, dir, name, nlen, S_IFREG | perm, 0, &n)))
				return r;
			if (e->nlink > 1) {
				if (ctx->nlinks == ctx->caplinks) {
					size_t cap = ctx->caplinks ? ctx->caplinks * 2 : 16;
					struct hardlink *nl = kmalloc(cap * sizeof(*nl));
					if (!nl)
						return -ENOMEM;
					if (ctx->links) {
						memcpy(nl, ctx->links, ctx->nlinks * sizeof(*nl));
						kfree(ctx->links);
					}
					ctx->links = nl;
					ctx->caplinks = cap;
				}
				/* Held open so that a later replacement cannot free it under us. */
				ramfs_node_get(n);
				ctx->links[ctx->nlinks++] = (struct hardlink){ e->ino, e->devmajor, e->devminor, n };
			}
		}
		if (e->filesize) {
			ramfs_truncate(n, 0);
			long w = ramfs_write(n, 0, e->data, e->filesize);
			if (w < 0)
				return (int)w;
			if ((uint32_t)w != e->filesize)
				return -ENOSPC;
		}
	} else if (type == S_IFCHR || type == S_IFBLK || type == S_IFIFO || type == S_IFSOCK) {
		uint32_t rdev = (e->rdevmajor << 20) | (e->rdevminor & 0xfffff);
		r = ramfs_mknod(fs, dir, name, nlen, type | perm, rdev, &n);
	} else {
		return -EINVAL;
	}
	if (r)
		return r;
	n->uid = e->uid;
	n->gid = e->gid;
	n->mtime = n->atime = (struct rtime){ e->mtime, 0 };
	return 0;
}

int ramfs_unpack_cpio(struct ramfs *fs, const void *buf, size_t len, struct cpio_error *err)
{
	struct unpack_ctx ctx = { fs, 0, 0, 0, 0 };
	ctx.path = kmalloc(VFS_PATH_MAX);
	if (!ctx.path)
		return -ENOMEM;
	int r = cpio_parse(buf, len, unpack_entry, &ctx, err);
	kfree(ctx.path);
	for (size_t i = 0; i < ctx.nlinks; i++)
		ramfs_node_put(ctx.links[i].node);
	if (ctx.links)
		kfree(ctx.links);
	return r;
}
