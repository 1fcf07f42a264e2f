/* kmap: a page table's worth of slots at KMAP_BASE for short-lived
 * mappings of frames outside the direct map. */
#include <amphi/kmap.h>
#include <amphi/paging.h>
#include <amphi/layout.h>
#include <amphi/printk.h>
#include <amphi/klog.h>
#include <amphi/string.h>

#define SLOTS 512
static uint32_t busy[SLOTS / 32];

void *kmap(pfn_t pfn)
{
	for (unsigned i = 0; i < SLOTS; i++) {
		if (busy[i / 32] & (1u << (i % 32)))
			continue;
		busy[i / 32] |= 1u << (i % 32);
		uintptr_t va = KMAP_BASE + i * PAGE_SIZE;
		paging_map(va, (uint64_t)pfn << PAGE_SHIFT, PAGE_KERNEL_RW & ~pte_global);
		return (void *)va;
	}
	printk(KERN_ERR "kmap: all %u slots busy\n", SLOTS);
	return 0;
}

void kunmap(void *va)
{
	uintptr_t a = (uintptr_t)va & PAGE_MASK;
	if (a < KMAP_BASE || a >= KMAP_BASE + SLOTS * PAGE_SIZE)
		return;
	unsigned i = (a - KMAP_BASE) / PAGE_SIZE;
	paging_unmap(a);
	busy[i / 32] &= ~(1u << (i % 32));
}

static int phys_copy(uint64_t pa, void *buf, size_t len, int to_phys)
{
	while (len) {
		size_t off = pa & (PAGE_SIZE - 1);
		size_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		char *va = kmap((pfn_t)(pa >> PAGE_SHIFT));
		if (!va)
			return -1;
		if (to_phys)
			memcpy(va + off, buf, n);
		else
			memcpy(buf, va + off, n);
		kunmap(va);
		pa += n;
		buf = (char *)buf + n;
		len -= n;
	}
	return 0;
}

int phys_read(void *dst, uint64_t pa, size_t len) { return phys_copy(pa, dst, len, 0); }
int phys_write(uint64_t pa, const void *src, size_t len) { return phys_copy(pa, (void *)src, len, 1); }
