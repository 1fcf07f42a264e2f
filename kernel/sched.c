/*
 * The scheduler: one run queue, round robin, on one CPU.
 *
 * Every switch happens in schedule_locked() with interrupts off and
 * sched_lock held; the lock is handed over to the thread switched to, which
 * releases it where it resumes (the caller of schedule_locked, or
 * thread_start for a new thread).  Three ways in: a thread blocks or exits
 * (it is not requeued), yields (back of the queue), or is preempted on the
 * way out of an interrupt (sched_irq_exit, when need_resched is set).
 *
 * Time slice: one struct timer, armed only while another thread is waiting
 * on the run queue.  It is left armed across switches between busy threads
 * (each switch restarts the slice at slice_start; an early expiry re-arms
 * for the rest), so yield ping-pong does not reprogram the hardware timer.
 */
#include <amphi/sched.h>
#include <amphi/spinlock.h>
#include <amphi/timer.h>
#include <amphi/platform.h>
#include <amphi/printk.h>
#include <amphi/panic.h>
#include <amphi/string.h>


spinlock_t sched_lock = SPINLOCK_INIT("sched");

static struct thread *cur;              /* the running thread */
static struct thread *idle;
static struct thread *rq_head, *rq_tail;
static volatile int need_resched;
static int sched_up;
static int have_timer;

static struct timer slice_timer;
static int slice_armed;
static uint64_t slice_start;

static struct sched_stats stats;

/* Process core hook (kernel/proc.c): runs just before every switch, with
 * sched_lock held and interrupts off, so that the TSS esp0, the address
 * space (CR3), the TLS descriptor and the FPU state follow the thread.
 * Weak: a kernel without processes links without it. */
void sched_switch_hook(struct thread *prev, struct thread *next);

void spin_lock_contended(spinlock_t *l)
{
	/* One CPU: the holder cannot run until we give up the CPU, and we
	 * hold interrupts off.  Spin a little (for SMP later), then report. */
	for (unsigned long i = 0; i < 100000000ul; i++) {
		if (!l->locked)
			return;
		__asm__ volatile("pause");
	}
	panic("spinlock %s: lockup (taken twice on one CPU?): held, taken in the function called from %p; wanted at %p",
	      l->name ? l->name : "?", l->taken_from, __builtin_return_address(0));
}

static void rq_push(struct thread *t)
{
	t->rq_next = 0;
	if (rq_tail)
		rq_tail->rq_next = t;
	else
		rq_head = t;
	rq_tail = t;
}

static struct thread *rq_pop(void)
{
	struct thread *t = rq_head;
	if (t) {
		rq_head = t->rq_next;
		if (!rq_head)
			rq_tail = 0;
		t->rq_next = 0;
	}
	return t;
}

int sched_have_timer(void)
{
	/* The operations are there statically; the names say whether time_init
	 * found a clock and a timer (e.g. "none" when TSC calibration failed). */
	return platform && platform->clock_ns &&
	       platform->timer_arm && platform->clock_name && strcmp(platform->clock_name, "none") &&
	       platform->timer_name && strcmp(platform->timer_name, "none");
}

/* The clock may come up after the scheduler: look again until it has. */
static int timer_ready(void)
{
	if (!have_timer)
		have_timer = sched_have_timer();
	return have_timer;
}

struct thread *sched_idle_thread(void)
{
	return idle;
}

/* ---- time slice ---- */

static void slice_fire(struct timer *t)
{
	spin_lock(&sched_lock);           /* interrupt context: interrupts are off */
	slice_armed = 0;
	stats.slice_fires++;
	if (cur != idle && rq_head) {
		uint64_t end = slice_start + SCHED_SLICE_NS;
		if (now_ns() + SCHED_SLICE_NS / 20 < end) {
			/* The running thread got the CPU after the timer was set. */
			slice_armed = 1;
			timer_add(t, end, slice_fire);
		} else {
			need_resched = 1;
		}
	}
	spin_unlock(&sched_lock);
}

/* Arms the slice when a thread waits for the CPU, cancels it when none
 * does (tickless when alone or idle).  sched_lock held. */
