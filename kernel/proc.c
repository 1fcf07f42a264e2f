/*
 * Processes: creation, the switch hook (TSS esp0, address space, TLS and
 * FPU follow the thread), exit and reaping, signals, and the launch of
 * PID 1.  One thread per process; the thread's fn is proc_thread_main and
 * its arg the process, which is how a thread is recognised as a process's.
 */
#include <amphi/proc.h>
#include <amphi/rootfs.h>
#include <amphi/vm.h>
#include <amphi/layout.h>
#include <amphi/vfs.h>
#include <amphi/sched.h>
#include <amphi/wait.h>
#include <amphi/heap.h>
#include <amphi/string.h>
#include <amphi/printk.h>
#include <amphi/klog.h>
#include <amphi/errno.h>
#include <amphi/uaccess.h>
#include <amphi/cmdline.h>
#include <amphi/platform.h>
#include <amphi/timer.h>
#include <amphi/frame.h>
#include <asm/desc.h>


static struct process *all_procs;
static struct process *current_proc;
static int next_pid = 1;
static spinlock_t proc_lock = SPINLOCK_INIT("proc");
static wait_queue_t detached_wq = WAIT_QUEUE_INIT("proc-detached");

static void proc_thread_main(void *arg);

struct process *proc_current(void)
{
	return current_proc;
}

struct fdtable *proc_fds(struct process *p)
{
	return p ? p->fds : 0;
}

const char *proc_cwd(struct process *p)
{
	return p ? p->cwd : "/";
}

int proc_set_cwd(struct process *p, const char *abs_path)
{
	if (!p)
		return -EINVAL;
	if (strlen(abs_path) >= sizeof(p->cwd))
		return -ENAMETOOLONG;
	strlcpy(p->cwd, abs_path, sizeof(p->cwd));
	return 0;
}

/* ---- the switch hook ---- */

static struct process *thread_proc(struct thread *t)
{
	return t && t->fn == proc_thread_main ? t->arg : 0;
}

void sched_switch_hook(struct thread *prev, struct thread *next)
{
	struct process *pp = thread_proc(prev), *np = thread_proc(next);
	if (pp && pp->fpu)
		fpu_save(pp->fpu);
	current_proc = np;
	if (platform->switch_begin)
		platform->switch_begin();
	/* esp0 is always the running thread's stack top: a ring-0 frame there
	 * is a kernel-mode program's (tf_user, trap_entry.S). */
	if (next->stack) {
		kernel_tss.esp0 = (uint32_t)next->stack + next->stack_size;
		if (platform->set_kernel_stack)      /* Xen PV: stack_switch */
			platform->set_kernel_stack(kernel_tss.esp0);
	}
	if (np) {                /* kernel threads run on any address space */
		vm_activate(np->vm);
		tls_load(np->tls_desc);
	}
	if (platform->switch_end)
		platform->switch_end();
	if (np && np->fpu)
		fpu_restore(np->fpu);
}

/* ---- life cycle ---- */

struct process *proc_alloc(struct process *parent)
{
	struct process *p = kzalloc(sizeof(*p));
	if (!p)
		return 0;
	p->fpu_raw = kmalloc(512 + 16);
	if (!p->fpu_raw) {
		kfree(p);
		return 0;
	}
	p->fpu = (uint8_t *)(((uintptr_t)p->fpu_raw + 15) & ~15u);
	fpu_init_state(p->fpu);
	wait_queue_init(&p->child_wait, "child-wait");
	strlcpy(p->cwd, parent ? parent->cwd : "/", sizeof(p->cwd));
	p->umask = parent ? parent->umask : 022;
	p->start_ns = now_ns();

	irqflags_t f = spin_lock_irqsave(&proc_lock);
	p->pid = next_pid++;
	p->pgid = parent ? parent->pgid : p->pid;
	p->sid = parent ? parent->sid : p->pid;
	p->parent = parent;
	if (parent) {
		p->sibling = parent->children;
		parent->children = p;
	}
	p->all_next = all_procs;
	all_procs = p;
	spin_unlock_irqrestore(&proc_lock, f);
	return p;
}

