/*
 * Grant tables v1 (drivers/xenfront/gnttab.c): this domain lets another
 * one map or copy a page of its own.  Frames of the table: under PVH/HVM
 * placed into the physical map with XENMEM_add_to_physmap, under PV given
 * by GNTTABOP_setup_table and mapped.  References come from a free list
 * (gnttab_core.c); one the back end still uses is never freed.
 */
#ifndef XENFRONT_GNTTAB_H
#define XENFRONT_GNTTAB_H
#include <stdint.h>
struct xenfront_ops;
int gnttab_init(const struct xenfront_ops *ops);
int gnttab_ready(void);
/* A reference granting domain dom access to page pfn, or a negative errno. */
int gnttab_grant_access(uint16_t dom, uint32_t pfn, int readonly);
/* 0; -EBUSY while the back end uses it (kept: call again later); -EINVAL. */
int gnttab_end_access(uint32_t ref);
/* GNTTABOP_copy: len bytes of dom's grant ref (from offset off) into our
 * page dst_pfn at the same offset; 0 or Xen's negative GNTST_ status. */
int gnttab_copy_from(uint16_t dom, uint32_t ref, uint32_t dst_pfn, unsigned off, unsigned len);
unsigned gnttab_free_count(void);
#endif
