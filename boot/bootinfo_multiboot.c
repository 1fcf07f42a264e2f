/* Multiboot v1 information -> struct boot_info. */
#include <amphi/boot.h>
#include <amphi/multiboot.h>
#include <amphi/string.h>

const char *bootinfo_from_multiboot(struct boot_info *bi, uint32_t magic, uint32_t mbi_pa, phys_reader_t rd)
{
	const struct multiboot_info *mbi = rd(mbi_pa, sizeof(*mbi));

	bootinfo_init(bi, BOOT_MULTIBOOT);
	bi->loader_info_phys = mbi_pa;
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		return "multiboot: bad loader magic";
	if (!mbi)
		return "multiboot: info structure not reachable";

	if (mbi->flags & MBI_FLAG_MMAP) {
		uint32_t off = 0;
		while (off + sizeof(struct multiboot_mmap_entry) <= mbi->mmap_length) {
			const struct multiboot_mmap_entry *e =
				rd(mbi->mmap_addr + off, sizeof(*e));
			if (!e)
				return "multiboot: memory map not reachable";
			if (e->size < 20 || e->size > mbi->mmap_length - off - 4)
				return "multiboot: malformed memory map entry";
			bootinfo_add_mem(bi, e->addr, e->len, e->type);
			off += e->size + 4;
		}
	} else if (mbi->flags & MBI_FLAG_MEM) {
		/* No map: the two classic sizes are all we know. */
		bootinfo_add_mem(bi, 0, (uint64_t)mbi->mem_lower * 1024, MEM_USABLE);
		bootinfo_add_mem(bi, 0x100000, (uint64_t)mbi->mem_upper * 1024, MEM_USABLE);
	} else {
		return "multiboot: loader gave no memory information";
	}

	if (mbi->flags & MBI_FLAG_CMDLINE) {
		char tmp[BOOT_CMDLINE_MAX];
		bootinfo_copy_cstr(tmp, sizeof(tmp), mbi->cmdline, rd);
		bootinfo_set_cmdline(bi, tmp, sizeof(tmp));
	}
	if (mbi->flags & MBI_FLAG_MODS) {
		for (uint32_t i = 0; i < mbi->mods_count && bi->nr_modules < BOOT_MODULES_MAX; i++) {
			const struct multiboot_mod *m = rd(mbi->mods_addr + i * sizeof(*m), sizeof(*m));
			if (!m)
				return "multiboot: module list not reachable";
			if (m->mod_end < m->mod_start)
				return "multiboot: module ends before it starts";
			struct boot_module *bm = &bi->modules[bi->nr_modules++];
			bm->base = m->mod_start;
			bm->size = m->mod_end - m->mod_start;
			bootinfo_copy_cstr(bm->cmdline, sizeof(bm->cmdline), m->cmdline, rd);
		}
	}
	return 0;
}
