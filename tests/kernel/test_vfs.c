/*
 * The VFS without any process: the initrd (boot module 0, if any) is
 * unpacked and walked, every regular file read to its stat size; then a
 * built-in archive exercises open/read/write/lseek/stat/getdents64,
 * O_CREAT/O_EXCL/O_TRUNC/O_APPEND, symlinks and hard links, mkdir/unlink,
 * /dev/null, /dev/zero, /dev/console, pipes (a writer thread against a
 * blocking reader, EOF, EPIPE, EAGAIN), descriptor tables, and a malformed
 * archive that must fail while keeping what came before it.
 *
 *   amphi.expect_file=/PATH   the initrd must hold this regular file
 *   amphi.vfs_readline=N      also read N lines from /dev/console (blocking,
 *                             canonical mode) and print them: feed the
 *                             serial port, e.g. printf 'ab\x7fc\n' | qemu ... -serial stdio
 */
#include <amphi/test.h>
#include <amphi/vfs.h>
#include <amphi/errno.h>
#include <amphi/heap.h>
#include <amphi/string.h>
#include <amphi/printk.h>
#include <amphi/sched.h>
#include <amphi/boot.h>
#include <amphi/cmdline.h>

/* ---- building an archive ---- */

struct abuf {
	char *p;
	size_t len, cap;
};

static void a_pad(struct abuf *b)
{
	while (b->len & 3)
		b->p[b->len++] = 0;
}

static void a_add(struct abuf *b, const char *name, uint32_t mode, uint32_t ino, uint32_t nlink,
		  const char *data, size_t size)
{
	size_t nl = strlen(name) + 1;
	if (b->len + 110 + nl + size + 8 > b->cap)
		return;
	snprintf(b->p + b->len, 111, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 (unsigned)ino, (unsigned)mode, 0u, 0u, (unsigned)nlink, 0u, (unsigned)size, 0u, 0u,
		 0u, 0u, (unsigned)nl, 0u);
	b->len += 110;
	memcpy(b->p + b->len, name, nl);
	b->len += nl;
	a_pad(b);
	memcpy(b->p + b->len, data, size);
	b->len += size;
	a_pad(b);
}

static void a_file(struct abuf *b, const char *name, uint32_t mode, const char *data)
{
	static uint32_t ino = 5000;
	a_add(b, name, mode, ino++, (mode & S_IFMT) == S_IFDIR ? 2 : 1, data, data ? strlen(data) : 0);
}

/* ---- helpers ---- */

static struct file *open_(const char *path, int flags, uint32_t mode, int *err)
{
	return vfs_open("/", path, flags, mode, err);
}

/* Reads a whole file into buf (NUL-terminated); length or -errno. */
static long slurp(const char *path, char *buf, size_t n)
{
	int err;
	struct file *f = open_(path, O_RDONLY, 0, &err);
	if (!f)
		return err;
	ssize32_t k = file_read(f, buf, n - 1);
	file_put(f);
	if (k >= 0)
		buf[k] = 0;
	return k;
}

struct tree_stats {
	unsigned dirs, files, links, devs, errors;
	uint64_t bytes;
};

