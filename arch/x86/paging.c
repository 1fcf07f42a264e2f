/*
 * The kernel's PAE page tables.  PDPT entry 3 (0xC0000000-0xFFFFFFFF) is the
 * kernel half: one page directory whose tables map low memory at
 * KERNEL_VBASE + physical (text read-only and executable, the rest
 * read-write and non-executable), the kmap slots and the heap.  Entries 0-2
 * belong to user space (later issues); the kernel's own tables leave them
 * empty, so a NULL access faults.
 */
#include <amphi/paging.h>
#include <amphi/platform.h>
#include <amphi/frame.h>
#include <amphi/layout.h>
#include <amphi/printk.h>
#include <amphi/panic.h>
#include <amphi/string.h>
#include <asm/cpu.h>

uint64_t pte_nx, pte_global;

/* A page of its own: under Xen PV the root is a pinned, read-only page. */
static uint64_t kernel_pdpt[512] __attribute__((aligned(4096)));
static pte_t kernel_pd[512] __attribute__((aligned(4096)));
static pte_t empty_pd[3][512] __attribute__((aligned(4096)));

extern char _text[], _etext[];

static inline unsigned pd_index(uintptr_t va) { return (va >> 21) & 511; }
static inline unsigned pt_index(uintptr_t va) { return (va >> 12) & 511; }

uint64_t paging_root_phys(void)
{
	return virt_to_phys(kernel_pdpt);
}

pte_t *paging_pte(uintptr_t va)
{
	if (va < KERNEL_VBASE)
		return 0;
	pte_t pde = kernel_pd[pd_index(va)];
	if (!(pde & PTE_P))
		return 0;
	pte_t *pt = phys_to_virt(pte_phys(pde));
	return &pt[pt_index(va)];
}

static int batching;   /* paging_init's direct-map batch is open */

/*
 * The first kernel page tables come from this pool inside the kernel image
 * (.bss), which is mapped however amphi was started.  Under Xen PV that
 * matters: until amphi's own tables are loaded only Xen's bootstrap
 * mapping exists (the image, the modules, the p2m list, start info and
 * tables, then at least 512 KiB), and a frame past it can be neither zeroed
 * nor made read-only.  The direct map of 248 MiB (124 tables) and the KMAP
 * area's 44 used to fit there by a few frames, until the image and initrd
 * grew (2026-12-07: a #PF in paging_init as PV dom0).  Now the pool holds
 * the direct map's first 256 MiB and the KMAP tables are made after the
 * switch.  The tables are needed on every platform, so the pool costs
 * nothing where memory is 256 MiB or more.
 */
#define BOOT_PT_POOL 128
static uint8_t boot_pt_pool[BOOT_PT_POOL][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static unsigned boot_pt_used;

/* A fresh zeroed page table for kernel_pd[idx]. */
static int add_page_table(unsigned idx)
{
	uint64_t pa;
	if (boot_pt_used < BOOT_PT_POOL) {
		pa = virt_to_phys(boot_pt_pool[boot_pt_used++]);
	} else {
		pfn_t pfn = frame_alloc(FRAME_LOW);
		if (pfn == PFN_NONE)
			return -1;
		pa = (uint64_t)pfn << PAGE_SHIFT;
	}
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	platform->mmu.pin_table(pa, 1);
	platform->mmu.set_pte(&kernel_pd[idx], pa | PTE_P | PTE_RW);
	if (batching) {                    /* the entry is read back at once */
		platform->mmu.batch_end();
		platform->mmu.batch_begin();
	}
	return 0;
}

int paging_map(uintptr_t va, uint64_t pa, uint64_t flags)
{
	if (va < KERNEL_VBASE)
		return -1;
	if (!(kernel_pd[pd_index(va)] & PTE_P) && add_page_table(pd_index(va)) != 0)
		return -1;
	platform->mmu.set_pte(paging_pte(va), (pa & PTE_ADDR) | flags);
	platform->mmu.flush_page(va);
	return 0;
}

void paging_unmap(uintptr_t va)
{
	pte_t *pte = paging_pte(va);
	if (pte && (*pte & PTE_P)) {
		platform->mmu.set_pte(pte, 0);
		platform->mmu.flush_page(va);
	}
}

void paging_init(uint64_t lowmem_end)
{
	if (platform->mmu.paging_features) {
		platform->mmu.paging_features(&pte_nx, &pte_global);
	} else {
		if (cpu_has_nx) {
			wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
			pte_nx = PTE_NX;
		}
		if (cpu_has_pge) {
			write_cr4(read_cr4() | CR4_PGE);
			pte_global = PTE_G;
		}
	}

	/* Tables are filled while still on the boot mapping, then switched to.
	 * The many entries of the direct map may go to the platform in batches. */
	if (platform->mmu.batch_begin) {
		platform->mmu.batch_begin();
		batching = 1;
	}
	for (uint64_t pa = 0; pa < lowmem_end; pa += PAGE_SIZE) {
		uintptr_t va = (uintptr_t)phys_to_virt(pa);
		uint64_t flags = (va >= (uintptr_t)_text && va < (uintptr_t)_etext)
			? PAGE_KERNEL_RX : PAGE_KERNEL_RW;
		if (!(kernel_pd[pd_index(va)] & PTE_P) && add_page_table(pd_index(va)) != 0)
			panic("paging: out of memory building the direct map at %#llx",
			      (unsigned long long)pa);
		platform->mmu.set_pte(paging_pte(va), pa | flags);
	}
	if (batching) {
		platform->mmu.batch_end();
		batching = 0;
	}
	for (int i = 0; i < 3; i++) {
		platform->mmu.pin_table(virt_to_phys(empty_pd[i]), 2);
		platform->mmu.set_pte(&kernel_pdpt[i], virt_to_phys(empty_pd[i]) | PTE_P);
	}
	platform->mmu.pin_table(virt_to_phys(kernel_pd), 2);
	platform->mmu.set_pte(&kernel_pdpt[3], virt_to_phys(kernel_pd) | PTE_P);
	platform->mmu.load_root(virt_to_phys(kernel_pdpt));
	/* The kmap slots' table exists from the start so kmap never allocates.
	 * Where every address space has its own copy of the kernel PD, all
	 * kernel tables are made now, before the first address space copies
	 * it, so that the copies never go stale.  (After the switch: the
	 * direct map reaches every frame they may get.) */
	uintptr_t tables_end = platform->mmu.private_kernel_pd ? KERNEL_PD_LIMIT
							       : KMAP_BASE + 0x200000u;
	for (uintptr_t va = KMAP_BASE; va < tables_end; va += 0x200000u)
		if (!(kernel_pd[pd_index(va)] & PTE_P) && add_page_table(pd_index(va)) != 0)
			panic("paging: out of memory for the kernel's page tables at %#x", (unsigned)va);
	printk("paging: switched from the boot mapping to amphi's PAE tables "
	       "(mmu=%s, direct map %llu MiB at %#x, NX %s, global pages %s)\n",
	       platform->mmu.mode, (unsigned long long)(lowmem_end >> 20), KERNEL_VBASE,
	       pte_nx ? "on" : "off", pte_global ? "on" : "off");
}
