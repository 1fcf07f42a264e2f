/*
 * The x86 side of user mode: the int $0x80 gate's handler, the sysenter
 * MSRs and the entry page (AT_SYSINFO), exceptions raised in user mode
 * (turned into signals), page faults (demand paging, and the uaccess fixup
 * for kernel copies), the TLS descriptor and the FPU state.
 */
#include <amphi/proc.h>
#include <amphi/vm.h>
#include <amphi/syscall.h>
#include <amphi/sched.h>
#include <amphi/frame.h>
#include <amphi/layout.h>
#include <amphi/string.h>
#include <amphi/printk.h>
#include <amphi/klog.h>
#include <amphi/errno.h>
#include <amphi/uaccess.h>
#include <amphi/cmdline.h>
#include <amphi/boot.h>
#include <amphi/platform.h>
#include <amphi/kmode.h>
#include <asm/traps.h>
#include <asm/desc.h>
#include <asm/cpu.h>

void sysenter_entry(void);                  /* user_entry.S */
void sysenter_dispatch(struct trap_frame *tf);
uint32_t uaccess_fixup(uint32_t eip);       /* kernel/uaccess.c */

uint32_t vsyscall_ret_eip = 0xFFFFFFFFu;     /* sysenter's return point in the entry page */
uint32_t vsyscall_sigreturn_eip, vsyscall_rt_sigreturn_eip;
static int have_sysenter, have_fxsr;
static uint8_t fpu_template[512] __attribute__((aligned(16)));
static uint32_t sysenter_stack[64];         /* only until the entry's first instruction */
static uint64_t *gdt_base;
unsigned tls_generation;            /* changes of the TLS descriptor (kmode.c's fast return) */

int user_have_sysenter(void)
{
	return have_sysenter;
}

/* ---- the entry page ---- */

/* Offsets in the entry page. */
#define VS_ENTRY      0     /* __kernel_vsyscall */
#define VS_SYSRET     7     /* sysexit returns here: pop %ebp; pop %edx; pop %ecx; ret */
#define VS_INT80      16    /* int $0x80; ret (the variant without sysenter) */
#define VS_SIGRETURN  32    /* default sa_restorer for old-style frames */
#define VS_RT_SIGRET  48    /* and for SA_SIGINFO frames */

/*
 * Builds the page's code.  use_sysenter: __kernel_vsyscall enters with
 * sysenter (Linux convention) instead of int $0x80.  The one place that
 * knows the page's layout (a direct-call variant for kernel-mode
 * applications will be a third mode here).
 */
static void vsyscall_page_build(uint8_t *pg, int use_sysenter)
{
	static const uint8_t sysenter_code[] = {
		0x51,                   /* push %ecx */
		0x52,                   /* push %edx */
		0x55,                   /* push %ebp */
		0x89, 0xe5,             /* mov %esp, %ebp */
		0x0f, 0x34,             /* sysenter */
		0x5d,                   /* VS_SYSRET: pop %ebp */
		0x5a,                   /* pop %edx */
		0x59,                   /* pop %ecx */
		0xc3,                   /* ret */
	};
	static const uint8_t int80_code[] = { 0xcd, 0x80, 0xc3 };
	static const uint8_t sigreturn_code[] = { 0x58, 0xb8, 119, 0, 0, 0, 0xcd, 0x80 };
	static const uint8_t rt_sigreturn_code[] = { 0xb8, 173, 0, 0, 0, 0xcd, 0x80 };
	memset(pg, 0xcc, PAGE_SIZE);             /* int3 everywhere else */
	memcpy(pg + VS_INT80, int80_code, sizeof(int80_code));
	if (use_sysenter)
		memcpy(pg + VS_ENTRY, sysenter_code, sizeof(sysenter_code));
	else
		memcpy(pg + VS_ENTRY, int80_code, sizeof(int80_code));
	memcpy(pg + VS_SIGRETURN, sigreturn_code, sizeof(sigreturn_code));
	memcpy(pg + VS_RT_SIGRET, rt_sigreturn_code, sizeof(rt_sigreturn_code));
	vsyscall_ret_eip = use_sysenter ? VSYSCALL_ADDR + VS_SYSRET : 0xFFFFFFFFu;
	vsyscall_sigreturn_eip = VSYSCALL_ADDR + VS_SIGRETURN;
	vsyscall_rt_sigreturn_eip = VSYSCALL_ADDR + VS_RT_SIGRET;
}

/* ---- FPU ---- */

void fpu_init_state(uint8_t *area)
{
	memcpy(area, fpu_template, 512);
}

void fpu_save(uint8_t *area)
{
	if (have_fxsr)
		__asm__ volatile("fxsave (%0)" :: "r"(area) : "memory");
}

