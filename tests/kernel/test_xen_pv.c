/* Xen PV's MMU, from the guest's side: a page-table page is read-only (a
 * direct write faults: Xen enforces it, the guest did not ask for
 * writable_page_tables), and the batched path sends many entries per
 * mmu_update hypercall.  SKIPs on every other platform. */
#include <amphi/test.h>
#include <amphi/platform.h>
#include <amphi/paging.h>
#include <amphi/frame.h>
#include <amphi/layout.h>
#include <amphi/string.h>
#include <asm/traps.h>
#include <pv/xen_pv.h>

#define SCRATCH_VA 0xF5700000u       /* the paging test's scratch window */
#define NPAGES     256u              /* its size: 1 MiB */
#define PF_PRESENT 1u
#define PF_WRITE   2u

static int on_xen_pv(void) { return !strcmp(platform->name, "xen-pv"); }

/* Writes ent[0] = val expecting a #PF with P|W at ent. */
static enum test_status expect_write_fault(volatile uint32_t *ent, uint32_t val, const char *what)
{
	struct trap_record r;
	if (trap_expect(&r) == 0) {
		ent[0] = val;
		trap_expect_cancel();
		return test_report(TEST_FAILURE, "%s at %p did not fault", what, (void *)ent);
	}
	CHECK(r.vector == X86_PF, "%s: vector %u, expected 14", what, r.vector);
	CHECK(r.cr2 == (uint32_t)(uintptr_t)ent, "%s: cr2=%#x, expected %p", what, r.cr2, (void *)ent);
	CHECK((r.err & (PF_PRESENT | PF_WRITE)) == (PF_PRESENT | PF_WRITE), "%s: error code %#x",
	      what, r.err);
	printk("  %s at %p faulted: #PF err=%#x\n", what, (void *)ent, r.err);
	return TEST_SUCCESS;
}

DEFINE_TEST(test_xenpv_ptro, "xenpv-ptro", "direct writes to page-table pages fault")
{
	if (!on_xen_pv())
		return test_report(TEST_SKIP, "not on Xen PV");
	enum test_status st;
	/* The kernel's page directory (L2): read-only, and Xen emulates no
	 * writes to directories; even rewriting an entry unchanged faults. */
	const uint64_t *pdpt = phys_to_virt(paging_root_phys());
	volatile uint32_t *pd = phys_to_virt(pte_phys(pdpt[3]));
	uint32_t old = pd[0];
	if ((st = expect_write_fault(pd, old, "unchanged write to the kernel page directory")) != TEST_SUCCESS)
		return st;
	/* A page table (L1): Xen's ptwr emulation validates a direct write
	 * as if it were mmu_update; one that would map the page directory
	 * writable is refused and the #PF reaches the guest. */
	volatile uint32_t *ent = (volatile uint32_t *)paging_pte((uintptr_t)pd);
	CHECK(ent && (ent[0] & 1) && !(ent[0] & 2), "the direct-map entry of %p is %#x, not read-only",
	      (void *)pd, ent ? ent[0] : 0);
	if ((st = expect_write_fault(ent, ent[0] | 2, "write making the page directory writable"))
	    != TEST_SUCCESS)
		return st;
	CHECK(!(ent[0] & 2), "the entry became writable");
	return TEST_SUCCESS;
}

