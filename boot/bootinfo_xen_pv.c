/*
 * Xen PV start_info -> struct boot_info (pure; host-tested).  A PV domain's
 * pseudo-physical memory is pfn 0 .. nr_pages-1, mapped by Xen at
 * virt_base + pfn*4096 as far as its bootstrap mapping goes; the image, the
 * module, the p2m list, start_info and the bootstrap page tables lie in
 * that order from the image on, and the first usable frame follows them.
 * Everything below that point is reported reserved.
 */
#include <amphi/boot.h>
#include <amphi/xen_pv_abi.h>
#include <amphi/string.h>

#define PV_PAGE 4096u

static uint32_t max32(uint32_t a, uint32_t b) { return a > b ? a : b; }
static uint32_t page_up(uint32_t a) { return (a + PV_PAGE - 1) & ~(PV_PAGE - 1); }

const char *bootinfo_from_xen_pv(struct boot_info *bi, uint32_t si_pa, uint32_t virt_base,
				 phys_reader_t rd)
{
	const struct xen_pv_start_info32 *si = rd(si_pa, sizeof(*si));

	bootinfo_init(bi, BOOT_XEN_PV);
	bi->loader_info_phys = si_pa;
	if (!si)
		return "xen-pv: start info not reachable";
	size_t ml = 0;
	while (ml < sizeof(si->magic) && si->magic[ml])
		ml++;
	if (ml == sizeof(si->magic) || ml < 4 || memcmp(si->magic, "xen-", 4) != 0)
		return "xen-pv: bad start info magic";
	/* "xen-3.0-x86_32p": a 32-bit PAE guest must be told it is one. */
	if (ml < 7 || memcmp(si->magic + ml - 7, "x86_32p", 7) != 0)
		return "xen-pv: start info is not for a 32-bit PAE guest";
	if (!si->nr_pages)
		return "xen-pv: no pages";
	if (si->pt_base < virt_base || si->mfn_list < virt_base)
		return "xen-pv: start info addresses below the virtual base";

	bi->xen_pv.nr_pages = si->nr_pages;
	bi->xen_pv.shared_info_ma = si->shared_info;
	bi->xen_pv.flags = si->flags;
	bi->xen_pv.store_mfn = si->store_mfn;
	bi->xen_pv.store_evtchn = si->store_evtchn;
	if (!(si->flags & XEN_PV_SIF_INITDOMAIN)) {
		bi->xen_pv.console_mfn = si->console.domU.mfn;
		bi->xen_pv.console_evtchn = si->console.domU.evtchn;
	}
	bi->xen_pv.pt_base = si->pt_base - virt_base;
	bi->xen_pv.nr_pt_frames = si->nr_pt_frames;
	bi->xen_pv.mfn_list = si->mfn_list - virt_base;

	uint64_t mem_end = (uint64_t)si->nr_pages * PV_PAGE;
	/* What Xen built: up to the end of the bootstrap tables, plus the
	 * one-page bootstrap stack after them; and anything else it named. */
	uint32_t end = si->pt_base - virt_base + (si->nr_pt_frames + 1) * PV_PAGE;
	end = max32(end, page_up(si_pa + sizeof(*si)));
	end = max32(end, page_up(si->mfn_list - virt_base + si->nr_pages * 4));

	if (si->mod_len) {
		struct boot_module *bm = &bi->modules[bi->nr_modules++];
		bm->base = (si->flags & XEN_PV_SIF_MOD_START_PFN)
			? (uint64_t)si->mod_start * PV_PAGE : (uint64_t)(si->mod_start - virt_base);
		if (!(si->flags & XEN_PV_SIF_MOD_START_PFN) && si->mod_start < virt_base)
			return "xen-pv: module address below the virtual base";
		bm->size = si->mod_len;
		if (bm->base + bm->size > mem_end)
			return "xen-pv: module beyond the domain's memory";
		if (bm->base + bm->size <= 0xffffffffull)
			end = max32(end, page_up((uint32_t)(bm->base + bm->size)));
	}
	if (end > mem_end)
		return "xen-pv: bootstrap area beyond the domain's memory";
	bi->xen_pv.bootstrap_end = end;
	bootinfo_add_mem(bi, 0, end, MEM_RESERVED);
	bootinfo_add_mem(bi, end, mem_end - end, MEM_USABLE);

	char tmp[sizeof(si->cmd_line) + 1];
	memcpy(tmp, si->cmd_line, sizeof(si->cmd_line));
	tmp[sizeof(si->cmd_line)] = 0;
	bootinfo_set_cmdline(bi, tmp, sizeof(tmp));
	return 0;
}
