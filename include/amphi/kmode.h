/*
 * Kernel-mode applications (arch/x86/kmode.c, kmode/README).
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
extern int kmode_enabled;        /* 0 with kmode=off on the command line */
extern int kmode_ring;           /* the ring trusted programs run in: 0, or 1 under Xen PV */
void kmode_init(void);
uint32_t kmode_sysinfo(void);    /* AT_SYSINFO for a trusted process */
/* A trusted program's new address space, before it runs: 0, or -ENOMEM
 * when its stack cannot be pinned (ring 1). */
int kmode_exec_prepare(struct vm_space *vm);
/* NMIs taken by the NMI task so far, and the eip the last one interrupted. */
unsigned kmode_nmi_count(uint32_t *last_eip);
#endif
