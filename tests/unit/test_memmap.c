/* Host tests for mm/memmap.c: sort, overlap resolution, merging. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <cmocka.h>

#include <amphi/memmap.h>

#define R(b, s, t) { (b), (s), (t) }
#define N(a) ((unsigned)(sizeof(a) / sizeof((a)[0])))

static void expect_region(const struct mem_region *r, uint64_t base, uint64_t size, uint32_t type)
{
	assert_int_equal(r->base, base);
	assert_int_equal(r->size, size);
	assert_int_equal(r->type, type);
}

static void test_sanitize_sorts_unsorted_map(void **state)
{
	(void)state;
	struct mem_region m[] = {
		R(0x100000, 0x700000, MEM_USABLE),
		R(0xF0000, 0x10000, MEM_RESERVED),
		R(0, 0x9FC00, MEM_USABLE),
	};
	assert_int_equal(memmap_sanitize(m, N(m), N(m)), 3);
	expect_region(&m[0], 0, 0x9FC00, MEM_USABLE);
	expect_region(&m[1], 0xF0000, 0x10000, MEM_RESERVED);
	expect_region(&m[2], 0x100000, 0x700000, MEM_USABLE);
}

static void test_sanitize_merges_adjacent_same_type(void **state)
{
	(void)state;
	struct mem_region m[] = {
		R(0x200000, 0x100000, MEM_USABLE),
		R(0x100000, 0x100000, MEM_USABLE),
		R(0x300000, 0x100000, MEM_USABLE),
	};
	assert_int_equal(memmap_sanitize(m, N(m), N(m)), 1);
	expect_region(&m[0], 0x100000, 0x300000, MEM_USABLE);
}

static void test_sanitize_keeps_hole_between_same_type(void **state)
{
	(void)state;
	struct mem_region m[] = {
		R(0x100000, 0x1000, MEM_USABLE),
		R(0x102000, 0x1000, MEM_USABLE),
	};
	assert_int_equal(memmap_sanitize(m, N(m), N(m)), 2);
	expect_region(&m[0], 0x100000, 0x1000, MEM_USABLE);
	expect_region(&m[1], 0x102000, 0x1000, MEM_USABLE);
}

static void test_sanitize_does_not_merge_adjacent_different_types(void **state)
{
	(void)state;
	struct mem_region m[] = {
		R(0x1000, 0x1000, MEM_ACPI),
		R(0x0, 0x1000, MEM_USABLE),
		R(0x2000, 0x1000, MEM_USABLE),
	};
	assert_int_equal(memmap_sanitize(m, N(m), N(m)), 3);
	expect_region(&m[0], 0, 0x1000, MEM_USABLE);
	expect_region(&m[1], 0x1000, 0x1000, MEM_ACPI);
	expect_region(&m[2], 0x2000, 0x1000, MEM_USABLE);
}

static void test_sanitize_reserved_inside_usable_splits_it(void **state)
{
	(void)state;
	struct mem_region m[4] = {
		R(0, 0x1000000, MEM_USABLE),
		R(0x400000, 0x1000, MEM_RESERVED),
	};
	assert_int_equal(memmap_sanitize(m, 2, 4), 3);
	expect_region(&m[0], 0, 0x400000, MEM_USABLE);
	expect_region(&m[1], 0x400000, 0x1000, MEM_RESERVED);
	expect_region(&m[2], 0x401000, 0x1000000 - 0x401000, MEM_USABLE);
}

static void test_sanitize_overlap_restrictive_type_wins_either_order(void **state)
{
	(void)state;
	/* Usable listed after the reserved region it overlaps must not win. */
	struct mem_region m[] = {
		R(0x1000, 0x2000, MEM_RESERVED),
		R(0x0, 0x2000, MEM_USABLE),
	};
	assert_int_equal(memmap_sanitize(m, N(m), N(m)), 2);
	expect_region(&m[0], 0, 0x1000, MEM_USABLE);
	expect_region(&m[1], 0x1000, 0x2000, MEM_RESERVED);
}