DEFINE_TEST(test_xenpv_batch, "xenpv-batch", "batched PTE updates: fewer hypercalls than entries")
{
	if (!on_xen_pv())
		return test_report(TEST_SKIP, "not on Xen PV");
	static pfn_t pfn[NPAGES];
	for (unsigned i = 0; i < NPAGES; i++) {
		pfn[i] = frame_alloc(FRAME_LOW);
		CHECK(pfn[i] != PFN_NONE, "out of frames at %u", i);
		*(volatile uint32_t *)phys_to_virt((uint64_t)pfn[i] << PAGE_SHIFT) = 0xa5a50000u + i;
	}
	/* The window's page table (paging_map makes it when missing). */
	CHECK(paging_map(SCRATCH_VA, (uint64_t)pfn[0] << PAGE_SHIFT, PAGE_KERNEL_RW) == 0, "map");

	/* Unbatched: one mmu_update per entry. */
	uint64_t calls0 = xen_pv_stats_mmu_calls(), ptes0 = xen_pv_stats_ptes();
	uint64_t hc0 = xen_pv_stats.hypercalls;
	for (unsigned i = 0; i < 16; i++)
		platform->mmu.set_pte(paging_pte(SCRATCH_VA + i * PAGE_SIZE),
				      ((uint64_t)pfn[i] << PAGE_SHIFT) | PAGE_KERNEL_RW);
	uint64_t single_calls = xen_pv_stats_mmu_calls() - calls0;

	/* Batched: the whole window, then one flush. */
	calls0 = xen_pv_stats_mmu_calls();
	ptes0 = xen_pv_stats_ptes();
	hc0 = xen_pv_stats.hypercalls;
	platform->mmu.batch_begin();
	for (unsigned i = 0; i < NPAGES; i++)
		platform->mmu.set_pte(paging_pte(SCRATCH_VA + i * PAGE_SIZE),
				      ((uint64_t)pfn[i] << PAGE_SHIFT) | PAGE_KERNEL_RW);
	platform->mmu.batch_end();
	platform->mmu.flush_all();
	uint64_t calls = xen_pv_stats_mmu_calls() - calls0, ptes = xen_pv_stats_ptes() - ptes0;
	uint64_t hcs = xen_pv_stats.hypercalls - hc0;
	printk("  unbatched: 16 entries in %llu mmu_update calls; batched: %llu entries in %llu "
	       "mmu_update calls, %llu hypercalls in all (with the TLB flush)\n",
	       (unsigned long long)single_calls, (unsigned long long)ptes,
	       (unsigned long long)calls, (unsigned long long)hcs);
	CHECK(single_calls == 16, "unbatched path made %llu calls for 16 entries",
	      (unsigned long long)single_calls);
	CHECK(ptes == NPAGES, "%llu entries queued, expected %u", (unsigned long long)ptes, NPAGES);
	CHECK(hcs < NPAGES, "%llu hypercalls for %u entries: not batched", (unsigned long long)hcs, NPAGES);

	/* Every page reads back what was written through the direct map,
	 * and the entries read back name the right frames. */
	for (unsigned i = 0; i < NPAGES; i++) {
		uint32_t v = *(volatile uint32_t *)(SCRATCH_VA + i * PAGE_SIZE);
		CHECK(v == 0xa5a50000u + i, "page %u reads %#x", i, v);
		uint64_t pa = pte_phys(*paging_pte(SCRATCH_VA + i * PAGE_SIZE));
		CHECK(pa == (uint64_t)pfn[i] << PAGE_SHIFT, "entry %u names %#llx", i,
		      (unsigned long long)pa);
	}
	platform->mmu.batch_begin();
	for (unsigned i = 0; i < NPAGES; i++)
		platform->mmu.set_pte(paging_pte(SCRATCH_VA + i * PAGE_SIZE), 0);
	platform->mmu.batch_end();
	platform->mmu.flush_all();
	for (unsigned i = 0; i < NPAGES; i++)
		frame_free(pfn[i]);
	return TEST_SUCCESS;
}

/*
 * A thread switch's calls (kernel stack, address-space root, TLS
 * descriptor) go to Xen as one multicall: the same three calls bracketed by
 * switch_begin/switch_end cost one hypercall, unbracketed three.
 */
DEFINE_TEST(test_xenpv_multicall, "xenpv-multicall", "a thread switch's hypercalls in one multicall")
{
	if (!on_xen_pv())
		return test_report(TEST_SKIP, "not on Xen PV");
	uint64_t root = paging_root_phys();
	uint32_t esp0 = kernel_tss.esp0;
	uint64_t desc = 0x0040F20000000000ull;     /* the empty TLS descriptor */

	uint64_t hc0 = xen_pv_stats.hypercalls;
	platform->set_kernel_stack(esp0);
	platform->mmu.load_root(root);
	platform->set_gdt_entry(7, desc);
	uint64_t plain = xen_pv_stats.hypercalls - hc0;

	uint64_t mc0 = xen_pv_stats_multicalls(), me0 = xen_pv_stats_multicall_entries();
	hc0 = xen_pv_stats.hypercalls;
	platform->switch_begin();
	platform->set_kernel_stack(esp0);
	platform->mmu.load_root(root);
	platform->set_gdt_entry(7, desc);
	platform->switch_end();
	uint64_t batched = xen_pv_stats.hypercalls - hc0;
	uint64_t entries = xen_pv_stats_multicall_entries() - me0;
	printk("  switch calls: %llu hypercalls one by one; %llu multicall carrying %llu calls bracketed\n",
	       (unsigned long long)plain, (unsigned long long)(xen_pv_stats_multicalls() - mc0),
	       (unsigned long long)entries);
	CHECK(plain == 3, "unbracketed: %llu hypercalls, expected 3", (unsigned long long)plain);
	CHECK(batched == 1 && entries == 3, "bracketed: %llu hypercalls carrying %llu calls, expected 1 and 3",
	      (unsigned long long)batched, (unsigned long long)entries);
	return TEST_SUCCESS;
}

