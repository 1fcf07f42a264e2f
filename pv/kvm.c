/*
 * KVM: CPU and MMU as on bare metal (hardware-assisted); paravirtual
 * hypercalls through vmcall/vmmcall.  kvmclock and PV EOI come with the
 * interrupts-and-timers work.
 */
#include <amphi/platform.h>
#include <amphi/hvdetect.h>
#include <hypercall/kvm.h>
#include <pv/native.h>
#include <pv/kvm_time.h>
#include <pv/native_time.h>
#include <asm/pic.h>
#include <amphi/printk.h>

static struct platform_ops platform_kvm;

static void kvm_init(struct boot_info *bi)
{
	(void)bi;
	platform_kvm.hypercall = kvm_hypercall_insn();
}

/* An unknown hypercall number must come back from KVM as -KVM_ENOSYS:
 * proof that vmcall/vmmcall reached the hypervisor. */
static int kvm_self_test(char *msg, size_t len)
{
	long rc = kvm_hypercall4(0xffff, 0, 0, 0, 0);
	if (rc != -KVM_ENOSYS) {
		snprintf(msg, len, "KVM hypercall %#x through %s returned %ld, expected %d",
			 0xffff, kvm_hypercall_insn(), rc, -KVM_ENOSYS);
		return -1;
	}
	printk("  kvm: %s of an unknown hypercall returned -KVM_ENOSYS as it should\n",
	       kvm_hypercall_insn());
	return 0;
}

/* The LAPIC timer and TSC as natively, then kvmclock and PV EOI where
 * KVM offers them. */
static void kvm_time_init(void)
{
	native_time_setup(&platform_kvm);
	if (kvmclock_setup()) {
		platform_kvm.clock_ns = kvmclock_ns;
		platform_kvm.wallclock_s = kvmclock_wallclock_s;
		platform_kvm.clock_name = "kvmclock";
	}
	if (kvm_pv_eoi_setup())
		platform_kvm.irq_name = "ioapic+pv-eoi";
}

static struct platform_ops platform_kvm = {
	.name = "kvm",
	.owns_pci = 1,
	.hypercall = "vmcall",
	.init = kvm_init,
	.late_init = native_late_init,
	.console_write = 0,
	.irq_init = native_irq_init,
	.idle = native_idle,
	.power_off = native_power_off,
	.reboot = native_reboot,
	.test_exit = native_test_exit,
	.self_test = kvm_self_test,
	.time_init = kvm_time_init,
	NATIVE_TIME_OPS,
	.mmu = NATIVE_MMU_OPS,
};

static int kvm_probe(const struct hv_info *hv, const struct boot_info *bi)
{
	return hv->kind == HV_KVM && bi->kind != BOOT_XEN_PV ? 10 : 0;
}
REGISTER_PLATFORM(platform_kvm, kvm_probe);