void proc_free(struct process *p)
{
	proc_itimer_stop(p);            /* never started, or already stopped at exit */
	irqflags_t f = spin_lock_irqsave(&proc_lock);
	for (struct process **pp = &all_procs; *pp; pp = &(*pp)->all_next)
		if (*pp == p) {
			*pp = p->all_next;
			break;
		}
	if (p->parent)
		for (struct process **pp = &p->parent->children; *pp; pp = &(*pp)->sibling)
			if (*pp == p) {
				*pp = p->sibling;
				break;
			}
	spin_unlock_irqrestore(&proc_lock, f);
	if (p->vm)
		vm_free(p->vm);
	if (p->fds)
		fdtable_free(p->fds);
	kfree(p->fpu_raw);
	kfree(p);
}

struct process *proc_find(int pid)
{
	irqflags_t f = spin_lock_irqsave(&proc_lock);
	struct process *p = all_procs;
	while (p && p->pid != pid)
		p = p->all_next;
	spin_unlock_irqrestore(&proc_lock, f);
	return p;
}

void proc_for_each(int (*fn)(struct process *p, void *arg), void *arg)
{
	/* The list only loses entries when a zombie is reaped, which the
	 * callers here (signal senders) do not do. */
	for (struct process *p = all_procs; p; p = p->all_next)
		if (fn(p, arg))
			break;
}

/* ---- snapshots for /proc (fs/procfs.c) ---- */

int proc_info_get(int pid, struct proc_info *out)
{
	int r = -ENOENT;
	irqflags_t f = spin_lock_irqsave(&proc_lock);
	struct process *p = all_procs;
	while (p && p->pid != pid)
		p = p->all_next;
	if (p) {
		memset(out, 0, sizeof(*out));
		out->pid = p->pid;
		out->ppid = p->parent ? p->parent->pid : 0;
		out->pgid = p->pgid;
		out->sid = p->sid;
		memcpy(out->name, p->name, sizeof(out->name));
		out->name[sizeof(out->name) - 1] = '\0';
		/* Interrupts are off: the thread cannot exit under us. */
		if (p->state == PROC_ZOMBIE)
			out->state = 'Z';
		else if (p->thread && p->thread->state == THREAD_BLOCKED)
			out->state = 'S';
		else
			out->state = 'R';
		out->kmode = p->kmode;
		out->ring = p->kmode ? (kernel_cs_sel & 3) : 3;
		out->umask = p->umask;
		out->start_ticks = p->start_ns / 10000000ull;    /* AT_CLKTCK is 100 */
		out->sig_pending = p->sig_pending;
		out->sig_blocked = p->sig_blocked;
		out->cmdline_len = p->cmdline_len < sizeof(out->cmdline) ? p->cmdline_len : sizeof(out->cmdline);
		memcpy(out->cmdline, p->cmdline, out->cmdline_len);
		r = 0;
	}
	spin_unlock_irqrestore(&proc_lock, f);
	return r;
}

int proc_last_pid(void)
{
	return next_pid - 1;
}

int proc_next_pid(int min)
{
	int best = -1;
	irqflags_t f = spin_lock_irqsave(&proc_lock);
	for (struct process *p = all_procs; p; p = p->all_next)
		if (p->pid >= min && (best < 0 || p->pid < best))
			best = p->pid;
	spin_unlock_irqrestore(&proc_lock, f);
	return best;
}

int proc_current_pid(void)
{
	struct process *p = proc_current();
	return p ? p->pid : 0;
}

static void proc_thread_main(void *arg)
{
	struct process *p = arg;
	struct thread *t = thread_current();
	p->thread = t;
	p->kstack_top = (uint32_t)t->stack + t->stack_size;
	p->tf = (struct trap_frame *)(p->kstack_top - sizeof(struct trap_frame));
	struct trap_frame tf = p->start_frame;
	user_enter(&tf, p->tf);
}

int proc_start(struct process *p)
{
	user_traps_install();
	irqflags_t f = irq_save();            /* the fields are set before it can run */
	struct thread *t = thread_create(p->name, proc_thread_main, p);
	if (t) {
		p->thread = t;
		p->kstack_top = (uint32_t)t->stack + t->stack_size;
		p->tf = (struct trap_frame *)(p->kstack_top - sizeof(struct trap_frame));
	}
	irq_restore(f);
	return t ? 0 : -ENOMEM;
}

static int parent_ignores_children(const struct process *par)
{
	const struct k_sigaction *a = &par->sigact[SIGCHLD];
	return a->handler == SIG_IGN || (a->flags & SA_NOCLDWAIT);
}

