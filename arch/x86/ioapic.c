/*
 * The MADT ("APIC" table) and the I/O APICs it lists.  At start every
 * redirection entry of every I/O APIC is masked; ioapic_route() unmasks one
 * GSI to a vector on this CPU (physical destination, fixed delivery).  The
 * 8259 pair stays remapped and masked (pic.c).
 */
#include <asm/ioapic.h>
#include <asm/lapic.h>
#include <amphi/acpi.h>
#include <amphi/kmap.h>
#include <amphi/paging.h>
#include <amphi/printk.h>

#define MADT_ENTRIES_OFF  44          /* after the SDT header, LAPIC address, flags */
#define MADT_PCAT_COMPAT  1u
#define MAX_OVERRIDES     16

#define IOREGSEL 0x00
#define IOWIN    0x10
#define IOAPIC_REG_VER   0x01
#define IOAPIC_REDTBL(n) (0x10 + 2 * (n))

#define RTE_MASKED      (1u << 16)
#define RTE_LEVEL       (1u << 15)
#define RTE_ACTIVE_LOW  (1u << 13)

struct ioapic {
	volatile uint32_t *mmio;
	uint64_t pa;
	uint32_t gsi_base, nr_pins;
	uint8_t id;
};

struct override {
	uint8_t irq;
	uint32_t gsi;
	uint16_t flags;      /* MPS INTI flags: bits 0-1 polarity, 2-3 trigger */
};

static struct ioapic ioapics[IOAPIC_MAX];
static int nr_ioapics;
static struct override overrides[MAX_OVERRIDES];
static int nr_overrides;
static uint64_t lapic_pa;
static uint32_t madt_flags;
static int madt_parsed;

static uint32_t io_read(struct ioapic *io, uint32_t reg)
{
	io->mmio[IOREGSEL / 4] = reg;
	return io->mmio[IOWIN / 4];
}

static void io_write(struct ioapic *io, uint32_t reg, uint32_t val)
{
	io->mmio[IOREGSEL / 4] = reg;
	io->mmio[IOWIN / 4] = val;
}

static uint32_t rd32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

static void madt_parse(void)
{
	if (madt_parsed)
		return;
	madt_parsed = 1;
	uint64_t pa = acpi_find_table("APIC");
	uint8_t hdr[MADT_ENTRIES_OFF];
	if (!pa || phys_read(hdr, pa, sizeof(hdr)) != 0)
		return;
	uint32_t len = rd32(hdr + 4);
	lapic_pa = rd32(hdr + 36);
	madt_flags = rd32(hdr + 40);
	for (uint32_t off = MADT_ENTRIES_OFF; off + 2 <= len;) {
		uint8_t e[16] = { 0 };
		if (phys_read(e, pa + off, 2) != 0 || e[1] < 2)
			break;
		uint8_t type = e[0], elen = e[1];
		phys_read(e, pa + off, elen < sizeof(e) ? elen : sizeof(e));
		if (type == 1 && elen >= 12 && nr_ioapics < IOAPIC_MAX) {
			struct ioapic *io = &ioapics[nr_ioapics++];
			io->id = e[2];
			io->pa = rd32(e + 4);
			io->gsi_base = rd32(e + 8);
		} else if (type == 1) {
			printk("ioapic: more than %d I/O APICs in the MADT; ignoring the rest\n", IOAPIC_MAX);
		} else if (type == 2 && elen >= 10 && nr_overrides < MAX_OVERRIDES) {
			struct override *o = &overrides[nr_overrides++];
			o->irq = e[3];
			o->gsi = rd32(e + 4);
			o->flags = (uint16_t)(e[8] | e[9] << 8);
		} else if (type == 5 && elen >= 12) {
			lapic_pa = rd32(e + 4) | (uint64_t)rd32(e + 8) << 32;
		}
		off += elen;
	}
}

