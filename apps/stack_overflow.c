/*
 * /bin/stack-overflow [DEPTH]: recurses with 1 KiB frames until its stack
 * overflows (or DEPTH calls, then prints the depth and exits 0).  It
 * carries the amphi ELF note, so it runs as a kernel-mode application
 * (ring 0) wherever it lies: there the CPU cannot push the page fault of
 * a stack that ran out on that same stack, and the kernel's double-fault
 * task must step in (kmode/README).  Expected: stack growth up to the
 * limit, then SIGSEGV; exit status 1 means it was never stopped.
 */
#include <stdio.h>
#include <stdlib.h>

/* The amphi note: name "amphi", type 1 (AMPHI_NOTE_KMODE), no descriptor. */
__asm__(".pushsection .note.amphi, \"a\", @note\n"
	".balign 4\n"
	".long 6, 0, 1\n"
	".asciz \"amphi\"\n"
	".balign 4\n"
	".popsection\n");

static volatile long limit = -1;

static long recurse(volatile char *prev, long depth)
{
	volatile char frame[1024];

	frame[0] = prev ? prev[0] + 1 : 0;
	if (depth == limit)
		return depth;
	return recurse(frame, depth + 1) + frame[1];
}

int main(int argc, char **argv)
{
	unsigned cs;

	__asm__ volatile("movl %%cs, %0" : "=r"(cs));
	limit = argc > 1 ? atol(argv[1]) : -1;
	printf("stack-overflow: ring %u, recursing%s\n", cs & 3, limit < 0 ? " until the stack runs out" : "");
	fflush(stdout);
	long d = recurse(NULL, 0);
	printf("stack-overflow: depth %ld reached (%ld KiB of stack), no fault\n", d, d);
	return limit < 0;
}
