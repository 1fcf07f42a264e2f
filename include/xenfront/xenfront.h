/* Xen front ends as a domU (drivers/xenfront/): started by the platform
 * with the xenstore ring it found (HVM param or PV start_info) and the
 * few things only the platform knows. */
#ifndef XENFRONT_XENFRONT_H
#define XENFRONT_XENFRONT_H
#include <stdint.h>

struct xenfront_ops {
	int pv;     /* 32-bit PV: grant frames from GNTTABOP_setup_table, mapped by VA */
	/* The frame number Xen wants in grant entries and copies: the pfn
	 * (HVM/PVH, translated) or the machine frame (PV). */
	uint32_t (*pfn_to_frame)(uint32_t pfn);
	/* PV only: map machine frame mfn writable at the page va. */
	int (*map_machine_frame)(void *va, uint32_t mfn);
};

/* Grant table, xenstore, the control node (xl shutdown / reboot / sysrq),
 * then the devices under device/ (xenbus.c). */
void xenfront_start(const struct xenfront_ops *ops, void *store_page, uint32_t store_port);
/* The disks (device/vbd/N: blkfront), once the root file system is there
 * for their /dev nodes; returns when each is registered or has failed.
 * Nothing when xenfront_start found no xenstore (dom0, or none). */
void xenfront_disks(void);
#endif
