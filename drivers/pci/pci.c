/*
 * PCI enumeration and configuration access.  Configuration space is read
 * through ECAM (memory-mapped, 4 KiB per function) when the ACPI MCFG
 * describes it for segment 0, else through the legacy mechanism #1 (ports
 * 0xCF8/0xCFC, 256 bytes per function), which every PC chipset decodes.
 * ECAM goes through one uncached window page remapped to the function
 * being accessed (configuration accesses are rare; 256 buses would not fit
 * in the kernel's device window).  The firmware (SeaBIOS, or a PC
 * BIOS/UEFI) has assigned the BARs and interrupt lines; amphi reads them
 * and does not reassign.
 */
#include <amphi/pci.h>
#include <amphi/acpi.h>
#include <amphi/heap.h>
#include <amphi/printk.h>
#include <amphi/string.h>
#include <amphi/spinlock.h>
#include <amphi/paging.h>
#include <amphi/layout.h>
#include <amphi/platform.h>
#include <amphi/kmap.h>
#include <asm/io.h>
#include "pci_ids.h"

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA 0xcfc

static spinlock_t cfg_lock = SPINLOCK_INIT("pci-cfg");
static struct pci_dev *dev_list, **dev_tail = &dev_list;

struct pci_dev *pci_devices(void) { return dev_list; }

static uint32_t cfg_addr(uint8_t bus, uint8_t slot, uint8_t fn, unsigned off)
{
	return 0x80000000u | ((uint32_t)bus << 16) | ((uint32_t)slot << 11) |
	       ((uint32_t)fn << 8) | (off & 0xfc);
}

/* ECAM (from the MCFG): base of segment 0, its bus range; the window. */
#define ECAM_VA (MMIO_BASE + 0xf000u)
static uint64_t ecam_base;
static unsigned ecam_bus_first, ecam_bus_last;
static uint64_t ecam_mapped = ~0ull;

/* The window over one function's 4 KiB; cfg_lock held. */
static volatile uint8_t *ecam_fn(uint8_t bus, uint8_t slot, uint8_t fn)
{
	uint64_t pa = ecam_base + ((uint64_t)(bus - ecam_bus_first) << 20) + ((uint32_t)slot << 15) +
		      ((uint32_t)fn << 12);
	if (pa != ecam_mapped) {
		if (paging_map(ECAM_VA, pa, PTE_P | PTE_RW | PTE_PCD | PTE_PWT | pte_nx | pte_global))
			return 0;
		ecam_mapped = pa;
	}
	return (volatile uint8_t *)ECAM_VA;
}

static int use_ecam(uint8_t bus)
{
	return ecam_base && bus >= ecam_bus_first && bus <= ecam_bus_last;
}

static uint32_t raw_read32(uint8_t bus, uint8_t slot, uint8_t fn, unsigned off)
{
	uint32_t v;
	irqflags_t f = spin_lock_irqsave(&cfg_lock);
	volatile uint8_t *w = use_ecam(bus) ? ecam_fn(bus, slot, fn) : 0;
	if (w) {
		v = *(volatile uint32_t *)(w + (off & 0xffc));
	} else {
		outl(CONFIG_ADDRESS, cfg_addr(bus, slot, fn, off));
		v = inl(CONFIG_DATA);
	}
	spin_unlock_irqrestore(&cfg_lock, f);
	return v;
}

static void raw_write32(uint8_t bus, uint8_t slot, uint8_t fn, unsigned off, uint32_t v)
{
	irqflags_t f = spin_lock_irqsave(&cfg_lock);
	volatile uint8_t *w = use_ecam(bus) ? ecam_fn(bus, slot, fn) : 0;
	if (w) {
		*(volatile uint32_t *)(w + (off & 0xffc)) = v;
	} else {
		outl(CONFIG_ADDRESS, cfg_addr(bus, slot, fn, off));
		outl(CONFIG_DATA, v);
	}
	spin_unlock_irqrestore(&cfg_lock, f);
}

/* MCFG: 36-byte header, 8 reserved, then 16-byte entries (base, segment,
 * first bus, last bus).  Only segment 0 is used. */