/* Zombies nobody will wait for (their parent went away, or ignores them). */
static void reap_orphans(void)
{
	for (;;) {
		struct process *z = 0;
		irqflags_t f = spin_lock_irqsave(&proc_lock);
		for (struct process *p = all_procs; p; p = p->all_next)
			if (p->state == PROC_ZOMBIE && !p->parent && !p->kernel_waits && p != current_proc) {
				z = p;
				break;
			}
		spin_unlock_irqrestore(&proc_lock, f);
		if (!z)
			return;
		proc_free(z);
	}
}

void proc_exit(struct process *p, int wstatus)
{
	proc_itimer_stop(p);
	if (p->clear_child_tid) {
		uint32_t zero = 0;
		copy_to_user(p->clear_child_tid, &zero, 4);
	}
	if (p->fds) {
		struct fdtable *t = p->fds;
		p->fds = 0;
		fdtable_free(t);
	}
	struct vm_space *vm = p->vm;
	irqflags_t f = irq_save();
	p->vm = 0;
	vm_activate(0);
	irq_restore(f);
	vm_free(vm);

	f = spin_lock_irqsave(&proc_lock);
	/* Children go to init, or to nobody when init itself leaves. */
	struct process *init = 0;
	if (p->pid != 1)
		for (init = all_procs; init && init->pid != 1; init = init->all_next)
			;
	if (init && init->state != PROC_ALIVE)
		init = 0;
	while (p->children) {
		struct process *c = p->children;
		p->children = c->sibling;
		c->parent = init;
		c->sibling = 0;
		if (init) {
			c->sibling = init->children;
			init->children = c;
		}
	}
	spin_unlock_irqrestore(&proc_lock, f);
	if (init) {
		init->child_events++;
		wake_all(&init->child_wait);
	}

	/* From here to the switch away nothing else runs: a waiter frees p
	 * as soon as it sees the zombie. */
	irq_save();
	p->wstatus = wstatus;
	p->state = PROC_ZOMBIE;
	if (p->parent && parent_ignores_children(p->parent)) {
		/* POSIX: a parent that ignores SIGCHLD (or set SA_NOCLDWAIT)
		 * leaves no zombies (busybox httpd, inetd-style servers).
		 * The reaper thread frees p; a parent blocked in wait()
		 * wakes and finds one child fewer (ECHILD when none is left). */
		struct process *par = p->parent;
		spin_lock(&proc_lock);
		for (struct process **pp = &par->children; *pp; pp = &(*pp)->sibling)
			if (*pp == p) {
				*pp = p->sibling;
				break;
			}
		p->parent = 0;
		p->sibling = 0;
		spin_unlock(&proc_lock);
		par->child_events++;
		wake_all(&par->child_wait);
	}
	if (p->parent) {
		struct process *par = p->parent;
		par->child_events++;
		if (par->sigact[SIGCHLD].handler > SIG_IGN)
			par->sig_pending |= sigbit(SIGCHLD);
		wake_all(&par->child_wait);
		if (par->thread && par->state == PROC_ALIVE && (par->sig_pending & ~par->sig_blocked))
			thread_wake(par->thread);
	} else {
		wake_all(&detached_wq);
	}
	thread_exit();
}

static int orphan_waiting(void)
{
	int found = 0;
	irqflags_t f = spin_lock_irqsave(&proc_lock);
	for (struct process *p = all_procs; p && !found; p = p->all_next)
		found = p->state == PROC_ZOMBIE && !p->parent && !p->kernel_waits && p != current_proc;
	spin_unlock_irqrestore(&proc_lock, f);
	return found;
}

/* Frees parentless zombies as they appear: a process cannot free itself
 * (it runs on its own kernel stack until the switch away). */
static void reaper_main(void *arg)
{
	(void)arg;
	for (;;) {
		wait_event(&detached_wq, orphan_waiting());
		reap_orphans();
	}
}

int proc_wait_detached(struct process *p)
{
	wait_event(&detached_wq, p->state == PROC_ZOMBIE);
	int st = p->wstatus;
	proc_free(p);
	reap_orphans();
	return st;
}

static const char *const sig_names[] = {
	"0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
	"SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
	"SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
	"SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
};

const char *signal_name(int sig)
{
	return sig > 0 && sig < 32 ? sig_names[sig] : "SIGRT";
}

void proc_kill_fault(struct process *p, int sig, uint32_t eip, uint32_t cr2)
{
	printk(KERN_NOTICE "proc: pid %d (%s) killed by %s at eip %#x (cr2 %#x)\n", p->pid, p->name,
	       signal_name(sig), eip, cr2);
	proc_exit(p, sig);
}

