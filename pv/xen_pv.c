/*
 * The Xen PV platform: amphi as a 32-bit PAE paravirtualized guest (ring 1,
 * no hardware virtualization).  Xen starts xen_pv_start (boot/xen_pv_entry.S)
 * with paging on, on page tables it built; here:
 *  - early: virtual IOPL 1 (so that cli/sti and port I/O are emulated, not
 *    fatal), console_io as the console;
 *  - descriptor tables: Xen's flat selectors (FLAT_RING1_CS...) instead of a
 *    GDT, a trap table (set_trap_table) instead of an IDT, stack_switch for
 *    the ring-3 -> ring-1 stack;
 *  - the MMU: every page-table entry amphi writes names a pseudo-physical
 *    frame; set_pte translates it through the p2m list into a machine frame
 *    and hands it to Xen with mmu_update (queued and sent many at a time
 *    within a batch); entries read back are translated with the m2p table.
 *    Page-table pages are mapped read-only wherever they are mapped.
 */
#include <amphi/platform.h>
#include <amphi/hvdetect.h>
#include <amphi/console.h>
#include <amphi/printk.h>
#include <amphi/panic.h>
#include <amphi/paging.h>
#include <amphi/layout.h>
#include <amphi/string.h>
#include <amphi/xen_pv_abi.h>
#include <amphi/xen_pv_mmu.h>
#include <hypercall/xen.h>
#include <xen/physdev.h>
#include <xen/arch-x86/xen-x86_32.h>
#include <asm/desc.h>
#include <asm/traps.h>
#include <asm/io.h>
#include <asm/cpu.h>
#include <pv/xen.h>
#include <pv/xen_pv.h>
#include <pv/xen_multicall.h>
#include <xenfront/evtchn.h>
#include <xenfront/xenfront.h>

_Static_assert(sizeof(struct xen_pv_start_info32) == sizeof(start_info_t), "start_info layout");
_Static_assert(sizeof(struct xpv_mmu_update) == sizeof(mmu_update_t), "mmu_update layout");

static struct platform_ops platform_xen_pv;
static const struct xen_pv_start_info32 *si;
static const uint32_t *p2m;
static uint32_t nr_pages;
static const uint32_t *m2p = (const uint32_t *)MACH2PHYS_VIRT_START_PAE;
static uint32_t m2p_entries = (MACH2PHYS_VIRT_END_PAE - MACH2PHYS_VIRT_START_PAE) / 4;
struct xen_pv_stats xen_pv_stats;
static uint64_t shared_info_ma;

/* ---- hypercalls (counted) ---- */
static long hc(unsigned nr, unsigned long a1, unsigned long a2, unsigned long a3,
	       unsigned long a4)
{
	xen_pv_stats.hypercalls++;
	return xen_hypercall5(nr, a1, a2, a3, a4, 0);
}

static long mmuext(unsigned cmd, unsigned long arg1)
{
	struct mmuext_op op = { .cmd = cmd };
	op.arg1.mfn = arg1;
	return hc(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0, DOMID_SELF);
}

static long update_va(uintptr_t va, uint64_t val, unsigned flags)
{
	xen_pv_stats.hypercalls++;
	xen_pv_stats.remaps++;
	return xen_hypercall5(__HYPERVISOR_update_va_mapping, va, (uint32_t)val,
			      (uint32_t)(val >> 32), flags, 0);
}

static void console_io_write(const char *s, size_t n)
{
	HYPERVISOR_console_io(CONSOLEIO_write, (unsigned)n, s);
}

/* Xen owns the serial line (dom0's port reads of it give all ones):
 * input comes through console_io too. */
static int console_io_getc(void)
{
	char c;
	long n = HYPERVISOR_console_io(CONSOLEIO_read, 1, &c);
	return n == 1 ? (unsigned char)c : -1;
}

/* A domU's console: the shared ring (console_io output of a domU is
 * dropped by Xen).  Input comes from the ring too. */
static int pv_getc(void)
{
	return xen_console_has_ring() ? xen_console_getc() : console_io_getc();
}