static void mcfg_init(void)
{
	uint64_t pa = acpi_find_table("MCFG");
	uint8_t hdr[36], e[16];
	if (!pa || phys_read(hdr, pa, sizeof(hdr)))
		return;
	uint32_t len = hdr[4] | hdr[5] << 8 | hdr[6] << 16 | (uint32_t)hdr[7] << 24;
	for (uint32_t off = 44; off + 16 <= len && off < 44 + 16 * 16; off += 16) {
		if (phys_read(e, pa + off, sizeof(e)))
			return;
		uint64_t base = 0;
		for (int i = 7; i >= 0; i--)
			base = base << 8 | e[i];
		uint16_t seg = (uint16_t)(e[8] | e[9] << 8);
		if (seg != 0 || !base || e[11] < e[10])
			continue;
		ecam_base = base;
		ecam_bus_first = e[10];
		ecam_bus_last = e[11];
		/* Check it answers like the legacy ports before trusting it. */
		uint32_t legacy_id;
		outl(CONFIG_ADDRESS, cfg_addr(ecam_bus_first, 0, 0, 0));
		legacy_id = inl(CONFIG_DATA);
		if (raw_read32(ecam_bus_first, 0, 0, 0) != legacy_id) {
			printk("pci: MCFG ECAM at %#llx disagrees with the legacy ports: not used\n",
			       (unsigned long long)base);
			ecam_base = 0;
			return;
		}
		printk("pci: ECAM at %#llx for buses %u-%u (ACPI MCFG)\n", (unsigned long long)base,
		       ecam_bus_first, ecam_bus_last);
		return;
	}
}

uint32_t pci_read32(const struct pci_dev *d, unsigned off)
{
	return raw_read32(d->bus, d->slot, d->fn, off);
}

uint16_t pci_read16(const struct pci_dev *d, unsigned off)
{
	return (uint16_t)(pci_read32(d, off) >> ((off & 2) * 8));
}

uint8_t pci_read8(const struct pci_dev *d, unsigned off)
{
	return (uint8_t)(pci_read32(d, off) >> ((off & 3) * 8));
}

void pci_write32(const struct pci_dev *d, unsigned off, uint32_t v)
{
	raw_write32(d->bus, d->slot, d->fn, off, v);
}

/* Sub-word writes: read-modify-write of the dword (registers written this
 * way here have no write-1-to-clear bits in the other bytes, except the
 * status register, which is masked out). */
void pci_write16(const struct pci_dev *d, unsigned off, uint16_t v)
{
	uint32_t old = pci_read32(d, off & ~3u), sh = (off & 2) * 8;
	if ((off & ~3u) == PCI_COMMAND)
		old &= 0xffff;          /* never write back status bits (RW1C) */
	pci_write32(d, off & ~3u, (old & ~(0xffffu << sh)) | ((uint32_t)v << sh));
}

void pci_write8(const struct pci_dev *d, unsigned off, uint8_t v)
{
	uint32_t old = pci_read32(d, off & ~3u), sh = (off & 3) * 8;
	if ((off & ~3u) == PCI_COMMAND)
		old &= 0xffff;
	pci_write32(d, off & ~3u, (old & ~(0xffu << sh)) | ((uint32_t)v << sh));
}

void pci_enable(struct pci_dev *d)
{
	uint16_t cmd = pci_read16(d, PCI_COMMAND);
	for (int i = 0; i < 6; i++)
		if (d->bar[i].size)
			cmd |= d->bar[i].is_io ? PCI_CMD_IO : PCI_CMD_MEM;
	pci_write16(d, PCI_COMMAND, cmd | PCI_CMD_MASTER);
}

uint8_t pci_find_cap(const struct pci_dev *d, uint8_t id, uint8_t start)
{
	if (!(pci_read16(d, PCI_STATUS) & PCI_STATUS_CAPS))
		return 0;
	uint8_t p = start ? pci_read8(d, start + 1) : pci_read8(d, PCI_CAP_PTR);
	for (int guard = 0; p >= 0x40 && guard < 48; guard++) {
		p &= 0xfc;
		if (pci_read8(d, p) == id)
			return p;
		p = pci_read8(d, p + 1);
	}
	return 0;
}

/* ---- MMIO mappings: the device window of the kernel layout ---- */

#define MMIO_WIN_BASE (MMIO_BASE + 0x10000u)       /* LAPIC and I/O APICs below */
#define MMIO_WIN_END (MMIO_BASE + 0x100000u)
static uintptr_t mmio_next = MMIO_WIN_BASE;