/* ---- signals ---- */

int signal_pending(struct process *p)
{
	return p && (p->sig_pending & ~p->sig_blocked) != 0;
}

int proc_send_signal(struct process *p, int sig)
{
	if (sig < 0 || sig > NSIG_AMPHI)
		return -EINVAL;
	if (p->state != PROC_ALIVE)
		return 0;
	if (!sig)
		return 0;
	irqflags_t f = irq_save();
	p->sig_pending |= sigbit(sig);
	int wake = p->thread && signal_pending(p);
	irq_restore(f);
	/* Interrupts a sleep (wait4, nanosleep, pause); other waits re-check
	 * their condition and sleep again. */
	if (wake && p != current_proc)
		thread_wake(p->thread);
	return 0;
}

struct sigcontext32 {
	uint16_t gs, gsh, fs, fsh, es, esh, ds, dsh;
	uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
	uint32_t trapno, err, eip;
	uint16_t cs, csh;
	uint32_t eflags, esp_at_signal;
	uint16_t ss, ssh;
	uint32_t fpstate, oldmask, cr2;
};

struct sigframe32 {
	uint32_t pretcode;
	int32_t sig;
	struct sigcontext32 sc;
	uint32_t extramask;
	uint8_t retcode[8];
};

struct siginfo32 {
	int32_t si_signo, si_errno, si_code;
	uint32_t fields[29];
};

struct ucontext32 {
	uint32_t uc_flags, uc_link;
	uint32_t ss_sp;
	int32_t ss_flags;
	uint32_t ss_size;
	struct sigcontext32 mc;
	uint64_t sigmask;
};

struct rt_sigframe32 {
	uint32_t pretcode;
	int32_t sig;
	uint32_t pinfo, puc;
	struct siginfo32 info;
	struct ucontext32 uc;
	uint8_t retcode[8];
};

extern uint32_t vsyscall_sigreturn_eip, vsyscall_rt_sigreturn_eip;

static void save_sc(struct sigcontext32 *sc, const struct trap_frame *tf, uint64_t mask)
{
	memset(sc, 0, sizeof(*sc));
	sc->gs = tf->gs; sc->fs = tf->fs; sc->es = tf->es; sc->ds = tf->ds;
	sc->edi = tf->edi; sc->esi = tf->esi; sc->ebp = tf->ebp; sc->esp = tf->user_esp;
	sc->ebx = tf->ebx; sc->edx = tf->edx; sc->ecx = tf->ecx; sc->eax = tf->eax;
	sc->trapno = tf->vector; sc->err = tf->err; sc->eip = tf->eip;
	sc->cs = tf->cs; sc->eflags = tf->eflags; sc->esp_at_signal = tf->user_esp;
	sc->ss = tf->user_ss;
	sc->oldmask = (uint32_t)mask;
}

static uint16_t user_sel(uint16_t s, int data_only)
{
	if (s == user_ds_sel || (!data_only && (s == TLS_SEL || (s & ~3) == 0)))
		return s;
	return data_only ? user_ds_sel : 0;
}

static void restore_sc(struct process *p, struct trap_frame *tf, const struct sigcontext32 *sc)
{
	/* Only what user mode may set: its own selectors, the arithmetic
	 * flags, DF, TF and AC; IF stays on. */
	tf->gs = user_sel(sc->gs, 0); tf->fs = user_sel(sc->fs, 0);
	tf->es = user_sel(sc->es, 1); tf->ds = user_sel(sc->ds, 1);
	tf->edi = sc->edi; tf->esi = sc->esi; tf->ebp = sc->ebp; tf->user_esp = sc->esp;
	tf->ebx = sc->ebx; tf->edx = sc->edx; tf->ecx = sc->ecx; tf->eax = sc->eax;
	tf->eip = sc->eip;
	tf->cs = prog_cs_sel(p->kmode);
	tf->user_ss = prog_ds_sel(p->kmode);
	if (p->kmode)
		tf->es = tf->ds = kernel_ds_sel;
	tf->eflags = (tf->eflags & ~0x40DD5u) | (sc->eflags & 0x40DD5u) | 0x200u;
}

