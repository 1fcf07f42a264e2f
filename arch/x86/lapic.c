/*
 * The local APIC: enabled with the spurious vector 0xff, LINT0 (the 8259's
 * ExtINT path) masked, LINT1 left as firmware set it (NMI), errors on 0xfe,
 * and its timer as the platform's one-shot timer on 0xf0 (vectors:
 * asm/lapic.h).  The timer runs in TSC-deadline mode when CPUID.1:ECX[24]
 * says so (the deadline is an absolute TSC value: no rate to calibrate),
 * else in one-shot mode, its rate (bus clock / 16) measured against the TSC.
 * A deadline beyond the counter's range arms the longest interval; the
 * early expiry finds nothing due and re-arms.
 */
#include <asm/lapic.h>
#include <asm/ioapic.h>
#include <asm/tsc.h>
#include <asm/cpu.h>
#include <asm/traps.h>
#include <asm/irqflags.h>
#include <amphi/paging.h>
#include <amphi/printk.h>

#define CPUID1_EDX_APIC     (1u << 9)
#define CPUID1_ECX_TSCDL    (1u << 24)
#define DIV_16              0x3           /* divide configuration: by 16 */

static int present, x2apic, tscdl;
static volatile uint32_t *mmio;
static uint32_t timer_khz;                 /* counts per ms, one-shot mode */
static void (*fire_fn)(void);
static unsigned spurious, errors;
static unsigned long timer_irqs;

uint32_t lapic_read(uint32_t reg)
{
	if (x2apic)
		return (uint32_t)rdmsr(0x800 + (reg >> 4));
	return mmio[reg >> 2];
}

void lapic_write(uint32_t reg, uint32_t val)
{
	if (x2apic)
		wrmsr(0x800 + (reg >> 4), val);
	else
		mmio[reg >> 2] = val;
}

/* KVM's PV EOI: when the hypervisor set bit 0 of this word it needs no EOI
 * write (and no exit); clearing the bit is the EOI. */
static volatile uint32_t *pv_eoi_word;
void lapic_set_pv_eoi(volatile uint32_t *word) { pv_eoi_word = word; }

void lapic_eoi(void)
{
	if (pv_eoi_word && (__atomic_fetch_and(pv_eoi_word, ~1u, __ATOMIC_SEQ_CST) & 1))
		return;
	lapic_write(LAPIC_EOI, 0);
}

/* The clock whose nanoseconds timer deadlines are given in (the platform's). */
static uint64_t (*deadline_clock)(void) = tsc_clock_ns;
void lapic_timer_set_clock(uint64_t (*clock_ns)(void)) { deadline_clock = clock_ns; }
int lapic_present(void) { return present; }
uint32_t lapic_id(void) { return x2apic ? lapic_read(LAPIC_ID) : lapic_read(LAPIC_ID) >> 24; }
unsigned lapic_spurious_count(void) { return spurious; }
unsigned lapic_error_count(void) { return errors; }
unsigned long lapic_timer_irq_count(void) { return timer_irqs; }
uint32_t lapic_timer_khz(void) { return tscdl ? 0 : timer_khz; }
const char *lapic_timer_name(void)
{
	if (!present || !tsc_khz())
		return "none";
	return tscdl ? "tsc-deadline" : timer_khz ? "lapic-oneshot" : "none";
}

/* No EOI for a spurious interrupt: it sets no in-service bit. */
static void lapic_spurious(struct trap_frame *tf) { (void)tf; spurious++; }

static void lapic_error(struct trap_frame *tf)
{
	(void)tf;
	lapic_write(LAPIC_ESR, 0);             /* latch, then read */
	uint32_t esr = lapic_read(LAPIC_ESR);
	if (!errors++)
		printk("lapic: error interrupt, ESR=%#x\n", esr);
	lapic_eoi();
}

static void lapic_timer_irq(struct trap_frame *tf)
{
	(void)tf;
	timer_irqs++;
	/* EOI first: fire() may re-arm for a deadline already due, and a
	 * scheduler may switch away from inside it. */
	lapic_eoi();
	if (fire_fn)
		fire_fn();
}

/* Counts of the one-shot timer over a TSC-timed stretch, interrupts masked. */
static uint32_t calibrate_khz(unsigned us)
{
	uint32_t f = irq_save();
	lapic_write(LAPIC_TIMER_DIV, DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | LVT_TIMER_ONESHOT | VEC_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
	uint64_t t0 = rdtsc();
	uint32_t c0 = lapic_read(LAPIC_TIMER_CUR);
	uint64_t end = t0 + tsc_ns_to_cycles((uint64_t)us * 1000);
	uint64_t t1;
	while ((t1 = rdtsc()) < end)
		;
	uint32_t c1 = lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_TIMER_INIT, 0);
	irq_restore(f);
	uint64_t ns = tsc_cycles_to_ns(t1 - t0);
	return ns ? (uint32_t)((uint64_t)(c0 - c1) * 1000000 / ns) : 0;
}

/* The one-shot counting rate, against the TSC (nothing to do in
 * TSC-deadline mode, nor without a TSC rate). */
