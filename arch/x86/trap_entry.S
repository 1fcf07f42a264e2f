/*
 * Interrupt and exception entry stubs for all 256 vectors.  Each stub
 * makes the frame uniform (pushes a zero where the CPU pushes no error
 * code, then the vector number) and jumps to trap_common, which saves the
 * registers as a struct trap_frame (include/asm/traps.h) and calls
 * trap_dispatch(frame).
 */
#include <asm/desc.h>
#include <asm/entry.h>

#define TF_SIZE 76              /* sizeof(struct trap_frame) */
#define TF_CS 60

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.align 16
	.globl trap_stubs
trap_stubs:
vector = 0
.rept 256
	.align 16
	.if HAS_ERR(vector)
	nop; nop                       /* keep every stub the same size */
	.else
	pushl $0
	.endif
	pushl $vector
	jmp trap_common
vector = vector + 1
.endr

/*
 * A kernel-mode application (kmode/README) runs in the kernel's ring (0,
 * or 1 under Xen PV) on its own stack: the CPU (or Xen's bounce) then
 * pushes eip, cs and eflags on that stack (no stack switch), and the stub
 * its error code and vector.  A kernel-ring frame whose %esp is below the
 * kernel half is such a program's: the five words move to the top of the
 * thread's kernel stack (TSS esp0), completed with the interrupted %esp
 * and %ss, so that every frame from "user" code has the same shape and
 * place, whatever the ring.
 */
trap_common:
	testl $2, 12(%esp)             /* the interrupted cs: ring 3? */
	jnz .Lsave
	cmpl $0xC0000000, %esp
	jb kmode_trap_entry
.Lsave:
	SAVE_FRAME_KERNEL_SEGMENTS
	movl %esp, %eax
	pushl %eax
	cld
	call trap_dispatch
	addl $4, %esp
	.globl trap_return
trap_return:
	/* Xen PV: events stay masked through the pops; Xen's iret hypercall
	 * restores the frame and sets the mask from its IF in one step, so no
	 * upcall can nest between unmasking and returning (the critical
	 * region XenoLinux had to repair in its upcall handler). */
	movl irq_pv_mask, %eax
	testl %eax, %eax
	jz 1f
	movb $1, (%eax)
1:
	/* A kernel-ring frame at the very top of the kernel stack belongs to
	 * a kernel-mode application: it returns on its own stack. */
	testl $2, TF_CS(%esp)
	jnz 2f
	leal TF_SIZE(%esp), %eax
	cmpl %ss:kernel_tss+4, %eax
	je kmode_return
2:	popl %gs
	popl %fs
	popl %es
	popl %ds
	popal
	addl $8, %esp                  /* vector and error code */
	cmpl $0, xen_pv_iret           /* flags only: the frame restores them */
	jne 3f
	iret
3:	jmp *xen_pv_iret               /* the hypercall page's iret stub (pushes %eax) */

kmode_trap_entry:
	pushl %eax                     /* on the program's stack, for a moment */
	pushl %ebx
	movl %ss:kernel_tss+4, %eax    /* esp0 */
	movl %ss, %ebx
	movl %ebx, %ss:-4(%eax)        /* user_ss: the program's, the kernel's data segment */
	leal 28(%esp), %ebx            /* the interrupted %esp */
	movl %ebx, %ss:-8(%eax)
	movl 24(%esp), %ebx            /* eflags */
	movl %ebx, %ss:-12(%eax)
	movl 20(%esp), %ebx            /* cs */
	movl %ebx, %ss:-16(%eax)
	movl 16(%esp), %ebx            /* eip */
	movl %ebx, %ss:-20(%eax)
	movl 12(%esp), %ebx            /* error code */
	movl %ebx, %ss:-24(%eax)
	movl 8(%esp), %ebx             /* vector */
	movl %ebx, %ss:-28(%eax)
	movl 4(%esp), %ebx             /* %eax */
	movl %ebx, %ss:-32(%eax)
	movl (%esp), %ebx              /* %ebx */
	movl %ebx, %ss:-36(%eax)
	leal -36(%eax), %esp
	popl %ebx
	popl %eax
	jmp .Lsave

	.data
	.align 4
	.globl xen_pv_iret
xen_pv_iret:                           /* set by the Xen PV platform, else 0 */
	.long 0
	.align 2
	.globl kernel_cs_sel, kernel_ds_sel /* Xen PV: FLAT_RING1_CS/DS */
kernel_cs_sel:
	.word SEL_KCODE
kernel_ds_sel:
	.word SEL_KDATA
	.globl user_cs_sel, user_ds_sel     /* Xen PV: FLAT_RING3_CS/DS */
user_cs_sel:
	.word SEL_UCODE
user_ds_sel:
	.word SEL_UDATA

	.section .note.GNU-stack, "", @progbits
