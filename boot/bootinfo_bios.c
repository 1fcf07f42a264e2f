/* boot/bios/ loader's struct bios_boot_params -> struct boot_info. */
#include <amphi/boot.h>
#include <amphi/bios_boot.h>

const char *bootinfo_from_bios(struct boot_info *bi, uint32_t params_pa, phys_reader_t rd)
{
	const struct bios_boot_params *p = rd(params_pa, sizeof(*p));

	bootinfo_init(bi, BOOT_BIOS);
	bi->loader_info_phys = params_pa;
	if (!p)
		return "bios: boot parameters not reachable";
	if (p->magic != BIOS_BOOT_MAGIC)
		return "bios: bad magic in boot parameters";
	if (p->e820_count == 0)
		return "bios: the loader found no E820 memory map";
	unsigned n = p->e820_count > BIOS_E820_MAX ? BIOS_E820_MAX : p->e820_count;
	for (unsigned i = 0; i < n; i++) {
		const struct e820_entry *e = &p->e820[i];
		/* ACPI 3.0: an entry whose "valid" attribute bit is clear is ignored. */
		if ((e->ext_attr & 1) == 0 && e->ext_attr != 0)
			continue;
		bootinfo_add_mem(bi, e->base, e->length, e->type);
	}
	bootinfo_set_cmdline(bi, p->cmdline, BIOS_CMDLINE_MAX);
	return 0;
}
