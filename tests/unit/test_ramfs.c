/* Host tests for fs/ramfs.c: the tree, file data (in fake frames:
 * fake_filepages.c over the real mm/page_index.c), the size limit, file
 * times, path walks with symlinks, and unpacking archives (with
 * kernel/path.c and fs/cpio.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <amphi/errno.h>
#include "../../fs/ramfs.h"
#include "cpio_build.h"
#include "fake_filepages.h"

/* The kernel heap, on the host; allocations are counted to find leaks. */
static long live;
static int fail_after = -1;   /* make the Nth allocation from now fail */
void *kmalloc(size_t n)
{
	if (fail_after == 0)
		return NULL;
	if (fail_after > 0)
		fail_after--;
	void *p = malloc(n ? n : 1);
	if (p)
		live++;
	return p;
}
void *kzalloc(size_t n)
{
	void *p = kmalloc(n);
	if (p)
		memset(p, 0, n);
	return p;
}
void kfree(void *p)
{
	if (p)
		live--;
	free(p);
}

static struct ramfs fs;

/* The wall clock: a number the tests move. */
static uint64_t clock_now = 1795000000ull * 1000000000ull + 123;
static uint64_t test_clock(void) { return clock_now; }

static int setup(void **state)
{
	(void)state;
	live = 0;
	fail_after = -1;
	fake_frames_fail_after = -1;
	memset(&fs, 0, sizeof(fs));
	fs.clock_ns = test_clock;
	return ramfs_init(&fs);
}

static int teardown(void **state)
{
	(void)state;
	ramfs_destroy(&fs);
	assert_int_equal(live, 0);
	assert_int_equal(fake_frames_in_use(), 0);      /* every frame given back */
	return 0;
}

static struct rnode *get(const char *path, int follow)
{
	struct ramfs_walk w;
	if (ramfs_walk(&fs, "/", path, follow, &w))
		return NULL;
	return w.node;
}

static int walk_err(const char *cwd, const char *path, int follow)
{
	struct ramfs_walk w;
	return ramfs_walk(&fs, cwd, path, follow, &w);
}

static struct rnode *mk(const char *dirpath, const char *name, uint32_t mode)
{
	struct rnode *d = get(dirpath, 1), *n = NULL;
	assert_non_null(d);
	assert_int_equal(ramfs_mknod(&fs, d, name, strlen(name), mode, 0, &n), 0);
	return n;
}

static void test_mknod_lookup_unlink(void **state)
{
	(void)state;
	struct rnode *etc = mk("/", "etc", S_IFDIR | 0755);
	struct rnode *f = mk("/etc", "passwd", S_IFREG | 0644);
	assert_ptr_equal(get("/etc/passwd", 1), f);
	assert_ptr_equal(get("/etc/../etc/./passwd", 1), f);
	assert_int_equal(etc->nlink, 3 - 1);   /* "." and the entry in / */
	assert_int_equal(fs.root->nlink, 3);
	assert_int_equal(ramfs_mknod(&fs, etc, "passwd", 6, S_IFREG, 0, NULL), -EEXIST);
	assert_int_equal(ramfs_mknod(&fs, f, "x", 1, S_IFREG, 0, NULL), -ENOTDIR);
	assert_int_equal(ramfs_mknod(&fs, etc, "..", 2, S_IFREG, 0, NULL), -EEXIST);
	assert_int_equal(ramfs_mknod(&fs, etc, "a/b", 3, S_IFREG, 0, NULL), -EINVAL);
	assert_int_equal(ramfs_unlink(fs.root, "etc", 3, 1), -ENOTEMPTY);
	assert_int_equal(ramfs_unlink(fs.root, "etc", 3, 0), -EISDIR);
	assert_int_equal(ramfs_unlink(etc, "passwd", 6, 1), -ENOTDIR);
	assert_int_equal(ramfs_unlink(etc, "nope", 4, 0), -ENOENT);
	assert_int_equal(ramfs_unlink(etc, "passwd", 6, 0), 0);
	assert_null(get("/etc/passwd", 1));
	assert_int_equal(ramfs_unlink(fs.root, "etc", 3, 1), 0);
	assert_int_equal(fs.root->nlink, 2);
	assert_int_equal(walk_err("/", "/etc/x", 1), -ENOENT);
}

