/*
 * Kernel-mode applications (arch/x86/kmode.c, kmode/README).
 */
#ifndef AMPHI_KMODE_H
#define AMPHI_KMODE_H
#include <stdint.h>

/* The direct-call entry's alias page: a jmp to kmode_syscall_entry,
 * supervisor only (the last page of the paging test's scratch area). */
#define KMODE_ENTRY_ADDR 0xF57FF000u

extern int kmode_enabled;        /* 0 with kmode=off on the command line */
void kmode_init(void);
uint32_t kmode_sysinfo(void);    /* AT_SYSINFO for a trusted process */
/* NMIs taken by the NMI task so far, and the eip the last one interrupted. */
unsigned kmode_nmi_count(uint32_t *last_eip);
#endif
