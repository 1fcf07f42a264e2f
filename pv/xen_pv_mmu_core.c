/* The pure half of the Xen PV MMU: see include/amphi/xen_pv_mmu.h. */
#include <amphi/xen_pv_mmu.h>

uint64_t xpv_pte_to_machine(uint64_t pte, const uint32_t *p2m, uint32_t nr_pages)
{
	if (!(pte & 1))
		return pte;
	uint64_t pfn = (pte & XPV_PTE_ADDR) >> 12;
	if (pfn >= nr_pages)
		return XPV_BAD;
	return (pte & ~XPV_PTE_ADDR) | ((uint64_t)p2m[pfn] << 12);
}

uint64_t xpv_pte_to_phys(uint64_t pte, const uint32_t *m2p, uint32_t m2p_entries, uint32_t nr_pages)
{
	uint64_t mfn = (pte & XPV_PTE_ADDR) >> 12;
	if (mfn >= m2p_entries)
		return XPV_BAD;
	uint32_t pfn = m2p[mfn];
	if (pfn >= nr_pages)
		return XPV_BAD;
	return (uint64_t)pfn << 12;
}

void xpv_batch_init(struct xpv_batch *b, int (*issue)(struct xpv_mmu_update *, unsigned))
{
	b->n = 0;
	b->issue = issue;
	b->queued = b->hypercalls = 0;
	b->error = 0;
}

int xpv_batch_flush(struct xpv_batch *b)
{
	if (!b->n)
		return 0;
	int rc = b->issue(b->req, b->n);
	b->hypercalls++;
	b->n = 0;
	if (rc && !b->error)
		b->error = rc;
	return rc;
}

void xpv_batch_add(struct xpv_batch *b, uint64_t ptr, uint64_t val)
{
	if (b->n == XPV_BATCH_MAX)
		xpv_batch_flush(b);
	b->req[b->n].ptr = ptr;
	b->req[b->n].val = val;
	b->n++;
	b->queued++;
}
