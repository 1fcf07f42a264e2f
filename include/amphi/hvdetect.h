/*
 * Hypervisor detection from the CPUID hypervisor leaves (pure: the CPUID
 * instruction is a callback, so host tests replay recorded tables).
 *
 * The leaves from 0x40000000 to 0x40010000 are scanned in steps of 0x100;
 * at each base, EBX:ECX:EDX is a 12-byte signature and EAX the highest leaf
 * of that block.  A hypervisor may present several blocks: Xen with
 * Viridian enabled puts Hyper-V's at 0x40000000 and its own at 0x40000100,
 * KVM with Hyper-V enlightenments likewise.  amphi prefers Xen, then KVM,
 * then any other known signature.  A block's other leaves are read only
 * after its signature matched and its max-leaf value is in range.
 */
#ifndef AMPHI_HVDETECT_H
#define AMPHI_HVDETECT_H
#include <stdint.h>

struct cpuid_regs;
typedef void (*cpuid_fn_t)(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *out, void *ctx);

enum hv_kind { HV_NONE, HV_XEN, HV_KVM, HV_HYPERV, HV_VMWARE, HV_TCG, HV_BHYVE, HV_UNKNOWN };

#define HV_LEAF_FIRST 0x40000000u
#define HV_LEAF_LAST  0x40010000u
#define HV_LEAF_STEP  0x100u
#define HV_MAX_FOUND  8

struct hv_block {
	uint32_t base, max_leaf;
	enum hv_kind kind;
	char sig[13];             /* printable, NUL-terminated */
};

struct hv_info {
	int hypervisor_bit;       /* CPUID.1:ECX[31] */
	enum hv_kind kind;        /* the one amphi will use; HV_NONE if none */
	uint32_t base;            /* its leaf block */
	char sig[13];
	unsigned nr_found;
	struct hv_block found[HV_MAX_FOUND];
	/* Xen (valid when kind == HV_XEN) */
	uint16_t xen_major, xen_minor;
	uint32_t xen_hypercall_msr, xen_hypercall_pages;
	uint32_t xen_hvm_features;    /* leaf+4 EAX, 0 if the block is shorter */
	/* KVM (valid when kind == HV_KVM) */
	uint32_t kvm_features, kvm_hints;
};

void hv_detect(struct hv_info *hv, cpuid_fn_t cpuid_fn, void *ctx);
const char *hv_kind_name(enum hv_kind k);

/* The kernel's detection result (hypercall/detect.c). */
extern struct hv_info hv_info;
void hv_detect_cpu(void);
#endif
