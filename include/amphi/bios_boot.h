/*
 * The hand-off contract between amphi's own real-mode loader (boot/bios/)
 * and the 32-bit kernel entry.  The loader leaves the CPU in 32-bit
 * protected mode with flat 4 GiB code and data segments, paging off,
 * interrupts off and A20 enabled, then jumps to physical 0x100000 (the first
 * byte of the kernel's flat binary) with:
 *   %eax = BIOS_BOOT_MAGIC
 *   %ebx = physical address (below 1 MiB) of a struct bios_boot_params
 * This header is shared by the assembler loader (offsets below) and C.
 */
#ifndef AMPHI_BIOS_BOOT_H
#define AMPHI_BIOS_BOOT_H

#define BIOS_BOOT_MAGIC      0x414D5049u   /* "IPMA" little-endian: 'A','M','P','I' */
#define BIOS_E820_MAX        128
#define BIOS_CMDLINE_MAX     256
#define BIOS_KERNEL_LOAD     0x100000u

/* Byte offsets in struct bios_boot_params, for the assembler. */
#define BBP_MAGIC        0
#define BBP_E820_COUNT   4
#define BBP_BOOT_DRIVE   8
#define BBP_KERNEL_SIZE  12
#define BBP_CMDLINE      16
#define BBP_E820         (16 + BIOS_CMDLINE_MAX)
#define BBP_E820_ENTRY_SIZE 24
#define BBP_SIZE         (BBP_E820 + BIOS_E820_MAX * BBP_E820_ENTRY_SIZE)

#ifndef __ASSEMBLER__
#include <stdint.h>

struct e820_entry {
	uint64_t base;
	uint64_t length;
	uint32_t type;          /* 1 usable, 2 reserved, 3 ACPI, 4 NVS, 5 bad */
	uint32_t ext_attr;      /* ACPI 3.0 extended attributes (bit 0: valid) */
} __attribute__((packed));

struct bios_boot_params {
	uint32_t magic;         /* BIOS_BOOT_MAGIC */
	uint32_t e820_count;    /* entries filled in e820[] */
	uint32_t boot_drive;    /* BIOS drive number (%dl) we were loaded from */
	uint32_t kernel_size;   /* bytes of flat kernel loaded at 1 MiB */
	char     cmdline[BIOS_CMDLINE_MAX];  /* NUL-terminated */
	struct e820_entry e820[BIOS_E820_MAX];
} __attribute__((packed));

_Static_assert(sizeof(struct e820_entry) == BBP_E820_ENTRY_SIZE, "e820 entry");
_Static_assert(sizeof(struct bios_boot_params) == BBP_SIZE, "bios_boot_params");
#endif
#endif
