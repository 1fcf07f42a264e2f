/*
 * Grant-table bookkeeping, pure (host-tested in tests/unit/test_gnttab.c):
 * the free list of grant references and the v1 end-of-access rule.
 * A reference is handed out once, comes back once; one still used by the
 * back end (GTF_reading/GTF_writing set by Xen while it is mapped or being
 * copied) is never reused nor freed.
 */
#ifndef XENFRONT_GNTTAB_CORE_H
#define XENFRONT_GNTTAB_CORE_H
#include <stdint.h>

#define GNT_FREE_END 0xffffffffu

struct gnt_freelist {
	uint32_t nr;          /* references 0 .. nr-1 */
	uint32_t head;        /* first free reference, GNT_FREE_END when none */
	uint32_t nfree;
	uint32_t reserved;    /* 0 .. reserved-1 are never handed out */
	uint32_t *next;       /* nr entries: the next free reference */
	uint8_t *used;        /* nr entries: 1 while handed out (or reserved) */
};

/* References below `reserved` (Xen keeps 0..7 for the toolstack's console
 * and xenstore grants) are never handed out. */
void gnt_freelist_init(struct gnt_freelist *fl, uint32_t nr, uint32_t reserved,
		       uint32_t *next, uint8_t *used);
/* A free reference, or -ENOSPC. */
int gnt_get(struct gnt_freelist *fl);
/* Back on the list: 0, or -EINVAL for a reference that is out of range,
 * reserved or not handed out (a double free). */
int gnt_put(struct gnt_freelist *fl, uint32_t ref);

/* v1 entry flags (xen/grant_table.h). */
#define GNT_GTF_permit_access 1u
#define GNT_GTF_readonly      (1u << 2)
#define GNT_GTF_reading       (1u << 3)
#define GNT_GTF_writing       (1u << 4)
/* Ends access to an entry whose flags word is *flags: clears it atomically
 * unless the back end is using the frame.  0, or -EBUSY (entry unchanged). */
int gnt_try_end_access(volatile uint16_t *flags);
#endif
