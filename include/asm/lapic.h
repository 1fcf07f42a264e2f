/*
 * The local APIC (arch/x86/lapic.c): found through IA32_APIC_BASE (or the
 * MADT's address override), mapped uncached at LAPIC_VA, used in xAPIC
 * (MMIO) or, when firmware left it on, x2APIC (MSR) mode.
 *
 * Interrupt vectors (one table for the whole kernel):
 *   0x00-0x1f  CPU exceptions
 *   0x20-0x2f  the 8259 pair, remapped and masked (pic.c); only spurious
 *              IRQ 7 (0x27) and 15 (0x2f) are handled
 *   0x30-0xdf  free for devices routed through the I/O APIC (ioapic_route)
 *   0xf0       LAPIC timer (one-shot or TSC-deadline), runs the software timers
 *   0xfe       LAPIC error (LVT error): counted, ESR printed once
 *   0xff       LAPIC spurious (SVR): counted, no EOI
 * The priority class of a vector is vector >> 4: the timer and the error
 * vector sit above every device vector.
 */
#ifndef ASM_LAPIC_H
#define ASM_LAPIC_H
#include <stdint.h>
#include <amphi/layout.h>

#define LAPIC_VA            MMIO_BASE     /* one page, uncached (PCD|PWT); see amphi/layout.h */
#define IOAPIC_VA           (MMIO_BASE + 0x1000u)  /* IOAPIC_MAX pages after it */

#define VEC_DEVICE_FIRST    0x30
#define VEC_DEVICE_LAST     0xdf
#define VEC_LAPIC_TIMER     0xf0
#define VEC_LAPIC_ERROR     0xfe
#define VEC_LAPIC_SPURIOUS  0xff

/* Register offsets (xAPIC MMIO; x2APIC MSR = 0x800 + offset / 16). */
#define LAPIC_ID      0x020
#define LAPIC_VERSION 0x030
#define LAPIC_TPR     0x080
#define LAPIC_EOI     0x0b0
#define LAPIC_LDR     0x0d0
#define LAPIC_DFR     0x0e0
#define LAPIC_SVR     0x0f0
#define LAPIC_ESR     0x280
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR  0x390
#define LAPIC_TIMER_DIV  0x3e0

#define LVT_MASKED          (1u << 16)
#define LVT_TIMER_ONESHOT   (0u << 17)
#define LVT_TIMER_TSCDL     (2u << 17)

#define MSR_APIC_BASE       0x1b
#define MSR_TSC_DEADLINE    0x6e0
#define APIC_BASE_ENABLE    (1u << 11)
#define APIC_BASE_X2APIC    (1u << 10)

/* Enables the LAPIC (after mm_init and acpi_init: it maps MMIO and reads
 * the MADT); returns 0, or -1 when the CPU has none. */
int lapic_init(void);
int lapic_present(void);
uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t val);
void lapic_eoi(void);
/* KVM PV EOI: the word registered with MSR_KVM_PV_EOI_EN (NULL: off). */
void lapic_set_pv_eoi(volatile uint32_t *word);
/* Deadlines passed to lapic_timer_arm are in this clock (default: TSC). */
void lapic_timer_set_clock(uint64_t (*clock_ns)(void));
uint32_t lapic_id(void);
/* The one-shot timer: calls fire() from the VEC_LAPIC_TIMER handler (after
 * the EOI, interrupts off).  Picks TSC-deadline mode when CPUID.1:ECX[24]
 * says so, else one-shot counting calibrated against the TSC. */
void lapic_timer_init(void (*fire)(void));
void lapic_timer_arm(uint64_t deadline_ns);
const char *lapic_timer_name(void);
uint32_t lapic_timer_khz(void);       /* counting rate after the divider; 0 in TSC-deadline mode */
unsigned lapic_spurious_count(void);
unsigned lapic_error_count(void);
unsigned long lapic_timer_irq_count(void);
#endif