static void lapic_timer_calibrate(void)
{
	if (tscdl || !tsc_khz())
		return;
	/* 10 ms runs until three agree within 0.1% (emulated on a loaded host,
	 * runs come out wrong several in a row), at most nine. */
	uint32_t k[9];
	int n, agreed = 0;
	for (n = 0; n < 9 && !agreed; n++) {
		k[n] = calibrate_khz(10000);
		for (int i = 0; i < n && !agreed; i++)
			for (int j = i + 1; j < n && !agreed; j++) {
				uint32_t v[3] = { k[i], k[j], k[n] }, lo = v[0], hi = v[0];
				for (int m = 1; m < 3; m++) {
					lo = v[m] < lo ? v[m] : lo;
					hi = v[m] > hi ? v[m] : hi;
				}
				if ((uint64_t)(hi - lo) * 1000 <= lo) {
					timer_khz = (uint32_t)(((uint64_t)v[0] + v[1] + v[2]) / 3);
					agreed = 1;
				}
			}
	}
	if (!agreed) {
		for (int i = 1; i < n; i++)              /* no agreement: the median */
			for (int j = i; j > 0 && k[j - 1] > k[j]; j--) {
				uint32_t t = k[j]; k[j] = k[j - 1]; k[j - 1] = t;
			}
		timer_khz = k[n / 2];
	}
	printk("lapic: timer one-shot, vector %#x, %u.%03u MHz after /16 (against the TSC, "
	       "%d runs of 10 ms%s)\n", VEC_LAPIC_TIMER, timer_khz / 1000, timer_khz % 1000, n,
	       agreed ? "" : ", no three agreeing: median");
}

int lapic_init(void)
{
	struct cpuid_regs r;
	cpuid(1, 0, &r);
	if (!(r.edx & CPUID1_EDX_APIC)) {
		printk("lapic: CPUID says this CPU has no local APIC\n");
		return -1;
	}
	tscdl = !!(r.ecx & CPUID1_ECX_TSCDL);
	uint64_t base = rdmsr(MSR_APIC_BASE);
	x2apic = !!(base & APIC_BASE_X2APIC);
	uint64_t pa = base & 0xFFFFFF000ull;
	uint64_t madt = madt_lapic_addr();
	if (madt && madt != pa) {
		printk("lapic: MADT places the LAPIC at %#llx, IA32_APIC_BASE at %#llx; using the MADT\n",
		       (unsigned long long)madt, (unsigned long long)pa);
		pa = madt;
	}
	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	if (!x2apic) {
		if (paging_map(LAPIC_VA, pa, PTE_P | PTE_RW | PTE_PCD | PTE_PWT | pte_nx | pte_global) != 0) {
			printk("lapic: no memory to map it\n");
			return -1;
		}
		mmio = (volatile uint32_t *)LAPIC_VA;
	}
	trap_set_handler(VEC_LAPIC_SPURIOUS, lapic_spurious);
	trap_set_handler(VEC_LAPIC_ERROR, lapic_error);
	trap_set_handler(VEC_LAPIC_TIMER, lapic_timer_irq);

	if (!x2apic) {                               /* flat logical mode, as firmware leaves it */
		lapic_write(LAPIC_DFR, 0xffffffff);
		lapic_write(LAPIC_LDR, (lapic_read(LAPIC_LDR) & 0x00ffffff) | (1u << 24));
	}
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, (1u << 8) | VEC_LAPIC_SPURIOUS);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);    /* the 8259 stays out */
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_LAPIC_TIMER);
	lapic_write(LAPIC_LVT_ERROR, VEC_LAPIC_ERROR);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_ESR, 0);
	present = 1;
	lapic_timer_calibrate();
	printk("lapic: id %u version %#x at %#llx (%s), spurious %#x, error %#x, timer %#x\n",
	       lapic_id(), lapic_read(LAPIC_VERSION) & 0xff, (unsigned long long)pa,
	       x2apic ? "x2APIC, MSRs" : "xAPIC, uncached MMIO", VEC_LAPIC_SPURIOUS,
	       VEC_LAPIC_ERROR, VEC_LAPIC_TIMER);
	return 0;
}

void lapic_timer_init(void (*fire)(void))
{
	fire_fn = fire;
	if (!present || !tsc_khz()) {
		printk("lapic: no timer (%s)\n", present ? "no TSC rate" : "no LAPIC");
		return;
	}
	if (tscdl) {
		lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_TSCDL | VEC_LAPIC_TIMER);
		wrmsr(MSR_TSC_DEADLINE, 0);
		printk("lapic: timer in TSC-deadline mode, vector %#x\n", VEC_LAPIC_TIMER);
	} else if (timer_khz) {
		lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_ONESHOT | VEC_LAPIC_TIMER);
	}
}

void lapic_timer_arm(uint64_t deadline_ns)
{
	if (!present || !tsc_khz())
		return;
	if (tscdl) {
		if (!deadline_ns) {
			wrmsr(MSR_TSC_DEADLINE, 0);
			return;
		}
		/* Relative to now, so the mult/shift rounding never accumulates. */
		uint64_t now = deadline_clock();
		uint64_t d = deadline_ns > now ? deadline_ns - now : 0;
		wrmsr(MSR_TSC_DEADLINE, rdtsc() + tsc_ns_to_cycles(d) + 1);
		return;
	}
	if (!timer_khz)
		return;
	if (!deadline_ns) {
		lapic_write(LAPIC_TIMER_INIT, 0);
		return;
	}
	uint64_t now = deadline_clock();
	uint64_t d = deadline_ns > now ? deadline_ns - now : 0;
	uint64_t max_ns = 0xffffffffull * 1000000 / timer_khz;
	if (d > max_ns)
		d = max_ns;              /* expires early; fire() re-arms */
	uint64_t count = (d * timer_khz + 999999) / 1000000;
	lapic_write(LAPIC_TIMER_INIT, count ? (uint32_t)count : 1);
}