volatile void *mmio_map(uint64_t phys, uint32_t size)
{
	uint64_t first = phys & ~(uint64_t)0xfff;
	uint32_t pages = (uint32_t)((phys + size - first + 0xfff) >> 12);
	if (!size || mmio_next + (uintptr_t)pages * 0x1000u > MMIO_WIN_END) {
		printk("pci: MMIO window full, cannot map %#llx (+%u)\n", (unsigned long long)phys, size);
		return 0;
	}
	uintptr_t va = mmio_next;
	for (uint32_t i = 0; i < pages; i++)
		if (paging_map(va + i * 0x1000u, first + i * 0x1000u,
			       PTE_P | PTE_RW | PTE_PCD | PTE_PWT | pte_nx | pte_global)) {
			printk("pci: no memory for the page tables of %#llx\n", (unsigned long long)phys);
			return 0;
		}
	mmio_next += (uintptr_t)pages * 0x1000u;
	return (volatile void *)(va + (uintptr_t)(phys - first));
}

volatile void *pci_map_bar(struct pci_dev *d, int bar)
{
	struct pci_bar *b = &d->bar[bar];
	if (bar < 0 || bar > 5 || !b->size || b->is_io)
		return 0;
	if (!b->va) {
		/* A BAR may be large (framebuffers); the registers drivers use
		 * sit in the first 64 KiB of the ones they map here. */
		uint32_t len = b->size > 0x10000 ? 0x10000u : (uint32_t)b->size;
		b->va = mmio_map(b->base, len);
	}
	return b->va;
}

/* ---- enumeration ---- */

/* Sizes BAR i (decoding off meanwhile); returns how many BAR slots it used. */
static int probe_bar(struct pci_dev *d, int i)
{
	unsigned off = PCI_BAR0 + 4 * i;
	struct pci_bar *b = &d->bar[i];
	uint32_t lo = pci_read32(d, off);
	uint16_t cmd = pci_read16(d, PCI_COMMAND);
	pci_write16(d, PCI_COMMAND, cmd & ~(PCI_CMD_IO | PCI_CMD_MEM));
	pci_write32(d, off, 0xffffffffu);
	uint32_t mlo = pci_read32(d, off);
	pci_write32(d, off, lo);
	int used = 1;
	if (lo & 1) {
		b->is_io = 1;
		b->base = lo & ~3u;
		uint32_t m = mlo & ~3u & 0xffff;
		b->size = m ? (~m & 0xffff) + 1 : 0;
	} else {
		b->prefetch = !!(lo & 8);
		b->is_64 = ((lo >> 1) & 3) == 2;
		uint64_t base = lo & ~0xfu, mask = mlo & ~0xfu;
		if (b->is_64 && i < 5) {
			uint32_t hi = pci_read32(d, off + 4);
			pci_write32(d, off + 4, 0xffffffffu);
			uint32_t mhi = pci_read32(d, off + 4);
			pci_write32(d, off + 4, hi);
			base |= (uint64_t)hi << 32;
			mask |= (uint64_t)mhi << 32;
			used = 2;
		} else {
			mask |= 0xffffffff00000000ull;
		}
		b->base = base;
		b->size = mask ? ~mask + 1 : 0;
	}
	pci_write16(d, PCI_COMMAND, cmd);
	if (!b->base)
		b->size = 0;            /* not assigned by the firmware */
	return used;
}

static void add_function(uint8_t bus, uint8_t slot, uint8_t fn, uint32_t id)
{
	struct pci_dev *d = kzalloc(sizeof(*d));
	if (!d)
		return;
	d->bus = bus;
	d->slot = slot;
	d->fn = fn;
	d->vendor = id & 0xffff;
	d->device = id >> 16;
	uint32_t cr = pci_read32(d, PCI_CLASS_REV);
	d->class_code = cr >> 24;
	d->subclass = cr >> 16;
	d->prog_if = cr >> 8;
	d->revision = cr;
	d->irq_line = pci_read8(d, PCI_INTERRUPT_LINE);
	d->irq_pin = pci_read8(d, PCI_INTERRUPT_PIN);
	d->irq_mode = "none";
	snprintf(d->name, sizeof(d->name), "%02x:%02x.%x", bus, slot, fn);
	if ((pci_read8(d, PCI_HEADER_TYPE) & 0x7f) == 0)
		for (int i = 0; i < 6;)
			i += probe_bar(d, i);
	*dev_tail = d;
	dev_tail = &d->next;
}