/* Recursive listing with getdents64; every regular file read in full. */
static void walk_tree(const char *path, int depth, struct tree_stats *ts, char *io)
{
	int err;
	struct file *d = open_(path, O_RDONLY | O_DIRECTORY, 0, &err);
	if (!d) {
		printk("vfs: open %s: %d\n", path, err);
		ts->errors++;
		return;
	}
	ts->dirs++;
	char *dbuf = kmalloc(1024);
	char *child = kmalloc(VFS_PATH_MAX);
	for (;;) {
		ssize32_t n = file_getdents64(d, dbuf, 1024);
		if (n < 0) {
			printk("vfs: getdents64 %s: %d\n", path, n);
			ts->errors++;
		}
		if (n <= 0)
			break;
		for (ssize32_t o = 0; o < n;) {
			struct linux_dirent64 *e = (struct linux_dirent64 *)(dbuf + o);
			o += e->d_reclen;
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(child, VFS_PATH_MAX, "%s/%s", strcmp(path, "/") ? path : "", e->d_name);
			if (!strcmp(child, "/proc"))
				continue;    /* not the initrd's: fs/procfs.c (a mount point, as on Linux:
					      * readdir of / gives the covered directory's inode) */
			struct kstat64 st;
			if (vfs_stat("/", child, &st, 0)) {
				ts->errors++;
				continue;
			}
			if ((uint32_t)e->d_ino != (uint32_t)st.st_ino)
				ts->errors++;
			uint32_t t = st.st_mode & S_IFMT;
			if (t == S_IFDIR) {
				if (e->d_type != DT_DIR)
					ts->errors++;
				if (depth < 12)
					walk_tree(child, depth + 1, ts, io);
			} else if (t == S_IFLNK) {
				ts->links++;
				if (vfs_readlink("/", child, io, 4096) != (int)st.st_size)
					ts->errors++;
			} else if (t == S_IFREG) {
				ts->files++;
				struct file *f = open_(child, O_RDONLY, 0, &err);
				if (!f) {
					ts->errors++;
					continue;
				}
				uint64_t total = 0;
				ssize32_t k;
				while ((k = file_read(f, io, 4096)) > 0)
					total += (uint64_t)k;
				file_put(f);
				if (k < 0 || total != (uint64_t)st.st_size) {
					printk("vfs: %s: read %llu of %lld bytes\n", child,
					       (unsigned long long)total, (long long)st.st_size);
					ts->errors++;
				}
				ts->bytes += total;
			} else {
				ts->devs++;
			}
		}
	}
	kfree(dbuf);
	kfree(child);
	file_put(d);
}

/* ---- pipes ---- */

#define PIPE_BYTES 100000
struct pipe_job {
	struct file *wr;
	volatile int written, done;
};

static void pipe_writer(void *arg)
{
	struct pipe_job *j = arg;
	static char chunk[3000];
	int sent = 0;
	while (sent < PIPE_BYTES) {
		int n = PIPE_BYTES - sent < (int)sizeof(chunk) ? PIPE_BYTES - sent : (int)sizeof(chunk);
		for (int i = 0; i < n; i++)
			chunk[i] = (char)((sent + i) * 31 + 7);
		ssize32_t k = file_write(j->wr, chunk, (size_t)n);
		if (k <= 0)
			break;
		sent += k;
	}
	j->written = sent;
	file_put(j->wr);            /* the reader then sees EOF */
	j->done = 1;
}

static enum test_status pipe_tests(void)
{
	struct file *e[2];
	CHECK(vfs_pipe(e) == 0, "vfs_pipe failed");
	static struct pipe_job job;
	job.wr = e[1];
	job.written = job.done = 0;
	CHECK(thread_create("pipe-writer", pipe_writer, &job), "thread_create failed");
	static char buf[5000];
	int got = 0, bad = -1;
	for (;;) {
		ssize32_t k = file_read(e[0], buf, sizeof(buf));
		CHECK(k >= 0, "pipe read: %d", k);
		if (k == 0)
			break;
		for (int i = 0; i < k; i++)
			if (buf[i] != (char)((got + i) * 31 + 7) && bad < 0)
				bad = got + i;
		got += k;
	}
	CHECK(bad < 0, "pipe data wrong at byte %d", bad);
	CHECK(got == PIPE_BYTES && job.written == PIPE_BYTES, "pipe moved %d bytes, writer %d",
	      got, job.written);
	struct kstat64 st;
	CHECK(file_stat(e[0], &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO, "pipe stat");
	CHECK(file_lseek(e[0], 0, SEEK_SET) == -ESPIPE, "lseek on a pipe");
	file_put(e[0]);

	/* EPIPE once the readers are gone; EAGAIN on an empty O_NONBLOCK pipe. */
	CHECK(vfs_pipe(e) == 0, "vfs_pipe failed");
	file_set_flags(e[0], O_NONBLOCK);
	CHECK(file_read(e[0], buf, 10) == -EAGAIN, "non-blocking read of an empty pipe");
	CHECK(file_poll(e[0], POLLIN) == 0 && file_poll(e[1], POLLOUT) == POLLOUT, "poll on an empty pipe");
	CHECK(file_write(e[1], "abc", 3) == 3, "pipe write");
	CHECK(file_poll(e[0], POLLIN) == POLLIN, "poll with data in the pipe");
	CHECK(file_read(e[0], buf, 10) == 3 && !memcmp(buf, "abc", 3), "pipe read back");
	CHECK(file_write(e[0], "x", 1) == -EBADF, "write on the read end");
	file_put(e[0]);
	CHECK(file_poll(e[1], POLLOUT) & POLLERR, "poll without a reader");
	CHECK(file_write(e[1], "abc", 3) == -EPIPE, "write with no reader is not EPIPE");
	file_put(e[1]);
	return TEST_SUCCESS;
}

/* ---- the test ---- */

static enum test_status builtin_archive_tests(char *buf)
{
	int err;
	struct abuf ab = { kmalloc(8192), 0, 8192 };
	CHECK(ab.p, "kmalloc");
	a_file(&ab, "vfstest", S_IFDIR | 0755, 0);
	a_file(&ab, "vfstest/hello", S_IFREG | 0644, "hello, vfs\n");
	a_file(&ab, "vfstest/deep/er/file", S_IFREG | 0600, "deep");
	a_file(&ab, "vfstest/link", S_IFLNK | 0777, "hello");
	a_file(&ab, "vfstest/abs", S_IFLNK | 0777, "/vfstest/deep/er");
	a_add(&ab, "vfstest/h1", S_IFREG | 0755, 900, 2, "", 0);
	a_add(&ab, "vfstest/h2", S_IFREG | 0755, 900, 2, "LINKED", 6);
	a_add(&ab, "TRAILER!!!", 0, 0, 1, "", 0);
	int r = vfs_init(ab.p, ab.len);
	CHECK(r == 0, "unpacking the built-in archive: %d", r);