static void slice_update(void)
{
	if (!have_timer)
		return;
	if (cur != idle && rq_head) {
		if (!slice_armed) {
			slice_armed = 1;
			timer_add(&slice_timer, slice_start + SCHED_SLICE_NS, slice_fire);
		}
	} else if (slice_armed) {
		slice_armed = 0;
		timer_cancel(&slice_timer);
	}
}

/* ---- switching ---- */

/* Idle time for /proc/uptime and /proc/stat: from the switch to the idle
 * thread to the switch away from it.  sched_lock held. */
static uint64_t idle_since;
static void account_idle(struct thread *prev, struct thread *next)
{
	uint64_t now = now_ns();
	if (prev == idle && idle_since && now > idle_since)
		stats.idle_ns += now - idle_since;
	if (next == idle)
		idle_since = now;
}

static void check_stack(struct thread *t, const char *when)
{
	if (!thread_stack_ok(t))
		panic("thread %s (id %u): stack overflow, canary at %p smashed (%s)",
		      t->name, t->id, (void *)t->stack, when);
}

void sched_finish_switch(void)
{
	thread_reap();
}

void schedule_locked(int preempt)
{
	struct thread *prev = cur, *next;
	uint32_t esp;

	__asm__ volatile("movl %%esp, %0" : "=r"(esp));
	if (prev->stack && (esp < (uint32_t)prev->stack + THREAD_CANARY_WORDS * 4 ||
			    esp > (uint32_t)prev->stack + prev->stack_size))
		panic("thread %s (id %u): %%esp %#x outside its stack [%p, +%zu)",
		      prev->name, prev->id, esp, (void *)prev->stack, prev->stack_size);
	check_stack(prev, "switching out");

	if (prev->state == THREAD_RUNNING && prev != idle) {
		prev->state = THREAD_READY;
		rq_push(prev);
	}
	next = rq_pop();
	if (!next)
		next = idle;
	need_resched = 0;
	if (next != prev) {
		if (prev == idle)
			idle->state = THREAD_READY;
		if (have_timer && rq_head)
			slice_start = now_ns();      /* a fresh slice for next */
	}
	next->state = THREAD_RUNNING;
	if (next != prev && have_timer)
		account_idle(prev, next);
	cur = next;
	slice_update();
	if (next == prev)
		return;

	check_stack(next, "switching in");
	next->nr_runs++;
	stats.switches++;
	if (preempt)
		stats.preemptions++;
	sched_switch_hook(prev, next);
	switch_stacks(&prev->sp, next->sp);
	/* prev again, switched back to by someone. */
	sched_finish_switch();
}

void thread_yield(void)
{
	sched_init();
	irqflags_t f = spin_lock_irqsave(&sched_lock);
	schedule_locked(0);
	spin_unlock_irqrestore(&sched_lock, f);
}

void sched_irq_exit(void)
{
	stats.irq_exits++;
	if (!need_resched || !sched_up)
		return;
	if (irqs_enabled())
		panic("sched_irq_exit with interrupts enabled");
	spin_lock(&sched_lock);
	/* A thread caught between marking itself blocked and blocking (see
	 * sched.h) goes back on the run queue: it re-checks its condition. */
	if (cur->state == THREAD_BLOCKED)
		cur->state = THREAD_RUNNING;
	schedule_locked(1);
	spin_unlock(&sched_lock);
}

/* ---- blocking and waking ---- */

void sched_set_blocked(void)
{
	sched_init();
	irqflags_t f = spin_lock_irqsave(&sched_lock);
	cur->state = THREAD_BLOCKED;
	spin_unlock_irqrestore(&sched_lock, f);
}

void sched_set_running(void)
{
	irqflags_t f = spin_lock_irqsave(&sched_lock);
	cur->state = THREAD_RUNNING;
	spin_unlock_irqrestore(&sched_lock, f);
}

/* Queues a ready thread: the idle thread gives way at once; a running
 * thread gets a slice timer now that it has company.  sched_lock held. */
static void make_runnable_locked(struct thread *t)
{
	rq_push(t);
	if (cur == idle)
		need_resched = 1;
	else if (!slice_armed && have_timer)
		slice_start = now_ns();
	slice_update();
}

