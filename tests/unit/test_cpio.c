/* Host tests for fs/cpio.c: the newc parser on hand-built archives. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <amphi/errno.h>
#include "../../fs/cpio.h"
#include "cpio_build.h"

struct seen {
	int n;
	char names[16][64];
	uint32_t modes[16], sizes[16];
	char data[16][64];
	int stop_at;                    /* return -ENOSPC at this entry (or -1) */
};

static int record(void *ctx, const struct cpio_entry *e)
{
	struct seen *s = ctx;
	if (s->n == s->stop_at)
		return -ENOSPC;
	if (s->n < 16) {
		snprintf(s->names[s->n], 64, "%s", e->name);
		s->modes[s->n] = e->mode;
		s->sizes[s->n] = e->filesize;
		size_t k = e->filesize < 63 ? e->filesize : 63;
		memcpy(s->data[s->n], e->data, k);
		s->data[s->n][k] = 0;
	}
	s->n++;
	return 0;
}

static struct cpio_buf b;
static struct seen s;

static void reset(void)
{
	memset(&b, 0, sizeof(b));
	memset(&s, 0, sizeof(s));
	s.stop_at = -1;
}

static void test_basic_archive(void **state)
{
	(void)state;
	reset();
	cb_add(&b, ".", 0040755, 0);
	cb_add(&b, "bin", 0040755, 0);
	cb_add(&b, "bin/hello", 0100644, "hello world\n");
	cb_add(&b, "bin/sh", 0120777, "busybox");
	cb_add(&b, "odd", 0100600, "abc");     /* 3 bytes: padding after data */
	cb_trailer(&b);
	struct cpio_error err;
	assert_int_equal(cpio_parse(b.data, b.len, record, &s, &err), 5);
	assert_null(err.msg);
	assert_int_equal(s.n, 5);
	assert_string_equal(s.names[2], "bin/hello");
	assert_int_equal(s.modes[2], 0100644);
	assert_string_equal(s.data[2], "hello world\n");
	assert_string_equal(s.data[3], "busybox");
	assert_int_equal(s.modes[3], 0120777);
	assert_string_equal(s.data[4], "abc");
}

static void test_stops_at_trailer(void **state)
{
	(void)state;
	/* Trailer followed by garbage that is not an archive: stop, success. */
	reset();
	cb_add(&b, "a", 0100644, "1");
	cb_trailer(&b);
	memcpy(b.data + b.len, "garbage!", 8);
	b.len += 8;
	assert_int_equal(cpio_parse(b.data, b.len, record, &s, NULL), 1);
}

static void test_concatenated_archives(void **state)
{
	(void)state;
	reset();
	cb_add(&b, "a", 0100644, "1");
	cb_trailer(&b);
	memset(b.data + b.len, 0, 512);        /* block padding as cpio writes it */
	b.len += 512;
	cb_add(&b, "b", 0100644, "2");
	cb_trailer(&b);
	assert_int_equal(cpio_parse(b.data, b.len, record, &s, NULL), 2);
	assert_string_equal(s.names[1], "b");
}

static void test_crc_format(void **state)
{
	(void)state;
	reset();
	/* "abc" sums to 0x126. */
	cb_add_full(&b, "070702", "f", 0100644, 7, 1, "abc", 3, 0x126);
	cb_trailer(&b);
	assert_int_equal(cpio_parse(b.data, b.len, record, &s, NULL), 1);
	reset();
	cb_add_full(&b, "070702", "f", 0100644, 7, 1, "abc", 3, 0x127);
	cb_trailer(&b);
	struct cpio_error err;
	assert_int_equal(cpio_parse(b.data, b.len, record, &s, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "checksum"));
}

static void test_bad_magic(void **state)
{
	(void)state;
	reset();
	cb_add(&b, "a", 0100644, "1");
	size_t second = cb_add(&b, "b", 0100644, "2");
	cb_trailer(&b);
	memcpy(b.data + second, "070707", 6);  /* the old binary/odc magic */
	struct cpio_error err;
	assert_int_equal(cpio_parse(b.data, b.len, record, &s, &err), -EINVAL);
	assert_int_equal(err.offset, second);
	assert_non_null(strstr(err.msg, "magic"));
	assert_int_equal(s.n, 1);              /* the first entry got through */
}

