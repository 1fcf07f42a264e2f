/* Host tests for kernel/cmdline.c: key=value lookup on the command line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <amphi/cmdline.h>

static char out[64];

static const char *get(const char *cl, const char *key)
{
	memset(out, 'Z', sizeof(out));
	return cmdline_get(cl, key, out, sizeof(out));
}

static void test_get_key_value(void **state)
{
	(void)state;
	const char *cl = "console=ttyS0 mem=512M amphi.test=heap";
	assert_ptr_equal(get(cl, "console"), out);
	assert_string_equal(out, "ttyS0");
	assert_non_null(get(cl, "mem"));
	assert_string_equal(out, "512M");
	assert_non_null(get(cl, "amphi.test"));
	assert_string_equal(out, "heap");
}

static void test_get_absent_key_returns_null(void **state)
{
	(void)state;
	assert_null(get("console=ttyS0 quiet", "debug"));
	assert_null(get("", "debug"));
	assert_null(get("   ", "debug"));
	assert_null(cmdline_get(NULL, "debug", out, sizeof(out)));
	/* A value that looks like the key does not count. */
	assert_null(get("foo=debug", "debug"));
}

static void test_bare_key_gives_empty_value(void **state)
{
	(void)state;
	assert_ptr_equal(get("quiet nosmp", "quiet"), out);
	assert_string_equal(out, "");
	assert_non_null(get("quiet nosmp", "nosmp"));
	assert_string_equal(out, "");
	assert_non_null(get("empty= x", "empty"));
	assert_string_equal(out, "");
}

static void test_prefix_of_longer_key_does_not_match(void **state)
{
	(void)state;
	assert_null(get("amphi.testx=1", "amphi.test"));
	assert_null(get("amphi.testx", "amphi.test"));
	assert_false(cmdline_has("amphi.testx=1 xamphi.test", "amphi.test"));
	/* Nor does a longer key match a word that is its prefix. */
	assert_null(get("amphi.test=1", "amphi.testx"));
	assert_null(get("amphi", "amphi.test"));
	assert_non_null(get("amphi.testx=1 amphi.test=2", "amphi.test"));
	assert_string_equal(out, "2");
	assert_non_null(get("amphi.test=2 amphi.testx=1", "amphi.test"));
	assert_string_equal(out, "2");
}

static void test_key_must_start_a_word(void **state)
{
	(void)state;
	assert_null(get("xmem=1 a.mem=2", "mem"));
}

static void test_last_occurrence_wins(void **state)
{
	(void)state;
	assert_non_null(get("loglevel=1 quiet loglevel=7", "loglevel"));
	assert_string_equal(out, "7");
	assert_non_null(get("x=first x x=", "x"));
	assert_string_equal(out, "");
	assert_non_null(get("x x=last", "x"));
	assert_string_equal(out, "last");
}

static void test_quoted_value_with_spaces(void **state)
{
	(void)state;
	const char *cl = "init=/bin/sh args=\"a b  c\" after=1";
	assert_non_null(get(cl, "args"));
	assert_string_equal(out, "a b  c");
	/* The quoted spaces did not split words. */
	assert_non_null(get(cl, "after"));
	assert_string_equal(out, "1");
	assert_null(get(cl, "b"));
	assert_null(get(cl, "c\""));
	assert_non_null(get("q=\"\"", "q"));
	assert_string_equal(out, "");
	/* An unterminated quote runs to the end and is kept as is. */
	assert_non_null(get("q=\"a b", "q"));
	assert_string_equal(out, "\"a b");
}

static void test_tabs_and_repeated_spaces_separate_words(void **state)
{
	(void)state;
	const char *cl = "  \ta=1\t\tb=2   c  ";
	assert_non_null(get(cl, "a"));
	assert_string_equal(out, "1");
	assert_non_null(get(cl, "b"));
	assert_string_equal(out, "2");
	assert_non_null(get(cl, "c"));
	assert_string_equal(out, "");
}

static void test_value_may_contain_equals(void **state)
{
	(void)state;
	assert_non_null(get("root=UUID=1234-5678 ro", "root"));
	assert_string_equal(out, "UUID=1234-5678");
}

static void test_value_truncated_to_outlen(void **state)
{
	(void)state;
	char small[5];
	memset(small, 'Z', sizeof(small));
	assert_ptr_equal(cmdline_get("k=abcdefgh", "k", small, sizeof(small)), small);
	assert_string_equal(small, "abcd");
	char one[1] = { 'Z' };
	assert_ptr_equal(cmdline_get("k=abc", "k", one, 1), one);
	assert_int_equal(one[0], 0);
	char q[4];
	assert_non_null(cmdline_get("k=\"a b c d\"", "k", q, sizeof(q)));
	assert_string_equal(q, "a b");
	/* outlen 0: nothing is written, but the key is still found. */
	char none[2] = { 'Z', 'Z' };
	assert_ptr_equal(cmdline_get("k=abc", "k", none, 0), none);
	assert_int_equal(none[0], 'Z');
	assert_null(cmdline_get("j=abc", "k", none, 0));
}

static void test_value_exactly_filling_out(void **state)
{
	(void)state;
	char b[4];
	assert_non_null(cmdline_get("k=abc", "k", b, sizeof(b)));
	assert_string_equal(b, "abc");
}

static void test_has(void **state)
{
	(void)state;
	const char *cl = "quiet amphi.test=all nosmp=";
	assert_true(cmdline_has(cl, "quiet"));
	assert_true(cmdline_has(cl, "amphi.test"));
	assert_true(cmdline_has(cl, "nosmp"));
	assert_false(cmdline_has(cl, "qui"));
	assert_false(cmdline_has(cl, "amphi"));
	assert_false(cmdline_has(cl, "all"));
	assert_false(cmdline_has("", "quiet"));
	assert_false(cmdline_has(NULL, "quiet"));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);   /* keep stdout and stderr in order */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_key_value),
		cmocka_unit_test(test_get_absent_key_returns_null),
		cmocka_unit_test(test_bare_key_gives_empty_value),
		cmocka_unit_test(test_prefix_of_longer_key_does_not_match),
		cmocka_unit_test(test_key_must_start_a_word),
		cmocka_unit_test(test_last_occurrence_wins),
		cmocka_unit_test(test_quoted_value_with_spaces),
		cmocka_unit_test(test_tabs_and_repeated_spaces_separate_words),
		cmocka_unit_test(test_value_may_contain_equals),
		cmocka_unit_test(test_value_truncated_to_outlen),
		cmocka_unit_test(test_value_exactly_filling_out),
		cmocka_unit_test(test_has),
	};
	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
