/*
 * A kernel-ring program's stack (kmode/README.md, "Stack starvation"):
 * the policy half.  Ring 1 (Xen PV) has no task gate, so a stack fault
 * must never happen there: a stack pointer in the guard below the pinned
 * stack kills the program at every entry, and a watchdog timer makes sure
 * there is an entry at least every WATCHDOG_NS.  Ring 0 catches the fault
 * in the double-fault task (arch/x86/kmode.c), which reports here.
 */
#include <amphi/kmode.h>
#include <amphi/proc.h>
#include <amphi/vm.h>
#include <amphi/timer.h>
#include <amphi/printk.h>
#include <asm/traps.h>
#include <asm/cpu.h>

static struct timer watchdog;

/* Every WATCHDOG_NS while a kernel-mode program runs: the interrupt
 * itself is the point, since its way back to the program goes through
 * kmode_return_prepare, which checks the stack pointer.  A program that
 * never enters the kernel is thus checked at least that often. */
static void watchdog_fire(struct timer *t)
{
	struct process *p = proc_current();
	if (p && p->kmode)
		timer_add(t, now_ns() + WATCHDOG_NS, watchdog_fire);
}

void kmode_watchdog_arm(void)
{
	if (!watchdog.armed)
		timer_add(&watchdog, now_ns() + WATCHDOG_NS, watchdog_fire);
}

/* A stack pointer in the guard: the program overflowed its pinned stack
 * (its pushes went to the scratch page).  It is killed before it runs
 * again; nothing it wrote there is its own data. */
void kmode_guard_check(struct process *p, const struct trap_frame *tf)
{
	struct vm_space *vm = p->vm;
	if (!vm || !vm->guard_lo || tf->user_esp >= vm->stack_low || tf->user_esp < vm->guard_lo)
		return;
	sti();
	printk(KERN_WARNING "kmode: pid %d (%s): stack pointer %#x in the guard below the pinned stack (%#x): "
	       "stack overflow at eip %#x\n", p->pid, p->name, tf->user_esp, vm->stack_low, tf->eip);
	proc_kill_fault(p, SIGSEGV, tf->eip, tf->user_esp);
}

/* The double-fault task rebuilt a stack fault of p's (ring 0): count it;
 * the first two per process are logged, then every 512th. */
void kmode_df_used(struct process *p, const struct trap_frame *tf, uint32_t cr2)
{
	p->df_count++;
	if (p->df_count <= 2 || (p->df_count & 511) == 0)
		printk(KERN_WARNING "kmode: pid %d (%s): double-fault task used (#%u): stack fault at eip %#x esp %#x cr2 %#x\n",
		       p->pid, p->name, p->df_count, tf->eip, tf->user_esp, cr2);
}