/* ---- early: before struct boot_info exists ---- */
static struct console_sink early_sink = { "xen-console_io", console_io_write, 0 };
static struct console_sink ring_sink = { "xen-console-ring", xen_console_write, 0 };

/* The domU's console page lies in the bootstrap area Xen mapped at
 * virt_base (between start_info and the page tables), which amphi's direct
 * map keeps at the same address: its pseudo-physical frame comes from the
 * machine-to-phys table, at its fixed 32-bit PAE address this early. */
static int attach_domu_console(void)
{
	const uint32_t *m2p_early = (const uint32_t *)MACH2PHYS_VIRT_START_PAE;
	uint32_t mfn = si->console.domU.mfn;
	if (!mfn || mfn >= (MACH2PHYS_VIRT_END_PAE - MACH2PHYS_VIRT_START_PAE) / 4)
		return -1;
	uint32_t pfn = m2p_early[mfn];
	if (pfn >= si->nr_pages)
		return -1;
	xen_console_init(0);
	xen_console_ring_attach(phys_to_virt((uint64_t)pfn << PAGE_SHIFT), si->console.domU.evtchn);
	console_register(&ring_sink);
	return 0;
}

void xen_pv_early(const void *start_info)
{
	si = start_info;
	/* Virtual IOPL 1: the kernel (ring 1) may then use port I/O, and
	 * cli/sti trap to Xen and are ignored rather than fatal. */
	struct physdev_set_iopl iopl = { .iopl = 1 };
	hc(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, (unsigned long)&iopl, 0, 0);
	if ((si->flags & XEN_PV_SIF_INITDOMAIN) || attach_domu_console() != 0)
		console_register(&early_sink);
}

/* ---- the MMU ---- */
/* Frames that are page tables (Xen's bootstrap ones and amphi's): mapped
 * read-only wherever they appear.  Up to 1 GiB of pseudo-physical memory. */
#define PT_BITMAP_PFNS (1u << 18)
static uint32_t pt_bitmap[PT_BITMAP_PFNS / 32];
static int is_pt(uint32_t pfn)
{
	return pfn < PT_BITMAP_PFNS && (pt_bitmap[pfn / 32] >> (pfn % 32)) & 1;
}
static void mark_pt(uint32_t pfn)
{
	if (pfn < PT_BITMAP_PFNS)
		pt_bitmap[pfn / 32] |= 1u << (pfn % 32);
}
/* Of those, amphi's page tables proper (level 1): only their entries map
 * pages, and an entry that maps a table loses its RW bit; directory entries
 * (L2, L3) point at tables and keep theirs. */
static uint32_t leaf_bitmap[PT_BITMAP_PFNS / 32];
static int is_leaf(uint32_t pfn)
{
	return pfn < PT_BITMAP_PFNS && (leaf_bitmap[pfn / 32] >> (pfn % 32)) & 1;
}

/* Roots (L3) amphi has pinned. */
static uint32_t pinned_bitmap[PT_BITMAP_PFNS / 32];
static int is_pinned(uint32_t pfn)
{
	return pfn < PT_BITMAP_PFNS && (pinned_bitmap[pfn / 32] >> (pfn % 32)) & 1;
}

static int issue_mmu_update(struct xpv_mmu_update *req, unsigned n)
{
	unsigned done = 0;
	xen_pv_stats.hypercalls++;
	long rc = xen_hypercall5(__HYPERVISOR_mmu_update, (unsigned long)req, n,
				 (unsigned long)&done, DOMID_SELF, 0);
	if (rc)
		printk("xen-pv: mmu_update of %u entries failed at %u: %ld (ptr %#llx val %#llx)\n",
		       n, done, rc, (unsigned long long)req[done < n ? done : 0].ptr,
		       (unsigned long long)req[done < n ? done : 0].val);
	return (int)rc;
}

static struct xpv_batch batch;
static int batching;

/* A thread switch's hypercalls (stack_switch, MMUEXT_NEW_BASEPTR,
 * update_descriptor) go to Xen as one multicall (pv/xen_multicall.h). */
