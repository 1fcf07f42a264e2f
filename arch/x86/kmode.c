/*
 * Kernel-mode applications (kmode/README.md), the CPU side: trusted
 * programs run in the kernel's ring with the kernel's segments, in their
 * own address space (ring 0, or ring 1 as a Xen PV guest).  Here: the
 * direct-call entry's alias page and its C half, the return to such a
 * program, the double-fault task that catches a ring-0 program's stack
 * fault, and the NMI task.  The policy (trust, kmode=off, exec
 * preparation, the ring-1 guard and watchdog) is in kmode/.
 */
#include <amphi/proc.h>
#include <amphi/vm.h>
#include <amphi/kmode.h>
#include <amphi/syscall.h>
#include <amphi/sched.h>
#include <amphi/frame.h>
#include <amphi/paging.h>
#include <amphi/layout.h>
#include <amphi/string.h>
#include <amphi/printk.h>
#include <amphi/panic.h>
#include <amphi/uaccess.h>
#include <asm/traps.h>
#include <asm/desc.h>
#include <asm/cpu.h>

void kmode_syscall_entry(void);                 /* kmode_entry.S */
void kmode_syscall_entry_pv(void);
void df_resume(void);
int kmode_syscall(struct trap_frame *tf);
void kmode_return_prepare(struct trap_frame *tf);
void df_task(void);
void df_resumed(struct trap_frame *tf);
void nmi_task(void);

static unsigned df_total;
extern unsigned tls_generation;             /* user.c */
static volatile unsigned nmi_total;
static uint32_t nmi_last_eip;

/* Every task switch sets CR0.TS; the NMI task's return cannot clear it
 * for the interrupted code, so the first FPU instruction after it lands
 * here.  Nothing is lazily switched: clear TS and go on. */
static void nm_handler(struct trap_frame *tf)
{
	(void)tf;
	__asm__ volatile("clts");
}

/* In the NMI task, interrupts off, on its own stack: count it.  (No
 * printk: the interrupted code may hold the console.) */
void nmi_task(void)
{
	nmi_total++;
	nmi_last_eip = kernel_tss.eip;
}

unsigned kmode_nmi_count(uint32_t *last_eip)
{
	if (last_eip)
		*last_eip = nmi_last_eip;
	return nmi_total;
}

int kmode_arch_init(int ring)
{
	df_tss.cr3 = nmi_tss.cr3 = (uint32_t)paging_root_phys();
	kernel_tss.cr3 = read_cr3();
	trap_set_handler(X86_NM, nm_handler);
	/* The alias page: one jmp to the direct-call entry at a fixed kernel
	 * address (supervisor only: ring 3 faults on it). */
	void (*entry)(void) = ring ? kmode_syscall_entry_pv : kmode_syscall_entry;
	pfn_t pfn = frame_alloc(FRAME_LOW);
	if (pfn == PFN_NONE)
		return 0;
	uint8_t *pg = phys_to_virt((uint64_t)pfn << PAGE_SHIFT);
	memset(pg, 0xcc, PAGE_SIZE);
	int32_t rel = (int32_t)((uint32_t)entry - (KMODE_ENTRY_ADDR + 5));
	pg[0] = 0xe9;
	memcpy(pg + 1, &rel, 4);
	return paging_map(KMODE_ENTRY_ADDR, (uint64_t)pfn << PAGE_SHIFT, PTE_P | pte_global) == 0;
}

/* ---- the direct call ---- */

/* Returns 2 when the fastest return will do (nothing to write on the
 * program's stack, no segment to reload: no other thread ran and the TLS
 * descriptor in the GDT did not change meanwhile), 1 when %gs and %fs
 * must be loaded again (another thread ran, or set_thread_area), 0 for
 * the general way
 * back through trap_return (to ring 0 or, after an execve, to ring 3). */
int kmode_syscall(struct trap_frame *tf)
{
	struct process *p = proc_current();
	struct thread *self = thread_current();
	unsigned gen = tls_generation;
	uint64_t runs = self->nr_runs;
	uint32_t eip = tf->eip, esp = tf->user_esp, fl = tf->eflags;
	uint32_t gs = tf->gs, fs = tf->fs, es = tf->es, ds = tf->ds;
	if (kmode_ring)
		kmode_guard_check(p, tf);
	syscall_from_frame(p, tf);
	sched_irq_exit();
	/* Last, on the way back: the watchdog may have fired while another
	 * thread ran during the call, and then it is not armed any more. */
	if (kmode_ring)
		kmode_watchdog_arm();
	/* Fast path: eflags and the return address are still where the
	 * entry left them (esp - 8, esp - 4). */
	if (tf->eip == eip && tf->user_esp == esp && tf->eflags == fl) {
		tf->esp_at_pusha = esp - 8;
		if (tf->gs != gs || tf->fs != fs || tf->es != es || tf->ds != ds ||
		    (ds & 0xffff) != kernel_ds_sel || (es & 0xffff) != kernel_ds_sel ||
		    (tf->cs & 0xffff) != kernel_cs_sel)
			return 0;
		/* Another thread ran meanwhile: %gs and %fs hold what it left
		 * (the switch does not save them). */
		return gen == tls_generation && runs == self->nr_runs ? 2 : 1;
	}
	return 0;
}

