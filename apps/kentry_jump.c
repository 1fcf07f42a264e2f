/*
 * /bin/kentry-jump: a ring-3 program that calls the kernel-mode
 * applications' direct system-call entry (amphi's KMODE_ENTRY_ADDR,
 * 0xF57FF000) as a trusted program's AT_SYSINFO would.  The page is
 * supervisor-only: the call must fault and the kernel kill it with
 * SIGSEGV.  Exit status 1 means the call returned (a hole).
 */
#include <stdio.h>

#define KMODE_ENTRY_ADDR 0xF57FF000u

int main(void)
{
	unsigned cs;
	long r;

	__asm__ volatile("movl %%cs, %0" : "=r"(cs));
	printf("kentry-jump: ring %u, calling the direct entry at %#x with getpid\n", cs & 3,
	       KMODE_ENTRY_ADDR);
	fflush(stdout);
	__asm__ volatile("call *%1" : "=a"(r) : "r"(KMODE_ENTRY_ADDR), "a"(20) : "memory", "cc");
	printf("kentry-jump: the call returned %ld: the entry is reachable from ring %u\n", r, cs & 3);
	return 1;
}
