/* Runs the hypervisor-leaf scan on the real CPU and keeps the result. */
#include <amphi/hvdetect.h>
#include <amphi/printk.h>
#include <asm/cpu.h>

struct hv_info hv_info;

static void real_cpuid(uint32_t leaf, uint32_t sub, struct cpuid_regs *r, void *ctx)
{
	(void)ctx;
	cpuid(leaf, sub, r);
}

void hv_detect_cpu(void)
{
	hv_detect(&hv_info, real_cpuid, 0);
	for (unsigned i = 0; i < hv_info.nr_found; i++)
		printk("hv: CPUID %#x: \"%s\" (%s), leaves up to %#x\n", hv_info.found[i].base,
		       hv_info.found[i].sig, hv_kind_name(hv_info.found[i].kind),
		       hv_info.found[i].max_leaf);
	if (hv_info.kind == HV_XEN)
		printk("hv: Xen %u.%u, hypercall MSR %#x (%u page), HVM features %#x\n",
		       hv_info.xen_major, hv_info.xen_minor, hv_info.xen_hypercall_msr,
		       hv_info.xen_hypercall_pages, hv_info.xen_hvm_features);
	else if (hv_info.kind == HV_KVM)
		printk("hv: KVM features %#x hints %#x\n", hv_info.kvm_features, hv_info.kvm_hints);
	else if (hv_info.kind == HV_UNKNOWN)
		printk("hv: hypervisor bit set but no signature amphi uses: running as native\n");
}