void fpu_restore(const uint8_t *area)
{
	if (have_fxsr)
		__asm__ volatile("fxrstor (%0)" :: "r"(area) : "memory");
}

static void fpu_setup(void)
{
	struct cpuid_regs r;
	cpuid(1, 0, &r);
	have_fxsr = !!(r.edx & (1u << 24));
	uint32_t cr0 = read_cr0();
	cr0 &= ~((1u << 2) | (1u << 3));        /* EM, TS */
	cr0 |= (1u << 1) | (1u << 5);           /* MP, NE */
	__asm__ volatile("mov %0, %%cr0" :: "r"(cr0));
	if (have_fxsr) {
		uint32_t cr4 = read_cr4() | (1u << 9);          /* OSFXSR */
		if (r.edx & (1u << 25))
			cr4 |= 1u << 10;                        /* OSXMMEXCPT */
		write_cr4(cr4);
	}
	__asm__ volatile("fninit");
	if (have_fxsr)
		__asm__ volatile("fxsave (%0)" :: "r"(fpu_template) : "memory");
}

/* ---- TLS: one GDT entry, loaded with the process ---- */

/* What a process without TLS gets: present, ring-3 data, base 0, limit 0.
 * Never a not-present entry: a saved frame holding the TLS selector (from
 * before an exec, say) must always pop; a program that uses %gs without
 * set_thread_area faults on the limit and gets SIGSEGV. */
#define TLS_EMPTY_DESC 0x0040F20000000000ull

void tls_load(uint64_t desc)
{
	if (!desc)
		desc = TLS_EMPTY_DESC;
	if (platform->set_gdt_entry) {
		static uint64_t loaded;
		if (desc != loaded) {
			platform->set_gdt_entry(TLS_GDT_INDEX, desc);
			loaded = desc;
		}
		return;
	}
	if (!gdt_base) {
		struct { uint16_t limit; uint32_t base; } __attribute__((packed)) d;
		__asm__ volatile("sgdt %0" : "=m"(d));
		gdt_base = (uint64_t *)d.base;
	}
	/* Under Xen PV this becomes HYPERVISOR_update_descriptor. */
	if (gdt_base[TLS_GDT_INDEX] != desc) {
		gdt_base[TLS_GDT_INDEX] = desc;
		tls_generation++;            /* a loaded %gs/%fs may now be stale */
	}
}

void user_frame_init(struct trap_frame *tf, uint32_t eip, uint32_t esp, int kmode)
{
	memset(tf, 0, sizeof(*tf));
	tf->cs = prog_cs_sel(kmode);
	tf->user_ss = prog_ds_sel(kmode);
	tf->ds = tf->es = prog_ds_sel(kmode);
	tf->fs = tf->gs = 0;
	tf->eflags = 0x202;
	tf->eip = eip;
	tf->user_esp = esp;
	tf->vector = 0x80;
}

/* ---- system calls ---- */

static void syscall_trap(struct trap_frame *tf)
{
	struct process *p = proc_current();
	if (!p || !tf_user(tf)) {
		tf->eax = (uint32_t)-ENOSYS;
		return;
	}
	syscall_from_frame(p, tf);
}

/* Every entry path ends here: arguments from the saved registers, the one
 * table, the result in %eax, pending signals before going back. */
void syscall_from_frame(struct process *p, struct trap_frame *tf)
{
	p->tf = tf;
	sti();
	struct syscall_args a = { tf->eax, { tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi, tf->ebp } };
	tf->eax = (uint32_t)syscall_dispatch(&a);
	if (p->sig_pending)
		proc_signal_deliver(p, tf);
	cli();
}

void sysenter_dispatch(struct trap_frame *tf)
{
	tf->eip = vsyscall_ret_eip;
	struct process *p = proc_current();
	if (p && p->kmode) {
		/* sysenter from ring 0: the frame is a ring-0 program's, which
		 * returns through trap_return (sysexit only goes to ring 3). */
		tf->cs = prog_cs_sel(1);
		tf->user_ss = prog_ds_sel(1);
	}
	uint32_t arg6;
	sti();
	if (copy_from_user(&arg6, tf->user_esp, 4)) {
		cli();
		tf->eax = (uint32_t)-EFAULT;
		return;
	}
	tf->ebp = arg6;
	syscall_trap(tf);
	sched_irq_exit();
}

/* ---- exceptions ---- */

static void user_fault(struct trap_frame *tf);

/* A kernel-mode exception that is not ours: the default path (a test's
 * recovery point, or the dump and panic).  traps.c has no chaining, so the
 * handler steps aside; a recovery longjmp leaves it out until the next
 * process starts (user_traps_install). */
