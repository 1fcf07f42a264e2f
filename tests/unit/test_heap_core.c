/*
 * Host tests for mm/heap_core.c: the first-fit heap over a host buffer,
 * with a grow callback standing in for the kernel's frame mapping.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <amphi/heap.h>

#define ARENA (1024 * 1024)
static _Alignas(4096) unsigned char arena[ARENA];
static struct heap h;

/* Growth is granted up to grow_allowed; every request is recorded. */
static uintptr_t grow_allowed;
static unsigned grow_calls, grow_refused;
static uintptr_t grow_last;

static int grow(struct heap *hp, uintptr_t new_end)
{
	assert_ptr_equal(hp, &h);
	assert_true(new_end > hp->end);
	assert_true(new_end <= hp->limit);
	grow_calls++;
	grow_last = new_end;
	if (new_end > grow_allowed) {
		grow_refused++;
		return -1;
	}
	return 0;
}

static uintptr_t A(size_t off) { return (uintptr_t)arena + off; }

static void init_heap(size_t base_off, size_t limit_off, size_t allowed_off)
{
	memset(arena, 0x5A, sizeof(arena));
	heap_init(&h, A(base_off), A(limit_off), grow);
	grow_allowed = A(allowed_off);
	grow_calls = grow_refused = 0;
	grow_last = 0;
}

static int setup(void **state)
{
	(void)state;
	init_heap(0, ARENA, ARENA);
	return 0;
}

/* Header overhead as seen from outside: first payload minus base. */
static size_t overhead(void)
{
	static _Alignas(4096) unsigned char probe_arena[128 * 1024];
	struct heap probe;
	heap_init(&probe, (uintptr_t)probe_arena, (uintptr_t)probe_arena + sizeof(probe_arena), NULL);
	void *p = heap_alloc(&probe, 1);
	assert_non_null(p);
	return (uintptr_t)p - probe.base;
}

static void test_init_empty_heap(void **state)
{
	(void)state;
	init_heap(5, ARENA, ARENA);           /* unaligned base */
	assert_int_equal(h.base, A(16));
	assert_int_equal(h.end, h.base);
	assert_int_equal(h.limit, A(ARENA));
	assert_null(h.free_list);
	assert_int_equal(h.bytes_in_use, 0);
	assert_null(h.last_error);
	assert_int_equal(heap_check(&h), 0);
}

static void test_alloc_returns_aligned_disjoint_writable_blocks(void **state)
{
	(void)state;
	static const size_t sizes[] = { 1, 2, 15, 16, 17, 31, 32, 33, 100, 4095, 4096, 4097, 7, 64, 1000 };
	enum { NS = sizeof(sizes) / sizeof(sizes[0]) };
	unsigned char *p[NS];
	for (unsigned i = 0; i < NS; i++) {
		p[i] = heap_alloc(&h, sizes[i]);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % HEAP_ALIGN, 0);
		assert_true((uintptr_t)p[i] >= h.base && (uintptr_t)p[i] + sizes[i] <= h.end);
		assert_true(heap_block_size(p[i]) >= sizes[i]);
		memset(p[i], (int)i + 1, sizes[i]);
	}
	for (unsigned i = 0; i < NS; i++)
		for (unsigned j = 0; j < NS; j++)
			if (i != j)
				assert_true(p[i] + sizes[i] <= p[j] || p[j] + sizes[j] <= p[i]);
	for (unsigned i = 0; i < NS; i++)
		for (size_t k = 0; k < sizes[i]; k++)
			assert_int_equal(p[i][k], i + 1);
	assert_int_equal(heap_check(&h), 0);
}

static void test_alloc_zero_gives_distinct_blocks(void **state)
{
	(void)state;
	void *a = heap_alloc(&h, 0), *b = heap_alloc(&h, 0);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_int_equal(heap_free(&h, a), 0);
	assert_int_equal(heap_free(&h, b), 0);
}

static void test_first_alloc_grows_by_a_step(void **state)
{
	(void)state;
	assert_int_equal(h.end, h.base);
	void *p = heap_alloc(&h, 100);
	assert_non_null(p);
	assert_int_equal(grow_calls, 1);
	assert_int_equal(grow_last, h.end);
	assert_int_equal(h.end - h.base, 64 * 1024);
	assert_int_equal(h.end % 4096, 0);
	/* Small allocations are then served without growing. */
	for (int i = 0; i < 100; i++)
		assert_non_null(heap_alloc(&h, 100));
	assert_int_equal(grow_calls, 1);
}

