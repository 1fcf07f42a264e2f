/* Saving, masking and restoring EFLAGS.IF around short critical sections. */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H
#include <stdint.h>

#define EFLAGS_IF (1u << 9)

/* Masks interrupts; returns the previous EFLAGS for irq_restore(). */
static inline uint32_t irq_save(void)
{
	uint32_t f;
	__asm__ volatile("pushfl; popl %0; cli" : "=r"(f) :: "memory");
	return f;
}

static inline void irq_restore(uint32_t flags)
{
	if (flags & EFLAGS_IF)
		__asm__ volatile("sti" ::: "memory");
}

static inline int irqs_enabled(void)
{
	uint32_t f;
	__asm__ volatile("pushfl; popl %0" : "=r"(f));
	return !!(f & EFLAGS_IF);
}
#endif
