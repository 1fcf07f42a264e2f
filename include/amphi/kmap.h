/* Temporary kernel mappings of any frame (also above 4 GiB or above lowmem). */
#ifndef AMPHI_KMAP_H
#define AMPHI_KMAP_H
#include <stdint.h>
#include <stddef.h>
#include <amphi/frame.h>

void *kmap(pfn_t pfn);          /* NULL when all slots are busy */
void kunmap(void *va);
/* Copy to/from physical memory through kmap; 0, or -1 if no slot. */
int phys_read(void *dst, uint64_t pa, size_t len);
int phys_write(uint64_t pa, const void *src, size_t len);
#endif
