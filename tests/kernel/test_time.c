/*
 * Time: the software timers (order, never early, cancel, re-arm from inside
 * a timer), the monotonic clock and the RTC wall clock, two seconds by the
 * kernel's own clock (the host times the marks), and an idle that halts.
 */
#include <amphi/test.h>
#include <amphi/timer.h>
#include <amphi/platform.h>
#include <amphi/string.h>
#include <asm/cpu.h>
#include <asm/tsc.h>
#include <asm/lapic.h>
#include <asm/ioapic.h>
#include <asm/rtc.h>
#include <asm/irqflags.h>

#define MS 1000000ull
#define NTIMERS 1000
/* How late a timer may be.  Under TCG on a loaded host, lateness is the
 * host's scheduling, not amphi's; being early is never allowed. */
#define LATE_BOUND (50 * MS)

static enum test_status need_time(void)
{
	if (!platform->clock_ns || !platform->timer_arm)
		return test_report(TEST_SKIP, "platform %s has no clock or timer", platform->name);
	/* Set up but found nothing that works: waiting would hang. */
	CHECK(strcmp(platform->clock_name, "none") && strcmp(platform->timer_name, "none"),
	      "no working clock or timer on %s (clock=%s timer=%s)", platform->name,
	      platform->clock_name, platform->timer_name);
	return TEST_SUCCESS;
}

/* Idles (hlt, interrupts on) until *flag is set or the clock passes limit;
 * returns how many times it woke up. */
static unsigned idle_until(volatile int *flag, uint64_t limit)
{
	unsigned wakeups = 0;
	while (!*flag && now_ns() < limit) {
		platform->idle();
		wakeups++;
	}
	return wakeups;
}

/* ---- one timer ---- */
static volatile int one_fired;
static uint64_t one_at;
static void one_fn(struct timer *t) { (void)t; one_at = now_ns(); one_fired++; }

/* ---- 1000 timers ---- */
static struct timer many[NTIMERS];
static uint16_t order[NTIMERS];
static uint8_t calls[NTIMERS];
static int64_t late[NTIMERS];
static volatile int nfired;
static void many_fn(struct timer *t)
{
	unsigned i = (unsigned)(t - many);
	late[i] = (int64_t)(now_ns() - t->deadline);
	calls[i]++;
	if (nfired < NTIMERS)
		order[nfired] = (uint16_t)i;
	nfired++;
}

/* ---- cancel, move, re-arm from inside ---- */
static volatile int c_fired[3], periodic_n;
static uint64_t c_at[3];
static struct timer ct[3], periodic;
static void c_fn(struct timer *t) { unsigned i = (unsigned)(t - ct); c_fired[i]++; c_at[i] = now_ns(); }
static void periodic_fn(struct timer *t)
{
	if (++periodic_n < 5)
		timer_add(t, t->deadline + MS, periodic_fn);
}

/* ---- interrupt cost: the longest gap between two TSC reads while a timer
 * interrupt arrives ---- */
static volatile int cost_fired;
static void cost_fn(struct timer *t) { (void)t; cost_fired = 1; }
static uint64_t irq_gap(void)
{
	struct timer t = { 0 };
	uint64_t maxgap = 0;
	cost_fired = 0;
	timer_add(&t, now_ns() + MS, cost_fn);
	uint64_t prev = rdtsc(), end = prev + tsc_ns_to_cycles(100 * MS);
	sti();
	while (!cost_fired) {
		uint64_t c = rdtsc();
		if (c - prev > maxgap)
			maxgap = c - prev;
		prev = c;
		if (c > end)
			break;
	}
	uint64_t c = rdtsc();               /* the interrupt may follow the last read */
	if (c - prev > maxgap)
		maxgap = c - prev;
	cli();
	timer_cancel(&t);
	return cost_fired ? maxgap : 0;
}
static uint64_t loop_gap(void)
{
	uint64_t prev = rdtsc(), maxgap = 0;
	for (int i = 0; i < 10000; i++) {
		uint64_t c = rdtsc();
		if (c - prev > maxgap)
			maxgap = c - prev;
		prev = c;
	}
	return maxgap;
}

static int hw_idle(void)
{
	if (!strcmp(platform->timer_name, "lapic-oneshot"))
		return lapic_read(LAPIC_TIMER_CUR) == 0;
	if (!strcmp(platform->timer_name, "tsc-deadline"))
		return rdmsr(MSR_TSC_DEADLINE) == 0;
	return 1;                         /* not ours to look at */
}