static void test_file_data(void **state)
{
	(void)state;
	struct rnode *f = mk("/", "f", S_IFREG | 0644);
	static unsigned char big[3 * RAMFS_PAGE + 100], back[sizeof(big)];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (unsigned char)(i * 7 + 3);
	assert_int_equal(ramfs_write(f, 0, big, sizeof(big)), sizeof(big));
	assert_int_equal(f->size, sizeof(big));
	assert_int_equal(ramfs_read(f, 0, back, sizeof(back)), sizeof(big));
	assert_memory_equal(big, back, sizeof(big));
	/* Unaligned read across pages, and past the end. */
	assert_int_equal(ramfs_read(f, RAMFS_PAGE - 3, back, 10), 10);
	assert_memory_equal(back, big + RAMFS_PAGE - 3, 10);
	assert_int_equal(ramfs_read(f, sizeof(big) - 4, back, 100), 4);
	assert_int_equal(ramfs_read(f, sizeof(big) + 5, back, 100), 0);
	/* A write far past the end leaves a hole of zeros. */
	assert_int_equal(ramfs_write(f, 10 * RAMFS_PAGE, "xyz", 3), 3);
	assert_int_equal(f->size, 10 * RAMFS_PAGE + 3);
	assert_int_equal(ramfs_read(f, 6 * RAMFS_PAGE, back, 8), 8);
	assert_memory_equal(back, "\0\0\0\0\0\0\0\0", 8);
	/* Truncate down, then grow: the cut-off tail reads as zeros. */
	assert_int_equal(ramfs_truncate(f, 5), 0);
	assert_int_equal(ramfs_truncate(f, 20), 0);
	memset(back, 0xee, 20);
	assert_int_equal(ramfs_read(f, 0, back, 20), 20);
	assert_memory_equal(back, big, 5);
	for (int i = 5; i < 20; i++)
		assert_int_equal(back[i], 0);
	assert_int_equal(ramfs_write(f, RAMFS_MAX_FILE, "x", 1), -EFBIG);
	struct kstat64 st;
	ramfs_stat(&fs, f, &st);
	assert_int_equal(st.st_size, 20);
	assert_int_equal(st.st_mode, S_IFREG | 0644);
	assert_int_equal(st.st_nlink, 1);
	assert_int_equal(sizeof(st), 96);
}

static void test_out_of_memory(void **state)
{
	(void)state;
	struct rnode *f = mk("/", "f", S_IFREG | 0644);
	fake_frames_fail_after = 0;
	assert_int_equal(ramfs_write(f, 0, "abc", 3), -ENOSPC);
	assert_int_equal(f->size, 0);
	fake_frames_fail_after = -1;
	fail_after = 0;
	assert_int_equal(ramfs_mknod(&fs, fs.root, "g", 1, S_IFREG, 0, NULL), -ENOMEM);
	fail_after = -1;
	assert_null(get("/g", 1));
	assert_int_equal(ramfs_write(f, 0, "abc", 3), 3);
	/* Memory runs out part way: a short write, the bytes before it kept. */
	static unsigned char buf[5 * RAMFS_PAGE], back[5 * RAMFS_PAGE];
	memset(buf, 'q', sizeof(buf));
	fake_frames_fail_after = 2;                      /* two more pages, then none */
	assert_int_equal(ramfs_write(f, RAMFS_PAGE, buf, sizeof(buf)), 2 * RAMFS_PAGE);
	assert_int_equal(f->size, 3 * RAMFS_PAGE);
	assert_int_equal(ramfs_write(f, 3 * RAMFS_PAGE, buf, 1), -ENOSPC);
	fake_frames_fail_after = -1;
	assert_int_equal(ramfs_read(f, RAMFS_PAGE, back, sizeof(back)), 2 * RAMFS_PAGE);
	assert_memory_equal(back, buf, 2 * RAMFS_PAGE);
}