uint64_t madt_lapic_addr(void)
{
	madt_parse();
	return lapic_pa;
}

int madt_has_8259(void)
{
	madt_parse();
	return !!(madt_flags & MADT_PCAT_COMPAT);
}

int ioapic_count(void) { return nr_ioapics; }

int ioapic_init(void)
{
	madt_parse();
	for (int i = 0; i < nr_ioapics; i++) {
		struct ioapic *io = &ioapics[i];
		uintptr_t va = IOAPIC_VA + i * 0x1000u;
		if (paging_map(va, io->pa, PTE_P | PTE_RW | PTE_PCD | PTE_PWT | pte_nx | pte_global) != 0) {
			printk("ioapic: no memory to map I/O APIC %u\n", io->id);
			nr_ioapics = i;
			break;
		}
		io->mmio = (volatile uint32_t *)(va + (uintptr_t)(io->pa & 0xfff));
		io->nr_pins = ((io_read(io, IOAPIC_REG_VER) >> 16) & 0xff) + 1;
		for (uint32_t p = 0; p < io->nr_pins; p++) {
			io_write(io, IOAPIC_REDTBL(p), RTE_MASKED);
			io_write(io, IOAPIC_REDTBL(p) + 1, 0);
		}
		printk("ioapic: id %u at %#llx, GSI %u-%u, all %u entries masked\n", io->id,
		       (unsigned long long)io->pa, io->gsi_base, io->gsi_base + io->nr_pins - 1,
		       io->nr_pins);
	}
	for (int i = 0; i < nr_overrides; i++)
		printk("ioapic: ISA IRQ %u -> GSI %u%s%s\n", overrides[i].irq, overrides[i].gsi,
		       (overrides[i].flags & 3) == 3 ? ", active low" : "",
		       ((overrides[i].flags >> 2) & 3) == 3 ? ", level" : "");
	return nr_ioapics;
}

uint32_t ioapic_isa_to_gsi(unsigned irq)
{
	for (int i = 0; i < nr_overrides; i++)
		if (overrides[i].irq == irq)
			return overrides[i].gsi;
	return irq;
}

static struct ioapic *find(uint32_t gsi, uint32_t *pin)
{
	for (int i = 0; i < nr_ioapics; i++)
		if (gsi >= ioapics[i].gsi_base && gsi < ioapics[i].gsi_base + ioapics[i].nr_pins) {
			*pin = gsi - ioapics[i].gsi_base;
			return &ioapics[i];
		}
	return 0;
}

int ioapic_route(uint32_t gsi, uint8_t vector)
{
	uint32_t pin;
	struct ioapic *io = find(gsi, &pin);
	if (!io)
		return -1;
	/* ISA defaults: edge, active high; PCI: level, active low. */
	int low = gsi >= 16, level = gsi >= 16;
	for (int i = 0; i < nr_overrides; i++)
		if (overrides[i].gsi == gsi) {
			unsigned pol = overrides[i].flags & 3, trig = (overrides[i].flags >> 2) & 3;
			low = pol == 3 ? 1 : pol == 1 ? 0 : overrides[i].irq >= 16;
			level = trig == 3 ? 1 : trig == 1 ? 0 : overrides[i].irq >= 16;
		}
	uint32_t lo = vector | (low ? RTE_ACTIVE_LOW : 0) | (level ? RTE_LEVEL : 0);
	io_write(io, IOAPIC_REDTBL(pin), RTE_MASKED);
	io_write(io, IOAPIC_REDTBL(pin) + 1, lapic_id() << 24);
	io_write(io, IOAPIC_REDTBL(pin), lo);
	return 0;
}

void ioapic_mask(uint32_t gsi)
{
	uint32_t pin;
	struct ioapic *io = find(gsi, &pin);
	if (io)
		io_write(io, IOAPIC_REDTBL(pin), io_read(io, IOAPIC_REDTBL(pin)) | RTE_MASKED);
}
