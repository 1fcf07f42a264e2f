/*
 * The TSC as the monotonic clock (arch/x86/tsc.c).  Its rate comes from, in
 * order: the hypervisor's timing leaf (Xen base+3 ECX, KVM 0x40000010 EAX:
 * the rate the guest's TSC really runs at), CPUID 0x15 (crystal ratio),
 * CPUID 0x16 (nominal base MHz), else a calibration against PIT channel 2.
 * ns since boot = (tsc - tsc_at_boot) * mult >> shift, never going backwards.
 */
#ifndef ASM_TSC_H
#define ASM_TSC_H
#include <stdint.h>

/* Returns 0, or -1 when no rate could be found (no source, no PIT). */
int tsc_init(void);
uint64_t tsc_clock_ns(void);
uint32_t tsc_khz(void);
const char *tsc_source(void);     /* "cpuid-15h", "xen-leaf", "pit", ... */
/* TSC cycles for a duration, rounded up (durations below ~1 h are exact). */
uint64_t tsc_ns_to_cycles(uint64_t ns);
uint64_t tsc_cycles_to_ns(uint64_t cycles);
/* Calibrates the TSC against PIT channel 2 over ms milliseconds; returns
 * kHz, or 0 when no PIT answers (a Xen PVH guest has none). */
uint32_t tsc_calibrate_pit(unsigned ms);
/* Sets a rate known from elsewhere (Xen PV: pvclock's scale); 0 or -1. */
int tsc_init_khz(uint32_t khz, const char *src);
/* Busy-waits (for calibration only). */
void tsc_delay_ns(uint64_t ns);
#endif
