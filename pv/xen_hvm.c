/*
 * Xen HVM and PVH guests: the CPU and MMU work as on bare metal (hardware
 * virtualization with HAP underneath); what is paravirtual is the
 * hypercall page, the console, shutdown and, when the PVH start info has
 * none (Xen passes version 0), the memory map.  PVH is the boot path
 * through XEN_ELFNOTE_PHYS32_ENTRY; HVM is any firmware boot under Xen.
 */
#include <amphi/platform.h>
#include <amphi/hvdetect.h>
#include <amphi/printk.h>
#include <amphi/panic.h>
#include <hypercall/xen.h>
#include <xen/features.h>
#include <pv/native.h>
#include <pv/native_time.h>
#include <asm/pic.h>
#include <pv/xen.h>
#include <amphi/console.h>
#include <amphi/kmap.h>
#include <xenfront/xenfront.h>

static struct platform_ops platform_xen_hvm;
static int dom0;

int xen_is_dom0(void) { return dom0; }

void xen_power_off(void)
{
	xen_console_flush();
	struct sched_shutdown s = { .reason = SHUTDOWN_poweroff };
	HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void xen_reboot(void)
{
	xen_console_flush();
	struct sched_shutdown s = { .reason = SHUTDOWN_reboot };
	HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* A domU reads its console ring; dom0 keeps COM1 (what it had before). */
static int xen_hvm_getc(void)
{
	return dom0 ? uart_getc() : xen_console_getc();
}

/* Only a dom0 can reach QEMU's exit port; a domU's run ends by power-off. */
static void xen_hvm_test_exit(unsigned status)
{
	if (dom0)
		native_test_exit(status);
}

static uint32_t same_frame(uint32_t pfn) { return pfn; }   /* translated guest */

/* As a domU: xenstore (its page and event channel are HVM params). */
static void xen_hvm_devices_init(void)
{
	uint64_t pfn = 0, port = 0;
	if (dom0)
		return;
	if (hvm_get_param(HVM_PARAM_STORE_PFN, &pfn) || hvm_get_param(HVM_PARAM_STORE_EVTCHN, &port) || !pfn) {
		printk("xen: no xenstore (HVM params): no front ends\n");
		return;
	}
	void *page = kmap((pfn_t)pfn);       /* kept for the kernel's lifetime */
	if (!page) {
		printk("xen: cannot map the xenstore page: no front ends\n");
		return;
	}
	static const struct xenfront_ops ops = { .pv = 0, .pfn_to_frame = same_frame };
	xenfront_start(&ops, page, (uint32_t)port);
}

static void xen_hvm_init(struct boot_info *bi)
{
	platform_xen_hvm.name = bi->kind == BOOT_PVH ? "xen-pvh" : "xen-hvm";
	xen_hypercall_page_init(&hv_info);

	xen_feature_info_t fi = { .submap_idx = 0 };
	if (HYPERVISOR_xen_version(XENVER_get_features, &fi) == 0)
		dom0 = !!(fi.submap & (1u << XENFEAT_dom0));
	xen_console_init(dom0);
	platform_xen_hvm.owns_pci = dom0;

	if (bi->nr_mem == 0) {
		int n = xen_fill_memory_map(bi);
		if (n <= 0)
			panic("xen: no memory map: the start info has none and XENMEM_memory_map returned %d", n);
		printk("xen: memory map from XENMEM_memory_map (%d entries; start info v%u has none)\n",
		       n, bi->loader_version);
	}
	printk("xen: %s, xen_version says %u.%u\n", dom0 ? "dom0" : "domU",
	       xen_version() >> 16, xen_version() & 0xffff);
}

/*
 * The hypercall page holds Xen's stubs (each "mov $nr, %eax; vmcall or
 * vmmcall; ret"), and xen_version through it agrees with CPUID.
 */
static int xen_hvm_self_test(char *msg, size_t len)
{
	const unsigned char *stub = (const unsigned char *)hypercall_page +
		__HYPERVISOR_xen_version * 32;
	if (stub[0] != 0xb8 || stub[1] != __HYPERVISOR_xen_version || stub[5] != 0x0f ||
	    stub[6] != 0x01 || (stub[7] != 0xc1 && stub[7] != 0xd9)) {
		snprintf(msg, len, "xen_version stub is %02x %02x %02x %02x %02x %02x %02x %02x, "
			 "not mov/vmcall", stub[0], stub[1], stub[2], stub[3], stub[4], stub[5],
			 stub[6], stub[7]);
		return -1;
	}
	uint32_t v = xen_version();
	if ((v >> 16) != hv_info.xen_major || (v & 0xffff) != hv_info.xen_minor) {
		snprintf(msg, len, "xen_version hypercall says %u.%u, CPUID says %u.%u",
			 v >> 16, v & 0xffff, hv_info.xen_major, hv_info.xen_minor);
		return -1;
	}
	printk("  xen: hypercall page written by Xen (%s stubs); xen_version %u.%u = CPUID\n",
	       stub[7] == 0xc1 ? "vmcall" : "vmmcall", v >> 16, v & 0xffff);
	return 0;
}

/*
 * Paravirtual time and interrupts: pvclock, Xen's one-shot timer, event
 * channels on the callback vector.  Should Xen refuse any of it, fall back
 * to its emulated LAPIC and the TSC (rate from Xen's CPUID leaf; a PVH
 * guest has no PIT).  The CPU still idles with sti;hlt: under HVM that is
 * Xen's race-free block (HLT in the STI shadow is checked against pending
 * events before the vCPU sleeps).
 */
static void xen_hvm_time_init(void)
{
	if (xen_time_use(&platform_xen_hvm, "evtchn-callback") == 0)
		return;
	printk("xen: paravirtual time unavailable, using the emulated LAPIC and TSC\n");
	native_time_setup(&platform_xen_hvm);
}

static struct platform_ops platform_xen_hvm = {
	.name = "xen-hvm",
	.hypercall = "page",
	.init = xen_hvm_init,
	.late_init = xen_console_late_init,
	.console_write = xen_console_write,
	.console_getc = xen_hvm_getc,
	.irq_init = native_irq_init,
	.idle = native_idle,
	.power_off = xen_power_off,
	.reboot = xen_reboot,
	/* A PVH dom0 may write QEMU's isa-debug-exit port itself (tests only). */
	.test_exit = xen_hvm_test_exit,
	.self_test = xen_hvm_self_test,
	.time_init = xen_hvm_time_init,
	.devices_init = xen_hvm_devices_init,
	.disks_init = xenfront_disks,
	NATIVE_TIME_OPS,
	.mmu = NATIVE_MMU_OPS,
};

static int xen_hvm_probe(const struct hv_info *hv, const struct boot_info *bi)
{
	return hv->kind == HV_XEN && bi->kind != BOOT_XEN_PV ? 10 : 0;
}
REGISTER_PLATFORM(platform_xen_hvm, xen_hvm_probe);
