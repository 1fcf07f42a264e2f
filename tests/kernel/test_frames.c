/* The frame allocator hands out every free frame exactly once, never a
 * reserved one, reports exhaustion, takes them all back and refuses a
 * double free. */
#include <amphi/test.h>
#include <amphi/frame.h>
#include <amphi/heap.h>
#include <amphi/kmap.h>
#include <amphi/mm.h>
#include <amphi/layout.h>
#include <amphi/string.h>

extern char _kernel_phys_start[], _kernel_phys_end[];

static int in_usable(pfn_t p)
{
	uint64_t a = (uint64_t)p << PAGE_SHIFT;
	for (unsigned i = 0; i < boot_info.nr_mem; i++) {
		const struct mem_region *m = &boot_info.mem[i];
		if (m->type == MEM_USABLE && a >= m->base && a + PAGE_SIZE <= m->base + m->size)
			return 1;
	}
	return 0;
}

DEFINE_TEST(test_frames, "frames", "allocate all frames, free all, no double hand-out")
{
	uint32_t words = frame_bitmap_words(frames.max_pfn);
	uint32_t *seen = kzalloc(words * 4);
	pfn_t *list = 0;
	CHECK(seen, "no memory for the test's own bitmap");

	uint32_t free0 = frames.nr_free, got = 0;
	pfn_t highest = 0, high_pfn = PFN_NONE;
	uint64_t kstart = (uintptr_t)_kernel_phys_start >> PAGE_SHIFT;
	uint64_t kend = ((uintptr_t)_kernel_phys_end + PAGE_SIZE - 1) >> PAGE_SHIFT;
	uint64_t bstart = mm_summary.bitmap_pa >> PAGE_SHIFT;
	uint64_t bend = bstart + (words * 4 + PAGE_SIZE - 1) / PAGE_SIZE;

	for (;;) {
		pfn_t p = fa_alloc(&frames, FRAME_ANY);
		if (p == PFN_NONE)
			break;
		CHECK(!(seen[p / 32] & (1u << (p % 32))), "pfn %#x handed out twice", p);
		seen[p / 32] |= 1u << (p % 32);
		CHECK(p >= 0x100, "pfn %#x below 1 MiB handed out", p);
		CHECK(p < kstart || p >= kend, "pfn %#x inside the kernel image", p);
		CHECK(p < bstart || p >= bend, "pfn %#x inside the frame bitmap", p);
		CHECK(in_usable(p), "pfn %#x is not usable RAM", p);
		if (p > highest)
			highest = p;
		if (p >= 0x100000 && high_pfn == PFN_NONE)
			high_pfn = p;    /* above 4 GiB */
		got++;
	}
	CHECK(got == free0, "allocated %u frames, %u were free", got, free0);
	CHECK(frames.nr_free == 0, "allocator still counts %u free frames", frames.nr_free);
	CHECK(frame_alloc(FRAME_LOW) == PFN_NONE, "allocation succeeded with nothing free");

	/* A frame above 4 GiB is reachable through kmap (PAE). */
	if (high_pfn != PFN_NONE) {
		uint32_t *va = kmap(high_pfn);
		CHECK(va, "kmap of pfn %#x failed", high_pfn);
		va[0] = 0xfeedface;
		va[1023] = high_pfn;
		kunmap(va);
		va = kmap(high_pfn);
		CHECK(va[0] == 0xfeedface && va[1023] == high_pfn, "frame above 4 GiB did not read back");
		kunmap(va);
		printk("  wrote and read back pfn %#x (at %#llx, above 4 GiB)\n", high_pfn,
		       (unsigned long long)high_pfn << PAGE_SHIFT);
	}

	uint32_t freed = 0;
	for (pfn_t p = 0; p < frames.max_pfn; p++)
		if (seen[p / 32] & (1u << (p % 32))) {
			CHECK(fa_free(&frames, p) == 0, "free of pfn %#x refused", p);
			freed++;
		}
	CHECK(frames.nr_free == free0, "after freeing all: %u free, expected %u", frames.nr_free, free0);
	pfn_t p = fa_alloc(&frames, FRAME_LOW);
	CHECK(p != PFN_NONE, "no frame after freeing all");
	CHECK(fa_free(&frames, p) == 0 && fa_free(&frames, p) != 0, "double free of pfn %#x accepted", p);
	CHECK(fa_free(&frames, frames.max_pfn + 5) != 0, "free of an out-of-range pfn accepted");
	kfree(seen);
	(void)list;
	printk("  %u frames allocated once each and freed (highest pfn %#x)\n", freed, highest);
	return TEST_SUCCESS;
}
