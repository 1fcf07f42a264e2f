/*
 * Kernel-mode applications (kmode/README): trusted programs (under
 * /trusted/, or carrying the amphi ELF note) run in ring 0 with the
 * kernel's segments, in their own address space.  Here: the switch
 * (kmode=off), the direct-call entry's alias page and its C half, the
 * return to such a program, and the double-fault task that catches a
 * fault the CPU could not push on the program's own stack.
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
#include <amphi/cmdline.h>
#include <amphi/boot.h>
#include <amphi/platform.h>
#include <asm/traps.h>
#include <asm/desc.h>
#include <asm/cpu.h>

void kmode_syscall_entry(void);                 /* kmode_entry.S */
void df_resume(void);
int kmode_syscall(struct trap_frame *tf);
void kmode_return_prepare(struct trap_frame *tf);
void df_task(void);
void df_resumed(struct trap_frame *tf);
void nmi_task(void);

int kmode_enabled;
static int entry_ok;
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

void kmode_init(void)
{
	char opt[8];
	df_tss.cr3 = nmi_tss.cr3 = (uint32_t)paging_root_phys();
	kernel_tss.cr3 = read_cr3();
	trap_set_handler(X86_NM, nm_handler);
	kmode_enabled = !(cmdline_get(boot_info.cmdline, "kmode", opt, sizeof(opt)) && !strcmp(opt, "off"));
	if (!strcmp(platform->mmu.mode, "xen-pv"))
		kmode_enabled = 0;                       /* no ring 0 for a PV guest (kmode/README) */
	/* The alias page: one jmp to kmode_syscall_entry at a fixed kernel
	 * address (supervisor only: ring 3 faults on it). */
	pfn_t pfn = frame_alloc(FRAME_LOW);
	if (pfn != PFN_NONE) {
		uint8_t *pg = phys_to_virt((uint64_t)pfn << PAGE_SHIFT);
		memset(pg, 0xcc, PAGE_SIZE);
		int32_t rel = (int32_t)((uint32_t)kmode_syscall_entry - (KMODE_ENTRY_ADDR + 5));
		pg[0] = 0xe9;
		memcpy(pg + 1, &rel, 4);
		entry_ok = paging_map(KMODE_ENTRY_ADDR, (uint64_t)pfn << PAGE_SHIFT,
				      PTE_P | pte_global) == 0;
	}
	if (!entry_ok)
		kmode_enabled = 0;
	printk("kmode: trusted programs (/trusted/, amphi ELF note) %s; direct-call entry at %#x, "
	       "double faults to task %#x\n", kmode_enabled ? "run in ring 0" : "run in ring 3 (kmode=off)",
	       KMODE_ENTRY_ADDR, SEL_DFTSS);
}

uint32_t kmode_sysinfo(void)
{
	return KMODE_ENTRY_ADDR;
}

/* ---- the direct call ---- */

/* Returns 2 when the fastest return will do (nothing to write on the
 * program's stack, no segment to reload: the TLS descriptor in the GDT
 * did not change meanwhile), 1 when %gs and %fs must be loaded again (it
 * did: another process ran, or set_thread_area), 0 for the general way
 * back through trap_return (to ring 0 or, after an execve, to ring 3). */
int kmode_syscall(struct trap_frame *tf)
{
	struct process *p = proc_current();
	unsigned gen = tls_generation;
	uint32_t eip = tf->eip, esp = tf->user_esp, fl = tf->eflags;
	uint32_t gs = tf->gs, fs = tf->fs, es = tf->es, ds = tf->ds;
	syscall_from_frame(p, tf);
	sched_irq_exit();
	/* Fast path: eflags and the return address are still where the
	 * entry left them (esp - 8, esp - 4). */
	if (tf->eip == eip && tf->user_esp == esp && tf->eflags == fl) {
		tf->esp_at_pusha = esp - 8;
		if (tf->gs != gs || tf->fs != fs || tf->es != es || tf->ds != ds ||
		    (ds & 0xffff) != SEL_KDATA || (es & 0xffff) != SEL_KDATA || tf->cs != SEL_KCODE)
			return 0;
		return gen == tls_generation ? 2 : 1;
	}
	return 0;
}

/* Stores eflags and eip below the program's %esp for kmode_return's
 * popf; ret.  Interrupts are off; a stack that cannot take 8 bytes
 * kills the program. */
void kmode_return_prepare(struct trap_frame *tf)
{
	/* NT off; IF as it was: a fault in the entry code (interrupts off)
	 * resumes there with interrupts still off. */
	uint32_t v[2] = { tf->eflags & ~0x4000u, tf->eip };
	uint32_t sp = tf->user_esp - 8;
	if (copy_to_user(sp, v, sizeof(v)) != 0) {
		struct process *p = proc_current();
		sti();
		if (!p)
			panic("kmode: return to a ring-0 frame without a process");
		proc_kill_fault(p, SIGSEGV, tf->eip, sp);
	}
	tf->esp_at_pusha = sp;
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
		printk("trap: vector 8 (#DF double fault) in the double-fault task\n");
		printk("  eip=%08x cs=%04x eflags=%08x esp=%08x cr2=%08x\n", t->eip, t->cs, t->eflags,
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
	struct process *p = proc_current();
	__asm__ volatile("clts");                    /* every task switch sets CR0.TS */
	p->df_count++;
	if (p->df_count <= 2 || (p->df_count & 511) == 0)
		printk("kmode: pid %d (%s): double-fault task used (#%u): stack fault at eip %#x esp %#x cr2 %#x\n",
		       p->pid, p->name, p->df_count, tf->eip, tf->user_esp, read_cr2());
}
