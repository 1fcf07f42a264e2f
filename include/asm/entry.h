/*
 * Assembler pieces shared by the entry stubs (trap_entry.S, user_entry.S).
 */
#ifndef ASM_ENTRY_H
#define ASM_ENTRY_H
#ifdef __ASSEMBLER__
#include <asm/desc.h>

/*
 * Completes a struct trap_frame below the vector/error-code words already
 * pushed (general registers, then ds, es, fs, gs) and loads the kernel's
 * data segment (kernel_ds_sel: it differs under Xen PV) into all four.  The kernel never runs on the user's %fs/%gs:
 * a TLS selector saved in a kernel-to-kernel frame could name a GDT entry
 * that an exec or a switch has changed by the time the frame is popped.
 */
.macro SAVE_FRAME_KERNEL_SEGMENTS
	pushal
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	movw kernel_ds_sel, %ax        /* SEL_KDATA; Xen's FLAT_RING1_DS under PV */
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
.endm
#endif
#endif
