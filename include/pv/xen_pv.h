/* The Xen PV platform's pieces used outside pv/xen_pv.c. */
#ifndef PV_XEN_PV_H
#define PV_XEN_PV_H
#include <stdint.h>
/* Called by the PV entry before anything else: IOPL, console. */
void xen_pv_early(const void *start_info);
struct xen_pv_stats {
	uint64_t hypercalls;        /* every hypercall the PV platform made */
	uint64_t root_loads;
};
extern struct xen_pv_stats xen_pv_stats;
uint64_t xen_pv_stats_mmu_calls(void);   /* mmu_update hypercalls */
uint64_t xen_pv_stats_ptes(void);        /* entries sent through them */
uint64_t xen_pv_stats_multicalls(void);          /* multicall hypercalls */
uint64_t xen_pv_stats_multicall_entries(void);   /* calls carried by them */
#endif
