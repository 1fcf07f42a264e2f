/*
 * KVM's paravirtual time and interrupt pieces, each used only when the KVM
 * signature matched and its feature bit (CPUID 0x40000001 EAX) is set:
 *   kvmclock   MSR_KVM_SYSTEM_TIME_NEW: a pvclock record KVM keeps current
 *              (same layout as Xen's), MSR_KVM_WALL_CLOCK_NEW: boot wall time
 *   PV EOI     MSR_KVM_PV_EOI_EN: KVM marks interrupts whose EOI it can
 *              skip; the guest then clears a bit instead of an APIC write
 * The timer stays the LAPIC (one-shot or TSC-deadline), now reading
 * deadlines in kvmclock time.  MSR numbers and bits: KVM's ABI,
 * Documentation/virt/kvm/x86/msr.rst and cpuid.rst.
 */
#include <pv/kvm_time.h>
#include <amphi/hvdetect.h>
#include <amphi/layout.h>
#include <amphi/printk.h>
#include <amphi/pvclock.h>
#include <asm/cpu.h>
#include <asm/lapic.h>

#define MSR_KVM_WALL_CLOCK_NEW   0x4b564d00u
#define MSR_KVM_SYSTEM_TIME_NEW  0x4b564d01u
#define MSR_KVM_PV_EOI_EN        0x4b564d04u
#define KVM_FEATURE_CLOCKSOURCE2 3
#define KVM_FEATURE_PV_EOI       6

/* 32 bytes, so aligning to 32 keeps the record inside one page as KVM requires. */
static struct pvclock_time_info kvm_ti __attribute__((aligned(32)));
static struct pvclock_wall kvm_wall __attribute__((aligned(16)));
static uint32_t pv_eoi_word __attribute__((aligned(4)));
static uint64_t boot_ns;

static uint64_t read_tsc(void) { return rdtsc(); }

uint64_t kvmclock_ns(void)
{
	return pvclock_read(&kvm_ti, read_tsc) - boot_ns;
}

uint64_t kvmclock_wallclock_s(void)
{
	return pvclock_wall_ns(&kvm_wall, 0, kvmclock_ns() + boot_ns) / 1000000000ull;
}

int kvm_has(unsigned feature)
{
	return hv_info.kind == HV_KVM && (hv_info.kvm_features >> feature) & 1;
}

/* Returns 1 when kvmclock is on. */
int kvmclock_setup(void)
{
	if (!kvm_has(KVM_FEATURE_CLOCKSOURCE2))
		return 0;
	wrmsr(MSR_KVM_SYSTEM_TIME_NEW, virt_to_phys(&kvm_ti) | 1);
	boot_ns = pvclock_read(&kvm_ti, read_tsc);
	wrmsr(MSR_KVM_WALL_CLOCK_NEW, virt_to_phys(&kvm_wall));
	lapic_timer_set_clock(kvmclock_ns);
	printk("kvm: kvmclock on (mul %u shift %d%s), boot at %llu ns\n", kvm_ti.tsc_to_system_mul,
	       kvm_ti.tsc_shift, kvm_ti.flags & PVCLOCK_TSC_STABLE ? ", TSC stable" : "",
	       (unsigned long long)boot_ns);
	return 1;
}

int kvm_pv_eoi_setup(void)
{
	if (!kvm_has(KVM_FEATURE_PV_EOI))
		return 0;
	wrmsr(MSR_KVM_PV_EOI_EN, virt_to_phys(&pv_eoi_word) | 1);
	lapic_set_pv_eoi(&pv_eoi_word);
	printk("kvm: PV EOI on\n");
	return 1;
}
