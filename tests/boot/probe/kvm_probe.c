/*
 * amphi's own detection and pvclock code, run without paging.
 *
 * This development host's KVM resets a 32-bit guest that turns on paging,
 * so amphi itself cannot boot there; but hv_detect() (hypercall/cpuid_scan.c)
 * and pvclock_read() (lib/pvclock.c) are the kernel's very objects and need
 * no paging.  This harness links them, runs them against the real CPUID
 * and kvmclock MSR, prints what it finds on port 0xe9 and
 * exits through isa-debug-exit: 0 all checks passed, 1 a check failed.
 */
#include <amphi/hvdetect.h>
#include <amphi/pvclock.h>
#include <amphi/printk.h>
#include <amphi/string.h>
#include <asm/cpu.h>
#include <asm/io.h>

#define MSR_KVM_SYSTEM_TIME_NEW 0x4b564d01u
#define KVM_FEATURE_CLOCKSOURCE2 3

static struct pvclock_time_info ti __attribute__((aligned(32)));
static int failed;

static void say(const char *fmt, ...)
{
	char buf[200];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (int i = 0; i < n && buf[i]; i++)
		outb(0xe9, (uint8_t)buf[i]);
}

static void check(int ok, const char *what)
{
	say("probe: %s: %s\n", what, ok ? "ok" : "FAILED");
	failed |= !ok;
}

static void real_cpuid(uint32_t leaf, uint32_t sub, struct cpuid_regs *r, void *ctx)
{
	(void)ctx;
	cpuid(leaf, sub, r);
}

static uint64_t read_tsc(void) { return rdtsc(); }

void probe_main(void);
void probe_main(void)
{
	struct hv_info hv;
	hv_detect(&hv, real_cpuid, 0);
	say("probe: detect: platform=%s hypervisor=\"%s\" base=%#x bit=%d kvm_features=%#x\n",
	    hv.kind == HV_KVM ? "kvm" : hv.kind == HV_XEN ? "xen" : "native",
	    hv.sig[0] ? hv.sig : "none", hv.base, hv.hypervisor_bit, hv.kvm_features);

	if (hv.kind == HV_KVM) {
		if ((hv.kvm_features >> KVM_FEATURE_CLOCKSOURCE2) & 1) {
			wrmsr(MSR_KVM_SYSTEM_TIME_NEW, (uint32_t)&ti | 1);
			uint64_t n0 = pvclock_read(&ti, read_tsc), c0 = rdtsc();
			/* Short: this host's KVM emulates unpaged code slowly. */
			for (volatile uint32_t i = 0; i < 20000; i++)
				;
			uint64_t n1 = pvclock_read(&ti, read_tsc), c1 = rdtsc();
			uint64_t prev = n1, backwards = 0;
			for (int i = 0; i < 1000; i++) {
				uint64_t n = pvclock_read(&ti, read_tsc);
				backwards += n < prev;
				prev = n;
			}
			say("probe: kvmclock: version %u mul %u shift %d flags %#x; %llu ns for %llu TSC cycles (%llu MHz)\n",
			    ti.version, ti.tsc_to_system_mul, ti.tsc_shift, ti.flags,
			    (unsigned long long)(n1 - n0), (unsigned long long)(c1 - c0),
			    (unsigned long long)((c1 - c0) * 1000 / (n1 - n0 ? n1 - n0 : 1)));
			check(ti.version && !(ti.version & 1), "kvmclock record published (even version)");
			check(n1 > n0, "kvmclock advances");
			check(backwards == 0, "kvmclock never goes backwards over 1000 reads");
		} else {
			say("probe: kvmclock not offered (feature bit %d clear)\n", KVM_FEATURE_CLOCKSOURCE2);
		}
	}
	/* Not probed here: a KVM hypercall (vmcall or vmmcall) hangs this
	 * development host's software KVM even from an unpaged guest; amphi's
	 * in-kernel KVM self-test checks -KVM_ENOSYS on real KVM hosts. */
	say("probe: %s\n", failed ? "FAILED" : "done");
	outb(0xf4, failed ? 1 : 0);
	for (;;)
		__asm__ volatile("cli; hlt");
}