static void test_large_alloc_grows_enough(void **state)
{
	(void)state;
	void *p = heap_alloc(&h, 200 * 1024);
	assert_non_null(p);
	assert_true((uintptr_t)p + 200 * 1024 <= h.end);
	assert_int_equal(h.end % 4096, 0);
	memset(p, 0xAB, 200 * 1024);
	assert_int_equal(heap_check(&h), 0);
}

static void test_bytes_in_use_accounting(void **state)
{
	(void)state;
	void *a = heap_alloc(&h, 10), *b = heap_alloc(&h, 1000);
	size_t oh = overhead();
	assert_int_equal(h.bytes_in_use, heap_block_size(a) + heap_block_size(b) + 2 * oh);
	heap_free(&h, a);
	assert_int_equal(h.bytes_in_use, heap_block_size(b) + oh);
	heap_free(&h, b);
	assert_int_equal(h.bytes_in_use, 0);
}

static void test_freed_block_is_reused_first_fit(void **state)
{
	(void)state;
	void *a = heap_alloc(&h, 256);
	void *b = heap_alloc(&h, 256);
	assert_non_null(b);
	assert_int_equal(heap_free(&h, a), 0);
	void *c = heap_alloc(&h, 200);
	assert_ptr_equal(c, a);
	assert_int_equal(heap_check(&h), 0);
}

static void test_free_all_coalesces_into_one_block(void **state)
{
	(void)state;
	enum { N = 200 };
	void *p[N];
	for (int i = 0; i < N; i++) {
		p[i] = heap_alloc(&h, 16 + (i * 37) % 300);
		assert_non_null(p[i]);
	}
	uintptr_t end = h.end;
	unsigned calls = grow_calls;
	/* Free in an interleaved order so both merge directions are used. */
	for (int i = 0; i < N; i += 2)
		assert_int_equal(heap_free(&h, p[i]), 0);
	for (int i = N - 1; i > 0; i -= 2)
		assert_int_equal(heap_free(&h, p[i]), 0);
	assert_int_equal(h.bytes_in_use, 0);
	assert_int_equal(heap_check(&h), 0);
	/* The whole heap is one free block: the largest request fits in place. */
	void *big = heap_alloc(&h, end - h.base - 32);
	assert_non_null(big);
	assert_ptr_equal(big, p[0]);
	assert_int_equal(h.end, end);
	assert_int_equal(grow_calls, calls);
	assert_int_equal(heap_free(&h, big), 0);
}

static void test_free_middle_merges_with_both_neighbours(void **state)
{
	(void)state;
	char *a = heap_alloc(&h, 1024), *b = heap_alloc(&h, 1024), *c = heap_alloc(&h, 1024);
	void *guard = heap_alloc(&h, 16);
	assert_non_null(guard);
	assert_int_equal(heap_free(&h, a), 0);
	assert_int_equal(heap_free(&h, c), 0);
	assert_int_equal(heap_free(&h, b), 0);
	/* a+b+c now form one block of at least 3 KiB plus two headers. */
	void *d = heap_alloc(&h, 3 * 1024 + 16);
	assert_ptr_equal(d, a);
	assert_int_equal(heap_check(&h), 0);
}

static void test_free_null_is_ok(void **state)
{
	(void)state;
	assert_int_equal(heap_free(&h, NULL), 0);
	assert_null(h.last_error);
}

static void test_free_pointer_outside_heap_fails(void **state)
{
	(void)state;
	void *p = heap_alloc(&h, 64);
	static _Alignas(16) char elsewhere[64];
	size_t used = h.bytes_in_use;
	assert_int_equal(heap_free(&h, elsewhere + 32), -1);
	assert_non_null(h.last_error);
	assert_non_null(strstr(h.last_error, "outside"));
	h.last_error = NULL;
	assert_int_equal(heap_free(&h, (void *)h.end), -1);          /* just past */
	assert_non_null(h.last_error);
	h.last_error = NULL;
	assert_int_equal(heap_free(&h, (void *)h.base), -1);         /* before the first payload */
	assert_non_null(h.last_error);
	assert_int_equal(h.bytes_in_use, used);
	assert_int_equal(heap_check(&h), 0);
	assert_int_equal(heap_free(&h, p), 0);
}

static void test_free_misaligned_or_interior_pointer_fails(void **state)
{
	(void)state;
	char *p = heap_alloc(&h, 256);
	memset(p, 0, 256);
	size_t used = h.bytes_in_use;
	assert_int_equal(heap_free(&h, p + 1), -1);
	assert_non_null(h.last_error);
	h.last_error = NULL;
	assert_int_equal(heap_free(&h, p + 64), -1);
	assert_non_null(h.last_error);
	assert_non_null(strstr(h.last_error, "not the start"));
	assert_int_equal(h.bytes_in_use, used);
	assert_int_equal(heap_check(&h), 0);
	assert_int_equal(heap_free(&h, p), 0);
}

