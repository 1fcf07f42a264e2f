/*
 * Software timers on the platform's one-shot timer (amphi/timer.h).  The
 * pending timers form one list sorted by deadline (equal deadlines in the
 * order they were added); the hardware is armed for the head only, and for
 * nothing when the list is empty.  fire() runs in interrupt context: it
 * takes every timer that is due at that moment off the list, runs them in
 * deadline order (a function may re-arm its own or any other timer; one
 * re-armed for a deadline already past runs at the next expiry, never in
 * the same pass, so a pass always ends), then arms the hardware for the new
 * head.  The list is only touched with interrupts masked.
 */
#include <amphi/timer.h>
#include <amphi/platform.h>
#include <amphi/printk.h>
#include <asm/irqflags.h>

static struct timer *pending;     /* sorted by deadline */
static struct timer *running;     /* due now, taken off `pending` by fire() */
static uint64_t hw_deadline;      /* what the hardware is armed for; 0: nothing */
static int in_fire;

uint64_t now_ns(void)
{
	return platform->clock_ns ? platform->clock_ns() : 0;
}

static void hw_arm(uint64_t deadline)
{
	if (deadline == hw_deadline || !platform->timer_arm)
		return;
	hw_deadline = deadline;
	platform->timer_arm(deadline);
}

/* The hardware follows the head of the list (not while fire() runs: it arms
 * once at the end). */
static void hw_follow(void)
{
	if (!in_fire)
		hw_arm(!pending ? 0 : pending->deadline ? pending->deadline : 1);
}

static int unlink(struct timer **list, struct timer *t)
{
	for (struct timer **pp = list; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			t->next = 0;
			return 1;
		}
	return 0;
}

static int remove_armed(struct timer *t)
{
	if (!t->armed)
		return 0;
	t->armed = 0;
	return unlink(&pending, t) || unlink(&running, t);
}

void timer_add(struct timer *t, uint64_t deadline_ns, void (*fn)(struct timer *t))
{
	uint32_t f = irq_save();
	remove_armed(t);
	t->deadline = deadline_ns;
	t->fn = fn;
	struct timer **pp = &pending;
	while (*pp && (*pp)->deadline <= deadline_ns)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
	t->armed = 1;
	hw_follow();
	irq_restore(f);
}

int timer_cancel(struct timer *t)
{
	uint32_t f = irq_save();
	int was = remove_armed(t);
	if (was)
		hw_follow();
	irq_restore(f);
	return was;
}

static void fire(void)
{
	in_fire = 1;
	hw_deadline = 0;                    /* the one-shot has expired */
	uint64_t now = now_ns();
	struct timer **tail = &pending;
	while (*tail && (*tail)->deadline <= now)
		tail = &(*tail)->next;
	if (tail != &pending) {             /* the due prefix, still in order */
		running = pending;
		pending = *tail;
		*tail = 0;
	}
	while (running) {
		struct timer *t = running;
		running = t->next;
		t->next = 0;
		t->armed = 0;
		t->fn(t);
	}
	in_fire = 0;
	hw_follow();
}

void time_init(void)
{
	if (platform->time_init)
		platform->time_init();
	if (platform->timer_init)
		platform->timer_init(fire);
	platform_time_banner();
}