static int setup_frame(struct process *p, struct trap_frame *tf, int sig, const struct k_sigaction *ka)
{
	uint32_t sp = tf->user_esp;
	if (ka->flags & SA_SIGINFO) {
		struct rt_sigframe32 fr;
		memset(&fr, 0, sizeof(fr));
		sp = ((sp - sizeof(fr)) & ~15u) - 4;
		fr.pretcode = (ka->flags & SA_RESTORER) ? ka->restorer : vsyscall_rt_sigreturn_eip;
		fr.sig = sig;
		fr.pinfo = sp + __builtin_offsetof(struct rt_sigframe32, info);
		fr.puc = sp + __builtin_offsetof(struct rt_sigframe32, uc);
		fr.info.si_signo = sig;
		fr.info.si_code = 0;           /* SI_USER */
		save_sc(&fr.uc.mc, tf, p->sig_blocked);
		fr.uc.sigmask = p->sig_blocked;
		if (copy_to_user(sp, &fr, sizeof(fr)))
			return -1;
		tf->ecx = fr.puc;
		tf->edx = fr.pinfo;
	} else {
		struct sigframe32 fr;
		memset(&fr, 0, sizeof(fr));
		sp = ((sp - sizeof(fr)) & ~15u) - 4;
		fr.pretcode = (ka->flags & SA_RESTORER) ? ka->restorer : vsyscall_sigreturn_eip;
		fr.sig = sig;
		save_sc(&fr.sc, tf, p->sig_blocked);
		fr.extramask = (uint32_t)(p->sig_blocked >> 32);
		if (copy_to_user(sp, &fr, sizeof(fr)))
			return -1;
		tf->ecx = 0;
		tf->edx = 0;
	}
	tf->user_esp = sp;
	tf->eip = ka->handler;
	tf->eax = (uint32_t)sig;
	tf->cs = prog_cs_sel(p->kmode);
	tf->user_ss = prog_ds_sel(p->kmode);
	tf->ds = tf->es = prog_ds_sel(p->kmode);
	tf->eflags &= ~0x500u;               /* TF, DF */
	return 0;
}

static int sig_default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH ||
	       sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

void proc_signal_deliver(struct process *p, struct trap_frame *tf)
{
	/* A ring-0 program stopped inside the kernel's own entry code (a
	 * fault on its stack while that code pushed there, interrupts off):
	 * the signal waits for the return at the end of that entry. */
	if (p->kmode && tf->eip >= KERNEL_VBASE && cs_kernel_ring(tf->cs))
		return;
	while (p->sig_pending & ~(p->sig_blocked & ~(sigbit(SIGKILL) | sigbit(SIGSTOP)))) {
		uint64_t ready = p->sig_pending & ~(p->sig_blocked & ~(sigbit(SIGKILL) | sigbit(SIGSTOP)));
		int sig = __builtin_ctzll(ready) + 1;
		p->sig_pending &= ~sigbit(sig);
		struct k_sigaction ka = p->sigact[sig];
		if (sig == SIGKILL || sig == SIGSTOP)
			ka.handler = SIG_DFL;
		if (ka.handler == SIG_IGN)
			continue;
		if (ka.handler == SIG_DFL) {
			if (sig_default_ignored(sig))
				continue;
			proc_exit(p, sig);
		}
		if (p->restore_mask) {             /* the frame carries the pre-sigsuspend mask */
			p->sig_blocked = p->saved_mask;
			p->restore_mask = 0;
		}
		if (setup_frame(p, tf, sig, &ka) != 0)
			proc_kill_fault(p, SIGSEGV, tf->eip, tf->user_esp);
		if (ka.flags & SA_RESETHAND)
			p->sigact[sig].handler = SIG_DFL;
		p->sig_blocked |= ka.mask;
		if (!(ka.flags & SA_NODEFER))
			p->sig_blocked |= sigbit(sig);
		p->sig_blocked &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
		return;
	}
	if (p->restore_mask) {
		p->sig_blocked = p->saved_mask;
		p->restore_mask = 0;
	}
}

int proc_sigreturn(struct process *p, struct trap_frame *tf, int rt)
{
	if (rt) {
		struct rt_sigframe32 fr;
		if (copy_from_user(&fr, tf->user_esp - 4, sizeof(fr)))
			proc_kill_fault(p, SIGSEGV, tf->eip, tf->user_esp);
		restore_sc(p, tf, &fr.uc.mc);
		p->sig_blocked = fr.uc.sigmask & ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
	} else {
		struct sigframe32 fr;
		if (copy_from_user(&fr, tf->user_esp - 8, sizeof(fr)))
			proc_kill_fault(p, SIGSEGV, tf->eip, tf->user_esp);
		restore_sc(p, tf, &fr.sc);
		p->sig_blocked = (fr.sc.oldmask | ((uint64_t)fr.extramask << 32)) &
				 ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
	}
	return (int)tf->eax;
}

