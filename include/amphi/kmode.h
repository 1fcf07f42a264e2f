/*
 * Kernel-mode applications (kmode/README.md): the policy in kmode/ (kmode.c, trust.c, stack.c),
 * the CPU side in arch/x86/kmode.c and arch/x86/kmode_entry.S.
 */
#ifndef AMPHI_KMODE_H
#define AMPHI_KMODE_H
#include <stdint.h>

/* The direct-call entry's alias page: a jmp to kmode_syscall_entry,
 * supervisor only (the last page of the paging test's scratch area). */
#define KMODE_ENTRY_ADDR 0xF57FF000u

/* Ring 1 (Xen PV): a trusted program's stack is pinned: present and
 * private from exec on, [PINNED_STACK_LO, USER_STACK_TOP) (2 MiB less the
 * entry page and its gap), over a guard that maps one scratch page: the
 * rest of the top gigabyte, 1022 MiB (mmap and brk get the 2 GiB below).
 * A stack pointer in the guard is caught at every entry and at least
 * every WATCHDOG_NS while such a program runs (kmode/README). */
#define PINNED_STACK_LO  0xBFE00000u
#define PINNED_GUARD_LO  0x80000000u
#define WATCHDOG_NS      1000000ull

struct vm_space;
struct process;
struct file;
struct trap_frame;

/* ---- for the rest of the kernel (kmode/kmode.c, kmode/trust.c) ---- */
extern int kmode_enabled;        /* 0 with kmode=off on the command line */
extern int kmode_ring;           /* the ring trusted programs run in: 0, or 1 under Xen PV */
void kmode_init(void);
uint32_t kmode_sysinfo(void);    /* AT_SYSINFO for a trusted process */
/* A trusted program's new address space, before it runs: 0, or -ENOMEM
 * when its stack cannot be pinned (ring 1). */
int kmode_exec_prepare(struct vm_space *vm);
/* The trust decision at exec: the path as given to execve (relative to
 * cwd); a PT_NOTE segment's bytes in f; whether the program then runs in
 * the kernel's ring (either one, and kmode not off); the exec log line
 * `proc: pid N (name) ring R (trusted: ...)` for a trusted program. */
int kmode_trusted_path(const char *cwd, const char *path);
int kmode_note_in(struct file *f, uint32_t offset, uint32_t filesz);
int kmode_wanted(int trusted, int noted);
void kmode_exec_log(const struct process *p, int trusted, int noted, int kmode);
/* NMIs taken by the NMI task so far, and the eip the last one interrupted. */
unsigned kmode_nmi_count(uint32_t *last_eip);

/* ---- between kmode/ and arch/x86/kmode.c ---- */
/* The CPU side for trusted programs in ring `ring`: TSS CR3s, #NM, the
 * direct-call entry's alias page.  0 when it could not be set up. */
int kmode_arch_init(int ring);
/* Ring 1: kill p if tf's stack pointer is in the guard (kmode/stack.c);
 * arm the watchdog on the way back to a ring-1 program. */
void kmode_guard_check(struct process *p, const struct trap_frame *tf);
void kmode_watchdog_arm(void);
/* Ring 0: the double-fault task resumed p at tf after a stack fault. */
void kmode_df_used(struct process *p, const struct trap_frame *tf, uint32_t cr2);
#endif
