/* The kernel's file pages (mm/filepages.c) on the host, for the ramfs tests:
 * the real page index (mm/page_index.c) over a heap-allocated "physical
 * memory" of FAKE_FRAMES frames, with a counter to make allocations fail. */
#include <stdlib.h>
#include <string.h>
#include <amphi/filepages.h>
#include <amphi/errno.h>
#include "fake_filepages.h"

#define FAKE_FRAMES 4096u
static unsigned char (*mem)[4096];
static unsigned char used[FAKE_FRAMES];
static uint32_t in_use;
int fake_frames_fail_after = -1;

static pfn_t take(void)
{
	if (fake_frames_fail_after == 0)
		return PFN_NONE;
	if (fake_frames_fail_after > 0)
		fake_frames_fail_after--;
	if (!mem)
		mem = calloc(FAKE_FRAMES, 4096);
	/* Frame 0 is never handed out, as in the kernel (the first MiB is reserved). */
	for (pfn_t p = 1; p < FAKE_FRAMES; p++)
		if (!used[p]) {
			used[p] = 1;
			in_use++;
			memset(mem[p], 0xa5, 4096);     /* garbage, as a recycled frame */
			return p;
		}
	return PFN_NONE;
}

static void give(pfn_t p)
{
	if (p == 0 || p >= FAKE_FRAMES || !used[p])
		abort();                        /* a bad or double free is a test failure */
	used[p] = 0;
	in_use--;
}

static pfn_t node_alloc(void *ctx)
{
	(void)ctx;
	pfn_t p = take();
	if (p != PFN_NONE)
		memset(mem[p], 0, 4096);
	return p;
}
static void node_free(void *ctx, pfn_t p) { (void)ctx; give(p); }
static uint32_t *node_ptr(void *ctx, pfn_t p) { (void)ctx; return (uint32_t *)mem[p]; }
static void page_free(void *ctx, pfn_t p) { (void)ctx; give(p); }
const struct pidx_mem fake_pidx_mem = { node_alloc, node_free, node_ptr, page_free, 0 };

uint32_t fake_frames_in_use(void) { return in_use; }

pfn_t filepage_lookup(const struct page_index *pi, uint32_t index) { return pidx_get(pi, index, &fake_pidx_mem); }

int filepage_get(struct page_index *pi, uint32_t index, pfn_t *out)
{
	pfn_t p = pidx_get(pi, index, &fake_pidx_mem);
	if (p != PFN_NONE) {
		*out = p;
		return 0;
	}
	if ((p = take()) == PFN_NONE)
		return -ENOSPC;
	memset(mem[p], 0, 4096);
	if (pidx_set(pi, index, p, &fake_pidx_mem)) {
		give(p);
		return -ENOSPC;
	}
	*out = p;
	return 1;
}

void filepages_truncate(struct page_index *pi, uint32_t first) { pidx_truncate(pi, first, &fake_pidx_mem); }
/* No program maps a page here: every page is the file's alone. */
int filepage_private(struct page_index *pi, uint32_t index, pfn_t *pfn)
{
	(void)pi, (void)index, (void)pfn;
	return 0;
}
void *filepage_map(pfn_t pfn) { return mem[pfn]; }
void filepage_unmap(void *va) { (void)va; }
