/* PVH entry for the KVM probe: flat 32-bit, paging off; a stack and C. */
#include <xen/elfnote.h>
	.section .note.Xen, "a", @note
	.align 4
	.long 4, 4, XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.long start

	.text
	.code32
	.globl start
start:
	cli
	movl $stack_top, %esp
	call probe_main
1:	hlt
	jmp 1b

	.bss
	.align 16
	.fill 8192, 1, 0
stack_top:
	.section .note.GNU-stack, "", @progbits
