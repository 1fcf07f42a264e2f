/*
 * Host tests for lib/vsnprintf.c, compared with the C library's snprintf
 * (C99 semantics).  The module is built with its functions renamed to
 * amphi_vsnprintf/amphi_snprintf (see Makefile) so both can be linked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>
#include <setjmp.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#define vsnprintf amphi_vsnprintf
#define snprintf amphi_snprintf
#define printk amphi_printk
#define vprintk amphi_vprintk
#include <amphi/printk.h>
#undef vsnprintf
#undef snprintf
#undef printk
#undef vprintk

#define BUFSZ 1024
#define SENTINEL 0x7E

/* Shows a byte string with non-printing characters escaped. */
static const char *show(const char *s, int n)
{
	static char out[4][BUFSZ * 4];
	static int which;
	char *o = out[which++ & 3];
	int k = 0;
	for (int i = 0; i < n && k < (int)sizeof(out[0]) - 5; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 32 && c < 127 && c != '\\')
			o[k++] = (char)c;
		else
			k += sprintf(o + k, "\\x%02x", c);
	}
	o[k] = 0;
	return o;
}

/*
 * Formats with both implementations into a large buffer and compares text
 * and return value; then checks every buffer size from 0 to len+1 for C99
 * truncation: the return stays the full length, the first size-1
 * characters are written and NUL-terminated, nothing past size is touched.
 */
static void vcheck(const char *fmt, va_list ap)
{
	char want[BUFSZ], got[BUFSZ + 8];
	va_list a1, a2;

	va_copy(a1, ap);
	int wn = vsnprintf(want, sizeof(want), fmt, a1);
	va_end(a1);
	assert_true(wn >= 0 && wn < BUFSZ);

	memset(got, SENTINEL, sizeof(got));
	va_copy(a2, ap);
	int gn = amphi_vsnprintf(got, BUFSZ, fmt, a2);
	va_end(a2);
	if (gn != wn || memcmp(got, want, (size_t)wn + 1) != 0)
		fail_msg("format \"%s\": expected \"%s\" (return %d), got \"%s\" (return %d)",
			 show(fmt, (int)strlen(fmt)), show(want, wn), wn,
			 show(got, gn >= 0 && gn < BUFSZ ? gn : 0), gn);

	for (int size = 0; size <= wn + 1; size++) {
		memset(got, SENTINEL, sizeof(got));
		va_copy(a2, ap);
		gn = amphi_vsnprintf(size ? got : NULL, (size_t)size, fmt, a2);
		va_end(a2);
		if (gn != wn)
			fail_msg("format \"%s\" size %d: return %d, expected %d",
				 show(fmt, (int)strlen(fmt)), size, gn, wn);
		if (!size)
			continue;
		int keep = wn < size - 1 ? wn : size - 1;
		if (memcmp(got, want, (size_t)keep) != 0 || got[keep] != 0)
			fail_msg("format \"%s\" size %d: expected \"%s\", got \"%s\"",
				 show(fmt, (int)strlen(fmt)), size, show(want, keep),
				 show(got, keep + 1));
		for (int i = size; i < (int)sizeof(got); i++)
			if (got[i] != SENTINEL)
				fail_msg("format \"%s\" size %d: wrote byte %d past the buffer",
					 show(fmt, (int)strlen(fmt)), size, i);
	}
}

/* Checked by the compiler against the arguments. */
static void __attribute__((format(printf, 1, 2))) check(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vcheck(fmt, ap);
	va_end(ap);
}

/* For flag/conversion pairs that C defines but gcc's -Wformat dislikes. */
static void check_unchecked(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vcheck(fmt, ap);
	va_end(ap);
}

static void test_plain_text_and_percent(void **state)
{
	(void)state;
	check("%s", "");
	check("hello, world");
	check("100%%");
	check("%%d");
	check("a%%b%%%%c");
	check("%5d%%", 3);
}

