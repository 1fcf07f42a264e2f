/*
 * The PVH entry note: QEMU (-kernel) and Xen start a kernel carrying
 * XEN_ELFNOTE_PHYS32_ENTRY at that physical address in 32-bit protected
 * mode, paging off, %ebx = struct hvm_start_info.  The Xen PV notes of the
 * PV entry go in the same .note.Xen section.
 */
#include <xen/elfnote.h>

	.section .note.Xen, "a", @note
	.align 4
	.long 2f - 1f                  /* name size */
	.long 4f - 3f                  /* desc size */
	.long XEN_ELFNOTE_PHYS32_ENTRY
1:	.asciz "Xen"
2:	.align 4
3:	.long pvh_start
4:	.align 4

	.section .note.GNU-stack, "", @progbits
