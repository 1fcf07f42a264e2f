/* First-fit heap with coalescing (pure; host-tested).  See amphi/heap.h. */
#include <amphi/heap.h>

#define MAGIC_USED 0xA110C8EDu
#define MAGIC_FREE 0xF4EEB10Cu
#define GROW_STEP  (64 * 1024)

struct heap_block {
	uint32_t magic;
	uint32_t size;                /* whole block, header included */
	struct heap_block *next;      /* free list (free blocks only) */
	uint32_t _pad;                /* keeps payloads 16-byte aligned */
};

_Static_assert(sizeof(struct heap_block) == HEAP_ALIGN || sizeof(void *) == 8, "header size");
#define HDR ((sizeof(struct heap_block) + HEAP_ALIGN - 1) & ~(size_t)(HEAP_ALIGN - 1))

void heap_init(struct heap *h, uintptr_t base, uintptr_t limit,
	       int (*grow)(struct heap *, uintptr_t))
{
	h->base = h->end = (base + HEAP_ALIGN - 1) & ~(uintptr_t)(HEAP_ALIGN - 1);
	h->limit = limit;
	h->free_list = 0;
	h->grow = grow;
	h->bytes_in_use = 0;
	h->last_error = 0;
}

/* Inserts b into the address-ordered free list, merging with neighbours. */
static void insert_free(struct heap *h, struct heap_block *b)
{
	struct heap_block **pp = &h->free_list, *prev = 0;
	while (*pp && *pp < b) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	b->magic = MAGIC_FREE;
	b->next = *pp;
	*pp = b;
	if (b->next && (uintptr_t)b + b->size == (uintptr_t)b->next) {
		b->size += b->next->size;
		b->next->magic = 0;
		b->next = b->next->next;
	}
	if (prev && (uintptr_t)prev + prev->size == (uintptr_t)b) {
		prev->size += b->size;
		prev->next = b->next;
		b->magic = 0;
	}
}

static int extend(struct heap *h, size_t need)
{
	size_t step = need > GROW_STEP ? need : GROW_STEP;
	uintptr_t new_end = (h->end + step + 4095) & ~(uintptr_t)4095;
	if (new_end > h->limit || new_end < h->end) {
		new_end = h->limit;
		if (new_end - h->end < need) {
			h->last_error = "heap region exhausted";
			return -1;
		}
	}
	if (h->grow && h->grow(h, new_end) != 0) {
		h->last_error = "no frames to grow the heap";
		return -1;
	}
	struct heap_block *b = (struct heap_block *)h->end;
	b->size = (uint32_t)(new_end - h->end);
	h->end = new_end;
	insert_free(h, b);
	return 0;
}

void *heap_alloc(struct heap *h, size_t size)
{
	if (size == 0)
		size = 1;
	if (size > h->limit - h->base) {
		h->last_error = "request larger than the heap";
		return 0;
	}
	size_t need = (size + HDR + HEAP_ALIGN - 1) & ~(size_t)(HEAP_ALIGN - 1);
	for (int attempt = 0; attempt < 2; attempt++) {
		for (struct heap_block **pp = &h->free_list; *pp; pp = &(*pp)->next) {
			struct heap_block *b = *pp;
			if (b->size < need)
				continue;
			if (b->size - need >= HDR + HEAP_ALIGN) {
				struct heap_block *rest = (struct heap_block *)((uintptr_t)b + need);
				rest->magic = MAGIC_FREE;
				rest->size = b->size - (uint32_t)need;
				rest->next = b->next;
				b->size = (uint32_t)need;
				*pp = rest;
			} else {
				*pp = b->next;
			}
			b->magic = MAGIC_USED;
			b->next = 0;
			h->bytes_in_use += b->size;
			return (char *)b + HDR;
		}
		if (extend(h, need) != 0)
			return 0;
	}
	h->last_error = "heap inconsistent after growing";
	return 0;
}

int heap_free(struct heap *h, void *p)
{
	uintptr_t a = (uintptr_t)p;
	if (!p)
		return 0;
	if (a < h->base + HDR || a >= h->end || (a & (HEAP_ALIGN - 1))) {
		h->last_error = "pointer outside the heap";
		return -1;
	}
	struct heap_block *b = (struct heap_block *)(a - HDR);
	if (b->magic == MAGIC_FREE) {
		h->last_error = "double free";
		return -1;
	}
	if (b->magic != MAGIC_USED || b->size < HDR || a - HDR + b->size > h->end) {
		h->last_error = "not the start of a heap block";
		return -1;
	}
	h->bytes_in_use -= b->size;
	insert_free(h, b);
	return 0;
}

size_t heap_block_size(const void *p)
{
	const struct heap_block *b = (const struct heap_block *)((uintptr_t)p - HDR);
	return b->size - HDR;
}

int heap_check(const struct heap *h)
{
	uintptr_t a = h->base;
	while (a < h->end) {
		const struct heap_block *b = (const struct heap_block *)a;
		if ((b->magic != MAGIC_USED && b->magic != MAGIC_FREE) || b->size < HDR ||
		    a + b->size > h->end)
			return -1;
		a += b->size;
	}
	return a == h->end ? 0 : -1;
}