static void test_size_limit(void **state)
{
	(void)state;
	static unsigned char buf[8 * RAMFS_PAGE];
	memset(buf, 'z', sizeof(buf));
	fs.max_pages = 6;
	struct rnode *a = mk("/", "a", S_IFREG | 0644), *b = mk("/", "b", S_IFREG | 0644);
	assert_int_equal(ramfs_write(a, 0, buf, 4 * RAMFS_PAGE), 4 * RAMFS_PAGE);
	assert_int_equal(fs.pages, 4);
	/* b gets what is left: 2 pages, then ENOSPC. */
	assert_int_equal(ramfs_write(b, 0, buf, sizeof(buf)), 2 * RAMFS_PAGE);
	assert_int_equal(ramfs_write(b, 2 * RAMFS_PAGE, buf, 1), -ENOSPC);
	/* Rewriting pages already there needs nothing new. */
	assert_int_equal(ramfs_write(a, 100, buf, 3 * RAMFS_PAGE), 3 * RAMFS_PAGE);
	struct kstat64 st;
	ramfs_stat(&fs, a, &st);
	assert_int_equal(st.st_blocks, 4 * RAMFS_PAGE / 512);
	/* rm gives the pages back; so does truncating. */
	assert_int_equal(ramfs_unlink(fs.root, "a", 1, 0), 0);
	assert_int_equal(fs.pages, 2);
	assert_int_equal(ramfs_truncate(b, RAMFS_PAGE + 1), 0);
	assert_int_equal(fs.pages, 2);
	assert_int_equal(ramfs_truncate(b, RAMFS_PAGE), 0);
	assert_int_equal(fs.pages, 1);
	assert_int_equal(ramfs_write(b, RAMFS_PAGE, buf, 5 * RAMFS_PAGE), 5 * RAMFS_PAGE);
	assert_int_equal(fs.pages, 6);
	/* An unlinked file still open keeps its pages until the last close. */
	ramfs_node_get(b);
	assert_int_equal(ramfs_unlink(fs.root, "b", 1, 0), 0);
	assert_int_equal(fs.pages, 6);
	ramfs_node_put(b);
	assert_int_equal(fs.pages, 0);
}

static void test_parse_size(void **state)
{
	(void)state;
	uint32_t p = 0;
	assert_int_equal(ramfs_parse_size("90%", 1000, &p), 0);
	assert_int_equal(p, 900);
	assert_int_equal(ramfs_parse_size("100%", 1000, &p), 0);
	assert_int_equal(p, 1000);
	assert_int_equal(ramfs_parse_size("16m", 0, &p), 0);
	assert_int_equal(p, 4096);
	assert_int_equal(ramfs_parse_size("2G", 0, &p), 0);
	assert_int_equal(p, 512 * 1024);
	assert_int_equal(ramfs_parse_size("64k", 0, &p), 0);
	assert_int_equal(p, 16);
	assert_int_equal(ramfs_parse_size("1048576", 0, &p), 0);
	assert_int_equal(p, 256);
	assert_int_equal(ramfs_parse_size("101%", 1000, &p), -EINVAL);
	assert_int_equal(ramfs_parse_size("0", 1000, &p), -EINVAL);
	assert_int_equal(ramfs_parse_size("", 1000, &p), -EINVAL);
	assert_int_equal(ramfs_parse_size("12x", 1000, &p), -EINVAL);
	assert_int_equal(ramfs_parse_size("m", 1000, &p), -EINVAL);
	assert_int_equal(ramfs_parse_size("99999999999999999999", 1000, &p), -EINVAL);
}

