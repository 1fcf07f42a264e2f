/*
 * Memory bring-up, in order: place the frame bitmap in a free stretch of low
 * memory, hand the usable regions to the frame allocator and take back
 * everything that is in use (the first 1 MiB with its BIOS data, the kernel
 * image, the bitmap, the loader's modules), build the kernel's own page
 * tables and switch to them, then start the heap.
 */
#include <amphi/mm.h>
#include <amphi/memmap.h>
#include <amphi/frame.h>
#include <amphi/paging.h>
#include <amphi/heap.h>
#include <amphi/layout.h>
#include <amphi/printk.h>
#include <amphi/panic.h>
#include <amphi/string.h>

struct mm_summary mm_summary;
extern char _kernel_phys_start[], _kernel_phys_end[];

#define MAX_BUSY (BOOT_MODULES_MAX + 2)
struct range { uint64_t base, end; };

static unsigned busy_ranges(const struct boot_info *bi, struct range *r)
{
	unsigned n = 0;
	r[n++] = (struct range){ 0, 0x100000 };
	r[n++] = (struct range){ (uintptr_t)_kernel_phys_start, (uintptr_t)_kernel_phys_end };
	for (unsigned i = 0; i < bi->nr_modules; i++)
		r[n++] = (struct range){ bi->modules[i].base, bi->modules[i].base + bi->modules[i].size };
	return n;
}

/* First page-aligned stretch of `size` bytes of usable memory below `limit`
 * that overlaps nothing in use. */
static uint64_t find_free(const struct boot_info *bi, uint64_t size, uint64_t limit)
{
	struct range busy[MAX_BUSY];
	unsigned nb = busy_ranges(bi, busy);
	for (unsigned i = 0; i < bi->nr_mem; i++) {
		const struct mem_region *m = &bi->mem[i];
		if (m->type != MEM_USABLE)
			continue;
		uint64_t end = m->base + m->size < limit ? m->base + m->size : limit;
		uint64_t cand = (m->base + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
		for (int moved = 1; moved && cand + size <= end;) {
			moved = 0;
			for (unsigned b = 0; b < nb; b++)
				if (cand < busy[b].end && cand + size > busy[b].base) {
					cand = (busy[b].end + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
					moved = 1;
				}
		}
		if (cand + size <= end)
			return cand;
	}
	return 0;
}

void mm_init(struct boot_info *bi)
{
	uint64_t usable_end = memmap_usable_end(bi->mem, bi->nr_mem);
	uint64_t low_cap = (uint64_t)CONFIG_LOWMEM_MAX_MB << 20;
	uint64_t lowmem_end = usable_end < low_cap ? usable_end : low_cap;
	pfn_t max_pfn = (pfn_t)(usable_end >> PAGE_SHIFT);
	pfn_t low_pfn = (pfn_t)(lowmem_end >> PAGE_SHIFT);

	if (lowmem_end < 0x200000 + ((uintptr_t)_kernel_phys_end - (uintptr_t)_kernel_phys_start))
		panic("mm: too little memory: %llu KiB of low memory, the kernel needs more",
		      (unsigned long long)(lowmem_end >> 10));

	uint64_t bitmap_bytes = (uint64_t)frame_bitmap_words(max_pfn) * 4;
	uint64_t bitmap_pa = find_free(bi, bitmap_bytes, lowmem_end);
	if (!bitmap_pa)
		panic("mm: no room for the frame bitmap (%llu KiB) in low memory",
		      (unsigned long long)(bitmap_bytes >> 10));

	fa_init(&frames, phys_to_virt(bitmap_pa), max_pfn, low_pfn);
	for (unsigned i = 0; i < bi->nr_mem; i++)
		if (bi->mem[i].type == MEM_USABLE)
			fa_add_range(&frames, bi->mem[i].base, bi->mem[i].size);
	struct range busy[MAX_BUSY];
	unsigned nb = busy_ranges(bi, busy);
	for (unsigned b = 0; b < nb; b++)
		fa_reserve_range(&frames, busy[b].base, busy[b].end - busy[b].base);
	fa_reserve_range(&frames, bitmap_pa, bitmap_bytes);

	mm_summary.usable_bytes = memmap_usable_bytes(bi->mem, bi->nr_mem);
	for (unsigned i = 0; i < bi->nr_mem; i++) {
		const struct mem_region *m = &bi->mem[i];
		if (m->type == MEM_USABLE && m->base + m->size > 0x100000000ull)
			mm_summary.above_4g_bytes += m->base + m->size -
				(m->base > 0x100000000ull ? m->base : 0x100000000ull);
	}
	mm_summary.lowmem_end = lowmem_end;
	mm_summary.bitmap_pa = (uint32_t)bitmap_pa;
	printk("mm: %u frames free of %u tracked (%llu MiB above 4 GiB), lowmem %llu MiB, "
	       "bitmap %llu KiB at %#llx\n", frames.nr_free, max_pfn,
	       (unsigned long long)(mm_summary.above_4g_bytes >> 20),
	       (unsigned long long)(lowmem_end >> 20), (unsigned long long)(bitmap_bytes >> 10),
	       (unsigned long long)bitmap_pa);

	paging_init(lowmem_end);
	kheap_init();
	mm_summary.frames_total = frames.nr_free;
}