	CHECK(slurp("/vfstest/hello", buf, 64) == 11 && !strcmp(buf, "hello, vfs\n"), "hello: \"%s\"", buf);
	CHECK(slurp("/vfstest/link", buf, 64) == 11, "reading through a symlink");
	CHECK(slurp("/vfstest/abs/file", buf, 64) == 4 && !strcmp(buf, "deep"), "absolute symlink dir");
	CHECK(slurp("/vfstest/h1", buf, 64) == 6 && !strcmp(buf, "LINKED"), "hard link h1: \"%s\"", buf);
	CHECK(vfs_open("/vfstest/deep", "../hello", O_RDONLY, 0, &err) != 0, "relative open");
	file_put(vfs_open("/vfstest/deep", "../hello", O_RDONLY, 0, &err));

	struct kstat64 st, st2;
	CHECK(vfs_stat("/", "/vfstest/link", &st, 0) == 0 && (st.st_mode & S_IFMT) == S_IFLNK &&
	      st.st_size == 5, "lstat of a symlink");
	CHECK(vfs_stat("/", "/vfstest/link", &st, 1) == 0 && st.st_mode == (S_IFREG | 0644) &&
	      st.st_size == 11, "stat through a symlink");
	CHECK(vfs_stat("/", "/vfstest/h1", &st, 1) == 0 && vfs_stat("/", "/vfstest/h2", &st2, 1) == 0 &&
	      st.st_ino == st2.st_ino && st.st_nlink == 2, "hard links share an inode");
	CHECK(vfs_stat("/", "/vfstest/nope", &st, 1) == -ENOENT, "stat of a missing file");
	CHECK(vfs_stat("/", "/vfstest/hello/x", &st, 1) == -ENOTDIR, "a file used as a directory");
	CHECK(vfs_readlink("/", "/vfstest/link", buf, 64) == 5 && !memcmp(buf, "hello", 5), "readlink");
	CHECK(vfs_readlink("/", "/vfstest/hello", buf, 64) == -EINVAL, "readlink of a regular file");

