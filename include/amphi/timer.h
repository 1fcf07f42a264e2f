/*
 * Time and software timers.  The platform gives one monotonic clock
 * (platform->clock_ns) and one one-shot hardware timer (platform->timer_arm);
 * kernel/timer.c multiplexes any number of software timers onto it, kept
 * sorted by deadline, and re-arms the hardware for the earliest one only
 * (tickless: nothing is armed when no timer is pending).
 */
#ifndef AMPHI_TIMER_H
#define AMPHI_TIMER_H
#include <stdint.h>

struct timer {
	uint64_t deadline;                 /* absolute, in now_ns() time */
	void (*fn)(struct timer *t);       /* runs in interrupt context, IRQs off */
	struct timer *next;
	int armed;
};

/* Brings up the platform's clock and timer; call once, after the heap. */
void time_init(void);
uint64_t now_ns(void);
/* The wall clock: ns since 1970 (CLOCK_REALTIME; kernel/sys_proc.c). */
uint64_t realtime_ns(void);
/* Arms t to run fn at deadline_ns (re-arming an armed timer moves it). */
void timer_add(struct timer *t, uint64_t deadline_ns, void (*fn)(struct timer *t));
/* Returns 1 when t was pending and is now cancelled, 0 otherwise. */
int timer_cancel(struct timer *t);
/* The banner's time line (pv/platform.c), printed by time_init() once the
 * clock and timer are up:
 *   amphi: clock=<clock_name> timer=<timer_name> irq=<irq_name> tsc=<MHz> MHz */
void platform_time_banner(void);
#endif
