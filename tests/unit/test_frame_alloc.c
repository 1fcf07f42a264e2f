/* Host tests for mm/frame_alloc.c: the frame bitmap and its two zones. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <amphi/frame.h>

#define PAGE 4096u
#define MAXPFN 1000u            /* not a multiple of 32 on purpose */
#define LOWLIM 300u

static uint32_t bitmap[(MAXPFN + 31) / 32 + 1];
static struct frame_alloc fa;

static int setup(void **state)
{
	(void)state;
	memset(bitmap, 0xA5, sizeof(bitmap));          /* fa_init must clear it */
	fa_init(&fa, bitmap, MAXPFN, LOWLIM);
	return 0;
}

static void test_init_leaves_everything_used(void **state)
{
	(void)state;
	assert_int_equal(fa.nr_free, 0);
	assert_int_equal(fa.nr_free_low, 0);
	for (pfn_t p = 0; p < MAXPFN; p++)
		assert_false(fa_is_free(&fa, p));
	assert_int_equal(fa_alloc(&fa, FRAME_ANY), PFN_NONE);
	assert_int_equal(fa_alloc(&fa, FRAME_LOW), PFN_NONE);
	/* The word past the bitmap is not touched. */
	assert_int_equal(bitmap[(MAXPFN + 31) / 32], 0xA5A5A5A5u);
}

static void test_init_clamps_low_limit_to_max_pfn(void **state)
{
	(void)state;
	fa_init(&fa, bitmap, 64, 1000);
	assert_int_equal(fa.low_limit, 64);
	fa_add_range(&fa, 0, 64 * PAGE);
	assert_int_equal(fa.nr_free, 64);
	assert_int_equal(fa.nr_free_low, 64);
}

static void test_add_range_counts_and_zones(void **state)
{
	(void)state;
	fa_add_range(&fa, 0, MAXPFN * (uint64_t)PAGE);
	assert_int_equal(fa.nr_free, MAXPFN);
	assert_int_equal(fa.nr_free_low, LOWLIM);
	for (pfn_t p = 0; p < MAXPFN; p++)
		assert_true(fa_is_free(&fa, p));
	assert_false(fa_is_free(&fa, MAXPFN));
}

static void test_add_range_only_whole_frames(void **state)
{
	(void)state;
	/* [0x1800, 0x4800): frame 1 starts at 0x1000 (partial), 4 ends at 0x5000 (partial). */
	fa_add_range(&fa, 0x1800, 0x3000);
	assert_int_equal(fa.nr_free, 2);
	assert_false(fa_is_free(&fa, 1));
	assert_true(fa_is_free(&fa, 2));
	assert_true(fa_is_free(&fa, 3));
	assert_false(fa_is_free(&fa, 4));
	/* Less than one page: nothing. */
	fa_add_range(&fa, 0x10000, 0xFFF);
	assert_int_equal(fa.nr_free, 2);
}

static void test_add_range_twice_does_not_double_count(void **state)
{
	(void)state;
	fa_add_range(&fa, 0, 10 * PAGE);
	fa_add_range(&fa, 5 * PAGE, 10 * PAGE);
	assert_int_equal(fa.nr_free, 15);
	assert_int_equal(fa.nr_free_low, 15);
}

static void test_add_range_beyond_max_pfn_is_clamped(void **state)
{
	(void)state;
	fa_add_range(&fa, (MAXPFN - 4) * (uint64_t)PAGE, 100 * PAGE);
	assert_int_equal(fa.nr_free, 4);
	fa_add_range(&fa, 0x100000000ull, 0x100000000ull);   /* entirely above */
	assert_int_equal(fa.nr_free, 4);
	fa_add_range(&fa, 0xFFFFFFFFFFFFF000ull, 0x2000);     /* wraps */
	assert_int_equal(fa.nr_free, 4);
}

/* Regression: first = (base + PAGE - 1) / PAGE used to wrap to 0
 * for a base in the top page of the 64-bit space, freeing every frame. */
static void test_add_range_in_top_page_of_address_space_frees_nothing(void **state)
{
	(void)state;
	fa_add_range(&fa, 0xFFFFFFFFFFFFF001ull, 0xFFE);
	assert_int_equal(fa.nr_free, 0);
	fa_add_range(&fa, 0xFFFFFFFFFFFFF800ull, 0x1000);   /* wraps past 2^64 */
	assert_int_equal(fa.nr_free, 0);
}

