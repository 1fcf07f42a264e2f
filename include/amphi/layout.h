/*
 * The kernel's virtual memory layout (PAE, 32-bit):
 *   0x00000000-0xBFFFFFFF  user space (later issues)
 *   0xC0000000-...         direct map of low physical memory ("lowmem",
 *                          at most CONFIG_LOWMEM_MAX_MB), kernel image at 1 MiB
 *   0xF0000000-0xF03FFFFF  kmap slots: temporary mappings of any frame,
 *                          including frames above 4 GiB
 *   0xF0400000-0xF55FFFFF  kernel heap (at most CONFIG_HEAP_MAX_MB of it)
 *   0xF5600000-0xF56FFFFF  device registers, uncached: LAPIC, I/O APICs, the PCI
 *                          ECAM window (+0xF000), PCI BARs (+0x10000.., drivers/pci)
 *   0xF5700000-0xF57FEFFF  scratch page for the paging test
 *   0xF57FF000-0xF57FFFFF  the kmode direct-call entry (amphi/kmode.h)
 *   0xF5800000-           left free: a 32-bit Xen PV guest's hypervisor hole
 */
#ifndef AMPHI_LAYOUT_H
#define AMPHI_LAYOUT_H

#define KERNEL_VBASE      0xC0000000u
#define KMAP_BASE         0xF0000000u
#define KMAP_SLOTS        1024u
#define HEAP_BASE         0xF0400000u
#define HEAP_LIMIT        0xF5600000u
#define MMIO_BASE         0xF5600000u
#define KERNEL_PD_LIMIT   0xF5800000u   /* the kernel's mappings end here */
#define KERNEL_LOAD_PHYS  0x100000u

#define PAGE_SIZE   4096u
#define PAGE_SHIFT  12
#define PAGE_MASK   (~(PAGE_SIZE - 1))

#ifndef __ASSEMBLER__
#include <stdint.h>
#define phys_to_virt(pa) ((void *)((uintptr_t)(pa) + KERNEL_VBASE))
#define virt_to_phys(va) ((uint64_t)((uintptr_t)(va) - KERNEL_VBASE))
#endif
#endif
