/*
 * Installing the hypercall page under Xen HVM/PVH: fill it with a poison,
 * write its physical address to the MSR that CPUID leaf base+2 names, and
 * check that Xen replaced the poison with its stubs.  Runs on the boot
 * mapping, where the kernel text is still writable.
 */
#include <hypercall/xen.h>
#include <amphi/hvdetect.h>
#include <amphi/layout.h>
#include <amphi/panic.h>
#include <amphi/printk.h>
#include <amphi/string.h>
#include <asm/cpu.h>

#define POISON 0xcc    /* int3: a call into an unfilled page traps loudly */

void xen_hypercall_page_init(const struct hv_info *hv)
{
	if (!hv->xen_hypercall_msr || hv->xen_hypercall_pages < 1)
		panic("xen: CPUID leaf %#x+2 names no hypercall MSR (pages=%u msr=%#x)",
		      hv->base, hv->xen_hypercall_pages, hv->xen_hypercall_msr);
	memset(hypercall_page, POISON, PAGE_SIZE);
	wrmsr(hv->xen_hypercall_msr, virt_to_phys(hypercall_page));
	unsigned filled = 0;
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		filled += (unsigned char)hypercall_page[i] != POISON;
	if (filled == 0)
		panic("xen: wrote the hypercall page address %#llx to MSR %#x but Xen did not fill the page",
		      (unsigned long long)virt_to_phys(hypercall_page), hv->xen_hypercall_msr);
	printk("xen: hypercall page at %#llx installed through MSR %#x (%u bytes written by Xen)\n",
	       (unsigned long long)virt_to_phys(hypercall_page), hv->xen_hypercall_msr, filled);
}
