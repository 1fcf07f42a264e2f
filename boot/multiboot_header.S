/*
 * Multiboot (v1) header, linked only into build/amphi-mb.elf: QEMU prefers a
 * Multiboot header over the PVH note, so the PVH image must not carry it.
 * We ask for page-aligned modules and a memory map; the ELF headers give
 * the load addresses (no a.out kludge).
 */
#define MB_MAGIC  0x1BADB002
#define MB_FLAGS  0x00000003          /* bit 0: align modules, bit 1: mem info */

	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.section .note.GNU-stack, "", @progbits