static struct mc_queue mcq;
static int switching;
static struct mmuext_op mc_mmuext[MC_MAX];   /* ops a queued mmuext_op points at */
static unsigned mc_mmuext_n;
_Static_assert(sizeof(struct mc_entry) == sizeof(multicall_entry_t), "multicall_entry_t layout");

static long issue_multicall(struct mc_entry *e, unsigned n)
{
	xen_pv_stats.hypercalls++;
	return xen_hypercall5(__HYPERVISOR_multicall, (unsigned long)e, n, 0, 0, 0);
}

static void pv_switch_begin(void)
{
	switching = 1;
	mc_mmuext_n = 0;
}

static void pv_switch_end(void)
{
	switching = 0;
	long rc = mc_flush(&mcq);
	if (rc)
		panic("xen-pv: a thread switch's multicall failed: %ld (op %d)", rc, mcq.failed_op);
}

static uint64_t machine_of(const void *va)
{
	uint64_t pa = virt_to_phys(va);
	uint32_t pfn = (uint32_t)(pa >> PAGE_SHIFT);
	if (pfn >= nr_pages)
		panic("xen-pv: %p is not in the direct map", va);
	return ((uint64_t)p2m[pfn] << PAGE_SHIFT) | (pa & (PAGE_SIZE - 1));
}

static void pv_sync(void)
{
	if (xpv_batch_flush(&batch))
		panic("xen-pv: Xen refused a page-table update");
}

static void pv_set_pte(uint64_t *ptep, uint64_t val)
{
	if ((val & PTE_P) && (val & PTE_RW) && is_pt((uint32_t)((val & PTE_ADDR) >> PAGE_SHIFT)) &&
	    is_leaf((uint32_t)(virt_to_phys(ptep) >> PAGE_SHIFT)))
		val &= ~PTE_RW;          /* page tables are never mapped writable */
	uint64_t m = xpv_pte_to_machine(val, p2m, nr_pages);
	if (m == XPV_BAD)
		panic("xen-pv: entry %#llx names a frame the domain does not have",
		      (unsigned long long)val);
	xpv_batch_add(&batch, machine_of(ptep) | MMU_NORMAL_PT_UPDATE, m);
	if (!batching)
		pv_sync();
}

static void pv_batch_begin(void) { batching = 1; }
static void pv_batch_end(void) { pv_sync(); batching = 0; }

static uint64_t pv_pte_to_phys(uint64_t pte)
{
	uint64_t pa = xpv_pte_to_phys(pte, m2p, m2p_entries, nr_pages);
	if (pa == XPV_BAD)
		panic("xen-pv: entry %#llx names machine frame %#llx, not ours",
		      (unsigned long long)pte, (unsigned long long)((pte & PTE_ADDR) >> 12));
	return pa;
}

static void pv_flush_page(uintptr_t va)
{
	pv_sync();
	struct mmuext_op op = { .cmd = MMUEXT_INVLPG_LOCAL };
	op.arg1.linear_addr = va;
	xen_pv_stats.invlpg++;
	hc(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0, DOMID_SELF);
}

static void pv_flush_all(void)
{
	pv_sync();
	xen_pv_stats.tlb_flushes++;
	mmuext(MMUEXT_TLB_FLUSH_LOCAL, 0);
}

/*
 * A frame becomes a page table: from now on it is mapped read-only, in the
 * tables in use (update_va_mapping on its direct-map address, which Xen's
 * bootstrap tables also cover) and in amphi's kernel tables when they are
 * still being built and already map it.
 */
static void make_pt(uint64_t pa)
{
	uint32_t pfn = (uint32_t)(pa >> PAGE_SHIFT);
	if (pfn >= nr_pages)
		panic("xen-pv: page table at %#llx beyond the domain", (unsigned long long)pa);
	if (is_pt(pfn))
		return;
	mark_pt(pfn);
	pv_sync();
	uintptr_t va = (uintptr_t)phys_to_virt(pa);
	uint64_t ro = ((uint64_t)p2m[pfn] << PAGE_SHIFT) | PTE_P | PTE_A | PTE_D | pte_nx;
	long rc = update_va(va, ro, UVMF_INVLPG | UVMF_LOCAL);
	if (rc)
		panic("xen-pv: cannot map the page table at %#llx read-only (%ld): "
		      "is it beyond Xen's bootstrap mapping?", (unsigned long long)pa, rc);
	pte_t *p = paging_pte(va);
	if (p && (*p & PTE_P) && (*p & PTE_RW))
		pv_set_pte(p, pa | (*p & ~PTE_ADDR & ~PTE_RW));
	pv_sync();
}

