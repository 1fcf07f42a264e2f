/*
 * The kernel heap.  The core (struct heap) is a first-fit allocator with an
 * address-ordered free list and coalescing over a region that grows upward
 * through a callback (the kernel maps fresh frames there); it is pure and
 * host-tested.  Every block carries a magic word so that kfree() of a bad or
 * already-freed pointer is reported instead of corrupting the heap.
 */
#ifndef AMPHI_HEAP_H
#define AMPHI_HEAP_H
#include <stddef.h>
#include <stdint.h>

struct heap_block;
struct heap {
	uintptr_t base, end, limit;     /* [base, end) in use by the heap; end <= limit */
	struct heap_block *free_list;
	/* Extend the usable region to new_end (page-aligned); 0 on success. */
	int (*grow)(struct heap *h, uintptr_t new_end);
	size_t bytes_in_use;
	const char *last_error;
};

#define HEAP_ALIGN 16

void heap_init(struct heap *h, uintptr_t base, uintptr_t limit,
	       int (*grow)(struct heap *, uintptr_t));
void *heap_alloc(struct heap *h, size_t size);
/* Returns 0, or -1 for a pointer that is not a live block (h->last_error says why). */
int heap_free(struct heap *h, void *p);
size_t heap_block_size(const void *p);
/* Walks the heap and checks every header; returns 0 if consistent. */
int heap_check(const struct heap *h);

/* The kernel's heap (mm/heap.c). */
void kheap_init(void);
void *kmalloc(size_t size);   /* NULL and a message when out of memory */
void *kzalloc(size_t size);
size_t kheap_bytes_in_use(void);   /* /proc/meminfo */
void kfree(void *p);          /* reports bad pointers, never corrupts */
#endif
