/* Physical memory map clean-up (pure; unit-tested on the host). */
#ifndef AMPHI_MEMMAP_H
#define AMPHI_MEMMAP_H
#include <amphi/boot.h>

/*
 * Sorts the map, resolves overlaps (where regions of different types
 * overlap, the more restrictive type wins: anything beats usable, and a
 * higher E820 type beats a lower one) and merges adjacent regions of the
 * same type.  Returns the new count, or -1 when the result would not fit in
 * max entries (the map is then left unchanged).
 */
int memmap_sanitize(struct mem_region *r, unsigned n, unsigned max);
uint64_t memmap_usable_bytes(const struct mem_region *r, unsigned n);
/* End (exclusive) of the highest usable byte. */
uint64_t memmap_usable_end(const struct mem_region *r, unsigned n);
const char *memmap_type_name(uint32_t type);
#endif
