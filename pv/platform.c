/*
 * Choosing the platform: once, early in kmain, from what the CPUID
 * hypervisor leaves say (hypercall/detect.c) and from how we were booted.
 */
#include <amphi/platform.h>
#include <amphi/printk.h>

const struct platform_ops *platform = &platform_native;

void platform_select(struct boot_info *bi)
{
	platform = &platform_native;
	platform->init(bi);
}

void platform_banner(void)
{
	printk("amphi: platform=%s hypervisor=\"%s\" version=%s hypercall=%s mmu=%s\n",
	       platform->name, "none", "-", platform->hypercall, platform->mmu.mode);
}