static void test_times_from_the_clock(void **state)
{
	(void)state;
	struct kstat64 st;
	struct rnode *f = mk("/", "t", S_IFREG | 0644);
	ramfs_stat(&fs, f, &st);
	assert_int_equal(st.st_mtime, 1795000000u);
	assert_int_equal(st.st_mtime_nsec, 123);
	assert_int_equal(st.st_atime, 1795000000u);
	assert_int_equal(st.st_ctime, 1795000000u);
	ramfs_stat(&fs, fs.root, &st);
	assert_int_equal(st.st_mtime, 1795000000u);     /* the directory changed too */
	clock_now += 5000000000ull;
	assert_int_equal(ramfs_write(f, 0, "x", 1), 1);
	ramfs_stat(&fs, f, &st);
	assert_int_equal(st.st_mtime, 1795000005u);
	assert_int_equal(st.st_ctime, 1795000005u);
	assert_int_equal(st.st_atime, 1795000000u);
	/* relatime: a read after a change moves atime, the next one does not. */
	clock_now += 1000000000ull;
	char c;
	assert_int_equal(ramfs_read(f, 0, &c, 1), 1);
	ramfs_stat(&fs, f, &st);
	assert_int_equal(st.st_atime, 1795000006u);
	clock_now += 1000000000ull;
	assert_int_equal(ramfs_read(f, 0, &c, 1), 1);
	ramfs_stat(&fs, f, &st);
	assert_int_equal(st.st_atime, 1795000006u);
	/* utimensat's work: given times, ctime now. */
	struct rtime a = { 1000, 1 }, m = { 2000, 2 };
	ramfs_set_times(f, &a, &m);
	ramfs_stat(&fs, f, &st);
	assert_int_equal(st.st_atime, 1000);
	assert_int_equal(st.st_mtime, 2000);
	assert_int_equal(st.st_mtime_nsec, 2);
	assert_int_equal(st.st_ctime, 1795000007u);
	ramfs_set_times(f, NULL, NULL);
	ramfs_stat(&fs, f, &st);
	assert_int_equal(st.st_atime, 1000);
}

static void test_symlinks(void **state)
{
	(void)state;
	mk("/", "usr", S_IFDIR | 0755);
	mk("/usr", "bin", S_IFDIR | 0755);
	struct rnode *bb = mk("/usr/bin", "busybox", S_IFREG | 0755);
	struct rnode *bin = get("/usr/bin", 1);
	assert_int_equal(ramfs_symlink(&fs, fs.root, "bin", 3, "usr/bin", 7, NULL), 0);
	assert_int_equal(ramfs_symlink(&fs, bin, "sh", 2, "busybox", 7, NULL), 0);
	assert_int_equal(ramfs_symlink(&fs, bin, "abs", 3, "/usr/bin/busybox", 16, NULL), 0);
	assert_int_equal(ramfs_symlink(&fs, bin, "up", 2, "../../bin/sh", 12, NULL), 0);
	assert_int_equal(ramfs_symlink(&fs, fs.root, "loop", 4, "loop", 4, NULL), 0);
	assert_int_equal(ramfs_symlink(&fs, fs.root, "dangling", 8, "nowhere/x", 9, NULL), 0);
	assert_ptr_equal(get("/bin/sh", 1), bb);
	assert_ptr_equal(get("/bin/abs", 1), bb);
	assert_ptr_equal(get("/usr/bin/up", 1), bb);
	struct rnode *l = get("/bin/sh", 0);
	assert_non_null(l);
	assert_int_equal(RNODE_TYPE(l), S_IFLNK);
	assert_string_equal(l->target, "busybox");
	assert_int_equal(walk_err("/", "/loop", 1), -ELOOP);
	assert_int_equal(walk_err("/", "/loop", 0), 0);
	assert_int_equal(walk_err("/", "/loop/x", 0), -ELOOP);
	/* A dangling link: the walk ends at the missing name (create there). */
	struct ramfs_walk w;
	assert_int_equal(ramfs_walk(&fs, "/", "/dangling", 1, &w), -ENOENT);
	assert_int_equal(walk_err("/", "/bin/sh/x", 1), -ENOTDIR);
	assert_int_equal(walk_err("/", "/bin/sh/", 1), -ENOTDIR);
	assert_int_equal(ramfs_walk(&fs, "/usr", "bin/newfile", 1, &w), 0);
	assert_null(w.node);
	assert_ptr_equal(w.parent, bin);
	assert_string_equal(w.name, "newfile");
	/* Relative to a cwd. */
	assert_ptr_equal((ramfs_walk(&fs, "/usr/bin", "sh", 1, &w), w.node), bb);
	char path[64];
	assert_int_equal(ramfs_dir_path(&fs, get("/bin", 1), path, sizeof(path)), 8);
	assert_string_equal(path, "/usr/bin");
	assert_int_equal(ramfs_dir_path(&fs, fs.root, path, sizeof(path)), 1);
	assert_string_equal(path, "/");
	assert_int_equal(ramfs_dir_path(&fs, bin, path, 5), -ENAMETOOLONG);
}

