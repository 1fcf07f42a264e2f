/*
 * File pages: the page frames that hold file contents (ramfs now; the block
 * layer's buffer cache can keep cached blocks the same way).  The data lives
 * in frames from the frame allocator, any zone (above 4 GiB too, reached
 * through kmap), never in the kernel heap, and each file finds its pages
 * through a struct page_index: a radix tree of frame numbers whose nodes are
 * themselves frames (1024 entries of 4 bytes), so that a 400 MiB file needs
 * two levels and 101 index frames, and a lookup is two array reads.
 *
 * Two halves:
 *   mm/page_index.c  the tree, pure (host-tested in tests/unit/test_page_index.c);
 *                    how index frames are allocated and reached is passed in
 *                    (struct pidx_mem), so it runs on the host over a fake memory.
 *   mm/filepages.c   the kernel's: frames with a reserve kept back for the
 *                    kernel, mapping, and the counts for /proc/meminfo.
 *
 * For a block cache: one page_index per device, index = byte offset / 4096;
 * filepage_get for the page (zeroed when new), filepage_map/unmap around
 * CPU access, and (uint64_t)pfn << 12 as a struct blk_seg's phys for DMA
 * (any zone); filepages_truncate(pi, 0) drops a device's pages.
 *
 * Locking: none inside a page_index (its owner serialises; ramfs runs under
 * the VFS lock).  The filepage_* functions mask interrupts around the frame
 * allocator themselves, so that they can be called from any thread.
 */
#ifndef AMPHI_FILEPAGES_H
#define AMPHI_FILEPAGES_H
#include <stdint.h>
#include <amphi/frame.h>

#define PIDX_BITS 10u                       /* entries per index node: 1024 */
#define PIDX_FANOUT (1u << PIDX_BITS)
#define PIDX_MAX_HEIGHT 4u                  /* 1024^4 > 2^32: every uint32_t index */

/* One file's pages.  Zero-initialised (= {0}) is the empty index. */
struct page_index {
	pfn_t root;             /* frame of the top node + 1; 0 when empty */
	uint32_t height;        /* levels: the tree covers indices < 1024^height */
	uint32_t nr_pages;      /* data pages present */
	uint32_t nr_nodes;      /* index frames */
};

/* How a page_index reaches memory.  Node entries hold pfn + 1 (0 is a hole),
 * so a node must come zeroed from alloc_node. */
struct pidx_mem {
	pfn_t (*alloc_node)(void *ctx);         /* zeroed frame, or PFN_NONE */
	void (*free_node)(void *ctx, pfn_t pfn);
	uint32_t *(*node)(void *ctx, pfn_t pfn); /* the node's 1024 entries */
	void (*free_page)(void *ctx, pfn_t pfn); /* a data page dropped by truncate */
	void *ctx;
};

/* Pure arithmetic, exported for the tests. */
uint32_t pidx_height_for(uint32_t index);           /* levels needed to hold index (>= 1) */
uint32_t pidx_slot(uint32_t index, uint32_t level); /* entry in a node of that level (1 = leaf) */

/* The page at index, or PFN_NONE for a hole. */
pfn_t pidx_get(const struct page_index *pi, uint32_t index, const struct pidx_mem *m);
/* Stores pfn at index (a hole until now).  0, or -ENOMEM when an index node
 * cannot be had (nothing changes then). */
int pidx_set(struct page_index *pi, uint32_t index, pfn_t pfn, const struct pidx_mem *m);
/* Drops every page at index >= first (free_page on each) and the index
 * nodes left empty; first = 0 empties the index. */
void pidx_truncate(struct page_index *pi, uint32_t first, const struct pidx_mem *m);
/* The first present page at index >= *index: its pfn, *index moved to it;
 * PFN_NONE when there is none (for walks: writeback, copies). */
pfn_t pidx_next(const struct page_index *pi, uint32_t *index, const struct pidx_mem *m);

/* ---- the kernel's file pages (mm/filepages.c) ---- */

/* The page at index (PFN_NONE: a hole). */
pfn_t filepage_lookup(const struct page_index *pi, uint32_t index);
/* The page at index, made if missing: 1 = new (zero-filled), 0 = it was
 * there, -ENOSPC when memory for files is used up (the reserve stays for
 * the kernel), -ENOMEM when no kmap slot was free to clear it. */
int filepage_get(struct page_index *pi, uint32_t index, pfn_t *out);
/* Frees the pages at index >= first (first = 0: all of them).  A page a
 * running program still maps (exec shares read-only pages, below) stays
 * with the program until it lets go. */
void filepages_truncate(struct page_index *pi, uint32_t first);
/* For exec: the page at index with one more reference, for vm_map_frames
 * (PFN_NONE: a hole, or no memory for the count). */
pfn_t filepage_share(const struct page_index *pi, uint32_t index);
/* Before a write into page index (present as *pfn): a page that programs
 * map is left to them and the file gets a copy, so what runs never changes
 * under it.  0, or -ENOSPC / -ENOMEM with nothing changed. */
int filepage_private(struct page_index *pi, uint32_t index, pfn_t *pfn);
/* A kernel address for the page (direct map for low frames, else a kmap
 * slot); NULL when no kmap slot is free.  Undo with filepage_unmap. */
void *filepage_map(pfn_t pfn);
void filepage_unmap(void *va);

struct filepages_stats {
	uint32_t data_pages;    /* frames holding file data */
	uint32_t index_pages;   /* frames holding page indexes */
	uint32_t high_pages;    /* of the data pages, those outside the direct map */
	uint32_t above_4g_pages; /* of the data pages, those above 4 GiB (taken first) */
	uint32_t reserve_pages; /* free frames files never take (kernel's reserve) */
	uint32_t total_pages;   /* frames the allocator had after boot */
};
void filepages_stats(struct filepages_stats *st);
/* Frames used by file pages (data + index), the number /proc/meminfo's
 * Shmem/Cached want, in pages. */
uint32_t filepages_in_use(void);
#endif
