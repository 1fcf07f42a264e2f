/*
 * The TSC as amphi's monotonic clock.  The rate is taken, in this order,
 * from: the hypervisor's timing leaf (what a guest's TSC really runs at,
 * after any TSC scaling: Xen base+3 subleaf 0 ECX, KVM/VMware 0x40000010
 * EAX, both in kHz); CPUID 0x15 (TSC/crystal ratio times the crystal);
 * CPUID 0x16 (the nominal base frequency in MHz); else a calibration
 * against PIT channel 2, which also serves as the sanity check of the
 * others' range.  A Xen PVH guest has no PIT: there the Xen leaf must do.
 *
 * ns = (tsc - tsc_base) * mult >> shift, with a 64x32-bit multiply in two
 * halves so nothing overflows for years; the last value handed out is kept
 * so the clock never goes backwards (single CPU: masking interrupts around
 * the compare-and-update is enough).
 */
#include <asm/tsc.h>
#include <asm/cpu.h>
#include <asm/io.h>
#include <asm/irqflags.h>
#include <amphi/hvdetect.h>
#include <amphi/printk.h>

#define PIT_HZ       1193182u
#define KHZ_MIN      10000u          /* 10 MHz .. 20 GHz is believable */
#define KHZ_MAX      20000000u

static uint64_t tsc_base;
static uint32_t khz, mult, shift;
static uint64_t last_ns;
static const char *source = "none";

static int sane(uint64_t k) { return k >= KHZ_MIN && k <= KHZ_MAX; }

static uint64_t mul_u64_u32_shr(uint64_t a, uint32_t mul, unsigned sh)
{
	uint64_t lo = (uint64_t)(uint32_t)a * mul;
	uint64_t hi = (a >> 32) * mul;
	return (lo >> sh) + (hi << (32 - sh));
}

uint64_t tsc_cycles_to_ns(uint64_t cycles)
{
	return mul_u64_u32_shr(cycles, mult, shift);
}

uint64_t tsc_ns_to_cycles(uint64_t ns)
{
	return (ns / 1000000) * khz + ((ns % 1000000) * khz + 999999) / 1000000;
}

uint64_t tsc_clock_ns(void)
{
	uint32_t f = irq_save();
	uint64_t t = rdtsc();
	uint64_t ns = t > tsc_base ? tsc_cycles_to_ns(t - tsc_base) : 0;
	if (ns < last_ns)
		ns = last_ns;
	else
		last_ns = ns;
	irq_restore(f);
	return ns;
}

uint32_t tsc_khz(void) { return khz; }
const char *tsc_source(void) { return source; }

void tsc_delay_ns(uint64_t ns)
{
	uint64_t end = rdtsc() + tsc_ns_to_cycles(ns);
	while (rdtsc() < end)
		__asm__ volatile("pause");
}

/*
 * One PIT gate: channel 2 in mode 0 counts `latch` ticks with the gate
 * (port 0x61 bit 0) high; OUT2 (port 0x61 bit 5) goes high at terminal
 * count.  Returns the TSC cycles it took, or 0 when there is no PIT (OUT2
 * already high, or it rose after too few polls) or it never ended.
 */
static uint64_t pit_gate(uint16_t latch)
{
	uint8_t p61 = inb(0x61);
	outb(0x61, (p61 & ~0x02) | 0x01);      /* gate on, speaker off */
	outb(0x43, 0xb0);                        /* channel 2, lo/hi, mode 0, binary */
	outb(0x42, latch & 0xff);
	outb(0x42, latch >> 8);
	uint64_t start = rdtsc(), now = start;
	unsigned polls = 0;
	while (!(inb(0x61) & 0x20)) {
		now = rdtsc();
		polls++;
		if (now - start > 20000000000ull || polls > 100000000u) {  /* seconds: broken */
			outb(0x61, p61);
			return 0;
		}
	}
	outb(0x61, p61);
	return polls < 16 ? 0 : now - start;
}

/*
 * Gates of `ms` until three agree within 200 ppm (their mean is the
 * answer), at most 15.  Agreement, not a median: under emulation a loaded
 * host makes runs of gates come out short or long, several in a row.
 */
