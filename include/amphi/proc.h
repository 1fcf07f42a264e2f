/*
 * Processes (kernel/proc*.c): one thread, one address space, one descriptor
 * table each.  The first part of this header holds what other subsystems
 * may use; the rest (struct process and below) is the process core's own,
 * shared between kernel/proc.c, kernel/exec.c, kernel/sys_proc.c and
 * arch/x86/user.c.
 */
#ifndef AMPHI_PROC_H
#define AMPHI_PROC_H
#include <stdint.h>
#include <amphi/vfs.h>
#include <amphi/procfs.h>      /* struct proc_info, proc_info_get (for /proc) */

#define PATH_MAX_AMPHI 256

struct process;
/* The calling process, or NULL in a kernel thread. */
struct process *proc_current(void);
/* Its descriptor table and working directory (for fs/ system calls). */
struct fdtable *proc_fds(struct process *p);
const char *proc_cwd(struct process *p);
int proc_set_cwd(struct process *p, const char *abs_path);

/* ---------------- the process core's own ---------------- */
#include <amphi/wait.h>
#include <amphi/timer.h>
#include <asm/traps.h>

struct vm_space;
struct thread;

#define NSIG_AMPHI 64
#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGWINCH 28
#define SIG_DFL 0u
#define SIG_IGN 1u
#define SA_SIGINFO 4u
#define SA_NOCLDWAIT 2u
#define SA_RESTORER 0x04000000u
#define SA_NODEFER 0x40000000u
#define SA_RESETHAND 0x80000000u
#define sigbit(s) (1ull << ((s) - 1))

struct k_sigaction {
	uint32_t handler, flags, restorer;
	uint64_t mask;
};

enum proc_state { PROC_ALIVE, PROC_ZOMBIE };

struct process {
	int pid, pgid, sid;
	char name[16];
	enum proc_state state;
	int wstatus;                        /* wait status once a zombie */
	struct process *parent;             /* NULL: nobody waits (the kernel reaps) */
	struct process *children, *sibling;
	struct process *all_next;
	struct vm_space *vm;
	struct fdtable *fds;
	char cwd[PATH_MAX_AMPHI];
	uint32_t umask;
	struct thread *thread;
	uint32_t kstack_top;                /* TSS esp0 while it runs */
	struct trap_frame *tf;              /* its user frame (top of the kernel stack) */
	struct trap_frame start_frame;      /* first entry to user mode */
	uint64_t tls_desc;                  /* its GDT TLS descriptor (0: none) */
	uint32_t clear_child_tid;
	struct k_sigaction sigact[NSIG_AMPHI + 1];
	uint64_t sig_blocked, sig_pending;
	uint64_t saved_mask;                /* rt_sigsuspend: the mask to restore after the handler */
	int restore_mask;
	wait_queue_t child_wait;            /* it waits for its children here */
	volatile unsigned child_events;
	void *fpu_raw;                      /* FXSAVE area (fpu, 16-aligned) */
	uint8_t *fpu;
	uint64_t start_ns;
	int kernel_waits;                   /* started by the kernel, which waits (proc_wait_detached) */
	int kmode;                          /* a trusted program: runs in ring 0 (kmode/README) */
	unsigned df_count;                  /* double-fault task uses (its stack ran out) */
	struct timer itimer_real;           /* alarm/setitimer(ITIMER_REAL): SIGALRM (kernel/sys_itimer.c) */
	uint64_t itimer_interval_ns;        /* its reload, 0 for a one-shot */
	uint32_t cmdline_len;               /* argv at exec, NUL-separated, cut at */
	char cmdline[PROC_CMDLINE_MAX];     /* PROC_CMDLINE_MAX (/proc/<pid>/cmdline) */
};

#define TLS_GDT_INDEX 7                 /* 6 is the double-fault TSS */
#define TLS_SEL ((TLS_GDT_INDEX << 3) | 3)

/* kernel/proc.c */
struct process *proc_alloc(struct process *parent);    /* pid, fpu, lists; NULL on ENOMEM */
void proc_free(struct process *p);                     /* a reaped zombie or never started */
int proc_start(struct process *p);                     /* thread enters start_frame; 0 or -ENOMEM */
void proc_exit(struct process *p, int wstatus) __attribute__((noreturn));   /* p is current */
struct process *proc_find(int pid);
/* Waits for a process nobody else waits for (parent NULL); returns its
 * wait status and frees it. */
int proc_wait_detached(struct process *p);
void proc_kill_fault(struct process *p, int sig, uint32_t eip, uint32_t cr2) __attribute__((noreturn));
int proc_send_signal(struct process *p, int sig);
/* Disarms its ITIMER_REAL (kernel/sys_itimer.c): at exit. */
void proc_itimer_stop(struct process *p);
int signal_pending(struct process *p);
/* On every return to user mode: delivers pending signals (or dies). */
void proc_signal_deliver(struct process *p, struct trap_frame *tf);
int proc_sigreturn(struct process *p, struct trap_frame *tf, int rt);
void proc_for_each(int (*fn)(struct process *p, void *arg), void *arg);
const char *signal_name(int sig);
/* The scheduler's switch hook (called from kernel/sched.c). */
void sched_switch_hook(struct thread *prev, struct thread *next);
/* fds 0, 1, 2 on /dev/console (a new descriptor table). */
int proc_open_console(struct process *p);
/* Launches PID 1 from the command line (amphi.init=, words after " -- "). */
struct process *proc_launch_init(const char *cmdline, int *err);
/* make run: launch init, wait for it, power off.  Returns if no init. */
void proc_run_init(const char *cmdline);

/* kernel/exec.c */
struct exec_args {
	char *buf;                  /* argv strings then envp strings, NUL-separated */
	uint32_t used, cap;
	int argc, envc;
};
int exec_args_init(struct exec_args *ea);
int exec_args_add(struct exec_args *ea, const char *s, int is_env);
void exec_args_free(struct exec_args *ea);
/* Loads path into a fresh address space for p and, on success, replaces
 * p's (p->vm), sets *tf for the entry and returns 0; else -errno with p
 * untouched.  msg gets the reason for a refusal. */
int exec_load(struct process *p, const char *path, struct exec_args *ea, struct trap_frame *tf);
extern char exec_last_error[128];

/* arch/x86/user.c */
void user_init(void);
extern int user_mode_ready;      /* set by user_init where ring 3 works */
void user_traps_install(void);
void user_enter(const struct trap_frame *tf, struct trap_frame *dst) __attribute__((noreturn));
void tls_load(uint64_t desc);
/* Runs the system call a saved frame describes (arch/x86/user.c). */
struct trap_frame;
void syscall_from_frame(struct process *p, struct trap_frame *tf);
void fpu_init_state(uint8_t *area);
void fpu_save(uint8_t *area);
void fpu_restore(const uint8_t *area);
void user_frame_init(struct trap_frame *tf, uint32_t eip, uint32_t esp, int kmode);
extern uint32_t vsyscall_ret_eip;
int user_have_sysenter(void);
/* Signals every live process of process group pgid; returns how many. */
int proc_signal_group(int pgid, int sig);
#endif
