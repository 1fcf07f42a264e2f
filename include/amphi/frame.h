/*
 * Physical frame allocator: one bit per 4 KiB frame (1 = free), over all
 * memory the map reports, including frames above 4 GiB (PAE).  Frames below
 * the lowmem limit are direct-mapped and can hold kernel data; FRAME_ANY
 * prefers the others.  The core (struct frame_alloc) is pure and
 * host-tested; the kernel uses the global instance through frame_*().
 */
#ifndef AMPHI_FRAME_H
#define AMPHI_FRAME_H
#include <stdint.h>

typedef uint32_t pfn_t;
#define PFN_NONE 0xFFFFFFFFu

enum frame_zone { FRAME_LOW, FRAME_ANY };

struct frame_alloc {
	uint32_t *bitmap;
	pfn_t max_pfn;          /* frames [0, max_pfn) are tracked */
	pfn_t low_limit;        /* frames below are direct-mapped */
	uint32_t nr_free, nr_free_low;
	pfn_t hint_low, hint_high;   /* per zone: no free frame below it (first fit) */
};

static inline uint32_t frame_bitmap_words(pfn_t max_pfn) { return (max_pfn + 31) / 32; }

void fa_init(struct frame_alloc *fa, uint32_t *bitmap, pfn_t max_pfn, pfn_t low_limit);
void fa_add_range(struct frame_alloc *fa, uint64_t base, uint64_t size);
void fa_reserve_range(struct frame_alloc *fa, uint64_t base, uint64_t size);
pfn_t fa_alloc(struct frame_alloc *fa, enum frame_zone zone);
/* A free frame in [lo, hi) (next fit from *hint, which moves past it), or
 * PFN_NONE: for callers with a placement of their own (file pages take
 * frames above 4 GiB first, mm/filepages.c). */
pfn_t fa_alloc_range(struct frame_alloc *fa, pfn_t lo, pfn_t hi, pfn_t *hint);
/* Returns 0, or -1 for a frame out of range or already free (double free). */
int fa_free(struct frame_alloc *fa, pfn_t pfn);
int fa_is_free(const struct frame_alloc *fa, pfn_t pfn);

/* Kernel-wide allocator (mm/frame.c). */
extern struct frame_alloc frames;
pfn_t frame_alloc(enum frame_zone zone);     /* PFN_NONE and a message when out */
void frame_free(pfn_t pfn);                    /* reports a bad free, never corrupts */
/* Called by frame_alloc when no frame is left: frees up to nr frames a
 * cache can drop without sleeping or allocating (the buffer cache's clean
 * blocks); returns how many.  NULL: none. */
extern unsigned (*frame_reclaim_hook)(unsigned nr);
#endif
