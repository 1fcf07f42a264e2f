/* Saving, masking and restoring EFLAGS.IF around short critical sections.
 * Under Xen PV cli/sti do nothing for the ring-1 kernel; the "interrupt
 * flag" is then the event mask in vcpu_info, which the platform points
 * irq_pv_mask at (NULL elsewhere: one predictable branch). */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H
#include <stdint.h>

#define EFLAGS_IF (1u << 9)

extern volatile uint8_t *irq_pv_mask;       /* vcpu_info.evtchn_upcall_mask */
extern volatile uint8_t *irq_pv_pending;    /* vcpu_info.evtchn_upcall_pending */
void irq_pv_kick(void);                      /* lets a pending upcall in */

static inline void irq_disable(void)
{
	if (irq_pv_mask) {
		*irq_pv_mask = 1;
		__asm__ volatile("" ::: "memory");
	} else {
		__asm__ volatile("cli" ::: "memory");
	}
}

static inline void irq_enable(void)
{
	if (irq_pv_mask) {
		__asm__ volatile("" ::: "memory");
		*irq_pv_mask = 0;
		__asm__ volatile("" ::: "memory");
		if (*irq_pv_pending)
			irq_pv_kick();
	} else {
		__asm__ volatile("sti" ::: "memory");
	}
}

/* Masks interrupts; returns the previous EFLAGS for irq_restore(). */
static inline uint32_t irq_save(void)
{
	uint32_t f;
	if (irq_pv_mask) {
		f = *irq_pv_mask ? 0 : EFLAGS_IF;
		irq_disable();
		return f;
	}
	__asm__ volatile("pushfl; popl %0; cli" : "=r"(f) :: "memory");
	return f;
}

static inline void irq_restore(uint32_t flags)
{
	if (flags & EFLAGS_IF)
		irq_enable();
}

static inline int irqs_enabled(void)
{
	if (irq_pv_mask)
		return !*irq_pv_mask;
	uint32_t f;
	__asm__ volatile("pushfl; popl %0" : "=r"(f));
	return !!(f & EFLAGS_IF);
}
#endif