static void test_signed_decimal(void **state)
{
	(void)state;
	static const int v[] = { 0, 1, -1, 7, -7, 42, 1000000, INT_MAX, INT_MIN };
	static const char *const f[] = {
		"%d", "%i", "%5d", "%-5d|", "%05d", "%+d", "% d", "%+05d", "% 05d",
		"%-+5d|", "%- 6d|", "%+ d", "% +d", "%-05d|", "%.3d", "%8.3d", "%-8.3d|",
		"%08.3d", "%+.3d", "%.0d", "%5.0d", "%+.0d", "% .0d", "%.12d", "%1d", "%20i",
	};
	for (unsigned i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		for (unsigned j = 0; j < sizeof(v) / sizeof(v[0]); j++)
			check_unchecked(f[i], v[j]);
}

static void test_unsigned_hex_octal(void **state)
{
	(void)state;
	static const unsigned v[] = { 0, 1, 7, 8, 15, 16, 255, 0xDEADBEEF, UINT_MAX };
	static const char *const f[] = {
		"%u", "%x", "%X", "%o", "%#x", "%#X", "%#o", "%8x", "%-8x|", "%08x",
		"%#08x", "%#-8x|", "%#8X", "%.5x", "%#.5x", "%#10.5o", "%08X", "%#.0x",
		"%#.0o", "%.0o", "%.0x", "%5.0u", "%#o", "%#3o", "%#08o", "%010u", "%-10o|",
		"%.10u", "%#.3o",
	};
	for (unsigned i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		for (unsigned j = 0; j < sizeof(v) / sizeof(v[0]); j++)
			check_unchecked(f[i], v[j]);
}

static void test_plus_and_space_ignored_for_unsigned(void **state)
{
	(void)state;
	/* C: + and space apply to signed conversions only. */
	check_unchecked("%+u", 5u);
	check_unchecked("% u", 5u);
	check_unchecked("%+x", 0xabu);
	check_unchecked("% 8o", 8u);
}

static void test_length_char_and_short(void **state)
{
	(void)state;
	check("%hhd", 200);
	check("%hhd", -129);
	check("%hhd", 127);
	check("%hhi", 0x1ff);
	check("%hhu", 300);
	check("%hhx", -1);
	check("%hho", 0x1ff);
	check("%#hhX", 0xabcd);
	check("%hd", 40000);
	check("%hd", -32768);
	check("%hi", 65537);
	check("%hu", -1);
	check("%hx", 0x12345);
	check("%+6hd", -5);
}

static void test_length_long_and_long_long(void **state)
{
	(void)state;
	check("%ld", 0L);
	check("%ld", LONG_MAX);
	check("%ld", LONG_MIN);
	check("%li", -123456789L);
	check("%lu", ULONG_MAX);
	check("%lx", ULONG_MAX);
	check("%#lo", ULONG_MAX);
	check("%lld", LLONG_MAX);
	check("%lld", LLONG_MIN);
	check("%+lld", 1LL);
	check("%llu", ULLONG_MAX);
	check("%llx", 0x123456789abcdefULL);
	check("%#llX", 0xfedcba9876543210ULL);
	check("%llo", ULLONG_MAX);
	check("%#llo", ULLONG_MAX);
	check("%30lld", LLONG_MIN);
	check("%-30llu|", ULLONG_MAX);
	check("%.25lld", -1LL);
	check("%#.25llx", 1ULL);
}

static void test_length_size_ptrdiff_intmax(void **state)
{
	(void)state;
	check("%zu", (size_t)0);
	check("%zu", SIZE_MAX);
	check("%zx", SIZE_MAX);
	check("%zd", (ptrdiff_t)-5);
	check("%zd", (ptrdiff_t)PTRDIFF_MIN);
	check("%td", (ptrdiff_t)-123);
	check("%tu", (size_t)123);
	check("%jd", (intmax_t)INTMAX_MIN);
	check("%ju", (uintmax_t)UINTMAX_MAX);
	check("%jx", (uintmax_t)0xabcdef);
}

static void test_star_width_and_precision(void **state)
{
	(void)state;
	check("%*d", 5, 42);
	check("%*d|", -5, 42);          /* negative width: - flag */
	check("%-*d|", -5, 42);
	check("%0*d|", -6, 3);          /* - wins over 0 */
	check("%0*d", 6, -3);
	check("%.*d", 3, 7);
	check("%.*d", -1, 7);           /* negative precision: as if omitted */
	check_unchecked("%0.*d", -1, 7);
	check_unchecked("%08.*d", -1, -7);       /* so the 0 flag applies again */
	check("%.*d", 0, 0);
	check("%*.*d", 8, 4, -12);
	check("%-*.*x|", 8, 4, 0xabu);
	check("%*s|", 6, "ab");
	check("%*s|", -6, "ab");
	check("%.*s", 2, "abcdef");
	check("%.*s", -3, "abcdef");
	check("%*.*s|", 5, 1, "xyz");
	check("%*c|", 3, 'q');
	check("%*c|", -3, 'q');
	check("%*d", 0, 5);
}

static void test_strings(void **state)
{
	(void)state;
	static char big[400];
	memset(big, 'x', sizeof(big) - 1);
	big[100] = 'y';
	check("%s", "abc");
	check("%s", "");
	check("[%10s]", "abc");
	check("[%-10s]", "abc");
	check("[%.2s]", "abc");
	check("[%.0s]", "abc");
	check("[%.10s]", "abc");
	check("[%10.2s]", "abc");
	check("[%-10.2s]", "abc");
	check("[%2s]", "abcdef");
	check("%s%s%s", "a", "", "ccc");
	check("%s", big);
	check("%.150s|%s", big, "tail");
}

static void test_precision_does_not_read_past_unterminated_array(void **state)
{
	(void)state;
	/* C99 7.19.6.1: with a precision, %s needs no NUL within that many
	 * bytes.  Put "abc" right before an inaccessible page. */
	long pg = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 2 * (size_t)pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(m != MAP_FAILED);
	assert_int_equal(mprotect(m + pg, (size_t)pg, PROT_NONE), 0);
	char *s = m + pg - 3;
	memcpy(s, "abc", 3);
	char out[16];
	assert_int_equal(amphi_snprintf(out, sizeof(out), "%.3s", s), 3);
	assert_string_equal(out, "abc");
	assert_int_equal(amphi_snprintf(out, sizeof(out), "[%5.3s]", s), 7);
	assert_string_equal(out, "[  abc]");
	assert_int_equal(amphi_snprintf(out, sizeof(out), "%.*s", 2, s + 1), 2);
	assert_string_equal(out, "bc");
	munmap(m, 2 * (size_t)pg);
}

static void test_chars(void **state)
{
	(void)state;
	check("%c", 'A');
	check("[%5c]", 'A');
	check("[%-5c]", 'A');
	check("%c%c%c", 'a', 'b', 'c');
	check("x%cy", 0);               /* an embedded NUL counts */
	check("%c", 256 + 'A');         /* converted to unsigned char */
	check("[%1c]", 'z');
}

static void test_pointers(void **state)
{
	(void)state;
	int x;
	check("%p", (void *)0x1234);
	check("%p", (void *)&x);
	check("%p", (void *)UINTPTR_MAX);
	check("[%20p]", (void *)0xabc);
	check("[%-20p]", (void *)0xabc);
	check("[%3p]", (void *)0xabcdef);
}

static void test_mixed_formats(void **state)
{
	(void)state;
	check("a%db%sc%xd%ce%%f%ug", -1, "str", 255u, '!', 7u);
	check("%s=%#010x (%5.1s) %-4d|%lld", "reg", 0xbeefu, "yes", 3, -9LL);
	check_unchecked("[%08.3x][%-6.2u][%+.2d]", 0x1fu, 5u, -5);
	check("%hhu.%hhu.%hhu.%hhu", 192, 168, 1, 255);
	check("%zu bytes at %p", (size_t)4096, (void *)0x100000);
}

static void test_truncation_return_value(void **state)
{
	(void)state;
	char b[8];
	memset(b, SENTINEL, sizeof(b));
	assert_int_equal(amphi_snprintf(b, 4, "%d", 123456), 6);
	assert_string_equal(b, "123");
	assert_int_equal(b[4], SENTINEL);
	assert_int_equal(amphi_snprintf(b, 1, "abc"), 3);
	assert_int_equal(b[0], 0);
	assert_int_equal(amphi_snprintf(NULL, 0, "%s-%d", "abc", 42), 6);
	memset(b, SENTINEL, sizeof(b));
	assert_int_equal(amphi_snprintf(b, 0, "abc"), 3);
	assert_int_equal(b[0], SENTINEL);
	assert_int_equal(amphi_snprintf(b, sizeof(b), "%s", ""), 0);
	assert_string_equal(b, "");
	/* Exactly fitting and one short. */
	assert_int_equal(amphi_snprintf(b, 8, "1234567"), 7);
	assert_string_equal(b, "1234567");
	assert_int_equal(amphi_snprintf(b, 8, "12345678"), 8);
	assert_string_equal(b, "1234567");
}

static void test_kernel_extensions(void **state)
{
	(void)state;
	/* Not C99 (undefined there): the kernel's documented choices. */
	char b[32];
	const char *volatile null = NULL;
	assert_int_equal(amphi_snprintf(b, sizeof(b), "%s", null), 6);
	assert_string_equal(b, "(null)");
	const char *unknown = "%y|%q";
	assert_int_equal(amphi_snprintf(b, sizeof(b), unknown), 5);
	assert_string_equal(b, "%y|%q");
	const char *trailing = "ab%";
	assert_int_equal(amphi_snprintf(b, sizeof(b), trailing), 2);
	assert_string_equal(b, "ab");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);   /* keep stdout and stderr in order */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_and_percent),
		cmocka_unit_test(test_signed_decimal),
		cmocka_unit_test(test_unsigned_hex_octal),
		cmocka_unit_test(test_plus_and_space_ignored_for_unsigned),
		cmocka_unit_test(test_length_char_and_short),
		cmocka_unit_test(test_length_long_and_long_long),
		cmocka_unit_test(test_length_size_ptrdiff_intmax),
		cmocka_unit_test(test_star_width_and_precision),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_precision_does_not_read_past_unterminated_array),
		cmocka_unit_test(test_chars),
		cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_mixed_formats),
		cmocka_unit_test(test_truncation_return_value),
		cmocka_unit_test(test_kernel_extensions),
	};
	return cmocka_run_group_tests_name("vsnprintf", tests, NULL, NULL);
}
