/*
 * The 32-bit entries of every native boot path.  Each loader arrives here in
 * flat 32-bit protected mode with paging off, at a physical address:
 *   bios_start  from boot/bios/ (%eax = BIOS_BOOT_MAGIC, %ebx = params)
 *   mb_start    from a Multiboot loader (%eax = 0x2BADB002, %ebx = info)
 *   pvh_start   from a PVH loader: QEMU -kernel, Xen (%ebx = hvm_start_info)
 * They agree on (%esi = boot kind, %edi = loader structure), load a GDT of
 * our own, map the first 1 GiB both at 0 and at 0xC0000000 with 2 MiB pages,
 * turn on PAE paging, and continue at the linked (high) address, where the
 * C entry boot_main() converts the loader's structure into struct boot_info.
 */
#include <amphi/bios_boot.h>
#include <amphi/layout.h>

#define BOOT_BIOS      1
#define BOOT_MULTIBOOT 2
#define BOOT_PVH       3
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002

#define PHYS(x) ((x) - KERNEL_VBASE)

	.section .boot.head, "ax"
	.code32
	.globl _boot_head
_boot_head:
	jmp bios_start          /* physical 0x100000: the BIOS loader jumps here */
	.align 4

	.section .boot.text, "ax"
	.globl bios_start, mb_start, pvh_start
bios_start:
	cli
	cmpl $BIOS_BOOT_MAGIC, %eax
	jne bad_magic
	movl $BOOT_BIOS, %esi
	movl %ebx, %edi
	jmp common32

mb_start:
	cli
	cmpl $MULTIBOOT_BOOTLOADER_MAGIC, %eax
	jne bad_magic
	movl $BOOT_MULTIBOOT, %esi
	movl %ebx, %edi
	jmp common32

pvh_start:
	cli
	movl $BOOT_PVH, %esi
	movl %ebx, %edi

common32:
	cld
	lgdt boot_gdt_desc
	ljmp $0x08, $1f
1:	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	movl $boot_stack_top, %esp

	/* boot_pd: 512 x 2 MiB = the first 1 GiB, present+writable+large. */
	movl $boot_pd, %edx
	xorl %ecx, %ecx
2:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax
	movl %eax, (%edx,%ecx,8)
	movl $0, 4(%edx,%ecx,8)
	incl %ecx
	cmpl $512, %ecx
	jb 2b
	/* PDPT entries may only carry the present bit (RW/US are reserved). */
	movl $boot_pd + 1, %eax
	movl %eax, boot_pdpt + 0       /* 0x00000000: identity, for this code */
	movl %eax, boot_pdpt + 24      /* 0xC0000000: the kernel */

	movl %cr4, %eax
	orl $0x20, %eax                /* CR4.PAE */
	movl %eax, %cr4
	movl $boot_pdpt, %eax
	movl %eax, %cr3
	movl %cr0, %eax
	orl $0x80010000, %eax          /* CR0.PG | CR0.WP */
	movl %eax, %cr0
	movl $high_entry, %eax
	jmp *%eax

bad_magic:
	/* Not started by a loader we know: say so on COM1 and stop. */
	movl $bad_magic_msg, %ebx
3:	movb (%ebx), %al
	testb %al, %al
	jz 4f
	movw $0x3f8, %dx
	outb %al, %dx
	incl %ebx
	jmp 3b
4:	hlt
	jmp 4b
bad_magic_msg:
	.asciz "amphi: unknown boot protocol magic in %eax, halting\r\n"

	.section .boot.data, "aw"
	.align 4096
boot_pd:
	.fill 4096, 1, 0
	.align 32
boot_pdpt:
	.fill 32, 1, 0
	.align 8
boot_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff   /* 0x08: flat 32-bit code, ring 0 */
	.quad 0x00cf92000000ffff   /* 0x10: flat data, ring 0 */
boot_gdt_desc:
	.word boot_gdt_desc - boot_gdt - 1
	.long boot_gdt
	.align 16
	.fill 1024, 1, 0
boot_stack_top:

/* ---- linked high from here on ---- */
	.text
high_entry:
	/* Clear .bss (the BIOS loader and some others do not). */
	movl %edi, %ebp
	movl $__bss_start, %edi
	movl $__bss_end, %ecx
	subl %edi, %ecx
	xorl %eax, %eax
	rep stosb
	movl %ebp, %edi

	movl $kernel_stack_top, %esp
	xorl %ebp, %ebp
	pushl %edi                     /* loader structure, physical */
	pushl %esi                     /* boot kind */
	call boot_main
5:	hlt
	jmp 5b

	.bss
	.align 16
	.globl kernel_stack_bottom, kernel_stack_top
kernel_stack_bottom:
	.fill 16384, 1, 0
kernel_stack_top:

	.section .note.GNU-stack, "", @progbits