int thread_wake(struct thread *t)
{
	int woken = 0;
	irqflags_t f = spin_lock_irqsave(&sched_lock);
	if (t->state == THREAD_BLOCKED) {
		woken = 1;
		if (t == cur) {
			t->state = THREAD_RUNNING;   /* had not switched away yet */
		} else {
			t->state = THREAD_READY;
			make_runnable_locked(t);
		}
	}
	spin_unlock_irqrestore(&sched_lock, f);
	return woken;
}

static void sleep_fire(struct timer *tm)
{
	struct thread *t = (struct thread *)((char *)tm - __builtin_offsetof(struct thread, sleep_timer));
	t->sleep_pending = 0;
	t->timer_late_ns = now_ns() - tm->deadline;
	thread_wake(t);
}

void sched_block_until(uint64_t deadline)
{
	struct thread *t = cur;
	if (t == idle)
		panic("the idle thread cannot block");
	irqflags_t f = irq_save();
	/* The timer is set outside sched_lock: should timer_add run the
	 * callback at once for a past deadline, the wake-up finds the thread
	 * still running and merely marks it so. */
	if (deadline && have_timer && t->state == THREAD_BLOCKED) {
		t->sleep_pending = 1;
		timer_add(&t->sleep_timer, deadline, sleep_fire);
	}
	spin_lock(&sched_lock);
	if (t->state == THREAD_BLOCKED)
		schedule_locked(0);
	spin_unlock(&sched_lock);
	if (t->sleep_pending) {
		timer_cancel(&t->sleep_timer);
		t->sleep_pending = 0;
	}
	irq_restore(f);
}

void sched_block(void)
{
	sched_block_until(0);
}

void sleep_until(uint64_t deadline)
{
	sched_init();
	if (!timer_ready()) {
		thread_yield();
		return;
	}
	for (;;) {
		sched_set_blocked();
		if (now_ns() >= deadline) {
			sched_set_running();
			return;
		}
		sched_block_until(deadline);
	}
}

void sleep_ns(uint64_t ns)
{
	sched_init();
	sleep_until(timer_ready() ? now_ns() + ns : 0);
}

/* ---- idle and bring-up ---- */

static void idle_loop(void *arg)
{
	for (;;) {
		irqflags_t f = spin_lock_irqsave(&sched_lock);
		if (rq_head) {
			schedule_locked(0);
			spin_unlock_irqrestore(&sched_lock, f);
			continue;
		}
		spin_unlock(&sched_lock);
		/* Interrupts stay off from the check to here: sti;hlt in
		 * platform->idle cannot miss a wake-up. */
		if (platform && platform->idle)
			platform->idle();
		else
			__asm__ volatile("sti; hlt; cli" ::: "memory");
		irq_restore(f);
	}
}

void sched_init(void)
{
	if (sched_up)
		return;
	cur = thread_init_main();
	idle = thread_alloc("idle", idle_loop, 0);
	if (!idle)
		panic("sched: no memory for the idle thread");
	have_timer = sched_have_timer();
	sched_up = 1;
	printk("sched: thread 0 \"main\" on the boot stack, idle thread %u, slice %llu ms, %s\n",
	       idle->id, SCHED_SLICE_NS / 1000000,
	       have_timer ? "preemptive" : "cooperative (no timer)");
}

struct thread *thread_current(void)
{
	sched_init();
	return cur;
}

struct thread *sched_running_thread(void)
{
	return sched_up ? cur : 0;
}

struct thread *thread_create(const char *name, void (*fn)(void *), void *arg)
{
	sched_init();
	struct thread *t = thread_alloc(name, fn, arg);
	if (!t)
		return 0;
	timer_ready();
	irqflags_t f = spin_lock_irqsave(&sched_lock);
	make_runnable_locked(t);
	spin_unlock_irqrestore(&sched_lock, f);
	return t;
}

void sched_get_stats(struct sched_stats *s)
{
	irqflags_t f = spin_lock_irqsave(&sched_lock);
	*s = stats;
	s->nr_threads = thread_count();
	if (cur == idle && idle_since && have_timer) {
		uint64_t now = now_ns();
		s->idle_ns += now > idle_since ? now - idle_since : 0;   /* idle right now */
	}
	s->nr_runnable = cur != idle;
	for (struct thread *t = rq_head; t; t = t->rq_next)
		s->nr_runnable++;
	spin_unlock_irqrestore(&sched_lock, f);
}