DEFINE_TEST(test_timer, "timer", "software timers: never early, in order, once each, cancel")
{
	enum test_status st = need_time();
	if (st)
		return st;

	/* One timer 5 ms ahead, ten times over. */
	struct timer t = { 0 };
	uint64_t lmin = ~0ull, lmax = 0;
	for (int i = 0; i < 10; i++) {
		one_fired = 0;
		uint64_t dl = now_ns() + 5 * MS;
		timer_add(&t, dl, one_fn);
		idle_until(&one_fired, dl + 1000 * MS);
		CHECK(one_fired == 1, "a 5 ms timer fired %d times in a second", one_fired);
		CHECK(one_at >= dl, "fired %llu ns before its deadline", (unsigned long long)(dl - one_at));
		CHECK(one_at - dl < LATE_BOUND, "fired %llu ns after its deadline",
		      (unsigned long long)(one_at - dl));
		lmin = one_at - dl < lmin ? one_at - dl : lmin;
		lmax = one_at - dl > lmax ? one_at - dl : lmax;
	}
	printk("  5 ms timer, 10 times: fired %llu-%llu ns after its deadline\n",
	       (unsigned long long)lmin, (unsigned long long)lmax);
	CHECK(hw_idle(), "the hardware timer is still armed with no timer pending");

	/* 1000 timers, 50 us apart, added in a scrambled order. */
	uint64_t base = now_ns() + 5 * MS;
	for (unsigned k = 0; k < NTIMERS; k++) {
		unsigned i = (k * 7919u) % NTIMERS;
		timer_add(&many[i], base + i * 50000ull, many_fn);
	}
	uint64_t limit = base + NTIMERS * 50000ull + 2000 * MS;
	while (nfired < NTIMERS && now_ns() < limit)
		platform->idle();
	CHECK(nfired == NTIMERS, "%d of %d timers fired", nfired, NTIMERS);
	int64_t mn = INT64_MAX, mx = INT64_MIN, sum = 0;
	for (unsigned i = 0; i < NTIMERS; i++) {
		CHECK(calls[i] == 1, "timer %u ran %u times", i, calls[i]);
		CHECK(order[i] == i, "the %u-th timer to fire was #%u (deadline order broken)", i, order[i]);
		CHECK(late[i] >= 0, "timer %u fired %lld ns early", i, (long long)-late[i]);
		CHECK(late[i] < (int64_t)LATE_BOUND, "timer %u fired %lld ns late", i, (long long)late[i]);
		mn = late[i] < mn ? late[i] : mn;
		mx = late[i] > mx ? late[i] : mx;
		sum += late[i];
	}
	printk("  %d timers 50 us apart: in deadline order, once each; fire - deadline "
	       "min %lld max %lld avg %lld ns\n", NTIMERS, (long long)mn, (long long)mx,
	       (long long)(sum / NTIMERS));
	CHECK(hw_idle(), "the hardware timer is still armed with no timer pending");

	/* Cancel, move, re-arm from inside a timer. */
	uint64_t now = now_ns();
	timer_add(&ct[0], now + 3 * MS, c_fn);
	timer_add(&ct[1], now + 8 * MS, c_fn);
	timer_add(&ct[2], now + 1000 * MS, c_fn);
	timer_add(&ct[2], now + 4 * MS, c_fn);          /* moved earlier */
	timer_add(&periodic, now + 1 * MS, periodic_fn);
	CHECK(timer_cancel(&ct[0]) == 1, "cancelling a pending timer returned 0");
	CHECK(timer_cancel(&ct[0]) == 0, "cancelling it again returned 1");
	idle_until(&c_fired[1], now + 1000 * MS);
	CHECK(c_fired[1] == 1, "the 8 ms timer fired %d times", c_fired[1]);
	CHECK(c_fired[0] == 0, "a cancelled timer fired");
	CHECK(c_fired[2] == 1 && c_at[2] < c_at[1] && c_at[2] >= now + 4 * MS,
	      "a timer moved from 1 s to 4 ms fired %d times, not at 4 ms", c_fired[2]);
	CHECK(periodic_n == 5, "a timer re-arming itself from its function ran %d times, not 5",
	      periodic_n);
	CHECK(hw_idle(), "the hardware timer is still armed with no timer pending");
	printk("  cancel, move and re-arm from inside a timer: as expected\n");

	/* What a timer interrupt costs, seen from an interrupted busy loop. */
	uint64_t g[8], best = ~0ull, tot = 0, base_gap = loop_gap();
	for (int i = 0; i < 8; i++) {
		g[i] = irq_gap();
		CHECK(g[i], "a 1 ms timer did not interrupt a busy loop within 100 ms");
		best = g[i] < best ? g[i] : best;
		tot += g[i];
	}
	printk("  timer interrupt seen from a busy loop: %llu cycles min, %llu avg "
	       "(loop's own longest gap %llu cycles; %s, TSC %u kHz)\n", (unsigned long long)best,
	       (unsigned long long)(tot / 8), (unsigned long long)base_gap, platform->timer_name,
	       tsc_khz());
	return TEST_SUCCESS;
}