static void test_reserve_range_covers_partial_frames(void **state)
{
	(void)state;
	fa_add_range(&fa, 0, 16 * PAGE);
	/* [0x1FFF, 0x3001) touches frames 1, 2 and 3. */
	fa_reserve_range(&fa, 0x1FFF, 0x1002);
	assert_true(fa_is_free(&fa, 0));
	assert_false(fa_is_free(&fa, 1));
	assert_false(fa_is_free(&fa, 2));
	assert_false(fa_is_free(&fa, 3));
	assert_true(fa_is_free(&fa, 4));
	assert_int_equal(fa.nr_free, 13);
	/* Size zero reserves nothing; reserving used frames changes no count. */
	fa_reserve_range(&fa, 0x8000, 0);
	assert_true(fa_is_free(&fa, 8));
	fa_reserve_range(&fa, 0x1000, 0x3000);
	assert_int_equal(fa.nr_free, 13);
	assert_int_equal(fa.nr_free_low, 13);
}

static void test_reserve_range_beyond_max_pfn_is_clamped(void **state)
{
	(void)state;
	fa_add_range(&fa, 0, MAXPFN * (uint64_t)PAGE);
	fa_reserve_range(&fa, (MAXPFN - 1) * (uint64_t)PAGE, 1ull << 40);
	assert_int_equal(fa.nr_free, MAXPFN - 1);
	assert_false(fa_is_free(&fa, MAXPFN - 1));
	fa_reserve_range(&fa, 0xFFFFFFFFFFFFF000ull, 0x2000);
	assert_int_equal(fa.nr_free, MAXPFN - 1);
}

static void test_alloc_any_prefers_high_frames(void **state)
{
	(void)state;
	fa_add_range(&fa, 0, MAXPFN * (uint64_t)PAGE);
	for (unsigned i = 0; i < MAXPFN - LOWLIM; i++) {
		pfn_t p = fa_alloc(&fa, FRAME_ANY);
		assert_true(p >= LOWLIM && p < MAXPFN);
		assert_false(fa_is_free(&fa, p));
	}
	assert_int_equal(fa.nr_free_low, LOWLIM);
	/* High zone exhausted: FRAME_ANY falls back to low frames. */
	pfn_t p = fa_alloc(&fa, FRAME_ANY);
	assert_true(p < LOWLIM);
	assert_int_equal(fa.nr_free_low, LOWLIM - 1);
}

static void test_alloc_low_never_returns_high(void **state)
{
	(void)state;
	fa_add_range(&fa, 0, MAXPFN * (uint64_t)PAGE);
	for (unsigned i = 0; i < LOWLIM; i++) {
		pfn_t p = fa_alloc(&fa, FRAME_LOW);
		assert_true(p < LOWLIM);
	}
	assert_int_equal(fa_alloc(&fa, FRAME_LOW), PFN_NONE);
	assert_int_equal(fa.nr_free, MAXPFN - LOWLIM);
	assert_int_equal(fa.nr_free_low, 0);
	assert_int_not_equal(fa_alloc(&fa, FRAME_ANY), PFN_NONE);
}

static void test_alloc_returns_each_frame_once_until_exhausted(void **state)
{
	(void)state;
	static unsigned char seen[MAXPFN];
	memset(seen, 0, sizeof(seen));
	fa_add_range(&fa, 0, MAXPFN * (uint64_t)PAGE);
	fa_reserve_range(&fa, 0, PAGE);                 /* frame 0 */
	fa_reserve_range(&fa, 500 * PAGE, 40 * PAGE);   /* 500..539 */
	unsigned expect = MAXPFN - 1 - 40;
	for (unsigned i = 0; i < expect; i++) {
		pfn_t p = fa_alloc(&fa, i % 3 ? FRAME_ANY : FRAME_LOW);
		if (p == PFN_NONE)   /* FRAME_LOW ran out first: take any */
			p = fa_alloc(&fa, FRAME_ANY);
		assert_int_not_equal(p, PFN_NONE);
		assert_true(p < MAXPFN);
		assert_true(p != 0 && (p < 500 || p >= 540));
		assert_int_equal(seen[p], 0);
		seen[p] = 1;
	}
	assert_int_equal(fa.nr_free, 0);
	assert_int_equal(fa_alloc(&fa, FRAME_ANY), PFN_NONE);
	assert_int_equal(fa_alloc(&fa, FRAME_LOW), PFN_NONE);
}

