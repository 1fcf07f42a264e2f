/*
 * Time on Xen HVM/PVH: the clock is pvclock (vcpu_time_info in the shared
 * info page, extrapolated from the TSC), the timer is Xen's one-shot
 * (VCPUOP_set_singleshot_timer) whose expiry arrives as VIRQ_TIMER on an
 * event channel, the wall clock is the shared info's wc_* plus system time.
 * No emulated LAPIC timer or PIT is touched.
 */
#include <pv/xen.h>
#include <amphi/platform.h>
#include <xenfront/evtchn.h>
#include <hypercall/xen.h>
#include <amphi/pvclock.h>
#include <amphi/printk.h>
#include <asm/cpu.h>
#include <asm/tsc.h>
#include <xen/vcpu.h>

_Static_assert(sizeof(struct pvclock_time_info) == sizeof(struct vcpu_time_info),
	       "pvclock layout is Xen's vcpu_time_info");

static uint64_t boot_ns;             /* Xen system time when amphi's clock started */
static void (*timer_fire)(void);
static int timer_port = -1;

static uint64_t read_tsc(void) { return rdtsc(); }

static uint64_t xen_system_ns(void)
{
	return pvclock_read((const volatile struct pvclock_time_info *)
			    &xen_shared_info->vcpu_info[0].time, read_tsc);
}

uint64_t xen_clock_ns(void)
{
	if (!xen_shared_info)
		return 0;
	return xen_system_ns() - boot_ns;
}

static void virq_timer(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
	if (timer_fire)
		timer_fire();
}

void xen_timer_init(void (*fire)(void))
{
	timer_fire = fire;
}

void xen_timer_arm(uint64_t deadline_ns)
{
	if (!deadline_ns) {
		HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, 0);
		return;
	}
	/* A deadline already past fires at once (no VCPU_SSHOTTMR_future). */
	struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = deadline_ns + boot_ns, .flags = 0 };
	long rc = HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
	if (rc)
		printk("xen: set_singleshot_timer failed: %ld\n", rc);
}

uint64_t xen_wallclock_s(void)
{
	struct shared_info *s = xen_shared_info;
	if (!s)
		return 0;
	return pvclock_wall_ns((const volatile struct pvclock_wall *)&s->wc_version, s->xen_wc_sec_hi,
			       xen_system_ns()) / 1000000000ull;
}

/* Returns 0 when Xen time is up; the platform falls back to native time otherwise. */
int xen_time_setup(void)
{
	/* Under Xen PV the platform has mapped the shared info already. */
	int pv = xen_shared_info != 0;
	if (!pv && evtchn_init() != 0)
		return -1;
	boot_ns = xen_system_ns();
	/* Tickless: no periodic VIRQ_TIMER, only the one-shots we ask for. */
	HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, 0);
	timer_port = evtchn_bind_virq(VIRQ_TIMER, 0, virq_timer, 0);
	if (timer_port < 0) {
		printk("xen: cannot bind VIRQ_TIMER: %d\n", timer_port);
		return -1;
	}
	const struct vcpu_time_info *ti = &xen_shared_info->vcpu_info[0].time;
	/* The rate, for cycle counts; pvclock itself needs none.  Under PV the
	 * CPUID leaves are the machine's: take it from pvclock's own scale
	 * (ns = (tsc << shift) * mul >> 32). */
	if ((pv || tsc_init() != 0) && ti->tsc_to_system_mul) {
		uint64_t khz = (1000000ull << 32) / ti->tsc_to_system_mul;
		khz = ti->tsc_shift >= 0 ? khz >> ti->tsc_shift : khz << -ti->tsc_shift;
		tsc_init_khz((uint32_t)khz, "pvclock-scale");
	}
	printk("xen: pvclock at Xen time %llu ns (mul %u shift %d%s), VIRQ_TIMER on port %d\n",
	       (unsigned long long)boot_ns, ti->tsc_to_system_mul, ti->tsc_shift,
	       (ti->flags & XEN_PVCLOCK_TSC_STABLE_BIT) ? ", TSC stable" : "", timer_port);
	return 0;
}

/* Xen time for platform p once xen_time_setup() worked: pvclock, the
 * single-shot timer on VIRQ_TIMER, shared info's wall clock.  irq_name
 * says how its events arrive.  0, or -1 (p left as it was). */
int xen_time_use(struct platform_ops *p, const char *irq_name)
{
	if (xen_time_setup() != 0)
		return -1;
	p->clock_ns = xen_clock_ns;
	p->timer_init = xen_timer_init;
	p->timer_arm = xen_timer_arm;
	p->wallclock_s = xen_wallclock_s;
	p->clock_name = "pvclock";
	p->timer_name = "xen-singleshot";
	p->irq_name = irq_name;
	return 0;
}
