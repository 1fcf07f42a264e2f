/*
 * alarm(2), setitimer(2) and getitimer(2): ITIMER_REAL, the one interval
 * timer that counts wall time, as a software timer per process that sends
 * SIGALRM (busybox ping paces its packets with it; sleep loops and
 * watchdogs in shell scripts use alarm).  ITIMER_VIRTUAL and ITIMER_PROF
 * count CPU time, which amphi does not account per process: -EINVAL.
 *
 * As on Linux the timer survives execve and is not inherited by fork
 * (proc_alloc zeroes it); proc_itimer_stop() ends it when the process exits.
 */
#include <amphi/syscall.h>
#include <amphi/proc.h>
#include <amphi/timer.h>
#include <amphi/uaccess.h>
#include <amphi/errno.h>
#include <asm/irqflags.h>
#include <stddef.h>

#define ITIMER_REAL 0
#define NS_PER_US 1000ull
#define NS_PER_S 1000000000ull

struct timeval32 { int32_t tv_sec, tv_usec; };
struct itimerval32 { struct timeval32 it_interval, it_value; };

/* Runs in interrupt context. */
static void itimer_fire(struct timer *t)
{
	struct process *p = (struct process *)((char *)t - offsetof(struct process, itimer_real));
	if (p->state != PROC_ALIVE)
		return;
	proc_send_signal(p, SIGALRM);
	if (p->itimer_interval_ns) {
		uint64_t next = t->deadline + p->itimer_interval_ns, now = now_ns();
		timer_add(t, next > now ? next : now + p->itimer_interval_ns, itimer_fire);
	}
}

void proc_itimer_stop(struct process *p)
{
	timer_cancel(&p->itimer_real);
	p->itimer_interval_ns = 0;
}

static uint64_t tv_ns(const struct timeval32 *tv)
{
	return (uint64_t)tv->tv_sec * NS_PER_S + (uint64_t)tv->tv_usec * NS_PER_US;
}

static struct timeval32 ns_tv(uint64_t ns)
{
	return (struct timeval32){ (int32_t)(ns / NS_PER_S), (int32_t)(ns % NS_PER_S / NS_PER_US) };
}

/* What is left and the reload, as getitimer reports them. */
static struct itimerval32 itimer_get(struct process *p)
{
	struct itimerval32 v = { ns_tv(p->itimer_interval_ns), { 0, 0 } };
	irqflags_t f = irq_save();
	if (p->itimer_real.armed) {
		uint64_t now = now_ns(), d = p->itimer_real.deadline;
		/* a pending timer never reads as 0: that would mean "disarmed" */
		v.it_value = ns_tv(d > now ? d - now : NS_PER_US);
		if (!v.it_value.tv_sec && !v.it_value.tv_usec)
			v.it_value.tv_usec = 1;
	}
	irq_restore(f);
	return v;
}

static void itimer_set(struct process *p, uint64_t value_ns, uint64_t interval_ns)
{
	irqflags_t f = irq_save();
	timer_cancel(&p->itimer_real);
	p->itimer_interval_ns = value_ns ? interval_ns : 0;
	if (value_ns)
		timer_add(&p->itimer_real, now_ns() + value_ns, itimer_fire);
	irq_restore(f);
}

static int valid_tv(const struct timeval32 *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

SYSCALL_DEFINE(104, setitimer)
{
	struct process *p = proc_current();
	struct itimerval32 nv, old;
	if (a->arg[0] != ITIMER_REAL)
		return -EINVAL;
	if (a->arg[1] && copy_from_user(&nv, a->arg[1], sizeof(nv)))
		return -EFAULT;
	if (!a->arg[1])
		nv = (struct itimerval32){ { 0, 0 }, { 0, 0 } };   /* Linux: NULL disarms */
	if (!valid_tv(&nv.it_value) || !valid_tv(&nv.it_interval))
		return -EINVAL;
	old = itimer_get(p);
	if (a->arg[2] && copy_to_user(a->arg[2], &old, sizeof(old)))
		return -EFAULT;
	itimer_set(p, tv_ns(&nv.it_value), tv_ns(&nv.it_interval));
	return 0;
}

SYSCALL_DEFINE(105, getitimer)
{
	if (a->arg[0] != ITIMER_REAL)
		return -EINVAL;
	struct itimerval32 v = itimer_get(proc_current());
	return copy_to_user(a->arg[1], &v, sizeof(v)) ? -EFAULT : 0;
}

/* Seconds left of the previous alarm, rounded up as Linux does (0: none). */
SYSCALL_DEFINE(27, alarm)
{
	struct process *p = proc_current();
	struct itimerval32 old = itimer_get(p);
	itimer_set(p, (uint64_t)a->arg[0] * NS_PER_S, 0);
	return old.it_value.tv_sec + (old.it_value.tv_usec >= 500000 ||
				      (!old.it_value.tv_sec && old.it_value.tv_usec));
}
