/* Host tests for kernel/klog_ring.c (the kernel log's ring: wrap, the
 * destructive reader, READ_ALL's whole lines, CLEAR) and printk's level
 * prefix. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <amphi/klog.h>

static char buf[64];
static struct klog_ring r;

static void put(const char *s)
{
	klog_ring_put(&r, s, strlen(s));
}

static int setup(void **state)
{
	(void)state;
	memset(buf, 0, sizeof(buf));
	klog_ring_init(&r, buf, sizeof(buf));
	return 0;
}

static void test_empty(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(klog_ring_read_all(&r, out, sizeof(out)), 0);
	assert_int_equal(klog_ring_read(&r, out, sizeof(out)), 0);
	assert_int_equal(klog_ring_unread(&r), 0);
}

static void test_read_all_keeps(void **state)
{
	(void)state;
	char out[64];
	put("<6>one\n<4>two\n");
	size_t n = klog_ring_read_all(&r, out, sizeof(out));
	assert_int_equal(n, 14);
	assert_memory_equal(out, "<6>one\n<4>two\n", 14);
	/* not consumed: the same again, and the reader still has it all */
	assert_int_equal(klog_ring_read_all(&r, out, sizeof(out)), 14);
	assert_int_equal(klog_ring_unread(&r), 14);
}

static void test_read_all_whole_lines(void **state)
{
	(void)state;
	char out[64];
	put("<6>one\n<4>two\n<3>three\n");
	/* 12 bytes reach into "two": only the last whole line fits */
	size_t n = klog_ring_read_all(&r, out, 12);
	assert_int_equal(n, 9);
	assert_memory_equal(out, "<3>three\n", 9);
	/* too small for any line: nothing */
	assert_int_equal(klog_ring_read_all(&r, out, 5), 0);
}

static void test_destructive_read(void **state)
{
	(void)state;
	char out[64];
	put("<6>abc\n<6>def\n");
	assert_int_equal(klog_ring_read(&r, out, 4), 4);
	assert_memory_equal(out, "<6>a", 4);
	assert_int_equal(klog_ring_unread(&r), 10);
	assert_int_equal(klog_ring_read(&r, out, sizeof(out)), 10);
	assert_memory_equal(out, "bc\n<6>def\n", 10);
	assert_int_equal(klog_ring_unread(&r), 0);
	assert_int_equal(klog_ring_read(&r, out, sizeof(out)), 0);
	/* READ_ALL still sees what the reader consumed */
	assert_int_equal(klog_ring_read_all(&r, out, sizeof(out)), 14);
}

static void test_wrap(void **state)
{
	(void)state;
	char out[64], line[16];
	/* 20 lines of 10 bytes through a 64-byte ring */
	for (int i = 0; i < 20; i++) {
		snprintf(line, sizeof(line), "<6>line%02d", i);
		put(line);
		put("\n");
	}
	/* the ring holds bytes 136..199: line 13 has lost its start to the
	 * wrap, lines 14..19 are whole */
	size_t n = klog_ring_read_all(&r, out, sizeof(out));
	assert_int_equal(n, 60);
	assert_memory_equal(out, "<6>line14\n", 10);
	assert_memory_equal(out + 50, "<6>line19\n", 10);
	/* the reader was overtaken: it resumes at the first whole line held */
	assert_int_equal(klog_ring_unread(&r), 64);
	n = klog_ring_read(&r, out, sizeof(out));
	assert_int_equal(n, 60);
	assert_memory_equal(out, "<6>line14\n", 10);
	assert_int_equal(klog_ring_unread(&r), 0);
}

static void test_clear(void **state)
{
	(void)state;
	char out[64];
	put("<6>old\n");
	klog_ring_clear(&r);
	assert_int_equal(klog_ring_read_all(&r, out, sizeof(out)), 0);
	put("<6>new\n");
	assert_int_equal(klog_ring_read_all(&r, out, sizeof(out)), 7);
	assert_memory_equal(out, "<6>new\n", 7);
	/* CLEAR leaves the destructive reader alone, as Linux */
	assert_int_equal(klog_ring_unread(&r), 14);
}

static void test_partial_line(void **state)
{
	(void)state;
	char out[64];
	put("<6>done\n<6>half");
	/* READ_ALL gives what is there, the unfinished line included */
	assert_int_equal(klog_ring_read_all(&r, out, sizeof(out)), 15);
	put(" more\n");
	assert_int_equal(klog_ring_read_all(&r, out, sizeof(out)), 21);
	assert_memory_equal(out + 8, "<6>half more\n", 13);
}

static void test_parse_level(void **state)
{
	(void)state;
	const char *text;
	assert_int_equal(klog_parse_level(KERN_ERR "disk on fire\n", &text), 3);
	assert_string_equal(text, "disk on fire\n");
	assert_int_equal(klog_parse_level(KERN_EMERG "x", &text), 0);
	assert_int_equal(klog_parse_level(KERN_DEBUG "x", &text), 7);
	assert_int_equal(klog_parse_level("plain\n", &text), KLOG_DEFAULT_LEVEL);
	assert_string_equal(text, "plain\n");
	/* not a level: kept as text */
	assert_int_equal(klog_parse_level("\0018x", &text), KLOG_DEFAULT_LEVEL);
	assert_string_equal(text, "\0018x");
	assert_int_equal(klog_parse_level("", &text), KLOG_DEFAULT_LEVEL);
	assert_string_equal(text, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_empty, setup),
		cmocka_unit_test_setup(test_read_all_keeps, setup),
		cmocka_unit_test_setup(test_read_all_whole_lines, setup),
		cmocka_unit_test_setup(test_destructive_read, setup),
		cmocka_unit_test_setup(test_wrap, setup),
		cmocka_unit_test_setup(test_clear, setup),
		cmocka_unit_test_setup(test_partial_line, setup),
		cmocka_unit_test(test_parse_level),
	};
	return cmocka_run_group_tests_name("klog", tests, 0, 0);
}
