/*
 * Kernel threads, the scheduler and wait queues: cooperative order and
 * stack canaries ("threads", with the context-switch cost), preemption of
 * threads that never yield ("preempt"), sleep accuracy ("sleep"), and a
 * producer/consumer pair over wait queues ("waitq").
 */
#include <amphi/test.h>
#include <amphi/sched.h>
#include <amphi/wait.h>
#include <amphi/timer.h>
#include <asm/cpu.h>

#pragma weak now_ns

#define MS 1000000ull

static wait_queue_t done_wq = WAIT_QUEUE_INIT("test-done");
static volatile int done;

static void finished(void)
{
	irqflags_t f = irq_save();
	done++;
	irq_restore(f);
	wake_all(&done_wq);
}

/* Waits until n test threads have finished; with a clock, gives up after
 * 5 s so that a lost wake-up fails the test instead of hanging it. */
static int wait_done(int n)
{
	if (!sched_have_timer()) {
		wait_event(&done_wq, done >= n);
		return 1;
	}
	return wait_event_until(&done_wq, done >= n, now_ns() + 5000 * MS);
}

/* ---- threads ---- */

#define ROUNDS 3
static volatile int order[3 * ROUNDS + 4];
static volatile int norder;

struct coop {
	int id;
	struct thread *self;
	int stack_ok, irqs_on;
	size_t stack_used;
};

static void coop_fn(void *p)
{
	struct coop *c = p;
	c->self = thread_current();
	c->irqs_on = irqs_enabled();
	for (int r = 0; r < ROUNDS; r++) {
		order[norder++] = c->id;
		thread_yield();
	}
	c->stack_ok = thread_stack_ok(thread_current());
	c->stack_used = thread_stack_used(thread_current());
	finished();
}

#define PINGPONG 10000
static volatile uint64_t pp_start, pp_end;

static void pingpong_fn(void *p)
{
	if (!pp_start)
		pp_start = rdtsc();
	for (int i = 0; i < PINGPONG; i++)
		thread_yield();
	pp_end = rdtsc();
	finished();
}

DEFINE_TEST(test_threads, "threads",
	    "create/yield/exit: 3 threads in round-robin order, stack canaries, switch cost")
{
	struct sched_stats s0, s1;
	struct thread *me = thread_current();
	CHECK(me->id == 0, "the boot context is thread %u \"%s\", expected thread 0", me->id, me->name);
	sched_get_stats(&s0);

	/* The canary check itself must notice a smashed word. */
	if (me->stack) {
		irqflags_t f = irq_save();
		uint32_t saved = me->stack[1];
		me->stack[1] ^= 0x100;
		int noticed = !thread_stack_ok(me);
		me->stack[1] = saved;
		irq_restore(f);
		CHECK(noticed, "a smashed canary word went unnoticed");
	}
	CHECK(thread_stack_ok(me), "main's stack canary is not intact");

	static struct coop c[3];
	struct thread *t[3];
	done = 0;
	norder = 0;
	for (int i = 0; i < 3; i++) {
		c[i] = (struct coop){ .id = i + 1 };
		static const char *const names[] = { "coop-1", "coop-2", "coop-3" };
		t[i] = thread_create(names[i], coop_fn, &c[i]);
		CHECK(t[i], "thread_create failed");
		CHECK(t[i]->state == THREAD_READY, "a new thread is %s, not ready",
		      thread_state_name(t[i]->state));
	}
	CHECK(t[0]->id != t[1]->id && t[1]->id != t[2]->id && t[0]->id != t[2]->id,
	      "thread ids are not unique: %u %u %u", t[0]->id, t[1]->id, t[2]->id);
	sched_dump();
	CHECK(wait_done(3), "only %d of 3 threads finished within 5 s (run order so far: %d steps)",
	      done, norder);

	char got[3 * ROUNDS + 1];
	for (int i = 0; i < 3 * ROUNDS; i++)
		got[i] = i < norder ? (char)('0' + order[i]) : '-';
	got[3 * ROUNDS] = 0;
	printk("  run order %s\n", got);
	CHECK(norder == 3 * ROUNDS, "%d steps logged, expected %d", norder, 3 * ROUNDS);
	for (int i = 0; i < 3 * ROUNDS; i++)
		CHECK(order[i] == i % 3 + 1, "run order %s, expected 123123123", got);
	for (int i = 0; i < 3; i++) {
		CHECK(c[i].self == t[i], "thread %d saw itself as %p, created as %p", i + 1,
		      (void *)c[i].self, (void *)t[i]);
		CHECK(c[i].stack_ok, "thread %d's stack canary was smashed", i + 1);
		CHECK(c[i].irqs_on, "thread %d started with interrupts off", i + 1);
		printk("  coop-%d used %zu of %u stack bytes\n", i + 1, c[i].stack_used,
		       THREAD_STACK_SIZE);
	}
	sched_get_stats(&s1);
	CHECK(s1.nr_threads == s0.nr_threads, "%u threads alive after all exited, expected %u",
	      s1.nr_threads, s0.nr_threads);
	CHECK(s1.switches - s0.switches >= 3 * ROUNDS, "only %llu switches",
	      (unsigned long long)(s1.switches - s0.switches));

	/* Context-switch cost: two threads yielding to each other. */
	done = 0;
	pp_start = pp_end = 0;
	sched_get_stats(&s0);
	CHECK(thread_create("ping", pingpong_fn, 0) && thread_create("pong", pingpong_fn, 0),
	      "thread_create failed");
	CHECK(wait_done(2), "ping-pong threads stuck (%d of 2 finished)", done);
	sched_get_stats(&s1);
	uint64_t sw = s1.switches - s0.switches;
	CHECK(sw >= 2 * PINGPONG, "%llu switches for %d yields each", (unsigned long long)sw,
	      PINGPONG);
	printk("  context switch: %llu cycles (rdtsc) per yield-and-switch, %llu switches\n",
	       (unsigned long long)((pp_end - pp_start) / (2 * PINGPONG)), (unsigned long long)sw);
	return TEST_SUCCESS;
}

