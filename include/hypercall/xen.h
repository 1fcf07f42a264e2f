/*
 * Xen hypercalls.  Every call goes through the hypercall page: 32-byte
 * stubs that Xen writes for us (vmcall/vmmcall under HVM/PVH, int $0x82
 * under 32-bit PV), arguments in %ebx, %ecx, %edx, %esi, %edi, result in
 * %eax.  The typed wrappers use Xen's public headers from libxen-dev.
 */
#ifndef HYPERCALL_XEN_H
#define HYPERCALL_XEN_H
#include <stdint.h>
#include <xen/xen.h>
#include <xen/version.h>
#include <xen/sched.h>
#include <xen/memory.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/vcpu.h>

extern char hypercall_page[4096];

long xen_hypercall5(unsigned nr, unsigned long a1, unsigned long a2, unsigned long a3,
		    unsigned long a4, unsigned long a5);

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{ return xen_hypercall5(__HYPERVISOR_xen_version, cmd, (unsigned long)arg, 0, 0, 0); }
static inline long HYPERVISOR_console_io(int cmd, unsigned len, const char *buf)
{ return xen_hypercall5(__HYPERVISOR_console_io, cmd, len, (unsigned long)buf, 0, 0); }
static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{ return xen_hypercall5(__HYPERVISOR_sched_op, cmd, (unsigned long)arg, 0, 0, 0); }
static inline long HYPERVISOR_memory_op(unsigned cmd, void *arg)
{ return xen_hypercall5(__HYPERVISOR_memory_op, cmd, (unsigned long)arg, 0, 0, 0); }
static inline long HYPERVISOR_hvm_op(int cmd, void *arg)
{ return xen_hypercall5(__HYPERVISOR_hvm_op, cmd, (unsigned long)arg, 0, 0, 0); }
static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{ return xen_hypercall5(__HYPERVISOR_event_channel_op, cmd, (unsigned long)arg, 0, 0, 0); }
static inline long HYPERVISOR_grant_table_op(unsigned cmd, void *uop, unsigned count)
{ return xen_hypercall5(__HYPERVISOR_grant_table_op, cmd, (unsigned long)uop, count, 0, 0); }
static inline long HYPERVISOR_vcpu_op(int cmd, unsigned vcpu, void *arg)
{ return xen_hypercall5(__HYPERVISOR_vcpu_op, cmd, vcpu, (unsigned long)arg, 0, 0); }

/* Hypercall page set-up under HVM/PVH (hypercall/xen_page.c). */
struct hv_info;
void xen_hypercall_page_init(const struct hv_info *hv);
/* Xen's version as xen_version(XENVER_version) reports it: major << 16 | minor. */
uint32_t xen_version(void);
/* Fills the boot memory map from XENMEM_memory_map; returns entries or <0. */
struct boot_info;
int xen_fill_memory_map(struct boot_info *bi);
long hvm_get_param(unsigned idx, uint64_t *val);
#endif
