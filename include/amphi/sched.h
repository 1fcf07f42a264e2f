/*
 * Kernel threads and the scheduler (kernel/thread.c, kernel/sched.c,
 * arch/x86/switch.S).  One CPU, preemptive round robin: a thread runs until
 * it blocks, yields, or its time slice (SCHED_SLICE_NS) ends while another
 * thread is runnable.  The slice timer is armed only while more than one
 * thread is runnable (tickless otherwise); when nothing is runnable the idle
 * thread waits in platform->idle().
 *
 * The boot context becomes thread 0 ("main", on the boot stack) the first
 * time anything here is used (or at sched_init()); the heap must be up.
 *
 * Preemption happens on the way out of an interrupt: a timer callback only
 * sets need_resched, and trap_dispatch calls sched_irq_exit() after the
 * handler of any vector >= 32, which switches threads if asked to.  The
 * preempted thread's trap frame stays on its own stack and it resumes
 * through the same iret later.
 */
#ifndef AMPHI_SCHED_H
#define AMPHI_SCHED_H
#include <stdint.h>
#include <stddef.h>
#include <amphi/timer.h>
#include <amphi/spinlock.h>

#define THREAD_STACK_SIZE  16384u
#define THREAD_NAME_MAX    16
#define THREAD_CANARY      0x57ac4ca9u   /* words at the bottom of every stack */
#define THREAD_CANARY_WORDS 4
#define SCHED_SLICE_NS     10000000ull   /* 10 ms */

enum thread_state {
	THREAD_RUNNING,     /* on the CPU */
	THREAD_READY,       /* on the run queue */
	THREAD_BLOCKED,     /* waiting for a wake-up (wait queue, sleep timer) */
	THREAD_DEAD,        /* exited; stack freed at the next switch */
};

struct thread {
	uint32_t sp;                     /* saved %esp while switched out (switch.S) */
	enum thread_state state;
	unsigned id;
	char name[THREAD_NAME_MAX];
	uint32_t *stack;                 /* lowest address: the canary lives there */
	size_t stack_size;
	int stack_owned;                 /* kmalloc'd (not the boot stack) */
	void (*fn)(void *);
	void *arg;
	struct thread *rq_next;          /* run queue, or the zombie list */
	struct thread *all_next;         /* every thread */
	struct timer sleep_timer;        /* wakes the thread (sleep_until) */
	volatile int sleep_pending;
	uint64_t timer_late_ns;          /* how late its last sleep timer ran */
	uint64_t nr_runs;                /* times switched to */
	int net_errno;                   /* errno of lwIP's socket layer (net/sys_arch.c) */
	unsigned bufs_held;              /* buffer cache blocks it holds (drivers/block/bcache.c) */
};

/* Creates a runnable thread that runs fn(arg) with interrupts enabled, then
 * exits.  The thread frees itself once it has exited: do not use the
 * pointer after that.  NULL when out of memory. */
struct thread *thread_create(const char *name, void (*fn)(void *), void *arg);
void thread_exit(void) __attribute__((noreturn));
/* Gives the CPU to the next runnable thread, if any (back of the queue). */
void thread_yield(void);
struct thread *thread_current(void);
/* The same without bringing the scheduler up: NULL before it is (panic). */
struct thread *sched_running_thread(void);
/* 1 when the canary at the bottom of t's stack is intact. */
int thread_stack_ok(const struct thread *t);
/* Deepest use of t's stack so far, in bytes (stacks are pre-filled). */
size_t thread_stack_used(const struct thread *t);
const char *thread_state_name(enum thread_state s);

/* Blocks the calling thread for at least ns nanoseconds / until now_ns() >=
 * deadline.  Without a clock (no kernel/timer.c) they only yield once. */
void sleep_ns(uint64_t ns);
void sleep_until(uint64_t deadline);

/* Makes the boot context thread 0 and creates the idle thread; called on
 * first use, may be called explicitly once the heap is up. */
void sched_init(void);
/* Call at the end of trap_dispatch for every vector >= 32, with interrupts
 * still off: switches threads when a timer or wake-up asked for it. */
void sched_irq_exit(void);
/* 1 when a clock and timers are available (kernel/timer.c linked in and
 * now_ns() running). */
int sched_have_timer(void);
/* Prints every thread (name, id, state, stack use). */
void sched_dump(void);

struct sched_stats {
	uint64_t switches;           /* context switches */
	uint64_t preemptions;        /* of those, forced on interrupt exit */
	uint64_t irq_exits;          /* sched_irq_exit() calls seen */
	uint64_t slice_fires;        /* slice timer expiries */
	unsigned nr_threads;         /* alive, idle and main included */
	uint64_t idle_ns;            /* time the idle thread had the CPU */
	unsigned nr_runnable;        /* running or waiting for the CPU, idle not counted */
};
void sched_get_stats(struct sched_stats *s);

/* ---- for wait queues and other blocking primitives (kernel/wait.c) ----
 * The protocol against lost wake-ups: mark the caller blocked
 * (sched_set_blocked), then test the condition, then sched_block(), which
 * switches away only if nobody woke the thread in between (a wake-up of a
 * blocked thread that has not switched away yet just marks it running). */
void sched_set_blocked(void);
void sched_set_running(void);
void sched_block(void);
/* Same, but also wakes up at deadline (now_ns() time); 0 means none. */
void sched_block_until(uint64_t deadline);
/* Makes a blocked thread runnable; 1 if it was blocked.  Any context. */
int thread_wake(struct thread *t);

/* ---- between kernel/sched.c and kernel/thread.c only ---- */
extern spinlock_t sched_lock;          /* run queue, thread states, the thread list */
void schedule_locked(int preempt);     /* sched_lock held, interrupts off */
void sched_finish_switch(void);        /* after every switch, sched_lock held */
struct thread *sched_idle_thread(void);
struct thread *thread_init_main(void);
struct thread *thread_alloc(const char *name, void (*fn)(void *), void *arg);
void thread_reap(void);
unsigned thread_count(void);
void switch_stacks(uint32_t *save_sp, uint32_t new_sp);
#endif