/* Stores eflags and eip below the program's %esp for kmode_return's
 * popf; ret.  Interrupts are off; a stack that cannot take 8 bytes
 * kills the program. */
void kmode_return_prepare(struct trap_frame *tf)
{
	struct process *p = proc_current();
	if (!p)
		panic("kmode: return to a kernel-ring program frame without a process");
	/* NT off; IF as it was: a fault in the entry code (interrupts off)
	 * resumes there with interrupts still off.  Ring 0: eflags and eip
	 * for popf; ret.  Ring 1: eax (the slot the iret stub pushes into),
	 * eip, cs, eflags for HYPERVISOR_iret, which restores the event mask
	 * from IF as it returns. */
	uint32_t fl = tf->eflags & ~0x4000u;
	uint32_t ring0[2] = { fl, tf->eip };
	uint32_t ring1[4] = { tf->eax, tf->eip, tf->cs & 0xffff, fl };
	const uint32_t *v = kmode_ring ? ring1 : ring0;
	uint32_t n = kmode_ring ? sizeof(ring1) : sizeof(ring0);
	uint32_t sp = tf->user_esp - n;
	if (kmode_ring)
		kmode_guard_check(p, tf);
	if (copy_to_user(sp, v, n) != 0) {
		sti();
		proc_kill_fault(p, SIGSEGV, tf->eip, sp);
	}
	/* Where %esp goes before the popf (ring 0) or the jump to the iret
	 * stub, which pushes %eax itself (ring 1). */
	tf->esp_at_pusha = kmode_ring ? sp + 4 : sp;
	if (kmode_ring)
		kmode_watchdog_arm();
}

/* ---- the double-fault task ---- */

/* Runs in the double-fault task on its own stack, interrupts off.  The
 * interrupted state is in kernel_tss.  A kernel-mode program whose stack
 * ran out: rebuild the page fault it could not take as a normal frame at
 * the top of its kernel stack and resume the interrupted task in
 * df_resume (trap_dispatch, then back through trap_return).  Anything
 * else is a kernel bug. */
void df_task(void)
{
	struct tss *t = &kernel_tss;
	struct process *p = proc_current();
	if ((t->cs & 3) || t->esp >= KERNEL_VBASE || !p || !p->kmode || !p->vm) {
		printk(KERN_EMERG "trap: vector 8 (#DF double fault) in the double-fault task\n");
		printk(KERN_EMERG "  eip=%08x cs=%04x eflags=%08x esp=%08x cr2=%08x\n", t->eip, t->cs, t->eflags,
		       t->esp, read_cr2());
		panic("double fault at eip %08x (esp %08x)", t->eip, t->esp);
	}
	struct trap_frame *tf = (struct trap_frame *)(t->esp0 - sizeof(*tf));
	tf->gs = t->gs; tf->fs = t->fs; tf->es = t->es; tf->ds = t->ds;
	tf->edi = t->edi; tf->esi = t->esi; tf->ebp = t->ebp; tf->esp_at_pusha = 0;
	tf->ebx = t->ebx; tf->edx = t->edx; tf->ecx = t->ecx; tf->eax = t->eax;
	tf->vector = X86_PF;
	tf->err = 2;                                 /* a write (the push) to a page not present */
	tf->eip = t->eip; tf->cs = t->cs; tf->eflags = t->eflags;
	tf->user_esp = t->esp; tf->user_ss = t->ss;
	t->esp = (uint32_t)tf;
	t->eip = (uint32_t)df_resume;
	t->cs = SEL_KCODE;
	t->ss = t->ds = t->es = SEL_KDATA;
	t->eflags = 0x2;
	t->cr3 = (uint32_t)p->vm->pdpt_phys;         /* static field: not saved by the switch (vm_activate keeps it) */
	df_total++;
}

/* First thing back in the interrupted task. */
void df_resumed(struct trap_frame *tf)
{
	__asm__ volatile("clts");                    /* every task switch sets CR0.TS */
	kmode_df_used(proc_current(), tf, read_cr2());
}