static void test_hard_links_and_open_refs(void **state)
{
	(void)state;
	struct rnode *f = mk("/", "a", S_IFREG | 0644);
	assert_int_equal(ramfs_write(f, 0, "data", 4), 4);
	assert_int_equal(ramfs_link(fs.root, "b", 1, f), 0);
	assert_int_equal(f->nlink, 2);
	assert_int_equal(ramfs_link(fs.root, "b", 1, f), -EEXIST);
	assert_int_equal(ramfs_link(fs.root, "c", 1, fs.root), -EPERM);
	assert_int_equal(ramfs_unlink(fs.root, "a", 1, 0), 0);
	assert_ptr_equal(get("/b", 1), f);
	ramfs_node_get(f);                          /* an open file */
	assert_int_equal(ramfs_unlink(fs.root, "b", 1, 0), 0);
	char buf[8];
	assert_int_equal(ramfs_read(f, 0, buf, 8), 4);   /* still readable */
	long before = live;
	ramfs_node_put(f);                          /* the last close frees it */
	assert_true(live < before);
}

struct listing {
	char names[32][32];
	int n, limit;
};

static int fill(void *ctx, const char *name, size_t len, uint32_t ino, uint32_t mode, uint64_t next)
{
	struct listing *l = ctx;
	(void)ino;
	(void)mode;
	(void)next;
	if (l->n >= l->limit)
		return 1;
	memcpy(l->names[l->n], name, len);
	l->names[l->n][len] = 0;
	l->n++;
	return 0;
}

static void test_readdir_resumes(void **state)
{
	(void)state;
	mk("/", "one", S_IFREG);
	mk("/", "two", S_IFDIR | 0755);
	mk("/", "three", S_IFREG);
	struct listing l = { .limit = 2 };
	uint64_t pos = 0;
	assert_int_equal(ramfs_readdir(fs.root, &pos, fill, &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.names[0], ".");
	assert_string_equal(l.names[1], "..");
	/* Removing an entry already listed does not skip the next one. */
	assert_int_equal(ramfs_unlink(fs.root, "one", 3, 0), 0);
	l.limit = 4;
	assert_int_equal(ramfs_readdir(fs.root, &pos, fill, &l), 0);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.names[2], "two");
	assert_string_equal(l.names[3], "three");
	l.n = 0;
	assert_int_equal(ramfs_readdir(fs.root, &pos, fill, &l), 0);
	assert_int_equal(l.n, 0);                   /* at the end */
}

static struct cpio_buf b;