static void pv_pin_table(uint64_t table_phys, int level)
{
	/* Only the root is pinned: amphi's kernel L2 goes in PDPT slot 3,
	 * where Xen wants an unpinned L2 of its own type (it adds its own
	 * mappings above the hypervisor hole).  Lower levels are validated
	 * when the root is. */
	uint32_t pfn = (uint32_t)(table_phys >> PAGE_SHIFT);
	if (level == 1 && pfn < PT_BITMAP_PFNS)
		leaf_bitmap[pfn / 32] |= 1u << (pfn % 32);
	make_pt(table_phys);
	if (level == 3 && !is_pinned(pfn)) {
		uint32_t mfn = p2m[table_phys >> PAGE_SHIFT];
		xen_pv_stats.pins++;
		long rc = mmuext(MMUEXT_PIN_L3_TABLE, mfn);
		if (rc)
			panic("xen-pv: MMUEXT_PIN_L3_TABLE of %#llx (mfn %#x) failed: %ld",
			      (unsigned long long)table_phys, mfn, rc);
		pinned_bitmap[pfn / 32] |= 1u << (pfn % 32);
	}
}

static uint32_t bootstrap_l3_mfn;
static void pv_load_root(uint64_t pdpt_phys)
{
	pv_sync();
	if (!is_pinned((uint32_t)(pdpt_phys >> PAGE_SHIFT)))
		pv_pin_table(pdpt_phys, 3);
	xen_pv_stats.root_loads++;
	if (switching && !bootstrap_l3_mfn) {
		struct mmuext_op *op = &mc_mmuext[mc_mmuext_n++ % MC_MAX];
		op->cmd = MMUEXT_NEW_BASEPTR;
		op->arg1.mfn = p2m[pdpt_phys >> PAGE_SHIFT];
		mc_add(&mcq, __HYPERVISOR_mmuext_op, (uint32_t)op, 1, 0, DOMID_SELF, 0);
		return;
	}
	long rc = mmuext(MMUEXT_NEW_BASEPTR, p2m[pdpt_phys >> PAGE_SHIFT]);
	if (rc)
		panic("xen-pv: MMUEXT_NEW_BASEPTR failed: %ld", rc);
	/* Off Xen's bootstrap tables for good: unpin them, or their writable
	 * mappings of the first few MiB would keep those frames from ever
	 * becoming page tables. */
	if (bootstrap_l3_mfn) {
		rc = mmuext(MMUEXT_UNPIN_TABLE, bootstrap_l3_mfn);
		printk("xen-pv: bootstrap page tables (L3 mfn %#x) unpinned: %ld\n", bootstrap_l3_mfn, rc);
		bootstrap_l3_mfn = 0;
	}
}

/* A table of an address space that is gone: unpin the root (which
 * releases the tree below it), then map each frame writable again. */
