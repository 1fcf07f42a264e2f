/*
 * Spinlocks with interrupt masking.  amphi runs on one CPU, so what makes a
 * critical section atomic is the interrupt flag; the lock word is kept (and
 * really taken) so that SMP can come later without touching the callers.
 * On one CPU a lock that is found held can never be released (its holder
 * runs with interrupts off and we interrupted nobody): that is a bug, and
 * spin_lock_contended() panics after a bounded spin instead of hanging,
 * naming where the holder took the lock (the return address of the
 * function that took it: for a wait queue, the wait_event's caller).
 *
 *     irqflags_t f = spin_lock_irqsave(&lock);
 *     ...
 *     spin_unlock_irqrestore(&lock, f);
 */
#ifndef AMPHI_SPINLOCK_H
#define AMPHI_SPINLOCK_H
#include <stdint.h>
#include <asm/irqflags.h>     /* irq_save, irq_restore, irqs_enabled */

typedef uint32_t irqflags_t;

typedef struct spinlock {
	volatile uint32_t locked;
	const char *name;
	const void *taken_from;         /* for the lockup report only */
} spinlock_t;

#define SPINLOCK_INIT(nm) { 0, nm, 0 }

static inline void spin_lock_init(spinlock_t *l, const char *name)
{
	l->locked = 0;
	l->name = name;
	l->taken_from = 0;
}

void spin_lock_contended(spinlock_t *l);    /* kernel/sched.c */

/* Plain lock/unlock: the caller has interrupts off already. */
static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		spin_lock_contended(l);
	l->taken_from = __builtin_return_address(0);
}
static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}
static inline int spin_is_locked(const spinlock_t *l)
{
	return l->locked != 0;
}

static inline irqflags_t spin_lock_irqsave(spinlock_t *l)
{
	irqflags_t f = irq_save();
	spin_lock(l);
	return f;
}
static inline void spin_unlock_irqrestore(spinlock_t *l, irqflags_t f)
{
	spin_unlock(l);
	irq_restore(f);
}
#endif
