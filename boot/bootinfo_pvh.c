/*
 * PVH struct hvm_start_info -> struct boot_info.  QEMU passes version 1
 * (with a memory map); Xen 4.17/4.20 pass version 0, without one: then
 * nr_mem stays 0 and the Xen platform asks XENMEM_memory_map later.
 */
#include <amphi/boot.h>
#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>

const char *bootinfo_from_pvh(struct boot_info *bi, uint32_t si_pa, phys_reader_t rd)
{
	const struct hvm_start_info *si = rd(si_pa, offsetof(struct hvm_start_info, memmap_paddr));

	bootinfo_init(bi, BOOT_PVH);
	bi->loader_info_phys = si_pa;
	if (!si)
		return "pvh: start info not reachable";
	if (si->magic != XEN_HVM_START_MAGIC_VALUE)
		return "pvh: bad start info magic";
	bi->loader_version = si->version;
	bi->rsdp = si->rsdp_paddr;

	if (si->version >= 1) {
		si = rd(si_pa, sizeof(*si));
		if (!si)
			return "pvh: start info not reachable";
		/* More entries than we keep means a corrupt structure. */
		if (si->memmap_entries > BOOT_MEMMAP_MAX)
			return "pvh: memory map has too many entries";
		for (uint32_t i = 0; i < si->memmap_entries; i++) {
			const struct hvm_memmap_table_entry *e =
				rd(si->memmap_paddr + i * sizeof(*e), sizeof(*e));
			if (!e)
				return "pvh: memory map not reachable";
			bootinfo_add_mem(bi, e->addr, e->size, e->type);
		}
	}

	char tmp[BOOT_CMDLINE_MAX];
	bootinfo_copy_cstr(tmp, sizeof(tmp), si->cmdline_paddr, rd);
	bootinfo_set_cmdline(bi, tmp, sizeof(tmp));

	for (uint32_t i = 0; i < si->nr_modules && bi->nr_modules < BOOT_MODULES_MAX; i++) {
		const struct hvm_modlist_entry *m =
			rd(si->modlist_paddr + i * sizeof(*m), sizeof(*m));
		if (!m)
			return "pvh: module list not reachable";
		struct boot_module *bm = &bi->modules[bi->nr_modules++];
		bm->base = m->paddr;
		bm->size = m->size;
		bootinfo_copy_cstr(bm->cmdline, sizeof(bm->cmdline), m->cmdline_paddr, rd);
	}
	return 0;
}