uint32_t tsc_calibrate_pit(unsigned ms)
{
	if (ms > 50)
		ms = 50;
	uint16_t latch = (uint16_t)(PIT_HZ / 1000 * ms + PIT_HZ % 1000 * ms / 1000);
	uint64_t c[15];
	uint32_t f0 = irq_save();
	pit_gate(latch);                       /* warm-up: the first one runs cold */
	irq_restore(f0);
	for (int n = 0; n < 15; n++) {
		uint32_t f = irq_save();
		c[n] = pit_gate(latch);
		irq_restore(f);
		if (!c[n])
			return 0;
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n; j++) {
				uint64_t lo = c[i], hi = c[i];
				uint64_t v[3] = { c[i], c[j], c[n] };
				for (int k = 1; k < 3; k++) {
					lo = v[k] < lo ? v[k] : lo;
					hi = v[k] > hi ? v[k] : hi;
				}
				if ((hi - lo) * 5000 <= lo) {
					uint64_t mean = (v[0] + v[1] + v[2]) / 3;
					if (n > 2)
						printk("tsc: PIT calibration needed %d gates of %u ms to find three "
						       "that agree (a busy host?)\n", n + 1, ms);
					return (uint32_t)(mean * PIT_HZ / ((uint64_t)latch * 1000));
				}
			}
	}
	/* A very busy host: take the tightest three of the fifteen (sorted,
	 * consecutive) rather than leave the kernel without a clock, and say
	 * how far apart they were. */
	for (int i = 1; i < 15; i++)
		for (int j = i; j > 0 && c[j - 1] > c[j]; j--) {
			uint64_t t = c[j];
			c[j] = c[j - 1];
			c[j - 1] = t;
		}
	int best = 0;
	for (int i = 1; i + 2 < 15; i++)
		if (c[i + 2] - c[i] < c[best + 2] - c[best])
			best = i;
	uint64_t mean = (c[best] + c[best + 1] + c[best + 2]) / 3;
	printk("tsc: PIT calibration: no three of 15 gates agree within 200 ppm; using the "
	       "tightest three (%llu ppm apart)\n",
	       (unsigned long long)((c[best + 2] - c[best]) * 1000000 / c[best]));
	return (uint32_t)(mean * PIT_HZ / ((uint64_t)latch * 1000));
}

static const struct hv_block *hv_block(void)
{
	for (unsigned i = 0; i < hv_info.nr_found; i++)
		if (hv_info.found[i].base == hv_info.base)
			return &hv_info.found[i];
	return 0;
}

static uint32_t khz_from_hypervisor(const char **src)
{
	struct cpuid_regs r;
	const struct hv_block *b = hv_block();
	if (!b)
		return 0;
	if (hv_info.kind == HV_XEN && b->max_leaf >= b->base + 3) {
		cpuid(b->base + 3, 0, &r);
		*src = "xen-leaf";
		return r.ecx;
	}
	if ((hv_info.kind == HV_KVM || hv_info.kind == HV_VMWARE) && b->max_leaf >= b->base + 0x10) {
		cpuid(b->base + 0x10, 0, &r);
		*src = "hv-timing-leaf";
		return r.eax;
	}
	return 0;
}

static uint32_t khz_from_cpuid(const char **src)
{
	struct cpuid_regs r;
	cpuid(0, 0, &r);
	uint32_t max = r.eax;
	if (max >= 0x15) {
		cpuid(0x15, 0, &r);
		if (r.eax && r.ebx && r.ecx) {
			*src = "cpuid-15h";
			return (uint32_t)((uint64_t)r.ecx * r.ebx / r.eax / 1000);
		}
	}
	if (max >= 0x16) {
		cpuid(0x16, 0, &r);
		if (r.eax & 0xffff) {
			*src = "cpuid-16h";
			return (r.eax & 0xffff) * 1000;
		}
	}
	return 0;
}

int tsc_init(void)
{
	const char *src = "none";
	uint32_t k = khz_from_hypervisor(&src);
	if (!sane(k)) {
		if (k)
			printk("tsc: %s says %u kHz, not believable; ignored\n", src, k);
		k = khz_from_cpuid(&src);
	}
	if (!sane(k)) {
		if (k)
			printk("tsc: %s says %u kHz, not believable; ignored\n", src, k);
		k = tsc_calibrate_pit(10);
		src = "pit";
		if (!k)
			printk("tsc: no PIT answers on port 0x61 (a PVH guest has none) and no CPUID "
			       "leaf gives the TSC rate\n");
	}
	if (!sane(k)) {
		if (k)
			printk("tsc: PIT calibration gave %u kHz, not believable\n", k);
		return -1;
	}
	return tsc_init_khz(k, src);
}

int tsc_init_khz(uint32_t k, const char *src)
{
	if (!sane(k))
		return -1;
	khz = k;
	source = src;
	for (shift = 32; shift > 0; shift--) {
		uint64_t m = ((uint64_t)1000000 << shift) / khz;
		if (m <= 0xffffffffu) {
			mult = (uint32_t)m;
			break;
		}
	}
	tsc_base = rdtsc();
	last_ns = 0;
	printk("tsc: %u.%03u MHz from %s (ns = cycles * %u >> %u)\n", khz / 1000, khz % 1000,
	       source, mult, shift);
	return 0;
}
