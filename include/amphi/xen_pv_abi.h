/*
 * The 32-bit Xen PV guest ABI structures amphi reads, spelled with explicit
 * widths so that host unit tests (64-bit) see the i386 layout.  Checked
 * against <xen/xen.h> in the kernel build (pv/xen_pv.c).
 */
#ifndef AMPHI_XEN_PV_ABI_H
#define AMPHI_XEN_PV_ABI_H
#include <stdint.h>

struct xen_pv_start_info32 {
	char magic[32];             /* "xen-3.0-x86_32p" */
	uint32_t nr_pages;
	uint32_t shared_info;       /* machine address */
	uint32_t flags;
	uint32_t store_mfn;
	uint32_t store_evtchn;
	union {
		struct { uint32_t mfn, evtchn; } domU;
		struct { uint32_t info_off, info_size; } dom0;
	} console;
	uint32_t pt_base;           /* virtual */
	uint32_t nr_pt_frames;
	uint32_t mfn_list;          /* virtual */
	uint32_t mod_start;         /* virtual, or a pfn with SIF_MOD_START_PFN */
	uint32_t mod_len;
	char cmd_line[1024];
	uint32_t first_p2m_pfn;
	uint32_t nr_p2m_frames;
};

#define XEN_PV_SIF_PRIVILEGED     (1u << 0)
#define XEN_PV_SIF_INITDOMAIN     (1u << 1)
#define XEN_PV_SIF_MOD_START_PFN  (1u << 3)
#endif
