/*
 * A 40-line PVH guest that only turns on PAE paging: does this host's KVM
 * run 32-bit paged guests at all?  It prints "S" (started), "C" (CR3/CR4
 * loaded) and "P" (paging on) on the debug port 0xe9, then exits through
 * isa-debug-exit with status 0.  Some software KVMs (kvm_pvm) reset the
 * guest at CR0.PG; tests/boot/matrix then SKIPs the KVM cells with that
 * reason instead of reporting amphi as broken.
 */
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
	movb $'S', %al
	outb %al, $0xe9
	movl $pt, %edx                 /* identity-map the first 2 MiB, 4 KiB pages */
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $12, %eax
	orl $3, %eax
	movl %eax, (%edx,%ecx,8)
	incl %ecx
	cmpl $512, %ecx
	jb 1b
	movl $pt + 3, pd
	movl $pd + 1, pdpt
	movl %cr4, %eax
	orl $0x20, %eax                /* PAE */
	movl %eax, %cr4
	movl $pdpt, %eax
	movl %eax, %cr3
	movb $'C', %al
	outb %al, $0xe9
	movl %cr0, %eax
	orl $0x80000000, %eax          /* PG */
	movl %eax, %cr0
	movb $'P', %al
	outb %al, $0xe9
	movb $0, %al
	outb %al, $0xf4
2:	hlt
	jmp 2b

	.data
	.align 4096
pd:	.fill 4096, 1, 0
pt:	.fill 4096, 1, 0
	.align 32
pdpt:	.fill 32, 1, 0
	.section .note.GNU-stack, "", @progbits
