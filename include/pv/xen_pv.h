/* The Xen PV platform's pieces used outside pv/xen_pv.c. */
#ifndef PV_XEN_PV_H
#define PV_XEN_PV_H
#include <stdint.h>
/* Called by the PV entry before anything else: IOPL, console. */
void xen_pv_early(const void *start_info);
struct xen_pv_stats {
	uint64_t hypercalls;        /* every hypercall the PV platform made */
	uint64_t root_loads;
	/* what the hypercalls were spent on (the print at power-off shows them) */
	uint64_t invlpg, tlb_flushes;   /* MMUEXT_INVLPG_LOCAL, MMUEXT_TLB_FLUSH_LOCAL */
	uint64_t remaps;                /* update_va_mapping: a frame into or out of page-table duty */
	uint64_t pins, unpins;          /* MMUEXT_PIN_L3_TABLE, MMUEXT_UNPIN_TABLE */
};
extern struct xen_pv_stats xen_pv_stats;
uint64_t xen_pv_stats_mmu_calls(void);   /* mmu_update hypercalls */
uint64_t xen_pv_stats_ptes(void);        /* entries sent through them */
uint64_t xen_pv_stats_multicalls(void);          /* multicall hypercalls */
uint64_t xen_pv_stats_multicall_entries(void);   /* calls carried by them */
#endif
