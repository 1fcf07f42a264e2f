/*
 * /bin/crash KIND: faults on purpose; the kernel must kill it with the
 * signal below, say so, and carry on.
 *   segv   write to address 0                  -> SIGSEGV (page fault, not present)
 *   kaddr  write to 0xc0000000 (kernel half)   -> SIGSEGV (page fault, protection/user bit)
 *   wp     write to its own text (read-only)   -> SIGSEGV (page fault, write protect)
 *   ill    ud2                                 -> SIGILL  (#UD)
 *   div    integer divide by zero              -> SIGFPE  (#DE)
 *   priv   cli in user mode                    -> SIGSEGV (#GP)
 *   trap   int3                                -> SIGTRAP (#BP)
 *   stack  unbounded recursion                 -> SIGSEGV (stack limit / guard)
 * Exit status 1 means the fault did not happen (a kernel bug).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile int zero;

static volatile int depth_limit = 0x7fffffff;

static int recurse(volatile char *prev, int depth)
{
	volatile char frame[4096];

	frame[0] = prev ? prev[0] + 1 : 0;
	if (depth >= depth_limit)	/* never: hides the recursion from gcc */
		return frame[0];
	return recurse(frame, depth + 1) + frame[1];
}

int main(int argc, char **argv)
{
	const char *k = argc > 1 ? argv[1] : "";

	printf("crash: %s\n", k);
	fflush(stdout);
	if (strcmp(k, "segv") == 0)
		*(volatile int *)0 = 1;
	else if (strcmp(k, "kaddr") == 0)
		*(volatile int *)0xc0000000 = 1;
	else if (strcmp(k, "wp") == 0)
		*(volatile unsigned char *)(void *)main = 0xc3;
	else if (strcmp(k, "ill") == 0)
		__asm__ volatile("ud2");
	else if (strcmp(k, "div") == 0) {
		volatile int a = 1;
		a = a / zero;
	} else if (strcmp(k, "priv") == 0)
		__asm__ volatile("cli");
	else if (strcmp(k, "trap") == 0)
		__asm__ volatile("int3");
	else if (strcmp(k, "stack") == 0)
		return recurse(NULL, 0);
	else {
		fprintf(stderr, "usage: crash segv|kaddr|wp|ill|div|priv|trap|stack\n");
		return 2;
	}
	printf("crash: %s: still alive (the fault did not happen)\n", k);
	return 1;
}