	/* Creating, writing, persisting. */
	struct file *f = open_("/vfstest/new", O_RDWR | O_CREAT | O_EXCL, 0640, &err);
	CHECK(f, "O_CREAT|O_EXCL: %d", err);
	CHECK(!open_("/vfstest/new", O_RDWR | O_CREAT | O_EXCL, 0640, &err) && err == -EEXIST,
	      "O_EXCL on an existing file: %d", err);
	static char big[10000];
	for (int i = 0; i < (int)sizeof(big); i++)
		big[i] = (char)(i ^ (i >> 8));
	CHECK(file_write(f, big, sizeof(big)) == sizeof(big), "write 10000");
	CHECK(file_lseek(f, 0, SEEK_CUR) == 10000, "offset after write");
	CHECK(file_lseek(f, -4, SEEK_END) == 9996, "SEEK_END");
	CHECK(file_read(f, buf, 100) == 4 && !memcmp(buf, big + 9996, 4), "read at the end");
	CHECK(file_lseek(f, -1, SEEK_SET) == -EINVAL, "negative offset");
	CHECK(file_stat(f, &st) == 0 && st.st_size == 10000 && st.st_mode == (S_IFREG | 0640), "fstat");
	CHECK(vfs_pread(f, buf, 10, 5000) == 10 && !memcmp(buf, big + 5000, 10), "pread");
	file_put(f);
	f = open_("/vfstest/new", O_RDONLY, 0, &err);
	CHECK(f, "reopen: %d", err);
	static char back[10000];
	CHECK(file_read(f, back, sizeof(back)) == sizeof(back) && !memcmp(back, big, sizeof(big)),
	      "data did not persist");
	CHECK(file_write(f, "x", 1) == -EBADF, "write on O_RDONLY");
	file_put(f);
	f = open_("/vfstest/new", O_WRONLY | O_APPEND, 0, &err);
	CHECK(f && file_write(f, "END", 3) == 3, "append");
	file_put(f);
	CHECK(vfs_stat("/", "/vfstest/new", &st, 1) == 0 && st.st_size == 10003, "size after append");
	f = open_("/vfstest/new", O_WRONLY | O_TRUNC, 0, &err);
	CHECK(f, "O_TRUNC: %d", err);
	CHECK(file_stat(f, &st) == 0 && st.st_size == 0, "O_TRUNC left %lld bytes", st.st_size);
	file_put(f);
	CHECK(!open_("/vfstest", O_WRONLY, 0, &err) && err == -EISDIR, "directory opened for writing");
	CHECK(!open_("/vfstest/hello", O_RDONLY | O_DIRECTORY, 0, &err) && err == -ENOTDIR, "O_DIRECTORY");
	CHECK(!open_("/vfstest/nope/x", O_RDWR | O_CREAT, 0644, &err) && err == -ENOENT, "create in a missing dir");
	/* O_CREAT through a symlink creates nothing new when the target exists. */
	f = open_("/vfstest/link", O_RDWR | O_CREAT, 0644, &err);
	CHECK(f, "O_CREAT through a symlink: %d", err);
	file_put(f);

	/* mkdir, unlink, rmdir, a removed file kept while open. */
	CHECK(vfs_mkdir("/vfstest", "d", 0700) == 0, "mkdir");
	CHECK(vfs_mkdir("/vfstest", "d", 0700) == -EEXIST, "mkdir twice");
	f = open_("/vfstest/d/tmp", O_RDWR | O_CREAT, 0600, &err);
	CHECK(f && file_write(f, "kept", 4) == 4, "create in the new dir");
	CHECK(vfs_unlink("/", "/vfstest/d", 1) == -ENOTEMPTY, "rmdir of a non-empty dir");
	CHECK(vfs_unlink("/", "/vfstest/d/tmp", 0) == 0, "unlink");
	CHECK(vfs_stat("/", "/vfstest/d/tmp", &st, 1) == -ENOENT, "unlinked file still there");
	CHECK(vfs_pread(f, buf, 10, 0) == 4 && !memcmp(buf, "kept", 4), "open unlinked file lost its data");
	file_put(f);
	CHECK(vfs_unlink("/", "/vfstest/d", 0) == -EISDIR, "unlink of a dir");
	CHECK(vfs_unlink("/", "/vfstest/d", 1) == 0, "rmdir");
	CHECK(vfs_access("/", "/vfstest/hello", 4, 1) == 0, "access R_OK");
	CHECK(vfs_access("/", "/vfstest/hello", 1, 1) == -EACCES, "access X_OK on 0644");
	CHECK(vfs_access("/", "/vfstest/h1", 1, 1) == 0, "access X_OK on 0755");
	CHECK(vfs_resolve_dir("/", "/vfstest/abs/", buf, 64) == 0 && !strcmp(buf, "/vfstest/deep/er"),
	      "resolve_dir: %s", buf);
	/* ".." is lexical (before symlinks are followed), as documented. */
	CHECK(vfs_resolve_dir("/", "/vfstest/abs/..", buf, 64) == 0 && !strcmp(buf, "/vfstest"),
	      "resolve_dir ..: %s", buf);