static void test_sanitize_overlap_higher_e820_type_wins(void **state)
{
	(void)state;
	struct mem_region m[] = {
		R(0x0, 0x3000, MEM_ACPI),        /* 3 */
		R(0x1000, 0x1000, MEM_NVS),      /* 4 beats 3 */
		R(0x0, 0x3000, MEM_RESERVED),    /* 2 loses to 3 */
	};
	assert_int_equal(memmap_sanitize(m, N(m), N(m)), 3);
	expect_region(&m[0], 0x0, 0x1000, MEM_ACPI);
	expect_region(&m[1], 0x1000, 0x1000, MEM_NVS);
	expect_region(&m[2], 0x2000, 0x1000, MEM_ACPI);
}

static void test_sanitize_bad_memory_beats_usable(void **state)
{
	(void)state;
	struct mem_region m[] = {
		R(0x0, 0x10000, MEM_USABLE),
		R(0x8000, 0x8000, MEM_BAD),
	};
	assert_int_equal(memmap_sanitize(m, N(m), N(m)), 2);
	expect_region(&m[0], 0x0, 0x8000, MEM_USABLE);
	expect_region(&m[1], 0x8000, 0x8000, MEM_BAD);
	assert_int_equal(memmap_usable_bytes(m, 2), 0x8000);
}

static void test_sanitize_duplicates_collapse(void **state)
{
	(void)state;
	struct mem_region m[] = {
		R(0x100000, 0x100000, MEM_USABLE),
		R(0x100000, 0x100000, MEM_USABLE),
		R(0x180000, 0x10000, MEM_USABLE),
	};
	assert_int_equal(memmap_sanitize(m, N(m), N(m)), 1);
	expect_region(&m[0], 0x100000, 0x100000, MEM_USABLE);
}

static void test_sanitize_drops_zero_size_regions(void **state)
{
	(void)state;
	struct mem_region m[] = {
		R(0x5000, 0, MEM_RESERVED),
		R(0x0, 0x10000, MEM_USABLE),
		R(0x20000, 0, MEM_USABLE),
	};
	assert_int_equal(memmap_sanitize(m, N(m), N(m)), 1);
	expect_region(&m[0], 0x0, 0x10000, MEM_USABLE);
}

static void test_sanitize_empty_map_gives_zero(void **state)
{
	(void)state;
	struct mem_region m[1] = { R(0x1234, 0x5678, MEM_USABLE) };
	assert_int_equal(memmap_sanitize(m, 0, 1), 0);
}

static void test_sanitize_too_many_results_fails_and_leaves_map(void **state)
{
	(void)state;
	/* One usable region with two holes punched: 5 output regions, max 4. */
	struct mem_region m[4] = {
		R(0, 0x10000, MEM_USABLE),
		R(0x2000, 0x1000, MEM_RESERVED),
		R(0x8000, 0x1000, MEM_RESERVED),
	};
	struct mem_region copy[4];
	for (unsigned i = 0; i < 4; i++)
		copy[i] = m[i];
	assert_int_equal(memmap_sanitize(m, 3, 4), -1);
	assert_memory_equal(m, copy, sizeof(m));
	/* With room for five it succeeds. */
	struct mem_region m5[5] = { copy[0], copy[1], copy[2] };
	assert_int_equal(memmap_sanitize(m5, 3, 5), 5);
	expect_region(&m5[4], 0x9000, 0x7000, MEM_USABLE);
}

static void test_sanitize_region_wrapping_past_top_is_clamped(void **state)
{
	(void)state;
	struct mem_region m[] = {
		R(0xFFFFFFFFFFFFF000ull, 0x2000, MEM_RESERVED),
		R(0x0, 0x1000, MEM_USABLE),
	};
	assert_int_equal(memmap_sanitize(m, N(m), N(m)), 2);
	expect_region(&m[0], 0, 0x1000, MEM_USABLE);
	expect_region(&m[1], 0xFFFFFFFFFFFFF000ull, 0xFFF, MEM_RESERVED);
}

