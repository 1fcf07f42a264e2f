/*
 * Time and interrupts as on bare metal (pv/native_time.c), shared by the
 * native, KVM and (until its pvclock lands) Xen HVM/PVH platforms: the TSC
 * as clock, the LAPIC timer (one-shot or TSC-deadline) as timer, the CMOS
 * RTC as wall clock, the I/O APIC for device interrupts.
 *
 * irq_init runs before memory management and ACPI, so it only puts the
 * 8259 into its masked state; the LAPIC and I/O APICs (MMIO mappings, MADT)
 * come up in time_init, after mm_init and acpi_init.
 */
#ifndef PV_NATIVE_TIME_H
#define PV_NATIVE_TIME_H
#include <amphi/platform.h>
#include <asm/tsc.h>
#include <asm/lapic.h>
#include <asm/rtc.h>

void native_irq_init(void);
/* TSC, LAPIC and I/O APIC bring-up; sets ops->timer_name and ops->irq_name
 * to what was found.  Each platform's time_init calls it on its own ops. */
void native_time_setup(struct platform_ops *ops);

#define NATIVE_TIME_OPS                                                           \
	.clock_ns = tsc_clock_ns,                                                   \
	.timer_init = lapic_timer_init,                                             \
	.timer_arm = lapic_timer_arm,                                               \
	.wallclock_s = rtc_wallclock_s,                                             \
	.clock_name = "tsc",                                                        \
	.timer_name = "none",                                                       \
	.irq_name = "none"
#endif