static void test_alloc_finds_single_free_frame_anywhere(void **state)
{
	(void)state;
	/* Exercise the word-skipping scan and its wrap-around from the hint. */
	static const pfn_t where[] = { LOWLIM, LOWLIM + 31, 511, 512, 543, MAXPFN - 1, 0, 31, 32, LOWLIM - 1 };
	for (unsigned i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		fa_add_range(&fa, (uint64_t)where[i] * PAGE, PAGE);
		enum frame_zone z = where[i] < LOWLIM ? FRAME_LOW : FRAME_ANY;
		assert_int_equal(fa_alloc(&fa, z), where[i]);
		assert_int_equal(fa.nr_free, 0);
	}
}

static void test_alloc_wraps_around_to_frames_freed_behind_hint(void **state)
{
	(void)state;
	fa_add_range(&fa, 0, MAXPFN * (uint64_t)PAGE);
	/* Take every frame, then free one early in each zone. */
	while (fa_alloc(&fa, FRAME_ANY) != PFN_NONE)
		;
	assert_int_equal(fa.nr_free, 0);
	assert_int_equal(fa_free(&fa, 5), 0);
	assert_int_equal(fa_free(&fa, LOWLIM + 5), 0);
	assert_int_equal(fa_alloc(&fa, FRAME_ANY), LOWLIM + 5);
	assert_int_equal(fa_alloc(&fa, FRAME_ANY), 5);
	assert_int_equal(fa_alloc(&fa, FRAME_ANY), PFN_NONE);
	/* A frame freed below the last one handed out is found again. */
	assert_int_equal(fa_free(&fa, 900), 0);
	assert_int_equal(fa_alloc(&fa, FRAME_ANY), 900);
	assert_int_equal(fa_free(&fa, 200), 0);
	assert_int_equal(fa_alloc(&fa, FRAME_LOW), 200);
	assert_int_equal(fa_free(&fa, 400), 0);
	assert_int_equal(fa_free(&fa, 50), 0);
	assert_int_equal(fa_alloc(&fa, FRAME_ANY), 400);
	assert_int_equal(fa_alloc(&fa, FRAME_LOW), 50);
}

/* First fit: a frame just freed is the next one handed out, before any
 * frame never touched (QEMU's host pays for each first touch). */
static void test_freed_frame_is_reused_first(void **state)
{
	(void)state;
	fa_add_range(&fa, 0, MAXPFN * (uint64_t)PAGE);
	pfn_t a = fa_alloc(&fa, FRAME_ANY), b = fa_alloc(&fa, FRAME_ANY), c = fa_alloc(&fa, FRAME_ANY);
	assert_int_equal(a, LOWLIM);
	assert_int_equal(c, LOWLIM + 2);
	assert_int_equal(fa_free(&fa, b), 0);
	assert_int_equal(fa_alloc(&fa, FRAME_ANY), b);
	assert_int_equal(fa_free(&fa, c), 0);
	assert_int_equal(fa_free(&fa, a), 0);
	assert_int_equal(fa_alloc(&fa, FRAME_ANY), a);
	assert_int_equal(fa_alloc(&fa, FRAME_ANY), c);
	assert_int_equal(fa_alloc(&fa, FRAME_ANY), LOWLIM + 3);
	pfn_t l = fa_alloc(&fa, FRAME_LOW);
	assert_int_equal(l, 0);
	assert_int_equal(fa_alloc(&fa, FRAME_LOW), 1);
	assert_int_equal(fa_free(&fa, l), 0);
	assert_int_equal(fa_alloc(&fa, FRAME_LOW), l);
}

static void test_free_then_realloc(void **state)
{
	(void)state;
	fa_add_range(&fa, 0, MAXPFN * (uint64_t)PAGE);
	pfn_t a = fa_alloc(&fa, FRAME_ANY);
	pfn_t b = fa_alloc(&fa, FRAME_LOW);
	assert_int_equal(fa.nr_free, MAXPFN - 2);
	assert_int_equal(fa_free(&fa, a), 0);
	assert_int_equal(fa_free(&fa, b), 0);
	assert_true(fa_is_free(&fa, a));
	assert_true(fa_is_free(&fa, b));
	assert_int_equal(fa.nr_free, MAXPFN);
	assert_int_equal(fa.nr_free_low, LOWLIM);
}

