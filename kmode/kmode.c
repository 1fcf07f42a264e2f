/*
 * Kernel-mode applications (kmode/README.md): the switch and the ring.
 * Trusted programs run in the kernel's ring (ring 0; ring 1 as a Xen PV
 * guest) in their own address space.  Here: `kmode=off`, which ring that
 * is, whether the CPU side could be set up (arch/x86/kmode.c), and what a
 * trusted program's new address space and auxiliary vector get at exec.
 */
#include <amphi/kmode.h>
#include <amphi/vm.h>
#include <amphi/string.h>
#include <amphi/printk.h>
#include <amphi/cmdline.h>
#include <amphi/boot.h>
#include <asm/desc.h>
#include <asm/irqflags.h>

int kmode_enabled;
int kmode_ring;                          /* the kernel's: 0, or 1 under Xen PV */

void kmode_init(void)
{
	char opt[8];
	kmode_enabled = !(cmdline_get(boot_info.cmdline, "kmode", opt, sizeof(opt)) && !strcmp(opt, "off"));
	kmode_ring = kernel_cs_sel & 3;
	if (!kmode_arch_init(kmode_ring))
		kmode_enabled = 0;
	/* Ring 1 masks events in vcpu_info around its entries: without the
	 * shared info page there is no mask to set. */
	if (kmode_ring && !irq_pv_mask) {
		printk("kmode: no event channels (shared info not mapped): trusted programs run in ring 3\n");
		kmode_enabled = 0;
	}
	if (!kmode_enabled) {
		printk("kmode: trusted programs (/trusted/, amphi ELF note) run in ring 3 (kmode=off)\n");
		return;
	}
	if (kmode_ring == 0)
		printk("kmode: trusted programs (/trusted/, amphi ELF note) run in ring 0; direct-call entry "
		       "at %#x, double faults to task %#x\n", KMODE_ENTRY_ADDR, SEL_DFTSS);
	else
		printk("kmode: trusted programs (/trusted/, amphi ELF note) run in ring %d; direct-call entry "
		       "at %#x; stacks pinned [%#x, %#x) over a %u MiB guard, checked at every entry "
		       "and every %u us\n", kmode_ring, KMODE_ENTRY_ADDR, PINNED_STACK_LO, USER_STACK_TOP,
		       (PINNED_STACK_LO - PINNED_GUARD_LO) >> 20, (unsigned)(WATCHDOG_NS / 1000));
}

int kmode_exec_prepare(struct vm_space *vm)
{
	if (kmode_ring == 0)
		return 0;                 /* demand-paged stack; the double-fault task catches the rest */
	return vm_pin_stack(vm, PINNED_STACK_LO, PINNED_GUARD_LO);
}

uint32_t kmode_sysinfo(void)
{
	return KMODE_ENTRY_ADDR;
}
