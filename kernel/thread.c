/*
 * Kernel threads: creation (own kmalloc'd stack with a canary at the
 * bottom, first frame for switch.S), the way in (thread_start) and out
 * (thread_exit), and reaping of exited threads at the next switch.  The
 * run queue and the switching itself are in kernel/sched.c.
 */
#include <amphi/sched.h>
#include <asm/cpu.h>
#include <amphi/spinlock.h>
#include <amphi/heap.h>
#include <amphi/string.h>
#include <amphi/printk.h>
#include <amphi/panic.h>

#define STACK_FILL 0xcdcdcdcdu          /* unused stack, for thread_stack_used() */

extern char kernel_stack_bottom[], kernel_stack_top[];   /* boot/entry.S */
void thread_entry(void);                                   /* switch.S */
void thread_start(void);

static struct thread thread0;
static struct thread *all_threads;
static struct thread *zombies;
static unsigned next_id;
static unsigned nr_threads;

static void canary_write(struct thread *t)
{
	for (unsigned i = 0; i < THREAD_CANARY_WORDS; i++)
		t->stack[i] = THREAD_CANARY;
}

int thread_stack_ok(const struct thread *t)
{
	if (!t->stack)
		return 1;
	for (unsigned i = 0; i < THREAD_CANARY_WORDS; i++)
		if (t->stack[i] != THREAD_CANARY)
			return 0;
	return 1;
}

size_t thread_stack_used(const struct thread *t)
{
	if (!t->stack)
		return 0;
	uint32_t fill = t->stack_owned ? STACK_FILL : 0;   /* the boot stack is in .bss */
	size_t n = t->stack_size / 4, i = THREAD_CANARY_WORDS;
	while (i < n && t->stack[i] == fill)
		i++;
	return (n - i) * 4;
}

const char *thread_state_name(enum thread_state s)
{
	static const char *const names[] = { "running", "ready", "blocked", "dead" };
	return (unsigned)s < 4 ? names[s] : "?";
}

static void link_thread(struct thread *t)
{
	t->all_next = all_threads;
	all_threads = t;
	nr_threads++;
}

static void unlink_thread(struct thread *t)
{
	for (struct thread **p = &all_threads; *p; p = &(*p)->all_next)
		if (*p == t) {
			*p = t->all_next;
			nr_threads--;
			return;
		}
}

/* The boot context, running on the boot stack, becomes thread 0. */
struct thread *thread_init_main(void)
{
	struct thread *t = &thread0;
	uint32_t esp;
	__asm__ volatile("movl %%esp, %0" : "=r"(esp));
	strlcpy(t->name, "main", sizeof(t->name));
	t->id = next_id++;
	t->state = THREAD_RUNNING;
	if (esp > (uint32_t)kernel_stack_bottom + 1024 && esp <= (uint32_t)kernel_stack_top) {
		t->stack = (uint32_t *)kernel_stack_bottom;
		t->stack_size = (size_t)(kernel_stack_top - kernel_stack_bottom);
		canary_write(t);
	}
	t->nr_runs = 1;
	link_thread(t);
	return t;
}

/* Allocates a thread whose first switch-in enters thread_entry; the caller
 * makes it runnable.  Interrupts in any state. */
struct thread *thread_alloc(const char *name, void (*fn)(void *), void *arg)
{
	struct thread *t = kzalloc(sizeof(*t));
	uint32_t *stack = kmalloc(THREAD_STACK_SIZE);
	if (!t || !stack) {
		kfree(t);
		kfree(stack);
		return 0;
	}
	strlcpy(t->name, name ? name : "?", sizeof(t->name));
	t->stack = stack;
	t->stack_size = THREAD_STACK_SIZE;
	t->stack_owned = 1;
	t->fn = fn;
	t->arg = arg;
	for (size_t i = 0; i < THREAD_STACK_SIZE / 4; i++)
		stack[i] = STACK_FILL;
	canary_write(t);

	/* The frame switch_stacks pops: %edi, %esi, %ebx, %ebp, return address. */
	uint32_t *sp = (uint32_t *)((char *)stack + THREAD_STACK_SIZE);
	*--sp = 0;                          /* no caller above thread_entry */
	*--sp = (uint32_t)thread_entry;
	*--sp = 0;                          /* %ebp */
	*--sp = 0;                          /* %ebx */
	*--sp = 0;                          /* %esi */
	*--sp = 0;                          /* %edi */
	t->sp = (uint32_t)sp;
	t->state = THREAD_READY;

	irqflags_t f = spin_lock_irqsave(&sched_lock);
	t->id = next_id++;
	link_thread(t);
	spin_unlock_irqrestore(&sched_lock, f);
	return t;
}

/* Entered from thread_entry (switch.S) on the new stack, with interrupts
 * off and sched_lock held by the switch that brought us here. */
void thread_start(void)
{
	sched_finish_switch();
	spin_unlock(&sched_lock);
	sti();
	struct thread *t = thread_current();
	t->fn(t->arg);
	thread_exit();
}

void thread_exit(void)
{
	irq_save();
	spin_lock(&sched_lock);
	struct thread *t = thread_current();
	if (t == sched_idle_thread())
		panic("the idle thread cannot exit");
	if (!thread_stack_ok(t))
		panic("thread %s (id %u): stack canary smashed", t->name, t->id);
	t->state = THREAD_DEAD;
	t->rq_next = zombies;
	zombies = t;
	schedule_locked(0);
	panic("thread %s (id %u) ran after thread_exit", t->name, t->id);
}

/* Frees the threads that have exited; called right after every switch, on
 * another stack than theirs, with sched_lock held. */
void thread_reap(void)
{
	struct thread *keep = 0, *t;
	while ((t = zombies)) {
		zombies = t->rq_next;
		if (t == thread_current()) {       /* cannot happen, but never free the live stack */
			t->rq_next = keep;
			keep = t;
			continue;
		}
		unlink_thread(t);
		if (t->stack_owned)
			kfree(t->stack);
		if (t != &thread0)
			kfree(t);
	}
	zombies = keep;
}

unsigned thread_count(void)
{
	return nr_threads;
}

void sched_dump(void)
{
	irqflags_t f = spin_lock_irqsave(&sched_lock);
	for (struct thread *t = all_threads; t; t = t->all_next)
		printk("  thread %2u %-16s %-8s runs=%llu stack %zu/%zu%s\n", t->id, t->name,
		       thread_state_name(t->state), (unsigned long long)t->nr_runs,
		       thread_stack_used(t), t->stack_size,
		       thread_stack_ok(t) ? "" : " CANARY SMASHED");
	spin_unlock_irqrestore(&sched_lock, f);
}