static void pv_unpin_table(uint64_t table_phys, int level)
{
	uint32_t pfn = (uint32_t)(table_phys >> PAGE_SHIFT);
	pv_sync();
	if (level == 3 && is_pinned(pfn)) {
		xen_pv_stats.unpins++;
		long rc = mmuext(MMUEXT_UNPIN_TABLE, p2m[pfn]);
		if (rc)
			panic("xen-pv: MMUEXT_UNPIN_TABLE of %#llx failed: %ld",
			      (unsigned long long)table_phys, rc);
		pinned_bitmap[pfn / 32] &= ~(1u << (pfn % 32));
	}
	if (!is_pt(pfn))
		return;
	pt_bitmap[pfn / 32] &= ~(1u << (pfn % 32));
	leaf_bitmap[pfn / 32] &= ~(1u << (pfn % 32));
	uint64_t rw = ((uint64_t)p2m[pfn] << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_A | PTE_D | pte_nx;
	long rc = update_va((uintptr_t)phys_to_virt(table_phys), rw, UVMF_INVLPG | UVMF_LOCAL);
	if (rc)
		panic("xen-pv: the former page table at %#llx cannot be made writable: %ld",
		      (unsigned long long)table_phys, rc);
}

static void pv_paging_features(uint64_t *nx, uint64_t *global)
{
	/* Xen owns EFER and CR4: NX is on when the CPU has it (Xen runs with
	 * EFER.NXE); global pages stay Xen's. */
	*nx = cpu_has_nx ? PTE_NX : 0;
	*global = 0;
}

/* ---- descriptor tables: Xen's, plus a one-page GDT for the TLS entry ---- */
static uint64_t pv_gdt[PAGE_SIZE / 8] __attribute__((aligned(PAGE_SIZE)));
#define PV_GDT_ENTRIES 16

static void pv_set_gdt_entry(unsigned idx, uint64_t desc)
{
	uint64_t ma = machine_of(&pv_gdt[idx]);
	if (switching) {
		mc_add(&mcq, __HYPERVISOR_update_descriptor, (uint32_t)ma, (uint32_t)(ma >> 32),
		       (uint32_t)desc, (uint32_t)(desc >> 32), 0);
		return;
	}
	xen_pv_stats.hypercalls++;
	long rc = xen_hypercall5(__HYPERVISOR_update_descriptor, (uint32_t)ma, (uint32_t)(ma >> 32),
				 (uint32_t)desc, (uint32_t)(desc >> 32), 0);
	if (rc)
		printk("xen-pv: update_descriptor(%u, %#llx) failed: %ld\n", idx,
		       (unsigned long long)desc, rc);
}

static void pv_set_kernel_stack(uint32_t esp0)
{
	if (switching)
		mc_add(&mcq, __HYPERVISOR_stack_switch, FLAT_RING1_SS, esp0, 0, 0, 0);
	else
		hc(__HYPERVISOR_stack_switch, FLAT_RING1_SS, esp0, 0, 0);
}
extern char trap_stubs[];
extern char kernel_stack_top[];

static void pv_desc_init(void)
{
	static struct trap_info traps[34];
	unsigned n = 0;
	/* Flag 4: events masked on entry, as an interrupt gate clears IF (a
	 * kernel-mode program's frame is moved off its stack by the entry
	 * code, which an upcall must not interrupt halfway: kmode/README). */
	for (unsigned v = 0; v < 32; v++) {
		traps[n].vector = v;
		traps[n].flags = 4 | ((v == 3 || v == 4) ? 3 : 0);    /* int3/into from ring 3 */
		traps[n].cs = FLAT_RING1_CS;
		traps[n].address = (unsigned long)trap_stubs + v * 16;
		n++;
	}
	traps[n].vector = 0x80;                 /* Linux system calls: a direct trap */
	traps[n].flags = 4 | 3;
	traps[n].cs = FLAT_RING1_CS;
	traps[n].address = (unsigned long)trap_stubs + 0x80 * 16;
	n++;
	memset(&traps[n], 0, sizeof(traps[n]));
	long rc = hc(__HYPERVISOR_set_trap_table, (unsigned long)traps, 0, 0, 0);
	if (rc)
		panic("xen-pv: set_trap_table failed: %ld", rc);
	kernel_cs_sel = FLAT_RING1_CS;
	kernel_ds_sel = FLAT_RING1_DS;
	user_cs_sel = FLAT_RING3_CS;
	user_ds_sel = FLAT_RING3_DS;
	/* A GDT of our own, for the TLS entry (the flat selectors are Xen's,
	 * above it): read-only, and kept so (marked like a page table). */
	make_pt(virt_to_phys(pv_gdt));
	unsigned long frame = p2m[virt_to_phys(pv_gdt) >> PAGE_SHIFT];
	rc = hc(__HYPERVISOR_set_gdt, (unsigned long)&frame, PV_GDT_ENTRIES, 0, 0);
	if (rc)
		panic("xen-pv: set_gdt failed: %ld", rc);
	rc = hc(__HYPERVISOR_stack_switch, FLAT_RING1_SS, (unsigned long)kernel_stack_top, 0, 0);
	if (rc)
		panic("xen-pv: stack_switch failed: %ld", rc);
}

/* ---- platform ---- */
static void xen_pv_init(struct boot_info *bi)
{
	nr_pages = bi->xen_pv.nr_pages;
	shared_info_ma = bi->xen_pv.shared_info_ma;
	p2m = phys_to_virt(bi->xen_pv.mfn_list);
	if (nr_pages > PT_BITMAP_PFNS)
		panic("xen-pv: %u pages; at most %u supported", nr_pages, PT_BITMAP_PFNS);
	xpv_batch_init(&batch, issue_mmu_update);
	mc_init(&mcq, issue_multicall);

	/* Where Xen's machine-to-phys table is for a 32-bit guest. */
	struct xen_machphys_mapping mp;
	if (HYPERVISOR_memory_op(XENMEM_machphys_mapping, &mp) == 0) {
		m2p = (const uint32_t *)mp.v_start;
		m2p_entries = mp.max_mfn + 1;
	}
	/* Xen's bootstrap page tables stay in use until amphi's replace them. */
	for (uint32_t i = 0; i < bi->xen_pv.nr_pt_frames; i++)
		mark_pt((bi->xen_pv.pt_base >> PAGE_SHIFT) + i);
	bootstrap_l3_mfn = p2m[bi->xen_pv.pt_base >> PAGE_SHIFT];

	/* No CPUID leaves to go by (a PV guest's CPUID is the machine's). */
	uint32_t v = xen_version();
	hv_info.kind = HV_XEN;
	memcpy(hv_info.sig, "XenVMMXenVMM", 13);
	hv_info.xen_major = (uint16_t)(v >> 16);
	hv_info.xen_minor = (uint16_t)v;

	uint16_t cs;
	__asm__ volatile("movw %%cs, %0" : "=r"(cs));
	printk("xen-pv: %s, start info \"%.32s\", %u pages, p2m at %p, m2p at %p (%u entries), "
	       "bootstrap tables %u frames at %#x, CS=%#x (ring %u)\n",
	       (bi->xen_pv.flags & XEN_PV_SIF_INITDOMAIN) ? "dom0" : "domU", si->magic, nr_pages,
	       (const void *)p2m, (const void *)m2p, m2p_entries, bi->xen_pv.nr_pt_frames,
	       bi->xen_pv.pt_base, cs, cs & 3);
}

static void xen_pv_late_init(void) {}
static void xen_pv_irq_init(void) {}

/*
 * Events.  cli/sti do nothing for a ring-1 guest (Xen ignores them at
 * IOPL 1): the kernel's interrupt flag is vcpu_info's evtchn_upcall_mask
 * instead (asm/irqflags.h follows irq_pv_mask).  Xen masks events as it
 * delivers an upcall and saves the old mask as the frame's EFLAGS.IF;
 * HYPERVISOR_iret (trap_entry.S) restores it with the return.  Idle is
 * SCHEDOP_block, which unmasks and sleeps atomically (sti;hlt); amphi calls
 * it with events masked and gets them masked back.
 */
static struct vcpu_info *vcpu0;
extern uint32_t xen_pv_iret;     /* arch/x86/trap_entry.S */
extern void (*irq_pv_kick_fn)(void);

/* Any hypercall returns through Xen's check for pending upcalls. */
static void pv_kick(void)
{
	xen_pv_stats.hypercalls++;
	xen_hypercall5(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
}

static void xen_pv_idle(void)
{
	if (!vcpu0) {
		HYPERVISOR_sched_op(SCHEDOP_yield, 0);
		return;
	}
	xen_pv_stats.hypercalls++;
	HYPERVISOR_sched_op(SCHEDOP_block, 0);
	vcpu0->evtchn_upcall_mask = 1;
	__asm__ volatile("" ::: "memory");
}

static void xen_pv_halt(void)
{
	struct sched_shutdown s = { .reason = SHUTDOWN_crash };
	xen_console_flush();      /* a domU's panic message is still in the ring */
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
}

static void print_stats(void)
{
	printk("xen-pv: %llu hypercalls in all; %llu page-table entries in %llu mmu_update calls\n",
	       (unsigned long long)xen_pv_stats.hypercalls, (unsigned long long)batch.queued,
	       (unsigned long long)batch.hypercalls);
	printk("xen-pv: of them %llu invlpg, %llu TLB flushes, %llu update_va_mapping, "
	       "%llu pins, %llu unpins, %llu multicalls (%llu calls in them), %llu root loads\n",
	       (unsigned long long)xen_pv_stats.invlpg, (unsigned long long)xen_pv_stats.tlb_flushes,
	       (unsigned long long)xen_pv_stats.remaps, (unsigned long long)xen_pv_stats.pins,
	       (unsigned long long)xen_pv_stats.unpins, (unsigned long long)mcq.multicalls,
	       (unsigned long long)mcq.entries, (unsigned long long)xen_pv_stats.root_loads);
}

static __attribute__((noreturn)) void xen_pv_power_off(void)
{
	print_stats();
	xen_power_off();
}

static void xen_pv_test_exit(unsigned status)
{
	print_stats();
	outb(0xf4, (uint8_t)status);     /* QEMU isa-debug-exit; iopl is 1 */
}

static int xen_pv_self_test(char *msg, size_t len)
{
	const unsigned char *stub = (const unsigned char *)hypercall_page +
		__HYPERVISOR_xen_version * 32;
	/* PV stubs: mov $nr, %eax; int $0x82; ret */
	if (stub[0] != 0xb8 || stub[1] != __HYPERVISOR_xen_version || stub[5] != 0xcd || stub[6] != 0x82) {
		snprintf(msg, len, "xen_version stub is %02x %02x %02x %02x %02x %02x %02x, not mov/int $0x82",
			 stub[0], stub[1], stub[2], stub[3], stub[4], stub[5], stub[6]);
		return -1;
	}
	uint16_t cs;
	__asm__ volatile("movw %%cs, %0" : "=r"(cs));
	if ((cs & 3) != 1) {
		snprintf(msg, len, "CS=%#x: not ring 1", cs);
		return -1;
	}
	printk("  xen-pv: hypercall page written by Xen (int $0x82 stubs); CS=%#x ring 1; "
	       "%llu hypercalls so far, %llu PTE updates in %llu mmu_update calls\n", cs,
	       (unsigned long long)xen_pv_stats.hypercalls, (unsigned long long)batch.queued,
	       (unsigned long long)xen_pv_stats_mmu_calls());
	return 0;
}

uint64_t xen_pv_stats_mmu_calls(void) { return batch.hypercalls; }
uint64_t xen_pv_stats_ptes(void) { return batch.queued; }
uint64_t xen_pv_stats_multicalls(void) { return mcq.multicalls; }
uint64_t xen_pv_stats_multicall_entries(void) { return mcq.entries; }

/* The page the shared info is mapped over (its own frame is left unused). */
static char shared_info_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
#define FAILSAFE_VECTOR 0xfe        /* no handler: dumped and reported */

static void xen_pv_time_init(void)
{
	uint64_t pte = (shared_info_ma & PTE_ADDR) | PTE_P | PTE_RW | PTE_A | PTE_D | pte_nx;
	long rc = update_va((uintptr_t)shared_info_page, pte, UVMF_INVLPG | UVMF_LOCAL);
	if (rc) {
		printk("xen-pv: cannot map the shared info page (%ld): no time, no events\n", rc);
		return;
	}
	struct shared_info *s = (struct shared_info *)shared_info_page;
	s->vcpu_info[0].evtchn_upcall_mask = 1;
	evtchn_init_pv(s);
	rc = hc(__HYPERVISOR_set_callbacks, FLAT_RING1_CS,
		(unsigned long)trap_stubs + XEN_CALLBACK_VECTOR * 16, FLAT_RING1_CS,
		(unsigned long)trap_stubs + FAILSAFE_VECTOR * 16);
	if (rc) {
		printk("xen-pv: set_callbacks failed: %ld\n", rc);
		return;
	}
	vcpu0 = &s->vcpu_info[0];
	/* From here the kernel's interrupt flag is vcpu0's event mask. */
	irq_pv_kick_fn = pv_kick;
	irq_pv_pending = &vcpu0->evtchn_upcall_pending;
	irq_pv_mask = &vcpu0->evtchn_upcall_mask;
	/* Returns from traps and upcalls go through Xen's iret from now on
	 * (trap_entry.S): it unmasks events atomically with the return. */
	xen_pv_iret = (uint32_t)hypercall_page + __HYPERVISOR_iret * 32;
	printk("xen-pv: shared info (machine %#llx) at %p; event callback at vector %#x's stub, "
	       "the event mask is the interrupt flag\n", (unsigned long long)shared_info_ma, (void *)s,
	       XEN_CALLBACK_VECTOR);
	xen_time_use(&platform_xen_pv, "evtchn-pv-callback");
}

static uint32_t pv_pfn_to_mfn(uint32_t pfn) { return pfn < nr_pages ? p2m[pfn] : 0; }

/* Grant-table frames (Xen's pages) over a page of the kernel's own. */
static int pv_map_machine_frame(void *va, uint32_t mfn)
{
	uint64_t pte = ((uint64_t)mfn << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_A | PTE_D | pte_nx;
	return (int)update_va((uintptr_t)va, pte, UVMF_INVLPG | UVMF_LOCAL);
}

/* As a domU: xenstore.  Its page lies in the bootstrap area like the
 * console's (see attach_domu_console). */
static void xen_pv_devices_init(void)
{
	if (si->flags & XEN_PV_SIF_INITDOMAIN)
		return;
	uint32_t mfn = si->store_mfn;
	uint32_t pfn = mfn < m2p_entries ? m2p[mfn] : ~0u;
	if (!mfn || pfn >= nr_pages) {
		printk("xen-pv: xenstore frame %#x not in this domain: no front ends\n", mfn);
		return;
	}
	static const struct xenfront_ops ops = { .pv = 1, .pfn_to_frame = pv_pfn_to_mfn,
						 .map_machine_frame = pv_map_machine_frame };
	xenfront_start(&ops, phys_to_virt((uint64_t)pfn << PAGE_SHIFT), si->store_evtchn);
}

static struct platform_ops platform_xen_pv = {
	.name = "xen-pv",
	.hypercall = "page",
	.init = xen_pv_init,
	.late_init = xen_pv_late_init,
	/* console_io (dom0) or the console ring (domU) is registered by
	 * xen_pv_early, before boot_info exists. */
	.console_write = 0,
	.console_getc = pv_getc,
	.desc_init = pv_desc_init,
	.irq_init = xen_pv_irq_init,
	.idle = xen_pv_idle,
	.power_off = xen_pv_power_off,
	.reboot = xen_reboot,
	.halt = xen_pv_halt,
	.set_kernel_stack = pv_set_kernel_stack,
	.set_gdt_entry = pv_set_gdt_entry,
	.switch_begin = pv_switch_begin,
	.switch_end = pv_switch_end,
	.test_exit = xen_pv_test_exit,
	.self_test = xen_pv_self_test,
	.time_init = xen_pv_time_init,
	.devices_init = xen_pv_devices_init,
	.disks_init = xenfront_disks,
	.mmu = {
		.mode = "xen-pv",
		.set_pte = pv_set_pte,
		.flush_page = pv_flush_page,
		.flush_all = pv_flush_all,
		.load_root = pv_load_root,
		.pin_table = pv_pin_table,
		.pte_to_phys = pv_pte_to_phys,
		.batch_begin = pv_batch_begin,
		.batch_end = pv_batch_end,
		.paging_features = pv_paging_features,
		.unpin_table = pv_unpin_table,
		.private_kernel_pd = 1,
	},
};

static int xen_pv_probe(const struct hv_info *hv, const struct boot_info *bi)
{
	(void)hv;
	return bi->kind == BOOT_XEN_PV ? 100 : 0;
}
REGISTER_PLATFORM(platform_xen_pv, xen_pv_probe);
