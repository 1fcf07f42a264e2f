/* kmalloc/kfree: contents survive, blocks do not overlap, the heap stays
 * consistent, and bad frees and impossible requests are refused. */
#include <amphi/test.h>
#include <amphi/heap.h>
#include <amphi/string.h>
#include <amphi/frame.h>

#define N 256

DEFINE_TEST(test_heap, "heap", "kmalloc/kfree patterns, big blocks, bad frees, OOM")
{
	static unsigned char *p[N];
	static size_t sz[N];
	uint32_t seed = 12345;

	for (int round = 0; round < 4; round++) {
		for (int i = 0; i < N; i++) {
			seed = seed * 1103515245 + 12345;
			sz[i] = 1 + (seed >> 16) % (i % 16 == 0 ? 20000 : 300);
			p[i] = kmalloc(sz[i]);
			CHECK(p[i], "kmalloc(%zu) failed", sz[i]);
			CHECK(((uintptr_t)p[i] & 15) == 0, "kmalloc returned unaligned %p", p[i]);
			memset(p[i], i & 0xff, sz[i]);
		}
		for (int i = 0; i < N; i++)
			for (size_t k = 0; k < sz[i]; k += 7)
				CHECK(p[i][k] == (i & 0xff), "block %d overwritten at %zu", i, k);
		for (int i = round & 1; i < N; i += 2)
			kfree(p[i]);
		for (int i = !(round & 1); i < N; i += 2)
			kfree(p[i]);
	}
	/* A block larger than one heap growth step; smaller on tiny machines. */
	size_t bigsz = frames.nr_free_low > 4096 ? 4 << 20 : 256 << 10;
	void *big = kmalloc(bigsz);
	CHECK(big, "%zu KiB allocation failed", bigsz >> 10);
	memset(big, 0x5a, bigsz);
	kfree(big);

	CHECK(kmalloc((size_t)CONFIG_HEAP_MAX_MB << 21) == 0, "impossible allocation succeeded");
	void *a = kmalloc(64);
	kfree(a);
	kfree(a);                     /* refused: double free (message expected) */
	kfree((char *)a + 8);         /* refused: not a block */
	void *b = kmalloc(64);
	CHECK(b == a, "heap corrupted by refused frees (got %p, expected %p)", b, a);
	kfree(b);
	return TEST_SUCCESS;
}
