/*
 * Kernel-mode applications (kmode/README): trusted programs that run in
 * ring 0 in their own address space.
 *
 *   kmode_syscall_entry  the direct-call system call entry (AT_SYSINFO of a
 *                        trusted process, through the alias page at
 *                        KMODE_ENTRY_ADDR): a plain `call`, no gate
 *   kmode_return         the way back to such a program from any frame
 *                        (trap_return jumps here): on its own stack
 *   df_task_entry        the double-fault task (#DF is a task gate)
 *   df_resume            where the interrupted task resumes after it
 */
#include <asm/desc.h>

#define TF_SIZE 76              /* sizeof(struct trap_frame) */

/*
 * The body both direct-call entries share.  On entry the program's stack
 * holds the number (U-8), eflags (U-4) and the return address (U), and
 * interrupts (events) are off.  Builds the int $0x80 frame at the top of
 * the thread's kernel stack (esp0) with the program's own %ss and %cs (the
 * kernel's: SEL_KDATA/SEL_KCODE, or FLAT_RING1_DS/CS under Xen PV), loads
 * the kernel's data segment only when %ds/%es are not it already, and
 * calls kmode_syscall(); its result is in %eax, flags set (0: go back the
 * general way).
 */
.macro KMODE_FRAME_AND_CALL
	movl %esp, %eax
	movl %ss:kernel_tss+4, %esp            /* esp0 */
	pushl $0
	movw %ss, (%esp)                       /* user_ss (a 32-bit push of a segment */
	pushl %eax                             /* register may leave the upper half as it was) */
	addl $12, (%esp)                       /* user_esp: U+4, after the ret */
	pushl %ss:4(%eax)                      /* eflags */
	pushl $0
	movw %cs, (%esp)                       /* cs */
	pushl %ss:8(%eax)                      /* eip: the return address */
	pushl $0                               /* error code */
	pushl $0x80                            /* vector */
	movl %ss:(%eax), %eax
	pushal
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	movl %ds, %eax                         /* a kernel-mode program normally */
	cmpw %ss:kernel_ds_sel, %ax            /* keeps the kernel's data segment: */
	jne 1f                                 /* no segment loads then */
	movl %es, %eax
	cmpw %ss:kernel_ds_sel, %ax
	je 2f
1:	movw %ss:kernel_ds_sel, %ax
	movw %ax, %ds
	movw %ax, %es
2:	pushl %esp
	cld
	call kmode_syscall
	addl $4, %esp
	testl %eax, %eax
.endm

/*
 * Fast path back: eip, eflags, %esp and %ds/%es as they came (eflags and
 * the return address still at esp - 8 and esp - 4).  %gs and %fs are
 * loaded again only when kmode_syscall() said 1 (another thread ran, or
 * the TLS descriptor changed): a segment register keeps the descriptor it
 * was loaded with.
 */
.macro KMODE_FAST_RETURN
	cmpl $2, %eax
	je 3f
	popl %gs
	popl %fs
	addl $8, %esp
	jmp 4f
3:	addl $16, %esp
4:	popal
	movl -20(%esp), %esp
	popfl
	ret
.endm

	.text

/*
 * Called like __kernel_vsyscall: number in %eax, arguments in %ebx, %ecx,
 * %edx, %esi, %edi, %ebp; every register but %eax preserved.  Builds the
 * int $0x80 frame at the top of the thread's kernel stack by hand (the
 * CPU switches nothing: same ring), runs the system call and returns with
 * popf; ret on the program's stack.
 */
	.globl kmode_syscall_entry
	.type kmode_syscall_entry, @function
kmode_syscall_entry:
	pushfl                                 /* U-4: eflags (U: the return address) */
	cli
	pushl %eax                             /* U-8: the number */
	KMODE_FRAME_AND_CALL
	jz trap_return                         /* anything changed: the general way */
	KMODE_FAST_RETURN
	.size kmode_syscall_entry, . - kmode_syscall_entry

/*
 * The same entry for ring 1, under Xen PV (kmode_init picks it): the
 * interrupt flag is vcpu_info's event mask (cli would trap to Xen and do
 * nothing there), the selectors are Xen's ring-1 ones, and the fast way
 * back turns events on again (with a hypercall when one is already
 * pending, so that Xen delivers it) while still on the kernel stack, then
 * returns with popf (arithmetic flags only, in ring 1); ret.
 */
	.globl kmode_syscall_entry_pv
	.type kmode_syscall_entry_pv, @function
kmode_syscall_entry_pv:
	pushfl                                 /* U-4: eflags */
	pushl %eax                             /* U-8: the number */
	movl %ss:irq_pv_mask, %eax
	movb $1, %ss:(%eax)                    /* events off */
	KMODE_FRAME_AND_CALL
	jz trap_return
	pushl %eax
	movl irq_pv_mask, %eax
	movb $0, (%eax)                        /* events on: one arriving now nests here */
	movl irq_pv_pending, %eax
	testb $0xff, (%eax)
	jz 5f
	call *irq_pv_kick_fn                   /* pending already: a hypercall's return delivers it */
5:	popl %eax
	KMODE_FAST_RETURN
	.size kmode_syscall_entry_pv, . - kmode_syscall_entry_pv

/*
 * %esp: a frame at the top of the kernel stack, for a ring-0 program.
 * kmode_return_prepare() stores eflags and eip just below the program's
 * %esp (or kills it when that memory is gone) and leaves the address in
 * the frame's esp slot; the registers come back, then %esp, popf, ret.
 * Interrupts are off until the popf.
 */
	.globl kmode_return
	.type kmode_return, @function
kmode_return:
	pushl %esp
	call kmode_return_prepare
	addl $4, %esp
	cmpl $0, kmode_ring
	jne 1f
	popl %gs
	popl %fs
	popl %es
	popl %ds
	popal
	movl -20(%esp), %esp                   /* the frame's esp slot, below us now */
	popfl
	ret
	/* Ring 1 (Xen PV): eip, cs and eflags wait below the program's %esp,
	 * the iret stub pushes %eax under them; Xen's iret returns to ring 1
	 * with %esp above that frame and the event mask from its IF. */
1:	popl %gs
	popl %fs
	popl %es
	popl %ds
	popal
	movl -20(%esp), %esp
	jmp *%cs:xen_pv_iret
	.size kmode_return, . - kmode_return

/*
 * The double-fault task.  Entered by a task switch (the interrupted state
 * is in kernel_tss), with the error code on its own stack.  df_task()
 * rebuilds a page-fault frame on the thread's kernel stack and points
 * kernel_tss at df_resume; iret (NT set) switches back to it.
 */
	.globl df_task_entry
	.type df_task_entry, @function
df_task_entry:
	addl $4, %esp                          /* the error code (always 0) */
	cld
	call df_task
	iret
	jmp df_task_entry                      /* the next double fault starts here again */
	.size df_task_entry, . - df_task_entry

/*
 * The NMI task: counts the NMI (nmi_task) and switches back; the
 * interrupted task resumes exactly where it was, whatever its stack.
 */
	.globl nmi_task_entry
	.type nmi_task_entry, @function
nmi_task_entry:
	cld
	call nmi_task
	iret
	jmp nmi_task_entry
	.size nmi_task_entry, . - nmi_task_entry

	.globl df_resume
	.type df_resume, @function
df_resume:
	pushl %esp
	call df_resumed
	addl $4, %esp
	pushl %esp
	call trap_dispatch
	addl $4, %esp
	jmp trap_return
	.size df_resume, . - df_resume

	.section .note.GNU-stack, "", @progbits