static void kernel_fallback(struct trap_frame *tf)
{
	trap_set_handler(tf->vector, 0);
	trap_dispatch(tf);
	trap_set_handler(tf->vector, user_fault);
}

static int fault_signal(unsigned v)
{
	switch (v) {
	case X86_DE: case X86_MF: case X86_XM: return SIGFPE;
	case X86_UD: return SIGILL;
	case X86_DB: case X86_BP: return SIGTRAP;
	case X86_NP: case X86_SS: case X86_AC: return SIGBUS;
	default: return SIGSEGV;
	}
}

static void user_fault(struct trap_frame *tf)
{
	uint32_t cr2 = tf->vector == X86_PF ? read_cr2() : 0;
	struct process *p = proc_current();
	if (!tf_user(tf)) {
		uint32_t fix = tf->vector == X86_PF ? uaccess_fixup(tf->eip) : 0;
		if (!fix) {
			kernel_fallback(tf);
			return;
		}
		if (p && p->vm && cr2 < USER_TOP) {
			if (tf->eflags & 0x200)
				sti();
			int r = vm_fault(p->vm, cr2, tf->err & 2);
			cli();
			if (r == 0)
				return;
		}
		tf->eip = fix;
		return;
	}
	if (!p) {
		kernel_fallback(tf);
		return;
	}
	p->tf = tf;
	sti();
	if (tf->vector == X86_PF) {
		int r = vm_fault(p->vm, cr2, tf->err & 2);
		if (r == 0)
			goto out;
		if (r == -ENOMEM) {
			printk(KERN_ERR "proc: pid %d (%s) killed: out of memory on a page fault at eip %#x (cr2 %#x)\n",
			       p->pid, p->name, tf->eip, cr2);
			proc_exit(p, SIGKILL);
		}
	}
	int sig = fault_signal(tf->vector);
	if (p->sigact[sig].handler > SIG_IGN && !(p->sig_blocked & sigbit(sig)))
		p->sig_pending |= sigbit(sig);
	else
		proc_kill_fault(p, sig, tf->eip, cr2);
out:
	if (p->sig_pending)
		proc_signal_deliver(p, tf);
	cli();
}

/* An interrupt that came from ring 3 returns there: deliver what is
 * pending first, so that a program spinning without system calls can still
 * be stopped by a signal (a kill, or ^C on the console). */
void user_irq_return(struct trap_frame *tf)
{
	struct process *p = proc_current();
	/* A trusted program runs in ring 0: its frames are recognised by their
	 * place on the kernel stack; one stopped inside the kernel's own entry
	 * code (eip in the kernel half) gets its signals on the way out. */
	if (!p || !tf_user(tf) || (cs_kernel_ring(tf->cs) && tf->eip >= KERNEL_VBASE) || !p->sig_pending)
		return;
	p->tf = tf;
	sti();
	proc_signal_deliver(p, tf);
	cli();
}

void user_traps_install(void)
{
	static const unsigned vecs[] = { X86_DE, X86_DB, X86_BP, X86_OF, X86_BR, X86_UD, X86_NP,
					 X86_SS, X86_GP, X86_PF, X86_MF, X86_AC, X86_XM };
	for (unsigned i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++)
		trap_set_handler(vecs[i], user_fault);
	trap_set_handler(0x80, syscall_trap);
}

int user_mode_ready;

void user_init(void)
{
	fpu_setup();
	struct cpuid_regs r;
	cpuid(1, 0, &r);
	char opt[8];
	int want = !cmdline_get(boot_info.cmdline, "amphi.sysenter", opt, sizeof(opt)) || strcmp(opt, "0");
	have_sysenter = want && (r.edx & (1u << 11)) && strcmp(platform->mmu.mode, "xen-pv");
	if (have_sysenter) {
		wrmsr(0x174, SEL_KCODE);
		wrmsr(0x175, (uint32_t)&sysenter_stack[64]);
		wrmsr(0x176, (uint32_t)sysenter_entry);
	}
	vsyscall_pfn = frame_alloc(FRAME_LOW);
	if (vsyscall_pfn != PFN_NONE)
		vsyscall_page_build(phys_to_virt((uint64_t)vsyscall_pfn << PAGE_SHIFT), have_sysenter);
	user_traps_install();
	kmode_init();
	tls_load(0);
	vm_init();
	user_mode_ready = 1;
	printk("user: ring 3 via iret, int $0x80%s, entry page at %#x, FPU %s\n",
	       have_sysenter ? " and sysenter" : "", VSYSCALL_ADDR, have_fxsr ? "fxsave" : "none");
}