static void test_free_of_free_frame_fails(void **state)
{
	(void)state;
	fa_add_range(&fa, 0, 4 * PAGE);
	assert_int_equal(fa_free(&fa, 2), -1);          /* never allocated */
	pfn_t p = fa_alloc(&fa, FRAME_LOW);
	assert_int_equal(fa_free(&fa, p), 0);
	assert_int_equal(fa_free(&fa, p), -1);          /* double free */
	assert_int_equal(fa.nr_free, 4);
	assert_int_equal(fa.nr_free_low, 4);
}

static void test_free_out_of_range_fails(void **state)
{
	(void)state;
	assert_int_equal(fa_free(&fa, MAXPFN), -1);
	assert_int_equal(fa_free(&fa, PFN_NONE), -1);
	assert_int_equal(fa.nr_free, 0);
	assert_false(fa_is_free(&fa, PFN_NONE));
}

static void test_free_of_reserved_frame_succeeds(void **state)
{
	(void)state;
	/* Reserved frames (e.g. boot modules) can be released later. */
	fa_reserve_range(&fa, 0, 8 * PAGE);
	assert_int_equal(fa_free(&fa, 7), 0);
	assert_int_equal(fa_alloc(&fa, FRAME_LOW), 7);
}

/* A range of its own (file pages above 4 GiB first): next fit in [lo, hi). */
static void test_alloc_range(void **state)
{
	(void)state;
	fa_add_range(&fa, 0, (uint64_t)MAXPFN * PAGE);
	uint32_t free_before = fa.nr_free, low_before = fa.nr_free_low;
	pfn_t hint = 0;
	assert_int_equal(fa_alloc_range(&fa, 900, 2000, &hint), 900);   /* hi clamped to max_pfn */
	assert_int_equal(hint, 901);
	assert_int_equal(fa_alloc_range(&fa, 900, 2000, &hint), 901);
	for (pfn_t p = 902; p < MAXPFN; p++)
		assert_int_equal(fa_alloc_range(&fa, 900, MAXPFN, &hint), p);
	assert_int_equal(fa_alloc_range(&fa, 900, MAXPFN, &hint), PFN_NONE);
	assert_int_equal(fa.nr_free, free_before - 100);
	assert_int_equal(fa.nr_free_low, low_before);
	assert_int_equal(fa_free(&fa, 950), 0);
	assert_int_equal(fa_alloc_range(&fa, 900, MAXPFN, &hint), 950); /* wraps to what was freed */
	hint = 0;
	assert_int_equal(fa_alloc_range(&fa, 10, 20, &hint), 10);
	assert_int_equal(fa.nr_free_low, low_before - 1);
	assert_int_equal(fa_alloc_range(&fa, 20, 20, &hint), PFN_NONE); /* empty range */
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);   /* keep stdout and stderr in order */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_init_leaves_everything_used, setup),
		cmocka_unit_test_setup(test_init_clamps_low_limit_to_max_pfn, setup),
		cmocka_unit_test_setup(test_add_range_counts_and_zones, setup),
		cmocka_unit_test_setup(test_add_range_only_whole_frames, setup),
		cmocka_unit_test_setup(test_add_range_twice_does_not_double_count, setup),
		cmocka_unit_test_setup(test_add_range_beyond_max_pfn_is_clamped, setup),
		cmocka_unit_test_setup(test_add_range_in_top_page_of_address_space_frees_nothing, setup),
		cmocka_unit_test_setup(test_reserve_range_covers_partial_frames, setup),
		cmocka_unit_test_setup(test_reserve_range_beyond_max_pfn_is_clamped, setup),
		cmocka_unit_test_setup(test_alloc_any_prefers_high_frames, setup),
		cmocka_unit_test_setup(test_alloc_low_never_returns_high, setup),
		cmocka_unit_test_setup(test_alloc_returns_each_frame_once_until_exhausted, setup),
		cmocka_unit_test_setup(test_alloc_finds_single_free_frame_anywhere, setup),
		cmocka_unit_test_setup(test_alloc_wraps_around_to_frames_freed_behind_hint, setup),
		cmocka_unit_test_setup(test_freed_frame_is_reused_first, setup),
		cmocka_unit_test_setup(test_free_then_realloc, setup),
		cmocka_unit_test_setup(test_free_of_free_frame_fails, setup),
		cmocka_unit_test_setup(test_free_out_of_range_fails, setup),
		cmocka_unit_test_setup(test_free_of_reserved_frame_succeeds, setup),
		cmocka_unit_test_setup(test_alloc_range, setup),
	};
	return cmocka_run_group_tests_name("frame_alloc", tests, NULL, NULL);
}
