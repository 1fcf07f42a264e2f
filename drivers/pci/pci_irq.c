/*
 * PCI interrupts: one vector per device, MSI-X or MSI when the function
 * has the capability (messages go straight to this CPU's local APIC, no
 * routing tables needed), else INTx through the I/O APIC on the GSI the
 * firmware wrote into the interrupt line register (QEMU's PIIX and ICH9
 * deliver PIRQs on those ISA numbers, level-triggered per the MADT's
 * overrides).  Without a local APIC (Xen), or with pci.noirq on the
 * command line, the block layer polls the devices; pci.nomsi forces INTx.
 */
#include <amphi/pci.h>
#include <amphi/printk.h>
#include <asm/lapic.h>
#include <asm/ioapic.h>
#include <asm/traps.h>
#include <amphi/boot.h>
#include <amphi/cmdline.h>

#define MSI_ADDR_BASE 0xfee00000u
#define PCI_VEC_FIRST 0x40              /* 0x30-0x3f left to ISA users */

static struct pci_dev *vec_owner[256];
static unsigned next_vec = PCI_VEC_FIRST;
static uint8_t line_vec[256];           /* INTx: the vector a GSI is routed to */

static void pci_irq_entry(struct trap_frame *tf)
{
	for (struct pci_dev *d = vec_owner[tf->vector & 255]; d; d = d->irq_next)
		if (d->irq_fn)
			d->irq_fn(d->irq_arg);
	lapic_eoi();
}

static int setup_msix(struct pci_dev *d, uint8_t vec)
{
	uint8_t cap = pci_find_cap(d, PCI_CAP_MSIX, 0);
	if (!cap)
		return -1;
	uint16_t ctl = pci_read16(d, cap + 2);
	unsigned entries = (ctl & 0x7ff) + 1;
	uint32_t tbl = pci_read32(d, cap + 4);
	int bir = tbl & 7;
	if (bir > 5 || !d->bar[bir].size || d->bar[bir].is_io)
		return -1;
	volatile uint8_t *bar = pci_map_bar(d, bir);
	uint32_t off = tbl & ~7u;
	if (!bar || off + entries * 16 > 0x10000)
		return -1;
	pci_write16(d, cap + 2, ctl | 0x4000);          /* function mask while we program */
	volatile uint32_t *e = (volatile uint32_t *)(bar + off);
	for (unsigned i = 0; i < entries; i++) {
		e[i * 4 + 0] = MSI_ADDR_BASE | (lapic_id() << 12);
		e[i * 4 + 1] = 0;
		e[i * 4 + 2] = vec;                     /* fixed delivery, edge */
		e[i * 4 + 3] = 0;                       /* unmasked */
	}
	pci_write16(d, cap + 2, (ctl | 0x8000) & ~0x4000);   /* enable, unmask */
	return 0;
}

static int setup_msi(struct pci_dev *d, uint8_t vec)
{
	uint8_t cap = pci_find_cap(d, PCI_CAP_MSI, 0);
	if (!cap)
		return -1;
	uint16_t ctl = pci_read16(d, cap + 2);
	pci_write32(d, cap + 4, MSI_ADDR_BASE | (lapic_id() << 12));
	unsigned data = cap + 8;
	if (ctl & 0x80) {                               /* 64-bit address */
		pci_write32(d, cap + 8, 0);
		data = cap + 12;
	}
	pci_write16(d, data, vec);
	pci_write16(d, cap + 2, (ctl & ~0x70) | 1);     /* one vector, enabled */
	return 0;
}

int pci_irq_setup(struct pci_dev *d, void (*fn)(void *arg), void *arg)
{
	d->irq_mode = "none";
	if (cmdline_has(boot_info.cmdline, "pci.noirq")) {
		printk("pci: %s: interrupts off (pci.noirq): polled\n", d->name);
		return -1;
	}
	if (!lapic_present()) {
		printk("pci: %s: no local APIC on this platform: polled\n", d->name);
		return -1;
	}
	if (next_vec > VEC_DEVICE_LAST) {
		printk("pci: %s: out of interrupt vectors: polled\n", d->name);
		return -1;
	}
	uint8_t vec = (uint8_t)next_vec++;
	d->vector = vec;
	d->irq_fn = fn;
	d->irq_arg = arg;
	vec_owner[vec] = d;
	trap_set_handler(vec, pci_irq_entry);
	int msi_ok = !cmdline_has(boot_info.cmdline, "pci.nomsi");     /* tests: force INTx */
	if (msi_ok && setup_msix(d, vec) == 0) {
		d->irq_mode = "msix";
	} else if (msi_ok && setup_msi(d, vec) == 0) {
		d->irq_mode = "msi";
	} else if (d->irq_pin && d->irq_line && d->irq_line != 0xff && line_vec[d->irq_line]) {
		/* shared line: join the handlers already on its vector */
		vec_owner[vec] = 0;
		trap_set_handler(vec, 0);
		next_vec--;
		d->vector = vec = line_vec[d->irq_line];
		d->irq_next = vec_owner[vec];
		vec_owner[vec] = d;
		d->irq_mode = "intx";
		pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) & ~PCI_CMD_INTX_DISABLE);
	} else if (d->irq_pin && d->irq_line && d->irq_line != 0xff &&
		   ioapic_route(d->irq_line, vec) == 0) {
		line_vec[d->irq_line] = vec;
		d->irq_mode = "intx";
		pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) & ~PCI_CMD_INTX_DISABLE);
	} else {
		vec_owner[vec] = 0;
		trap_set_handler(vec, 0);
		printk("pci: %s: no MSI-X, MSI or routable INTx: polled\n", d->name);
		return -1;
	}
	if (d->irq_mode[0] == 'm')      /* messages: keep the pin quiet */
		pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) | PCI_CMD_INTX_DISABLE);
	return 0;
}
