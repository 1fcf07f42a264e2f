/*
 * The pure half of the Xen PV MMU (pv/xen_pv_mmu_core.c; host-tested):
 * translating page-table entries between pseudo-physical frames (what the
 * rest of amphi uses) and machine frames (what a PV guest's page tables
 * hold), and queueing page-table writes so that many go to Xen in one
 * mmu_update hypercall.
 */
#ifndef AMPHI_XEN_PV_MMU_H
#define AMPHI_XEN_PV_MMU_H
#include <stdint.h>

#define XPV_PTE_ADDR   0x000ffffffffff000ull   /* PAE address bits 12..51 */
#define XPV_BAD        (~0ull)

/* pfn-based entry -> machine-based entry through the p2m list; XPV_BAD when
 * the entry is present and its pfn is not the domain's.  Entries without
 * the present bit pass unchanged. */
uint64_t xpv_pte_to_machine(uint64_t pte, const uint32_t *p2m, uint32_t nr_pages);
/* machine-based entry -> pseudo-physical address (no flags) through the
 * machine-to-phys table; XPV_BAD when the mfn is beyond the table or maps to
 * no pfn of ours. */
uint64_t xpv_pte_to_phys(uint64_t pte, const uint32_t *m2p, uint32_t m2p_entries, uint32_t nr_pages);

/* struct mmu_update's layout (both words 64-bit in every ABI). */
struct xpv_mmu_update { uint64_t ptr, val; };

#define XPV_BATCH_MAX 128
struct xpv_batch {
	struct xpv_mmu_update req[XPV_BATCH_MAX];
	unsigned n;
	/* Issues the requests; returns 0 or a negative Xen error. */
	int (*issue)(struct xpv_mmu_update *req, unsigned n);
	uint64_t queued, hypercalls;   /* statistics */
	int error;                     /* first error seen, sticky */
};
void xpv_batch_init(struct xpv_batch *b, int (*issue)(struct xpv_mmu_update *, unsigned));
/* ptr: machine address of the entry (low bits: MMU_NORMAL_PT_UPDATE = 0). */
void xpv_batch_add(struct xpv_batch *b, uint64_t ptr, uint64_t val);
int xpv_batch_flush(struct xpv_batch *b);
#endif
