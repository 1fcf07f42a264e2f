/* Host tests for mm/page_index.c: the radix tree of frame numbers behind
 * every file's pages (include/amphi/filepages.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <amphi/filepages.h>
#include <amphi/errno.h>

/* Index nodes in a small arena (pfn = slot); data pages are just numbers,
 * and each one freed is checked off. */
#define NODES 512
static uint32_t arena[NODES][PIDX_FANOUT];
static unsigned char node_used[NODES];
static int nodes_live, node_fail_after = -1;
static uint32_t pages_freed;
static uint64_t freed_sum;

static pfn_t t_alloc(void *ctx)
{
	(void)ctx;
	if (node_fail_after == 0)
		return PFN_NONE;
	if (node_fail_after > 0)
		node_fail_after--;
	for (pfn_t p = 0; p < NODES; p++)
		if (!node_used[p]) {
			node_used[p] = 1;
			nodes_live++;
			memset(arena[p], 0, sizeof(arena[p]));
			return p;
		}
	return PFN_NONE;
}
static void t_free(void *ctx, pfn_t p)
{
	(void)ctx;
	assert_true(p < NODES && node_used[p]);
	node_used[p] = 0;
	nodes_live--;
}
static uint32_t *t_node(void *ctx, pfn_t p)
{
	(void)ctx;
	assert_true(p < NODES && node_used[p]);
	return arena[p];
}
static void t_free_page(void *ctx, pfn_t p)
{
	(void)ctx;
	pages_freed++;
	freed_sum += p;
}
static const struct pidx_mem M = { t_alloc, t_free, t_node, t_free_page, 0 };

static int setup(void **state)
{
	(void)state;
	memset(node_used, 0, sizeof(node_used));
	nodes_live = 0;
	node_fail_after = -1;
	pages_freed = 0;
	freed_sum = 0;
	return 0;
}

/* The data frame a test stores at index i: distinct, never PFN_NONE. */
static pfn_t frame_for(uint32_t i) { return 0x100000u + i * 3u; }

static void test_arithmetic(void **state)
{
	(void)state;
	assert_int_equal(pidx_height_for(0), 1);
	assert_int_equal(pidx_height_for(1023), 1);
	assert_int_equal(pidx_height_for(1024), 2);
	assert_int_equal(pidx_height_for(102399), 2);          /* the last page of 400 MiB */
	assert_int_equal(pidx_height_for((1u << 20) - 1), 2);
	assert_int_equal(pidx_height_for(1u << 20), 3);
	assert_int_equal(pidx_height_for((1u << 30) - 1), 3);
	assert_int_equal(pidx_height_for(1u << 30), 4);
	assert_int_equal(pidx_height_for(0xffffffffu), 4);
	/* 0x12345678 = 00 0100100011 0100010101 1001111000 in 10-bit groups */
	assert_int_equal(pidx_slot(0x12345678u, 1), 0x278);
	assert_int_equal(pidx_slot(0x12345678u, 2), 0x115);
	assert_int_equal(pidx_slot(0x12345678u, 3), 0x123);
	assert_int_equal(pidx_slot(0x12345678u, 4), 0);
	assert_int_equal(pidx_slot(0xffffffffu, 4), 3);
}

static void test_400mib_file(void **state)
{
	(void)state;
	struct page_index pi = { 0 };
	const uint32_t n = 102400;                              /* 400 MiB of 4 KiB pages */
	uint64_t sum = 0;
	for (uint32_t i = 0; i < n; i++) {
		assert_int_equal(pidx_set(&pi, i, frame_for(i), &M), 0);
		sum += frame_for(i);
	}
	assert_int_equal(pi.nr_pages, n);
	assert_int_equal(pi.height, 2);
	assert_int_equal(pi.nr_nodes, 100 + 1);                 /* 100 leaves and the root */
	assert_int_equal(nodes_live, 101);
	for (uint32_t i = 0; i < n; i += 977)
		assert_int_equal(pidx_get(&pi, i, &M), frame_for(i));
	assert_int_equal(pidx_get(&pi, n - 1, &M), frame_for(n - 1));
	assert_int_equal(pidx_get(&pi, n, &M), PFN_NONE);
	assert_int_equal(pidx_get(&pi, 1u << 20, &M), PFN_NONE); /* beyond the tree */
	/* Cut to 50000 pages: 49 leaves kept (the 49th partly), the rest freed. */
	pidx_truncate(&pi, 50000, &M);
	assert_int_equal(pi.nr_pages, 50000);
	assert_int_equal(pages_freed, n - 50000);
	assert_int_equal(pi.nr_nodes, 49 + 1);
	assert_int_equal(nodes_live, 50);
	assert_int_equal(pidx_get(&pi, 49999, &M), frame_for(49999));
	assert_int_equal(pidx_get(&pi, 50000, &M), PFN_NONE);
	pidx_truncate(&pi, 0, &M);
	assert_int_equal(pi.nr_pages, 0);
	assert_int_equal(pi.nr_nodes, 0);
	assert_int_equal(pi.root, 0);
	assert_int_equal(nodes_live, 0);
	assert_int_equal(pages_freed, n);
	assert_true(freed_sum == sum);                          /* every frame freed once */
}