static void test_sanitize_typical_e820_above_4g(void **state)
{
	(void)state;
	struct mem_region m[8] = {
		R(0x0, 0x9FC00, MEM_USABLE),
		R(0x9FC00, 0x400, MEM_RESERVED),
		R(0xF0000, 0x10000, MEM_RESERVED),
		R(0x100000, 0xBFEE0000, MEM_USABLE),
		R(0xBFFE0000, 0x20000, MEM_RESERVED),
		R(0xFFFC0000, 0x40000, MEM_RESERVED),
		R(0x100000000ull, 0x40000000, MEM_USABLE),
	};
	assert_int_equal(memmap_sanitize(m, 7, 8), 7);
	assert_int_equal(memmap_usable_bytes(m, 7), 0x9FC00 + 0xBFEE0000ull + 0x40000000ull);
	assert_int_equal(memmap_usable_end(m, 7), 0x140000000ull);
}

static void test_usable_bytes_counts_only_usable(void **state)
{
	(void)state;
	const struct mem_region m[] = {
		R(0, 0x1000, MEM_USABLE),
		R(0x1000, 0x5000, MEM_RESERVED),
		R(0x6000, 0x2000, MEM_USABLE),
		R(0x8000, 0x2000, MEM_ACPI),
	};
	assert_int_equal(memmap_usable_bytes(m, N(m)), 0x3000);
	assert_int_equal(memmap_usable_bytes(m, 0), 0);
}

static void test_usable_end_ignores_reserved_above_usable(void **state)
{
	(void)state;
	const struct mem_region m[] = {
		R(0x100000, 0x100000, MEM_USABLE),
		R(0xFEC00000, 0x1000, MEM_RESERVED),
		R(0x0, 0x1000, MEM_USABLE),
	};
	assert_int_equal(memmap_usable_end(m, N(m)), 0x200000);
	assert_int_equal(memmap_usable_end(m, 0), 0);
}

static void test_type_names(void **state)
{
	(void)state;
	assert_string_equal(memmap_type_name(MEM_USABLE), "usable");
	assert_string_equal(memmap_type_name(MEM_RESERVED), "reserved");
	assert_string_equal(memmap_type_name(MEM_NVS), "ACPI NVS");
	assert_string_equal(memmap_type_name(99), "unknown");
}

int main(void)
{
	/* cmocka prints results to stdout and the summary to stderr: keep them in order. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sanitize_sorts_unsorted_map),
		cmocka_unit_test(test_sanitize_merges_adjacent_same_type),
		cmocka_unit_test(test_sanitize_keeps_hole_between_same_type),
		cmocka_unit_test(test_sanitize_does_not_merge_adjacent_different_types),
		cmocka_unit_test(test_sanitize_reserved_inside_usable_splits_it),
		cmocka_unit_test(test_sanitize_overlap_restrictive_type_wins_either_order),
		cmocka_unit_test(test_sanitize_overlap_higher_e820_type_wins),
		cmocka_unit_test(test_sanitize_bad_memory_beats_usable),
		cmocka_unit_test(test_sanitize_duplicates_collapse),
		cmocka_unit_test(test_sanitize_drops_zero_size_regions),
		cmocka_unit_test(test_sanitize_empty_map_gives_zero),
		cmocka_unit_test(test_sanitize_too_many_results_fails_and_leaves_map),
		cmocka_unit_test(test_sanitize_region_wrapping_past_top_is_clamped),
		cmocka_unit_test(test_sanitize_typical_e820_above_4g),
		cmocka_unit_test(test_usable_bytes_counts_only_usable),
		cmocka_unit_test(test_usable_end_ignores_reserved_above_usable),
		cmocka_unit_test(test_type_names),
	};
	return cmocka_run_group_tests_name("memmap", tests, NULL, NULL);
}
