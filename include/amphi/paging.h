/*
 * PAE paging for the kernel half.  The tables are amphi's own; every PTE
 * write and every CR3 load goes through the platform seam (pv/), which on
 * bare metal and under hardware-assisted virtualization writes them
 * directly and under Xen PV asks the hypervisor.
 */
#ifndef AMPHI_PAGING_H
#define AMPHI_PAGING_H
#include <stdint.h>
#include <amphi/platform.h>

typedef uint64_t pte_t;
#define PTE_P    0x001ull
#define PTE_RW   0x002ull
#define PTE_US   0x004ull
#define PTE_PWT  0x008ull
#define PTE_PCD  0x010ull
#define PTE_A    0x020ull
#define PTE_D    0x040ull
#define PTE_PS   0x080ull
#define PTE_G    0x100ull
#define PTE_NX   (1ull << 63)
#define PTE_ADDR 0x000FFFFFFFFFF000ull

extern uint64_t pte_nx;         /* PTE_NX when the CPU supports it, else 0 */
extern uint64_t pte_global;     /* PTE_G when the CPU supports it, else 0 */
#define PAGE_KERNEL_RW  (PTE_P | PTE_RW | pte_global | pte_nx)
#define PAGE_KERNEL_RO  (PTE_P | pte_global | pte_nx)
#define PAGE_KERNEL_RX  (PTE_P | pte_global)

/* The physical address an entry read back from a table names (under Xen PV
 * the tables hold machine addresses: the platform translates). */
#define pte_phys(pte) (platform->mmu.pte_to_phys ? platform->mmu.pte_to_phys(pte) \
					       : (uint64_t)((pte) & PTE_ADDR))

/* An entry read back, with its address made physical again (what set_pte
 * takes); entries that are not present pass unchanged. */
#define pte_pseudo(pte) (((pte) & PTE_P) ? (pte_phys(pte) | ((pte) & ~PTE_ADDR)) : (pte))

/* Builds the kernel's page tables for [0, lowmem_end) and switches to them. */
void paging_init(uint64_t lowmem_end);
/* Maps one 4 KiB kernel page; returns 0, or -1 when no frame is left for a table. */
int paging_map(uintptr_t va, uint64_t pa, uint64_t flags);
void paging_unmap(uintptr_t va);
/* The PTE for a kernel address, or NULL when no page table covers it. */
pte_t *paging_pte(uintptr_t va);
uint64_t paging_root_phys(void);
#endif