/* ---- preempt ---- */

static volatile uint64_t spins[2];
static volatile int spin_stop;

static void spinner(void *p)
{
	volatile uint64_t *n = &spins[(int)(uintptr_t)p];
	uint64_t limit = now_ns() + 3000 * MS;     /* no hang if preemption fails */
	while (!spin_stop) {
		(*n)++;
		if (!(*n & 0xffff) && now_ns() > limit)
			break;
	}
	finished();
}

DEFINE_TEST(test_preempt, "preempt",
	    "two threads spinning without yielding both advance while main sleeps 200 ms")
{
	if (!sched_have_timer())
		return test_report(TEST_SKIP, "no timer yet (kernel/timer.c)");
	struct sched_stats s0, s1;
	sched_get_stats(&s0);
	sleep_ns(5 * MS);          /* at least the sleep timer's interrupt */
	sched_get_stats(&s1);
	if (s1.irq_exits == s0.irq_exits)
		return test_report(TEST_SKIP, "trap_dispatch does not call sched_irq_exit() yet");

	done = 0;
	spin_stop = 0;
	spins[0] = spins[1] = 0;
	sched_get_stats(&s0);
	CHECK(thread_create("spin-a", spinner, (void *)0) && thread_create("spin-b", spinner, (void *)1),
	      "thread_create failed");
	/* Four 50-ms sleeps, each measured from the previous wake-up (a late
	 * wake-up must not shorten the next interval below a few slices). */
	uint64_t a[5], b[5], late = 0, t0 = now_ns();
	a[0] = spins[0];
	b[0] = spins[1];
	int stalled = 0;
	for (int i = 1; i <= 4; i++) {
		uint64_t t = now_ns();
		sleep_ns(50 * MS);
		uint64_t l = now_ns() - t - 50 * MS;
		late = l > late ? l : late;
		a[i] = spins[0];
		b[i] = spins[1];
		if (a[i] == a[i - 1] || b[i] == b[i - 1])
			stalled++;
	}
	uint64_t total = now_ns() - t0;
	spin_stop = 1;
	CHECK(wait_done(2), "the spinners did not stop (%d of 2 finished)", done);
	sched_get_stats(&s1);

	printk("  spin-a %llu, spin-b %llu iterations in %llu ms; main woke up to %llu us late; "
	       "%llu preemptions, %llu slice expiries\n",
	       (unsigned long long)a[4], (unsigned long long)b[4], (unsigned long long)(total / MS),
	       (unsigned long long)(late / 1000),
	       (unsigned long long)(s1.preemptions - s0.preemptions),
	       (unsigned long long)(s1.slice_fires - s0.slice_fires));
	CHECK(a[4] && b[4], "a spinner never ran (a=%llu b=%llu)", (unsigned long long)a[4],
	      (unsigned long long)b[4]);
	CHECK(!stalled, "in %d of 4 50-ms intervals a spinner did not advance", stalled);
	CHECK(late < 500 * MS, "main woke %llu ms late with two spinners running",
	      (unsigned long long)(late / MS));
	uint64_t lo = a[4] < b[4] ? a[4] : b[4], hi = a[4] < b[4] ? b[4] : a[4];
	CHECK(lo * 4 >= hi, "unfair: %llu vs %llu iterations", (unsigned long long)lo,
	      (unsigned long long)hi);
	CHECK(s1.preemptions - s0.preemptions >= 5, "only %llu preemptions in %llu ms",
	      (unsigned long long)(s1.preemptions - s0.preemptions), (unsigned long long)(total / MS));
	return TEST_SUCCESS;
}

/* ---- sleep ---- */

