/*
 * I/O APICs from the MADT (arch/x86/ioapic.c): every redirection entry is
 * masked at start; drivers route a global system interrupt (GSI) to a
 * vector in VEC_DEVICE_FIRST..VEC_DEVICE_LAST (asm/lapic.h).  ISA IRQs go
 * through the MADT's interrupt source overrides (on PCs ISA IRQ 0, the PIT,
 * usually arrives on GSI 2).
 */
#ifndef ASM_IOAPIC_H
#define ASM_IOAPIC_H
#include <stdint.h>

#define IOAPIC_MAX 4

/* Parses the MADT, maps and masks every I/O APIC; returns how many. */
int ioapic_init(void);
int ioapic_count(void);
/* The GSI an ISA IRQ arrives on (interrupt source overrides applied). */
uint32_t ioapic_isa_to_gsi(unsigned irq);
/* Unmasks gsi to vector on this CPU's LAPIC; polarity and trigger from the
 * MADT override for that GSI, else ISA (GSI < 16: edge, active high) or PCI
 * (level, active low) defaults.  Returns 0, or -1 when no I/O APIC has gsi. */
int ioapic_route(uint32_t gsi, uint8_t vector);
void ioapic_mask(uint32_t gsi);
/* MADT facts the LAPIC code wants. */
uint64_t madt_lapic_addr(void);        /* 0 when no MADT */
int madt_has_8259(void);               /* MADT flag PCAT_COMPAT */
#endif
