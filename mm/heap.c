/* kmalloc/kfree: the heap core over [HEAP_BASE, HEAP_LIMIT), grown by
 * mapping low frames. */
#include <amphi/heap.h>
#include <amphi/paging.h>
#include <amphi/frame.h>
#include <amphi/layout.h>
#include <amphi/printk.h>
#include <amphi/klog.h>
#include <amphi/string.h>
#include <amphi/spinlock.h>

static struct heap kheap;
/* Threads preempt each other and interrupt handlers may allocate. */
static spinlock_t kheap_lock = SPINLOCK_INIT("kheap");

/* Maps fresh frames over [h->end, new_end); on failure undoes what it did,
 * so that a failed kmalloc leaves memory as it was. */
static int kheap_grow(struct heap *h, uintptr_t new_end)
{
	uintptr_t va;
	for (va = h->end; va < new_end; va += PAGE_SIZE) {
		pfn_t p = frame_alloc(FRAME_LOW);
		if (p == PFN_NONE)
			goto undo;
		if (paging_map(va, (uint64_t)p << PAGE_SHIFT, PAGE_KERNEL_RW) != 0) {
			frame_free(p);
			goto undo;
		}
	}
	return 0;
undo:
	while (va > h->end) {
		va -= PAGE_SIZE;
		frame_free((pfn_t)(pte_phys(*paging_pte(va)) >> PAGE_SHIFT));
		paging_unmap(va);
	}
	return -1;
}

void kheap_init(void)
{
	uintptr_t limit = HEAP_BASE + (uintptr_t)CONFIG_HEAP_MAX_MB * 1024 * 1024;
	heap_init(&kheap, HEAP_BASE, limit < HEAP_LIMIT ? limit : HEAP_LIMIT, kheap_grow);
}

void *kmalloc(size_t size)
{
	irqflags_t f = spin_lock_irqsave(&kheap_lock);
	void *p = heap_alloc(&kheap, size);
	spin_unlock_irqrestore(&kheap_lock, f);
	if (!p)
		printk(KERN_ERR "kmalloc: out of memory for %zu bytes (%s; %zu bytes in use)\n",
		       size, kheap.last_error, kheap.bytes_in_use);
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	irqflags_t f = spin_lock_irqsave(&kheap_lock);
	int rc = heap_free(&kheap, p);
	spin_unlock_irqrestore(&kheap_lock, f);
	if (rc != 0)
		printk(KERN_ERR "kfree: refused %p: %s\n", p, kheap.last_error);
}

size_t kheap_bytes_in_use(void)
{
	irqflags_t f = spin_lock_irqsave(&kheap_lock);
	size_t n = kheap.bytes_in_use;
	spin_unlock_irqrestore(&kheap_lock, f);
	return n;
}
