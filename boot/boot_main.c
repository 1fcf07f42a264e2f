/*
 * The common C entry of the native boot paths (boot/entry.S jumps here with
 * the boot map on): convert the loader's structure into struct boot_info
 * and enter kmain().  The loader structures lie in the first 1 GiB, which
 * the boot map covers at KERNEL_VBASE + physical.
 */
#include <amphi/boot.h>
#include <amphi/console.h>
#include <amphi/printk.h>
#include <amphi/panic.h>
#include <amphi/layout.h>
#include <amphi/multiboot.h>

#define BOOT_MAP_LIMIT 0x40000000ull

struct boot_info boot_info;

static const void *boot_phys_reader(uint64_t pa, size_t len)
{
	if (pa + len < pa || pa + len > BOOT_MAP_LIMIT)
		return 0;
	return phys_to_virt(pa);
}

#ifdef CONFIG_PLATFORM_XEN
#include <pv/xen_pv.h>
/* The Xen PV entry (boot/xen_pv_entry.S): already paged, at the linked
 * addresses, in ring 1; start_info is a virtual address. */
void xen_pv_boot_main(const void *start_info);
void xen_pv_boot_main(const void *start_info)
{
	xen_pv_early(start_info);      /* console_io, IOPL: before any printk */
	uint32_t si_pa = (uint32_t)virt_to_phys(start_info);
	const char *err = bootinfo_from_xen_pv(&boot_info, si_pa, KERNEL_VBASE, boot_phys_reader);
	if (err)
		panic("boot: %s (start info at %p)", err, start_info);
	kmain(&boot_info);
}
#endif

void boot_main(uint32_t kind, uint32_t info_pa);
void boot_main(uint32_t kind, uint32_t info_pa)
{
	const char *err = "unknown boot path";

	console_early_init();
	switch (kind) {
	case BOOT_BIOS:
		err = bootinfo_from_bios(&boot_info, info_pa, boot_phys_reader);
		break;
	case BOOT_MULTIBOOT:
		err = bootinfo_from_multiboot(&boot_info, MULTIBOOT_BOOTLOADER_MAGIC, info_pa,
					      boot_phys_reader);
		break;
	case BOOT_PVH:
		err = bootinfo_from_pvh(&boot_info, info_pa, boot_phys_reader);
		break;
	}
	if (err)
		panic("boot: %s (loader structure at %#x)", err, info_pa);
	kmain(&boot_info);
}
