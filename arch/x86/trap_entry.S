/*
 * Interrupt and exception entry stubs for all 256 vectors.  Each stub
 * makes the frame uniform (pushes a zero where the CPU pushes no error
 * code, then the vector number) and jumps to trap_common, which saves the
 * registers as a struct trap_frame (include/asm/traps.h) and calls
 * trap_dispatch(frame).
 */
#include <asm/desc.h>

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

trap_common:
	pushal
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	movw kernel_ds_sel, %ax           /* SEL_KDATA; Xen's FLAT_RING1_DS under PV */
	movw %ax, %ds
	movw %ax, %es
	movl %esp, %eax
	pushl %eax
	cld
	call trap_dispatch
	addl $4, %esp
	.globl trap_return
trap_return:
	cmpl $0, irq_pv_mask           /* Xen PV: the event mask back as the frame has it */
	je 1f
	pushl %esp                     /* the frame */
	call trap_exit_pv
	addl $4, %esp
1:
	popl %gs
	popl %fs
	popl %es
	popl %ds
	popal
	addl $8, %esp                  /* vector and error code */
	iret

	.data
	.align 2
	.globl kernel_ds_sel
kernel_ds_sel:
	.word SEL_KDATA
	.globl user_cs_sel, user_ds_sel     /* Xen PV: FLAT_RING3_CS/DS */
user_cs_sel:
	.word SEL_UCODE
user_ds_sel:
	.word SEL_UDATA

	.section .note.GNU-stack, "", @progbits
