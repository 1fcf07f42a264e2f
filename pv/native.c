/*
 * The native platform: bare metal, and any hypervisor amphi does not know
 * (handled as bare metal).  Also the base the KVM and Xen HVM/PVH platforms
 * borrow from, since under hardware-assisted virtualization the CPU and MMU
 * work as on bare metal.
 */
#include <amphi/platform.h>
#include <amphi/acpi.h>
#include <pv/native.h>
#include <pv/native_time.h>
#include <asm/pic.h>
#include <asm/cpu.h>
#include <asm/io.h>

#define ISA_DEBUG_EXIT_PORT 0xf4

void native_set_pte(uint64_t *ptep, uint64_t val)
{
	volatile uint32_t *p = (volatile uint32_t *)ptep;
	/* A present entry must never be seen half-written: the present bit is
	 * in the low word, so write the high word first when setting and the
	 * low word first when clearing. */
	if (val & 1) {
		p[1] = (uint32_t)(val >> 32);
		__asm__ volatile("" ::: "memory");
		p[0] = (uint32_t)val;
	} else {
		p[0] = (uint32_t)val;
		__asm__ volatile("" ::: "memory");
		p[1] = (uint32_t)(val >> 32);
	}
}

void native_flush_page(uintptr_t va) { invlpg(va); }

void native_flush_all(void)
{
	uint32_t cr4 = read_cr4();
	if (cr4 & CR4_PGE) {             /* toggling PGE also drops global entries */
		write_cr4(cr4 & ~CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
}

void native_load_root(uint64_t pdpt_phys) { write_cr3((uint32_t)pdpt_phys); }
void native_pin_table(uint64_t table_phys, int level) { (void)table_phys; (void)level; }

void native_idle(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

void native_power_off(void)
{
	acpi_power_off();          /* returns only if ACPI could not do it */
	for (;;)
		__asm__ volatile("cli; hlt");
}

void native_reboot(void)
{
	outb(0x64, 0xfe);          /* keyboard controller reset line */
	for (;;)
		__asm__ volatile("cli; hlt");
}

void native_test_exit(unsigned status)
{
	outb(ISA_DEBUG_EXIT_PORT, (uint8_t)status);
}

void native_init(struct boot_info *bi) { (void)bi; }
void native_late_init(void) { }

/* Nothing paravirtual to check on bare metal. */
int native_self_test(char *msg, size_t len) { (void)msg; (void)len; return 0; }

static struct platform_ops platform_native;
static void native_time_init(void) { native_time_setup(&platform_native); }

/* Not const: time_init fills in the timer and interrupt controller found. */
static struct platform_ops platform_native = {
	.name = "native",
	.owns_pci = 1,
	.hypercall = "none",
	.init = native_init,
	.late_init = native_late_init,
	.console_write = 0,          /* COM1 and the debug port stay */
	.irq_init = native_irq_init,
	.idle = native_idle,
	.power_off = native_power_off,
	.reboot = native_reboot,
	.test_exit = native_test_exit,
	.self_test = native_self_test,
	.time_init = native_time_init,
	NATIVE_TIME_OPS,
	.mmu = NATIVE_MMU_OPS,
};

/* Bare metal, or a hypervisor amphi has no better platform for. */
static int native_probe(const struct hv_info *hv, const struct boot_info *bi)
{
	(void)hv;
	return bi->kind == BOOT_XEN_PV ? 0 : 1;
}
REGISTER_PLATFORM(platform_native, native_probe);