static void test_sparse_and_growth(void **state)
{
	(void)state;
	struct page_index pi = { 0 };
	assert_int_equal(pidx_set(&pi, 5, 55, &M), 0);
	assert_int_equal(pi.height, 1);
	assert_int_equal(pi.nr_nodes, 1);
	/* An index three levels up: two new roots above the old one, one path down. */
	assert_int_equal(pidx_set(&pi, 3u << 20, 77, &M), 0);
	assert_int_equal(pi.height, 3);
	assert_int_equal(pi.nr_nodes, 1 + 2 + 2);
	assert_int_equal(pidx_get(&pi, 5, &M), 55);
	assert_int_equal(pidx_get(&pi, 3u << 20, &M), 77);
	assert_int_equal(pidx_get(&pi, 6, &M), PFN_NONE);
	/* The last index a 32-bit index can name. */
	assert_int_equal(pidx_set(&pi, 0xffffffffu, 99, &M), 0);
	assert_int_equal(pi.height, 4);
	assert_int_equal(pidx_get(&pi, 0xffffffffu, &M), 99);
	/* Replacing keeps the count. */
	assert_int_equal(pidx_set(&pi, 5, 56, &M), 0);
	assert_int_equal(pi.nr_pages, 3);
	/* Walks in index order. */
	uint32_t at = 0;
	assert_int_equal(pidx_next(&pi, &at, &M), 56);
	assert_int_equal(at, 5);
	at = 6;
	assert_int_equal(pidx_next(&pi, &at, &M), 77);
	assert_int_equal(at, 3u << 20);
	at++;
	assert_int_equal(pidx_next(&pi, &at, &M), 99);
	assert_int_equal(at, 0xffffffffu);
	at = 0;
	struct page_index empty = { 0 };
	assert_int_equal(pidx_next(&empty, &at, &M), PFN_NONE);
	/* Truncating at 1 keeps page 0's leaf path only if it has pages: page 5
	 * goes, and every node is left empty, so the whole tree is freed. */
	pidx_truncate(&pi, 1, &M);
	assert_int_equal(pi.nr_pages, 0);
	assert_int_equal(pi.root, 0);
	assert_int_equal(nodes_live, 0);
}

static void test_truncate_frees_empty_nodes(void **state)
{
	(void)state;
	struct page_index pi = { 0 };
	assert_int_equal(pidx_set(&pi, 0, 10, &M), 0);
	assert_int_equal(pidx_set(&pi, 1500, 11, &M), 0);
	assert_int_equal(pidx_set(&pi, 1501, 12, &M), 0);
	assert_int_equal(pi.nr_nodes, 3);
	pidx_truncate(&pi, 1501, &M);                           /* the second leaf keeps 1500 */
	assert_int_equal(pi.nr_pages, 2);
	assert_int_equal(pi.nr_nodes, 3);
	pidx_truncate(&pi, 1, &M);                              /* the second leaf goes */
	assert_int_equal(pi.nr_pages, 1);
	assert_int_equal(pi.nr_nodes, 2);
	assert_int_equal(nodes_live, 2);
	assert_int_equal(pidx_get(&pi, 0, &M), 10);
	pidx_truncate(&pi, 1u << 20, &M);                       /* beyond: nothing */
	assert_int_equal(pi.nr_pages, 1);
	pidx_truncate(&pi, 0, &M);
	assert_int_equal(nodes_live, 0);
}

static void test_node_allocation_fails(void **state)
{
	(void)state;
	struct page_index pi = { 0 };
	node_fail_after = 0;
	assert_int_equal(pidx_set(&pi, 0, 1, &M), -ENOMEM);
	assert_int_equal(pi.root, 0);
	node_fail_after = -1;
	assert_int_equal(pidx_set(&pi, 0, 1, &M), 0);
	node_fail_after = 1;                                    /* the new root, not the leaf */
	assert_int_equal(pidx_set(&pi, 5000, 2, &M), -ENOMEM);
	assert_int_equal(pidx_get(&pi, 0, &M), 1);
	assert_int_equal(pidx_get(&pi, 5000, &M), PFN_NONE);
	assert_int_equal(pi.nr_pages, 1);
	node_fail_after = -1;
	assert_int_equal(pidx_set(&pi, 5000, 2, &M), 0);
	assert_int_equal(pidx_get(&pi, 5000, &M), 2);
	pidx_truncate(&pi, 0, &M);
	assert_int_equal(nodes_live, 0);
	assert_int_equal(pages_freed, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_arithmetic, setup),
		cmocka_unit_test_setup(test_400mib_file, setup),
		cmocka_unit_test_setup(test_sparse_and_growth, setup),
		cmocka_unit_test_setup(test_truncate_frees_empty_nodes, setup),
		cmocka_unit_test_setup(test_node_allocation_fails, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