static void scan_bus(uint8_t bus, int depth);

static void scan_slot(uint8_t bus, uint8_t slot, int depth)
{
	uint32_t id = raw_read32(bus, slot, 0, 0);
	if ((id & 0xffff) == 0xffff)
		return;
	int multi = (raw_read32(bus, slot, 0, 0x0c) >> 16) & 0x80;
	for (uint8_t fn = 0; fn < (multi ? 8 : 1); fn++) {
		id = raw_read32(bus, slot, fn, 0);
		if ((id & 0xffff) == 0xffff)
			continue;
		add_function(bus, slot, fn, id);
		uint32_t hdr = (raw_read32(bus, slot, fn, 0x0c) >> 16) & 0x7f;
		if (hdr == 1 && depth < 8) {           /* PCI-to-PCI bridge */
			uint8_t sec = (uint8_t)(raw_read32(bus, slot, fn, 0x18) >> 8);
			if (sec > bus)
				scan_bus(sec, depth + 1);
		}
	}
}

static void scan_bus(uint8_t bus, int depth)
{
	for (uint8_t slot = 0; slot < 32; slot++)
		scan_slot(bus, slot, depth);
}

static void print_device(const struct pci_dev *d)
{
	char line[256];
	size_t n = snprintf(line, sizeof(line), "pci: %s %s [%02x%02x]: %s %04x:%04x (rev %02x)", d->name,
			    pci_class_name(d->class_code, d->subclass), d->class_code, d->subclass,
			    pci_vendor_name(d->vendor), d->vendor, d->device, d->revision);
	for (int i = 0; i < 6 && n < sizeof(line) - 48; i++)
		if (d->bar[i].size)
			n += snprintf(line + n, sizeof(line) - n, " bar%d=%s%#llx+%#llx", i,
				      d->bar[i].is_io ? "io:" : "", (unsigned long long)d->bar[i].base,
				      (unsigned long long)d->bar[i].size);
	if (d->irq_pin && n < sizeof(line) - 24)
		snprintf(line + n, sizeof(line) - n, " irq %c line %u", 'A' + d->irq_pin - 1, d->irq_line);
	printk("%s\n", line);
}

extern const struct pci_driver pci_driver_table[];

static int driver_matches(const struct pci_driver *drv, const struct pci_dev *d)
{
	return (drv->vendor == PCI_ANY || drv->vendor == d->vendor) &&
	       (drv->device == PCI_ANY || drv->device == d->device) &&
	       (drv->class_code < 0 || drv->class_code == d->class_code) &&
	       (drv->subclass < 0 || drv->subclass == d->subclass);
}

void pci_init(void)
{
	if (dev_list)
		return;
	if (!platform->owns_pci) {
		printk("pci: not probed under %s (its disks come through blkfront)\n", platform->name);
		return;
	}
	if (raw_read32(0, 0, 0, 0) == 0xffffffffu && raw_read32(0, 1, 0, 0) == 0xffffffffu) {
		printk("pci: no host bridge answers on ports 0xcf8/0xcfc: no PCI\n");
		return;
	}
	mcfg_init();
	if (!ecam_base)
		printk("pci: configuration mechanism #1 (ports 0xcf8/0xcfc)\n");
	uint32_t hdr = (raw_read32(0, 0, 0, 0x0c) >> 16) & 0xff;
	if (hdr & 0x80) {       /* several host bridges: one bus each */
		for (uint8_t fn = 0; fn < 8; fn++)
			if ((raw_read32(0, 0, fn, 0) & 0xffff) != 0xffff)
				scan_bus(fn, 0);
	} else {
		scan_bus(0, 0);
	}
	int count = 0;
	for (struct pci_dev *d = dev_list; d; d = d->next, count++)
		print_device(d);
	printk("pci: %d functions\n", count);
	for (struct pci_dev *d = dev_list; d; d = d->next)
		for (const struct pci_driver *drv = pci_driver_table; drv->name; drv++)
			if (driver_matches(drv, d) && drv->probe(d) == 0) {
				d->driver = drv;
				break;
			}
}