/* ---- PID 1 ---- */

/* Splits the words after " -- " (outside quotes) into argv, honouring
 * double quotes; returns the count added. */
static int split_args(const char *cmdline, struct exec_args *ea)
{
	const char *s = cmdline;
	int quoted = 0;
	for (; *s; s++) {
		if (*s == '"')
			quoted = !quoted;
		if (!quoted && s[0] == ' ' && s[1] == '-' && s[2] == '-' && (s[3] == ' ' || !s[3]))
			break;
	}
	if (!*s)
		return 0;
	s += 3;
	char word[256];
	int n = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		size_t len = 0;
		quoted = 0;
		while (*s && (quoted || (*s != ' ' && *s != '\t'))) {
			if (*s == '"')
				quoted = !quoted;
			else if (len < sizeof(word) - 1)
				word[len++] = *s;
			s++;
		}
		word[len] = 0;
		if (exec_args_add(ea, word, 0))
			break;
		n++;
	}
	return n;
}

int proc_open_console(struct process *p)
{
	p->fds = fdtable_new();
	if (!p->fds)
		return -ENOMEM;
	int err = 0;
	struct file *f = vfs_open("/", "/dev/console", O_RDWR, 0, &err);
	if (!f) {
		printk(KERN_ERR "proc: cannot open /dev/console (error %d)\n", err);
		return err ? err : -ENOENT;
	}
	for (int fd = 0; fd < 3; fd++)
		if (fd_install(p->fds, fd ? file_get(f) : f, fd, 0) != fd)
			return -EMFILE;
	return 0;
}

struct process *proc_launch_init(const char *cmdline, int *errp)
{
	char path[PATH_MAX_AMPHI];
	struct exec_args ea;
	int err;
	if (!user_mode_ready) {
		printk(KERN_ERR "proc: no user mode on platform %s: not starting init\n", platform->name);
		if (errp)
			*errp = -ENOSYS;
		return 0;
	}
	if (!cmdline_get(cmdline, "amphi.init", path, sizeof(path)) || !path[0])
		strlcpy(path, "/init", sizeof(path));
	if ((err = exec_args_init(&ea)) != 0)
		goto out;
	exec_args_add(&ea, path, 0);
	split_args(cmdline, &ea);
	exec_args_add(&ea, "HOME=/", 1);
	exec_args_add(&ea, "PATH=/bin:/sbin:/usr/bin:/usr/sbin", 1);
	exec_args_add(&ea, "TERM=linux", 1);

	static struct thread *reaper;
	if (!reaper && !(reaper = thread_create("reaper", reaper_main, 0)))
		printk("proc: no reaper thread: children of parents ignoring SIGCHLD stay zombies\n");
	struct process *p = proc_alloc(0);
	err = -ENOMEM;
	if (!p)
		goto out_args;
	p->kernel_waits = 1;
	if ((err = proc_open_console(p)) != 0 ||
	    (err = exec_load(p, path, &ea, &p->start_frame)) != 0 ||
	    (err = proc_start(p)) != 0) {
		proc_free(p);
		goto out_args;
	}
	exec_args_free(&ea);
	printk("proc: started init: pid %d \"%s\" with %d argument(s)\n", p->pid, path, ea.argc);
	klog_boot_done();       /* from now on routine messages stay in the log (dmesg) */
	loadavg_start();
	return p;
out_args:
	exec_args_free(&ea);
out:
	printk(KERN_ERR "proc: cannot start init \"%s\": error %d\n", path, err);
	if (errp)
		*errp = err;
	return 0;
}

void proc_run_init(const char *cmdline)
{
	struct process *p = proc_launch_init(cmdline, 0);
	if (!p)
		return;
	int st = proc_wait_detached(p);
	if (st & 0x7f)
		printk(KERN_NOTICE "proc: init killed by signal %d (%s); powering off\n", st & 0x7f, signal_name(st & 0x7f));
	else
		printk(KERN_NOTICE "proc: init exited with status %d; powering off\n", (st >> 8) & 0xff);
	rootfs_shutdown();
	platform->power_off();
}