static void test_bad_hex(void **state)
{
	(void)state;
	static const struct { int field; const char *what; } cases[] = {
		{ 1, "c_mode" }, { 6, "c_filesize" }, { 11, "c_namesize" }, { 12, "c_check" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		reset();
		size_t h = cb_add(&b, "a", 0100644, "1");
		cb_trailer(&b);
		b.data[h + 6 + 8 * cases[i].field + 3] = 'g';
		struct cpio_error err;
		assert_int_equal(cpio_parse(b.data, b.len, record, &s, &err), -EINVAL);
		assert_non_null(strstr(err.msg, cases[i].what));
		assert_int_equal(s.n, 0);
	}
	/* A space or sign is not hex either. */
	reset();
	size_t h = cb_add(&b, "a", 0100644, "1");
	cb_trailer(&b);
	b.data[h + 6] = ' ';
	assert_int_equal(cpio_parse(b.data, b.len, record, &s, NULL), -EINVAL);
	/* Lower-case hex is fine. */
	reset();
	h = cb_add(&b, "a", 0100644, "1");
	cb_trailer(&b);
	memcpy(b.data + h + 14, "000081a4", 8);
	assert_int_equal(cpio_parse(b.data, b.len, record, &s, NULL), 1);
	assert_int_equal(s.modes[0], 0100644);
}

static void test_truncated(void **state)
{
	(void)state;
	reset();
	cb_add(&b, "first", 0100644, "0123456789");
	size_t second = cb_add(&b, "second", 0100644, "abcdefghijklmnopqrstuvwxyz");
	cb_trailer(&b);
	size_t full = b.len;
	struct cpio_error err;
	/* Every cut before the trailer's end fails cleanly; never reads past len. */
	for (size_t cut = 0; cut <= full; cut++) {
		memset(&s, 0, sizeof(s));
		s.stop_at = -1;
		int r = cpio_parse(b.data, cut, record, &s, &err);
		if (cut >= full - 3) {          /* only the trailer's padding is missing */
			assert_int_equal(r, 2);
			continue;
		}
		assert_int_equal(r, -EINVAL);
		assert_non_null(err.msg);
		assert_true(strstr(err.msg, "beyond") || strstr(err.msg, "truncated"));
		assert_true(s.n <= 2);
	}
	/* The cut in the middle of the second file's data. */
	memset(&s, 0, sizeof(s));
	s.stop_at = -1;
	assert_int_equal(cpio_parse(b.data, second + 110 + 8 + 5, record, &s, &err), -EINVAL);
	assert_int_equal(s.n, 1);
	assert_int_equal(err.offset, second);
	assert_non_null(strstr(err.msg, "beyond"));
	/* No trailer at all. */
	memset(&s, 0, sizeof(s));
	s.stop_at = -1;
	assert_int_equal(cpio_parse(b.data, full - 124, record, &s, &err), -EINVAL);
	assert_int_equal(s.n, 2);
	assert_non_null(strstr(err.msg, "TRAILER"));
	/* Empty input. */
	assert_int_equal(cpio_parse(b.data, 0, record, &s, &err), -EINVAL);
}

static void test_name_checks(void **state)
{
	(void)state;
	reset();
	size_t h = cb_add(&b, "abc", 0100644, "1");
	cb_trailer(&b);
	struct cpio_error err;
	/* namesize 1 (empty name) */
	memcpy(b.data + h + 6 + 8 * 11, "00000001", 8);
	assert_int_equal(cpio_parse(b.data, b.len, record, &s, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "name size"));
	/* namesize huge */
	memcpy(b.data + h + 6 + 8 * 11, "7fffffff", 8);
	assert_int_equal(cpio_parse(b.data, b.len, record, &s, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "name size"));
	/* namesize shorter than the name: no NUL at its end */
	memcpy(b.data + h + 6 + 8 * 11, "00000003", 8);
	assert_int_equal(cpio_parse(b.data, b.len, record, &s, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "NUL"));
	/* a NUL inside the name */
	memcpy(b.data + h + 6 + 8 * 11, "00000004", 8);
	b.data[h + 111] = 0;
	assert_int_equal(cpio_parse(b.data, b.len, record, &s, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "NUL"));
}

static void test_huge_filesize(void **state)
{
	(void)state;
	reset();
	size_t h = cb_add(&b, "a", 0100644, "1");
	cb_trailer(&b);
	memcpy(b.data + h + 6 + 8 * 6, "fffffffd", 8);
	struct cpio_error err;
	assert_int_equal(cpio_parse(b.data, b.len, record, &s, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "beyond"));
}

static void test_callback_error_stops(void **state)
{
	(void)state;
	reset();
	cb_add(&b, "a", 0100644, "1");
	cb_add(&b, "b", 0100644, "2");
	cb_add(&b, "c", 0100644, "3");
	cb_trailer(&b);
	s.stop_at = 1;
	assert_int_equal(cpio_parse(b.data, b.len, record, &s, NULL), -ENOSPC);
	assert_int_equal(s.n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_archive),
		cmocka_unit_test(test_stops_at_trailer),
		cmocka_unit_test(test_concatenated_archives),
		cmocka_unit_test(test_crc_format),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_bad_hex),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_name_checks),
		cmocka_unit_test(test_huge_filesize),
		cmocka_unit_test(test_callback_error_stops),
	};
	return cmocka_run_group_tests_name("cpio", tests, NULL, NULL);
}