DEFINE_TEST(test_sleep, "sleep", "sleep_ns(100 ms) takes 100-110 ms by now_ns(), 5 times")
{
	if (!sched_have_timer())
		return test_report(TEST_SKIP, "no timer yet (kernel/timer.c)");
	thread_current();          /* brings the scheduler up outside the measurement */
	uint64_t lo = ~0ull, hi = 0, irq_late = 0, run_late = 0;
	for (int i = 0; i < 5; i++) {
		uint64_t t0 = now_ns();
		sleep_ns(100 * MS);
		uint64_t d = now_ns() - t0;
		/* Where the time went: the timer interrupt's own lateness (clock,
		 * timer, host) and from the wake-up to running again (scheduler). */
		uint64_t il = thread_current()->timer_late_ns;
		uint64_t rl = d > 100 * MS + il ? d - 100 * MS - il : 0;
		irq_late = il > irq_late ? il : irq_late;
		run_late = rl > run_late ? rl : run_late;
		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
	}
	printk("  sleep_ns(100 ms): min %llu.%03llu ms, max %llu.%03llu ms (timer interrupt up to "
	       "%llu us late, thread ran up to %llu us after it)\n",
	       (unsigned long long)(lo / MS), (unsigned long long)(lo % MS / 1000),
	       (unsigned long long)(hi / MS), (unsigned long long)(hi % MS / 1000),
	       (unsigned long long)(irq_late / 1000), (unsigned long long)(run_late / 1000));
	CHECK(lo >= 100 * MS, "slept only %llu us", (unsigned long long)(lo / 1000));
	CHECK(hi <= 110 * MS, "slept %llu us", (unsigned long long)(hi / 1000));
	return TEST_SUCCESS;
}

/* ---- waitq ---- */

#define NITEMS 1000
#define RING 8
static volatile uint32_t ring[RING];
static volatile unsigned produced, consumed;
static wait_queue_t not_empty = WAIT_QUEUE_INIT("not-empty");
static wait_queue_t not_full = WAIT_QUEUE_INIT("not-full");
static volatile int bad_at, bad_value;

static uint32_t item(unsigned i) { return i * 2654435761u + 17; }

static void producer(void *p)
{
	for (unsigned i = 0; i < NITEMS; i++) {
		wait_event(&not_full, produced - consumed < RING);
		ring[produced % RING] = item(i);
		produced++;
		wake_one(&not_empty);
	}
	finished();
}

static void consumer(void *p)
{
	for (unsigned i = 0; i < NITEMS; i++) {
		wait_event(&not_empty, produced != consumed);
		uint32_t v = ring[consumed % RING];
		if (v != item(i) && bad_at < 0) {
			bad_at = (int)i;
			bad_value = (int)v;
		}
		consumed++;
		wake_one(&not_full);
	}
	finished();
}

DEFINE_TEST(test_waitq, "waitq", "producer/consumer over wait queues hand over 1000 items in order")
{
	struct sched_stats s0, s1;
	done = 0;
	produced = consumed = 0;
	bad_at = -1;
	sched_get_stats(&s0);
	CHECK(thread_create("consumer", consumer, 0) && thread_create("producer", producer, 0),
	      "thread_create failed");
	int finished_ok = wait_done(2);
	sched_get_stats(&s1);
	CHECK(finished_ok, "producer/consumer stuck: %u produced, %u consumed after 5 s", produced,
	      consumed);
	printk("  %u items produced, %u consumed, %llu switches\n", produced, consumed,
	       (unsigned long long)(s1.switches - s0.switches));
	CHECK(produced == NITEMS && consumed == NITEMS, "%u produced, %u consumed", produced, consumed);
	CHECK(bad_at < 0, "item %d arrived as %#x, expected %#x", bad_at, (unsigned)bad_value,
	      (unsigned)item((unsigned)bad_at));
	CHECK(s1.switches - s0.switches >= 2 * NITEMS / RING,
	      "only %llu switches: the ring never filled or emptied?",
	      (unsigned long long)(s1.switches - s0.switches));
	CHECK(wait_queue_empty(&not_empty) && wait_queue_empty(&not_full),
	      "entries left on the wait queues");

	if (sched_have_timer()) {
		/* Nobody wakes it: wait_event_until gives up at its deadline. */
		static wait_queue_t never = WAIT_QUEUE_INIT("never");
		uint64_t t0 = now_ns();
		int ok = wait_event_until(&never, done == 99, t0 + 20 * MS);
		uint64_t d = now_ns() - t0;
		printk("  wait_event_until(20 ms) timed out after %llu us\n", (unsigned long long)(d / 1000));
		/* Never early; lateness is the host's (same bound as the timer tests). */
		CHECK(!ok && d >= 20 * MS && d < 70 * MS, "timed wait: ok=%d after %llu us", ok,
		      (unsigned long long)(d / 1000));
		CHECK(wait_queue_empty(&never), "the timed-out entry stayed queued");
	}
	return TEST_SUCCESS;
}

/* ---- the canary check on switch (negative: must end in ERROR) ---- */

static void smash_own_canary(void *p)
{
	thread_current()->stack[0] = 0xdeadbeef;   /* what a deep overflow leaves */
	thread_yield();                             /* switching out must catch it */
	finished();
}

DEFINE_NEGATIVE_TEST(test_stack_canary, "stack_canary",
		     "a thread whose stack canary is smashed stops the kernel at its next switch (negative test)")
{
	done = 0;
	CHECK(thread_create("smasher", smash_own_canary, 0), "thread_create failed");
	wait_done(1);
	return test_report(TEST_FAILURE, "the smashed canary went unnoticed");
}
