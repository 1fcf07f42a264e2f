/*
 * The Xen PV entry.  Xen's PV domain builder reads these notes (in the same
 * .note.Xen section as the PVH note), loads each segment at
 * VIRT_BASE + p_paddr (PADDR_OFFSET 0: amphi's LMA is already VMA -
 * 0xC0000000), builds page tables for the image and what follows it, fills
 * hypercall_page with its stubs, and starts xen_pv_start in ring 1
 * (CS = FLAT_RING1_CS), paging on, %esi = start_info (virtual).
 */
#include <xen/elfnote.h>
#include <amphi/layout.h>

#define NOTE(type, body)          \
	.pushsection .note.Xen, "a", @note; \
	.align 4;                     \
	.long 2f - 1f;                \
	.long 4f - 3f;                \
	.long type;                   \
1:	.asciz "Xen";                 \
2:	.align 4;                     \
3:	body;                         \
4:	.align 4;                     \
	.popsection

NOTE(XEN_ELFNOTE_GUEST_OS,       .asciz "amphi")
NOTE(XEN_ELFNOTE_GUEST_VERSION,  .asciz "0")
NOTE(XEN_ELFNOTE_XEN_VERSION,    .asciz "xen-3.0")
NOTE(XEN_ELFNOTE_LOADER,         .asciz "generic")
NOTE(XEN_ELFNOTE_PAE_MODE,       .asciz "yes")
NOTE(XEN_ELFNOTE_VIRT_BASE,      .long KERNEL_VBASE)
NOTE(XEN_ELFNOTE_PADDR_OFFSET,   .long 0)
NOTE(XEN_ELFNOTE_ENTRY,          .long xen_pv_start)
NOTE(XEN_ELFNOTE_HYPERCALL_PAGE, .long hypercall_page)
/* No XEN_ELFNOTE_FEATURES: amphi asks for none (in particular not
 * writable_page_tables: page-table pages stay read-only and every update is
 * an explicit hypercall). */

	.text
	.globl xen_pv_start
xen_pv_start:
	cld
	movl $kernel_stack_top, %esp
	xorl %ebp, %ebp
	pushl %esi                     /* start_info, virtual */
	call xen_pv_boot_main
1:	jmp 1b

	.section .note.GNU-stack, "", @progbits