	/* getdents64 with a buffer that holds one record at a time. */
	f = open_("/vfstest", O_RDONLY | O_DIRECTORY, 0, &err);
	CHECK(f, "open dir: %d", err);
	const char *want[] = { ".", "..", "hello", "deep", "link", "abs", "h1", "h2", "new" };
	unsigned seen = 0;
	for (;;) {
		ssize32_t n = file_getdents64(f, buf, 32);
		CHECK(n >= 0, "getdents64: %d", n);
		if (n == 0)
			break;
		struct linux_dirent64 *e = (struct linux_dirent64 *)buf;
		CHECK(e->d_reclen % 8 == 0 && e->d_reclen <= n, "reclen %u", e->d_reclen);
		CHECK(seen < sizeof(want) / sizeof(want[0]) && !strcmp(e->d_name, want[seen]),
		      "entry %u is \"%s\"", seen, e->d_name);
		seen++;
	}
	CHECK(seen == sizeof(want) / sizeof(want[0]), "listed %u entries", seen);
	CHECK(file_getdents64(f, buf, 8) == 0, "getdents64 at the end");
	CHECK(file_lseek(f, 0, SEEK_SET) == 0 && file_getdents64(f, buf, 8) == -EINVAL,
	      "a too-small buffer must give EINVAL");
	CHECK(file_read(f, buf, 10) == -EISDIR, "read of a directory");
	file_put(f);
	kfree(ab.p);
	return TEST_SUCCESS;
}

static enum test_status device_tests(char *buf)
{
	int err;
	struct file *f = open_("/dev/null", O_RDWR, 0, &err);
	CHECK(f, "/dev/null: %d", err);
	CHECK(file_write(f, "abc", 3) == 3 && file_read(f, buf, 10) == 0, "/dev/null");
	CHECK(file_ioctl(f, 0x5401, buf) == -ENOTTY && !file_isatty(f), "/dev/null is not a tty");
	file_put(f);
	f = open_("/dev/zero", O_RDONLY, 0, &err);
	CHECK(f, "/dev/zero: %d", err);
	memset(buf, 1, 100);
	CHECK(file_read(f, buf, 100) == 100, "/dev/zero read");
	for (int i = 0; i < 100; i++)
		CHECK(buf[i] == 0, "/dev/zero gave %d", buf[i]);
	file_put(f);
	f = open_("/dev/console", O_RDWR, 0, &err);
	CHECK(f, "/dev/console: %d", err);
	const char *msg = "vfs: hello through /dev/console\n";
	CHECK(file_write(f, msg, strlen(msg)) == (ssize32_t)strlen(msg), "console write");
	CHECK(file_isatty(f), "the console is a tty");
	uint32_t tio[9];
	CHECK(file_ioctl(f, 0x5401, tio) == 0 && (tio[3] & 2), "TCGETS: ICANON");
	uint16_t ws[4];
	CHECK(file_ioctl(f, 0x5413, ws) == 0 && ws[0] == 25 && ws[1] == 80, "TIOCGWINSZ");
	CHECK(file_ioctl(f, 0x1234, buf) == -ENOTTY, "unknown ioctl");
	file_set_flags(f, O_NONBLOCK);
	ssize32_t k = file_read(f, buf, 10);
	CHECK(k == -EAGAIN || k > 0, "non-blocking console read: %d", k);
	struct kstat64 st;
	CHECK(file_stat(f, &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR && st.st_rdev == 0x501,
	      "console stat: mode %o rdev %#llx", st.st_mode, (unsigned long long)st.st_rdev);
	file_put(f);
	return TEST_SUCCESS;
}

static enum test_status fd_tests(void)
{
	int err;
	struct fdtable *t = fdtable_new();
	CHECK(t, "fdtable_new");
	struct file *f = open_("/vfstest/hello", O_RDONLY, 0, &err);
	CHECK(f, "open: %d", err);
	CHECK(fd_install(t, f, 0, 0) == 0, "first fd is not 0");
	CHECK(fd_install(t, file_get(f), 0, 1) == 1, "second fd");
	CHECK(fd_install(t, file_get(f), 10, 0) == 10, "min_fd");
	CHECK(fd_get_cloexec(t, 1) == 1 && fd_get_cloexec(t, 0) == 0, "cloexec bits");
	CHECK(fd_dup2(t, 0, 5, 1) == 5 && fd_get(t, 5) == f, "dup2");
	struct fdtable *c = fdtable_clone(t);
	CHECK(c && fd_get(c, 10) == f, "clone");
	fdtable_close_on_exec(c);
	CHECK(!fd_get(c, 1) && !fd_get(c, 5) && fd_get(c, 0) == f, "close_on_exec");
	char b[4];
	CHECK(file_read(fd_get(c, 0), b, 4) == 4, "read through a shared file");
	CHECK(file_lseek(fd_get(t, 10), 0, SEEK_CUR) == 4, "dup'd descriptors share the offset");
	CHECK(fd_close(t, 0) == 0 && fd_close(t, 0) == -EBADF, "close twice");
	CHECK(fd_get(t, -1) == 0 && fd_get(t, FD_MAX) == 0, "bad fds");
	for (int i = 0; i < FD_MAX; i++)
		if (!fd_get(t, i))
			CHECK(fd_install(t, file_get(f), 0, 0) >= 0, "filling the table");
	CHECK(fd_install(t, f, 0, 0) == -EMFILE, "a full table is not EMFILE");
	fdtable_free(c);
	fdtable_free(t);
	return TEST_SUCCESS;
}

DEFINE_TEST(test_vfs, "vfs", "initrd, ramfs files, devices, pipes, descriptor tables")
{
	int r = vfs_init_from_boot();
	CHECK(r == 0, "vfs_init_from_boot: %d", r);
	char *io = kmalloc(4096);
	CHECK(io, "kmalloc");

	if (boot_info.nr_modules) {
		struct tree_stats ts = { 0 };
		walk_tree("/", 0, &ts, io);
		printk("vfs: initrd tree: %u dirs, %u files (%llu bytes), %u symlinks, %u devices\n",
		       ts.dirs, ts.files, (unsigned long long)ts.bytes, ts.links, ts.devs);
		CHECK(ts.errors == 0, "%u errors walking the initrd", ts.errors);
	}
	char want[128];
	if (cmdline_get(boot_info.cmdline, "amphi.expect_file", want, sizeof(want))) {
		struct kstat64 st;
		CHECK(vfs_stat("/", want, &st, 1) == 0 && (st.st_mode & S_IFMT) == S_IFREG,
		      "expected file %s is missing", want);
		long n = slurp(want, io, 4096);
		char *nl = strchr(io, '\n');
		if (nl)
			*nl = 0;
		printk("vfs: %s: %ld bytes, first line \"%s\"\n", want, n, io);
	}

	char nl_s[8];
	if (cmdline_get(boot_info.cmdline, "amphi.vfs_readline", nl_s, sizeof(nl_s))) {
		int err;
		struct file *con = vfs_open("/", "/dev/console", O_RDWR, 0, &err);
		CHECK(con, "/dev/console: %d", err);
		for (int i = 0; i < nl_s[0] - '0'; i++) {
			ssize32_t k = file_read(con, io, 100);
			CHECK(k >= 0, "console read: %d", k);
			io[k] = 0;
			printk("vfs: console line %d: %d bytes \"%s\"\n", i, k, io);
		}
		file_put(con);
	}

	enum test_status st;
	if ((st = builtin_archive_tests(io)) != TEST_SUCCESS)
		return st;
	if ((st = device_tests(io)) != TEST_SUCCESS)
		return st;
	if ((st = fd_tests()) != TEST_SUCCESS)
		return st;
	if ((st = pipe_tests()) != TEST_SUCCESS)
		return st;

	/* A malformed archive: refused, what came before it stays. */
	struct abuf ab = { kmalloc(4096), 0, 4096 };
	CHECK(ab.p, "kmalloc");
	a_file(&ab, "vfsbad/first", S_IFREG | 0644, "survives");
	size_t bad = ab.len;
	a_file(&ab, "vfsbad/second", S_IFREG | 0644, "lost");
	a_add(&ab, "TRAILER!!!", 0, 0, 1, "", 0);
	ab.p[bad + 6 + 8 * 6 + 2] = 'x';     /* c_filesize */
	printk("vfs: a malformed archive follows (a message is expected)\n");
	r = vfs_init(ab.p, ab.len);
	kfree(ab.p);
	CHECK(r == -EINVAL, "a malformed archive gave %d", r);
	CHECK(slurp("/vfsbad/first", io, 64) == 8, "the entry before the bad one is gone");
	struct kstat64 kst;
	CHECK(vfs_stat("/", "/vfsbad/second", &kst, 1) == -ENOENT, "the bad entry was created");
	kfree(io);
	return TEST_SUCCESS;
}
