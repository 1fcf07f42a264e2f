/*
 * Thread context switch.  Only the callee-saved registers (%ebp, %ebx,
 * %esi, %edi) and %esp need saving: everything else is dead across a call
 * by the i386 ABI, and EFLAGS (IF) is restored by whoever called the
 * scheduler (it always switches with interrupts off).
 *
 *   void switch_stacks(uint32_t *save_sp, uint32_t new_sp);
 *
 * pushes the callee-saved registers on the current stack, stores %esp in
 * *save_sp, loads new_sp and pops the other thread's registers, returning
 * into wherever that thread called switch_stacks -- or, for a thread that
 * never ran, into thread_entry (thread.c builds that first frame).
 */
	.text
	.globl switch_stacks
	.type switch_stacks, @function
switch_stacks:
	movl 4(%esp), %eax             /* save_sp */
	movl 8(%esp), %edx             /* new_sp */
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl %esp, (%eax)
	movl %edx, %esp
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
	.size switch_stacks, . - switch_stacks

/*
 * First instructions of every new thread, entered with interrupts off and
 * the scheduler lock held (handed over by the switch).  thread_start()
 * releases both, runs fn(arg) and exits; it never returns.
 */
	.globl thread_entry
	.type thread_entry, @function
thread_entry:
	xorl %ebp, %ebp                /* end of the frame chain for backtraces */
	andl $-16, %esp
	call thread_start
	ud2
	.size thread_entry, . - thread_entry

	.section .note.GNU-stack, "", @progbits
