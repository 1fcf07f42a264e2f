/*
 * Choosing the platform: once, early in kmain, from what the CPUID
 * hypervisor leaves say (hypercall/detect.c) and from how we were booted.
 * Every linked-in platform scores itself; the best one is used.
 */
#include <amphi/platform.h>
#include <amphi/hvdetect.h>
#include <amphi/console.h>
#include <amphi/printk.h>
#include <amphi/panic.h>
#include <amphi/timer.h>
#include <asm/tsc.h>

extern const struct platform_entry __platforms_start[], __platforms_end[];
const struct platform_ops *platform;
static struct console_sink platform_sink;

void platform_select(struct boot_info *bi)
{
	int best = 0;
	hv_detect_cpu();
	for (const struct platform_entry *e = __platforms_start; e < __platforms_end; e++) {
		int score = e->probe(&hv_info, bi);
		if (score > best) {
			best = score;
			platform = e->ops;
		}
	}
	if (!platform)
		panic("no platform fits (hypervisor %s, boot %s)", hv_kind_name(hv_info.kind),
		      boot_kind_name(bi->kind));
	platform->init(bi);
	if (platform->console_write) {
		platform_sink.name = platform->name;
		platform_sink.write = platform->console_write;
		console_drop_early();
		console_register(&platform_sink);
	}
}

void platform_late_init(void)
{
	platform->late_init();
}

void platform_banner(void)
{
	char version[16] = "-";
	if (hv_info.kind == HV_XEN)
		snprintf(version, sizeof(version), "%u.%u", hv_info.xen_major, hv_info.xen_minor);
	printk("amphi: platform=%s hypervisor=\"%s\" version=%s hypercall=%s mmu=%s\n",
	       platform->name, hv_info.sig[0] ? hv_info.sig : "none",
	       version, platform->hypercall, platform->mmu.mode);
}

void platform_time_banner(void)
{
	printk("amphi: clock=%s timer=%s irq=%s tsc=%u MHz\n",
	       platform->clock_name ? platform->clock_name : "none",
	       platform->timer_name ? platform->timer_name : "none",
	       platform->irq_name ? platform->irq_name : "none", (tsc_khz() + 500) / 1000);
}
