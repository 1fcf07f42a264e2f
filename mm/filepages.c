/*
 * The kernel's file pages (include/amphi/filepages.h): data in frames of
 * any zone, index nodes in low (direct-mapped) frames, and a reserve of free
 * frames that files never take, so that the kernel keeps working when files
 * fill memory: page tables, kernel stacks and heap growth come from it, and
 * so do the pages of the processes that are running (a shell, its rm).
 */
#include <amphi/filepages.h>
#include <amphi/frame.h>
#include <amphi/kmap.h>
#include <amphi/layout.h>
#include <amphi/mm.h>
#include <amphi/string.h>
#include <amphi/errno.h>
#include <amphi/spinlock.h>
#include <amphi/vm.h>

#define PFN_4G 0x100000u                /* the first frame above 4 GiB */

static uint32_t data_pages, index_pages, high_pages, above_4g_pages;
static pfn_t hint_4g = PFN_4G;

/* 4 MiB plus 1/32 of memory, at most 64 MiB: on 64 MiB 6 MiB, on 512 MiB
 * 20 MiB (busybox, a shell and a heap grown to its 32 MiB cap fit), on a big
 * machine 64 MiB, which is plenty for the kernel's own needs. */
static uint32_t reserve(void)
{
	uint32_t r = 1024 + mm_summary.frames_total / 32;
	return r < 16384 ? r : 16384;
}

static int is_low(pfn_t p)
{
	return p < frames.low_limit;
}

/* Quietly (frame_alloc prints when out, and running out here is ordinary:
 * write(2) says ENOSPC).  File data is only ever reached through kmap, so
 * it takes the frames nothing else can use first: above 4 GiB (32-bit DMA
 * and the PAE root need frames below), then outside the direct map; a low
 * frame only while the low zone stays above the reserve too (the heap and
 * page tables can only use low frames). */
static pfn_t data_frame(void)
{
	irqflags_t f = irq_save();
	pfn_t p = PFN_NONE;
	uint32_t r = reserve();
	if (frames.nr_free > r) {
		if (frames.max_pfn > PFN_4G)
			p = fa_alloc_range(&frames, PFN_4G, frames.max_pfn, &hint_4g);
		if (p == PFN_NONE && frames.nr_free > frames.nr_free_low)
			p = fa_alloc(&frames, FRAME_ANY);
		if (p == PFN_NONE && frames.nr_free_low > r)
			p = fa_alloc(&frames, FRAME_LOW);
	}
	if (p != PFN_NONE) {
		data_pages++;
		if (!is_low(p))
			high_pages++;
		if (p >= PFN_4G)
			above_4g_pages++;
	}
	irq_restore(f);
	return p;
}

/* Index nodes are few (one per 4 MiB of file) and must be low: they may
 * dip into half the low reserve. */
static pfn_t node_alloc(void *ctx)
{
	(void)ctx;
	irqflags_t f = irq_save();
	pfn_t p = PFN_NONE;
	if (frames.nr_free_low > reserve() / 2)
		p = fa_alloc(&frames, FRAME_LOW);
	if (p != PFN_NONE)
		index_pages++;
	irq_restore(f);
	if (p != PFN_NONE)
		memset(phys_to_virt((uint64_t)p << PAGE_SHIFT), 0, PAGE_SIZE);
	return p;
}


static void node_free(void *ctx, pfn_t p)
{
	(void)ctx;
	irqflags_t f = irq_save();
	frame_free(p);
	index_pages--;
	irq_restore(f);
}

static uint32_t *node_ptr(void *ctx, pfn_t p)
{
	(void)ctx;
	return phys_to_virt((uint64_t)p << PAGE_SHIFT);
}

static void page_free(void *ctx, pfn_t p)
{
	(void)ctx;
	irqflags_t f = irq_save();
	if (!frame_ref_hand_over(p))
		frame_free(p);
	data_pages--;
	if (!is_low(p))
		high_pages--;
	if (p >= PFN_4G)
		above_4g_pages--;
	irq_restore(f);
}

static const struct pidx_mem kmem = { node_alloc, node_free, node_ptr, page_free, 0 };

pfn_t filepage_lookup(const struct page_index *pi, uint32_t index)
{
	return pidx_get(pi, index, &kmem);
}

int filepage_get(struct page_index *pi, uint32_t index, pfn_t *out)
{
	pfn_t p = pidx_get(pi, index, &kmem);
	if (p != PFN_NONE) {
		*out = p;
		return 0;
	}
	p = data_frame();
	if (p == PFN_NONE)
		return -ENOSPC;
	/* Zeroed before it joins the index: a new page reads as a hole did. */
	void *va = filepage_map(p);
	if (!va) {
		page_free(0, p);
		return -ENOMEM;
	}
	memset(va, 0, PAGE_SIZE);
	filepage_unmap(va);
	if (pidx_set(pi, index, p, &kmem)) {
		page_free(0, p);
		return -ENOSPC;
	}
	*out = p;
	return 1;
}

void filepages_truncate(struct page_index *pi, uint32_t first)
{
	pidx_truncate(pi, first, &kmem);
}

pfn_t filepage_share(const struct page_index *pi, uint32_t index)
{
	pfn_t p = pidx_get(pi, index, &kmem);
	if (p != PFN_NONE && frame_ref_get(p))
		p = PFN_NONE;
	return p;
}

int filepage_private(struct page_index *pi, uint32_t index, pfn_t *pfn)
{
	if (frame_ref_count(*pfn) == 1)
		return 0;
	pfn_t p = data_frame();
	if (p == PFN_NONE)
		return -ENOSPC;
	void *to = filepage_map(p), *from = to ? filepage_map(*pfn) : 0;
	if (!from) {
		if (to)
			filepage_unmap(to);
		page_free(0, p);
		return -ENOMEM;
	}
	memcpy(to, from, PAGE_SIZE);
	filepage_unmap(from);
	filepage_unmap(to);
	pfn_t old = *pfn;
	pidx_set(pi, index, p, &kmem);          /* the entry exists: cannot fail */
	page_free(0, old);                      /* hands it to the programs */
	*pfn = p;
	return 0;
}

void *filepage_map(pfn_t pfn)
{
	if (is_low(pfn))
		return phys_to_virt((uint64_t)pfn << PAGE_SHIFT);
	irqflags_t f = irq_save();
	void *va = kmap(pfn);
	irq_restore(f);
	return va;
}

void filepage_unmap(void *va)
{
	if ((uintptr_t)va < KMAP_BASE || (uintptr_t)va >= HEAP_BASE)
		return;                         /* the direct map: nothing to undo */
	irqflags_t f = irq_save();
	kunmap(va);
	irq_restore(f);
}

void filepages_stats(struct filepages_stats *st)
{
	irqflags_t f = irq_save();
	st->data_pages = data_pages;
	st->index_pages = index_pages;
	st->high_pages = high_pages;
	st->above_4g_pages = above_4g_pages;
	st->reserve_pages = reserve();
	st->total_pages = mm_summary.frames_total;
	irq_restore(f);
}

uint32_t filepages_in_use(void)
{
	return data_pages + index_pages;
}