static void test_double_free_fails_and_says_so(void **state)
{
	(void)state;
	void *a = heap_alloc(&h, 64), *b = heap_alloc(&h, 64), *c = heap_alloc(&h, 64);
	assert_non_null(a);
	assert_non_null(c);
	assert_int_equal(heap_free(&h, b), 0);
	size_t used = h.bytes_in_use;
	assert_int_equal(heap_free(&h, b), -1);
	assert_non_null(h.last_error);
	assert_non_null(strstr(h.last_error, "double free"));
	assert_int_equal(h.bytes_in_use, used);
	assert_int_equal(heap_check(&h), 0);
	/* The free list is intact: b's block is handed out once, not twice. */
	void *x = heap_alloc(&h, 64), *y = heap_alloc(&h, 64);
	assert_ptr_equal(x, b);
	assert_ptr_not_equal(y, b);
}

static void test_double_free_after_coalescing_fails(void **state)
{
	(void)state;
	void *a = heap_alloc(&h, 64), *b = heap_alloc(&h, 64), *c = heap_alloc(&h, 64);
	assert_non_null(c);
	assert_int_equal(heap_free(&h, a), 0);
	assert_int_equal(heap_free(&h, b), 0);    /* merges into a */
	size_t used = h.bytes_in_use;
	assert_int_equal(heap_free(&h, b), -1);
	assert_non_null(h.last_error);
	h.last_error = NULL;
	assert_int_equal(heap_free(&h, a), -1);
	assert_non_null(h.last_error);
	assert_int_equal(h.bytes_in_use, used);
	assert_int_equal(heap_check(&h), 0);
}

static void test_out_of_memory_returns_null(void **state)
{
	(void)state;
	init_heap(0, 256 * 1024, ARENA);
	/* Larger than the whole region. */
	assert_null(heap_alloc(&h, 300 * 1024));
	assert_non_null(h.last_error);
	assert_int_equal(h.end, h.base);
	/* Fits the region in principle, not beside what is already there. */
	void *a = heap_alloc(&h, 200 * 1024);
	assert_non_null(a);
	h.last_error = NULL;
	assert_null(heap_alloc(&h, 100 * 1024));
	assert_non_null(h.last_error);
	assert_true(h.end <= h.limit);
	assert_int_equal(heap_check(&h), 0);
	/* What does fit is still handed out, up to the limit and no further. */
	int n = 0;
	while (heap_alloc(&h, 1024))
		n++;
	assert_true(n > 40);
	assert_int_equal(h.end, h.limit);
	assert_int_equal(heap_check(&h), 0);
	assert_int_equal(heap_free(&h, a), 0);
	assert_non_null(heap_alloc(&h, 100 * 1024));
}

static void test_heap_grows_to_unaligned_limit_exactly(void **state)
{
	(void)state;
	init_heap(0, 100 * 1024 + 16 * 7, ARENA);
	assert_non_null(heap_alloc(&h, 70 * 1024));
	assert_non_null(heap_alloc(&h, 20 * 1024));
	assert_int_equal(h.end, h.limit);
	assert_int_equal(grow_last, h.limit);
	assert_int_equal(heap_check(&h), 0);
}

static void test_grow_failure_returns_null_and_keeps_heap_consistent(void **state)
{
	(void)state;
	init_heap(0, ARENA, 64 * 1024);       /* frames for one step only */
	unsigned char *a = heap_alloc(&h, 1000);
	assert_non_null(a);
	memset(a, 0x11, 1000);
	uintptr_t end = h.end;
	size_t used = h.bytes_in_use;
	assert_null(heap_alloc(&h, 100 * 1024));
	assert_int_equal(grow_refused, 1);
	assert_non_null(h.last_error);
	assert_non_null(strstr(h.last_error, "grow"));
	assert_int_equal(h.end, end);
	assert_int_equal(h.bytes_in_use, used);
	assert_int_equal(heap_check(&h), 0);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(a[i], 0x11);
	/* The existing free space still serves what fits. */
	void *b = heap_alloc(&h, 32 * 1024);
	assert_non_null(b);
	assert_int_equal(h.end, end);
	/* And once frames are available again, growth resumes. */
	grow_allowed = A(ARENA);
	assert_non_null(heap_alloc(&h, 100 * 1024));
	assert_true(h.end > end);
	assert_int_equal(heap_check(&h), 0);
}

static void test_growth_merges_with_trailing_free_block(void **state)
{
	(void)state;
	void *a = heap_alloc(&h, 60 * 1024);          /* leaves a small tail free */
	assert_non_null(a);
	uintptr_t end = h.end;
	void *b = heap_alloc(&h, 8 * 1024);           /* tail + new step */
	assert_non_null(b);
	assert_true((uintptr_t)b < end);              /* started in the old tail */
	assert_int_equal(heap_check(&h), 0);
}

