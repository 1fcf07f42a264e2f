/* Host tests for kernel/path.c: path_normalize. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <amphi/vfs.h>
#include <amphi/errno.h>

static char out[64];

static const char *norm(const char *cwd, const char *path)
{
	memset(out, 'Z', sizeof(out));
	int r = path_normalize(cwd, path, out, sizeof(out));
	return r ? "ERR" : out;
}

static void test_absolute(void **state)
{
	(void)state;
	assert_string_equal(norm("/x", "/"), "/");
	assert_string_equal(norm("/x", "/a/b"), "/a/b");
	assert_string_equal(norm("/x", "//a///b//"), "/a/b");
	assert_string_equal(norm(NULL, "/a/./b/."), "/a/b");
}

static void test_relative(void **state)
{
	(void)state;
	assert_string_equal(norm("/home/u", "f"), "/home/u/f");
	assert_string_equal(norm("/home/u", "./f/"), "/home/u/f");
	assert_string_equal(norm("/", "f"), "/f");
	assert_string_equal(norm(NULL, "f"), "/f");
	assert_string_equal(norm("/home/u", "."), "/home/u");
	assert_string_equal(norm("/home/u/", "sub//x"), "/home/u/sub/x");
}

static void test_dotdot(void **state)
{
	(void)state;
	assert_string_equal(norm("/a/b", ".."), "/a");
	assert_string_equal(norm("/a/b", "../.."), "/");
	assert_string_equal(norm("/a/b", "../../../.."), "/");
	assert_string_equal(norm("/", "/../etc"), "/etc");
	assert_string_equal(norm("/a", "b/../c/./d/.."), "/a/c");
	assert_string_equal(norm("/a", "..."), "/a/...");
	assert_string_equal(norm("/a", "..x/.y"), "/a/..x/.y");
}

static void test_errors(void **state)
{
	(void)state;
	assert_int_equal(path_normalize("/", "", out, sizeof(out)), -ENOENT);
	assert_int_equal(path_normalize("/", NULL, out, sizeof(out)), -EINVAL);
	assert_int_equal(path_normalize("/", "a", out, 1), -EINVAL);
	/* Exactly fits: "/" + 62 chars + NUL = 64. */
	char p[80];
	memset(p, 'a', 62);
	p[62] = '\0';
	assert_int_equal(path_normalize("/", p, out, sizeof(out)), 0);
	assert_int_equal(strlen(out), 63);
	p[62] = 'a';
	p[63] = '\0';
	assert_int_equal(path_normalize("/", p, out, sizeof(out)), -ENAMETOOLONG);
	/* A long path that collapses fits. */
	assert_int_equal(path_normalize("/", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/../bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/../c",
				    out, sizeof(out)), 0);
	assert_string_equal(out, "/c");
	/* A component longer than NAME_MAX. */
	static char big[300], bigout[600];
	memset(big, 'n', 256);
	big[256] = '\0';
	assert_int_equal(path_normalize("/", big, bigout, sizeof(bigout)), -ENAMETOOLONG);
	big[255] = '\0';
	assert_int_equal(path_normalize("/", big, bigout, sizeof(bigout)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_absolute),
		cmocka_unit_test(test_relative),
		cmocka_unit_test(test_dotdot),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests_name("path", tests, NULL, NULL);
}