DEFINE_TEST(test_clock, "clock", "monotonic clock never goes back; TSC rate; RTC wall clock")
{
	if (!platform->clock_ns)
		return test_report(TEST_SKIP, "platform %s has no clock", platform->name);
	uint64_t first = now_ns(), prev = first;
	for (unsigned i = 0; i < 1000000; i++) {
		uint64_t t = now_ns();
		CHECK(t >= prev, "clock went back from %llu to %llu ns at read %u",
		      (unsigned long long)prev, (unsigned long long)t, i);
		prev = t;
	}
	CHECK(prev > first, "clock stood still over 1000000 reads");
	printk("  1000000 reads in %llu us, never backwards\n", (unsigned long long)((prev - first) / 1000));
	if (!strcmp(platform->clock_name, "tsc")) {
		CHECK(tsc_khz(), "no TSC rate");
		printk("  TSC %u.%03u MHz from %s\n", tsc_khz() / 1000, tsc_khz() % 1000, tsc_source());
		uint32_t pit = tsc_calibrate_pit(10);
		if (pit) {
			int64_t d = (int64_t)pit - tsc_khz();
			printk("  PIT check: %u kHz (%+lld ppm)\n", pit, (long long)(d * 1000000 / tsc_khz()));
			CHECK(d * 100 < (int64_t)tsc_khz() && -d * 100 < (int64_t)tsc_khz(),
			      "TSC rate %u kHz (%s) and the PIT's %u kHz differ by more than 1%%",
			      tsc_khz(), tsc_source(), pit);
		} else {
			printk("  no PIT to check the rate against\n");
		}
	}
	CHECK(platform->wallclock_s, "platform %s has no wall clock", platform->name);
	uint64_t wall = platform->wallclock_s();
	struct rtc_time rt;
	if (rtc_read(&rt) == 0)
		printk("  RTC: %04u-%02u-%02u %02u:%02u:%02u\n", rt.year, rt.mon, rt.day, rt.hour,
		       rt.min, rt.sec);
	printk("  wall clock: %llu s since 1970\n", (unsigned long long)wall);
	CHECK(wall > 1577836800ull && wall < 4102444800ull,
	      "wall clock %llu s is not between 2020 and 2100", (unsigned long long)wall);
	return TEST_SUCCESS;
}

static volatile int mark_fired;
static void mark_fn(struct timer *t) { (void)t; mark_fired = 1; }

DEFINE_TEST(test_clock2s, "clock2s", "two seconds by the kernel's clock (host times the marks)")
{
	enum test_status st = need_time();
	if (st)
		return st;
	struct timer t = { 0 };
	printk("clock: mark 0\n");
	uint64_t start = now_ns();
	timer_add(&t, start + 2000 * MS, mark_fn);
	unsigned wakeups = 0;
	while (!mark_fired) {
		platform->idle();
		wakeups++;
	}
	uint64_t el = now_ns() - start;
	printk("clock: mark 2 (elapsed %llu ns)\n", (unsigned long long)el);
	printk("  %u wakeups\n", wakeups);
	CHECK(el >= 2000 * MS, "the 2 s timer fired after %llu ns", (unsigned long long)el);
	CHECK(el < 2100 * MS, "the 2 s timer fired after %llu ns", (unsigned long long)el);
	return TEST_SUCCESS;
}

static volatile int idle_fired;
static void idle_fn(struct timer *t) { (void)t; idle_fired = 1; }

DEFINE_TEST(test_idle, "idle", "2 s idle: halts with interrupts on until one timer")
{
	enum test_status st = need_time();
	if (st)
		return st;
	struct timer t = { 0 };
	unsigned long irqs = lapic_timer_irq_count();
	uint64_t start = now_ns();
	uint64_t tsc0 = rdtsc();
	timer_add(&t, start + 2000 * MS, idle_fn);
	unsigned wakeups = 0;
	while (!idle_fired) {
		platform->idle();
		wakeups++;
	}
	uint64_t el = now_ns() - start;
	printk("  idled %llu ns (%llu TSC cycles), %u wakeups, %lu LAPIC timer interrupts\n",
	       (unsigned long long)el, (unsigned long long)(rdtsc() - tsc0), wakeups,
	       lapic_timer_irq_count() - irqs);
	CHECK(el >= 2000 * MS, "woke after %llu ns, before the timer", (unsigned long long)el);
	/* One expiry (plus, for very long intervals, the re-arms of a capped
	 * LAPIC count): a tick or a busy loop would show hundreds. */
	CHECK(wakeups <= 10, "%u wakeups in 2 s of idle: not halting until the timer", wakeups);
	return TEST_SUCCESS;
}