static void test_heap_check_detects_corrupted_header(void **state)
{
	(void)state;
	unsigned char *a = heap_alloc(&h, 64), *b = heap_alloc(&h, 64);
	assert_non_null(a);
	assert_int_equal(heap_check(&h), 0);
	size_t oh = overhead();
	unsigned char saved[64];
	memcpy(saved, b - oh, oh);
	memset(b - oh, 0x00, 4);                      /* smash b's magic */
	assert_int_equal(heap_check(&h), -1);
	memcpy(b - oh, saved, oh);
	assert_int_equal(heap_check(&h), 0);
	memset(b - oh + 4, 0xFF, 4);                  /* size beyond the heap */
	assert_int_equal(heap_check(&h), -1);
	memcpy(b - oh, saved, oh);
	assert_int_equal(heap_check(&h), 0);
}

static void test_random_alloc_free_pattern_stays_consistent(void **state)
{
	(void)state;
	enum { SLOTS = 64, ROUNDS = 5000 };
	unsigned char *p[SLOTS] = { 0 };
	size_t sz[SLOTS] = { 0 };
	uint32_t rng = 12345;
	for (int r = 0; r < ROUNDS; r++) {
		rng = rng * 1103515245u + 12345u;
		unsigned s = (rng >> 16) % SLOTS;
		if (p[s]) {
			for (size_t k = 0; k < sz[s]; k++)
				assert_int_equal(p[s][k], (unsigned char)(s * 7 + 1));
			assert_int_equal(heap_free(&h, p[s]), 0);
			p[s] = NULL;
		} else {
			rng = rng * 1103515245u + 12345u;
			sz[s] = ((rng >> 16) % 3 == 0) ? (rng >> 8) % 9000 : (rng >> 8) % 200;
			p[s] = heap_alloc(&h, sz[s]);
			assert_non_null(p[s]);
			assert_int_equal((uintptr_t)p[s] % HEAP_ALIGN, 0);
			memset(p[s], s * 7 + 1, sz[s]);
		}
		if (r % 64 == 0)
			assert_int_equal(heap_check(&h), 0);
	}
	for (unsigned s = 0; s < SLOTS; s++)
		if (p[s])
			assert_int_equal(heap_free(&h, p[s]), 0);
	assert_int_equal(h.bytes_in_use, 0);
	assert_int_equal(heap_check(&h), 0);
	/* Everything coalesced back: the whole heap is one block again. */
	unsigned calls = grow_calls;
	assert_non_null(heap_alloc(&h, h.end - h.base - 32));
	assert_int_equal(grow_calls, calls);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);   /* keep stdout and stderr in order */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_init_empty_heap, setup),
		cmocka_unit_test_setup(test_alloc_returns_aligned_disjoint_writable_blocks, setup),
		cmocka_unit_test_setup(test_alloc_zero_gives_distinct_blocks, setup),
		cmocka_unit_test_setup(test_first_alloc_grows_by_a_step, setup),
		cmocka_unit_test_setup(test_large_alloc_grows_enough, setup),
		cmocka_unit_test_setup(test_bytes_in_use_accounting, setup),
		cmocka_unit_test_setup(test_freed_block_is_reused_first_fit, setup),
		cmocka_unit_test_setup(test_free_all_coalesces_into_one_block, setup),
		cmocka_unit_test_setup(test_free_middle_merges_with_both_neighbours, setup),
		cmocka_unit_test_setup(test_free_null_is_ok, setup),
		cmocka_unit_test_setup(test_free_pointer_outside_heap_fails, setup),
		cmocka_unit_test_setup(test_free_misaligned_or_interior_pointer_fails, setup),
		cmocka_unit_test_setup(test_double_free_fails_and_says_so, setup),
		cmocka_unit_test_setup(test_double_free_after_coalescing_fails, setup),
		cmocka_unit_test_setup(test_out_of_memory_returns_null, setup),
		cmocka_unit_test_setup(test_heap_grows_to_unaligned_limit_exactly, setup),
		cmocka_unit_test_setup(test_grow_failure_returns_null_and_keeps_heap_consistent, setup),
		cmocka_unit_test_setup(test_growth_merges_with_trailing_free_block, setup),
		cmocka_unit_test_setup(test_heap_check_detects_corrupted_header, setup),
		cmocka_unit_test_setup(test_random_alloc_free_pattern_stays_consistent, setup),
	};
	return cmocka_run_group_tests_name("heap_core", tests, NULL, NULL);
}