static void test_unpack(void **state)
{
	(void)state;
	memset(&b, 0, sizeof(b));
	cb_add(&b, ".", 0040700, 0);
	cb_add(&b, "usr/bin/busybox", 0100755, "#!busybox");  /* parents implied */
	cb_add(&b, "bin", 0120777, "usr/bin");
	cb_add(&b, "bin/ls", 0120777, "busybox");       /* through the symlinked dir */
	cb_add(&b, "./etc//motd", 0100644, "hi\n");
	cb_add(&b, "../../escape", 0100644, "x");        /* clamped to the root */
	cb_add(&b, "dev", 0040755, 0);
	cb_add_full(&b, "070701", "dev/console", 0020600, 300, 1, 0, 0, 0);
	/* Hard links the way GNU cpio writes them: data on the last one. */
	cb_add_full(&b, "070701", "sbin/init", 0100755, 77, 3, 0, 0, 0);
	cb_add_full(&b, "070701", "sbin/halt", 0100755, 77, 3, 0, 0, 0);
	cb_add_full(&b, "070701", "sbin/reboot", 0100755, 77, 3, "INIT", 4, 0);
	cb_add(&b, "etc/motd", 0100600, "replaced");    /* a later entry wins */
	cb_trailer(&b);
	struct cpio_error err;
	assert_int_equal(ramfs_unpack_cpio(&fs, b.data, b.len, &err), 12);
	assert_int_equal(fs.root->mode, S_IFDIR | 0700);
	struct rnode *bb = get("/usr/bin/busybox", 1);
	assert_non_null(bb);
	assert_int_equal(bb->mode, S_IFREG | 0755);
	assert_ptr_equal(get("/bin/ls", 1), bb);
	assert_ptr_equal(get("/usr/bin/ls", 1), bb);
	struct rnode *motd = get("/etc/motd", 1);
	char buf[16] = { 0 };
	assert_int_equal(ramfs_read(motd, 0, buf, sizeof(buf)), 8);
	assert_string_equal(buf, "replaced");
	assert_int_equal(motd->mode, S_IFREG | 0600);
	assert_non_null(get("/escape", 1));
	struct rnode *con = get("/dev/console", 1);
	assert_non_null(con);
	assert_int_equal(con->mode, S_IFCHR | 0600);
	struct rnode *init = get("/sbin/init", 1);
	assert_ptr_equal(get("/sbin/halt", 1), init);
	assert_ptr_equal(get("/sbin/reboot", 1), init);
	assert_int_equal(init->nlink, 3);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(ramfs_read(init, 0, buf, sizeof(buf)), 4);
	assert_string_equal(buf, "INIT");
}

static void test_unpack_malformed_keeps_earlier(void **state)
{
	(void)state;
	memset(&b, 0, sizeof(b));
	cb_add(&b, "good/one", 0100644, "1");
	size_t bad = cb_add(&b, "bad", 0100644, "2");
	cb_add(&b, "never", 0100644, "3");
	cb_trailer(&b);
	b.data[bad + 20] = 'Q';          /* c_mode */
	struct cpio_error err;
	assert_int_equal(ramfs_unpack_cpio(&fs, b.data, b.len, &err), -EINVAL);
	assert_int_equal(err.offset, bad);
	assert_non_null(strstr(err.msg, "c_mode"));
	struct rnode *one = get("/good/one", 1);
	assert_non_null(one);
	char c;
	assert_int_equal(ramfs_read(one, 0, &c, 1), 1);
	assert_int_equal(c, '1');
	assert_null(get("/bad", 1));
	assert_null(get("/never", 1));
	/* A file where a non-empty directory is: refused, stops the walk. */
	memset(&b, 0, sizeof(b));
	cb_add(&b, "good", 0100644, "file over dir");
	cb_trailer(&b);
	assert_int_equal(ramfs_unpack_cpio(&fs, b.data, b.len, &err), -ENOTEMPTY);
	assert_non_null(get("/good/one", 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mknod_lookup_unlink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_size_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_times_from_the_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlinks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hard_links_and_open_refs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readdir_resumes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unpack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unpack_malformed_keeps_earlier, setup, teardown),
	};
	return cmocka_run_group_tests_name("ramfs", tests, NULL, NULL);
}
