/* Grant-table bookkeeping, pure (see xenfront/gnttab_core.h). */
#include <xenfront/gnttab_core.h>
#include <amphi/errno.h>

void gnt_freelist_init(struct gnt_freelist *fl, uint32_t nr, uint32_t reserved,
		       uint32_t *next, uint8_t *used)
{
	fl->nr = nr;
	fl->next = next;
	fl->used = used;
	fl->head = GNT_FREE_END;
	fl->nfree = 0;
	fl->reserved = reserved;
	/* Built from the top down so that the lowest free reference comes first. */
	for (uint32_t r = nr; r-- > 0;) {
		if (r < reserved) {
			used[r] = 1;
			next[r] = GNT_FREE_END;
			continue;
		}
		used[r] = 0;
		next[r] = fl->head;
		fl->head = r;
		fl->nfree++;
	}
}

int gnt_get(struct gnt_freelist *fl)
{
	uint32_t r = fl->head;
	if (r == GNT_FREE_END)
		return -ENOSPC;
	fl->head = fl->next[r];
	fl->next[r] = GNT_FREE_END;
	fl->used[r] = 1;
	fl->nfree--;
	return (int)r;
}

int gnt_put(struct gnt_freelist *fl, uint32_t ref)
{
	if (ref >= fl->nr || ref < fl->reserved || !fl->used[ref])
		return -EINVAL;
	fl->used[ref] = 0;
	fl->next[ref] = fl->head;
	fl->head = ref;
	fl->nfree++;
	return 0;
}

int gnt_try_end_access(volatile uint16_t *flags)
{
	uint16_t old = *flags;
	do {
		if (old & (GNT_GTF_reading | GNT_GTF_writing))
			return -EBUSY;
	} while (!__atomic_compare_exchange_n(flags, &old, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
	return 0;
}
