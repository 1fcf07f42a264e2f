/*
 * kmain: the one C entry every boot path meets in, with the loader's
 * information already in struct boot_info.
 */
#include <amphi/boot.h>
#include <amphi/platform.h>
#include <amphi/memmap.h>
#include <amphi/mm.h>
#include <amphi/acpi.h>
#include <amphi/cmdline.h>
#include <amphi/test.h>
#include <amphi/printk.h>
#include <amphi/net.h>
#include <amphi/klog.h>
#include <amphi/panic.h>
#include <amphi/timer.h>
#include <amphi/syscall.h>
#include <amphi/vfs.h>
#include <amphi/pci.h>
#include <amphi/proc.h>
#include <amphi/rootfs.h>
#include <asm/desc.h>
#include <asm/cpu.h>

static void print_memmap(const struct boot_info *bi)
{
	for (unsigned i = 0; i < bi->nr_mem; i++)
		printk("  mem: [%#011llx-%#011llx] %s\n", (unsigned long long)bi->mem[i].base,
		       (unsigned long long)(bi->mem[i].base + bi->mem[i].size - 1),
		       memmap_type_name(bi->mem[i].type));
}

void kmain(struct boot_info *bi)
{
	/* Under a test, a failure anywhere in bring-up must still end in a
	 * result line and an exit status, not a silent halt. */
	test_running = cmdline_has(bi->cmdline, "amphi.test");
	klog_init(bi->cmdline);   /* loglevel=, quiet */
	cpu_init();
	platform_select(bi);      /* may fill in the memory map (Xen PVH v0) */
	/* lgdt/lidt are privileged under Xen PV: the platform may set up
	 * descriptor tables its own way. */
	if (platform->desc_init)
		platform->desc_init();
	else {
		gdt_init();
		idt_init();
	}
	platform->irq_init();

	int n = memmap_sanitize(bi->mem, bi->nr_mem, BOOT_MEMMAP_MAX);
	if (n < 0)
		panic("memory map: too many regions after sanitising");
	bi->nr_mem = (unsigned)n;
	if (!bi->nr_mem)
		panic("memory map: the %s loader gave no memory map", boot_kind_name(bi->kind));

	printk("amphi %s: boot=%s cmdline=\"%s\" mem=%llu MiB\n", AMPHI_VERSION,
	       boot_kind_name(bi->kind), bi->cmdline,
	       (unsigned long long)(memmap_usable_bytes(bi->mem, bi->nr_mem) >> 20));
	platform_banner();
	print_memmap(bi);
	for (unsigned i = 0; i < bi->nr_modules; i++)
		printk("  module %u: %#llx, %llu bytes \"%s\"\n", i,
		       (unsigned long long)bi->modules[i].base,
		       (unsigned long long)bi->modules[i].size, bi->modules[i].cmdline);

	mm_init(bi);
	platform_late_init();
	acpi_init(bi->rsdp);
	time_init();              /* after the heap and ACPI: maps the APICs, reads the MADT */
	klog_clock_ready();       /* log lines get timestamps */
	syscall_init();           /* system calls and user mode (kernel/syscall.c, arch/x86/user.c) */
	if (platform->devices_init)
		platform->devices_init();     /* e.g. xenstore as a Xen domU */
	if (bi->nr_modules)
		vfs_init_from_boot();     /* the initrd: boot module 0 */
	pci_init();               /* PCI devices, disks (drivers/pci, drivers/block) */
	if (platform->disks_init)
		platform->disks_init();   /* e.g. Xen blkfront's /dev/xvda, before PID 1 looks */
	int have_root = rootfs_setup(bi->cmdline);   /* amphi.root=: "/" on a disk (kernel/rootfs.c) */
	if (have_root)
		net_write_resolv_conf("amphi.dns= or an early DHCP lease");

	char test[BOOT_CMDLINE_MAX];
	if (cmdline_get(bi->cmdline, "amphi.test", test, sizeof(test)))
		test_run(test);
	if (have_root)
		proc_run_init(bi->cmdline);   /* PID 1 (amphi.init=, default /init); powers off when it exits */

	printk("amphi: up; nothing to run yet, idling (Ctrl-A X leaves QEMU)\n");
	for (;;)
		platform->idle();
}
