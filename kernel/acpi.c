/*
 * ACPI, only as far as amphi needs it: the RSDP (from the loader or the
 * BIOS areas), the RSDT/XSDT to find tables, and soft-off: write SLP_TYPa
 * from the DSDT's \_S5 package with SLP_EN to PM1a_CNT.  Tables are read
 * through phys_read(), since they may lie above the direct map.
 */
#include <amphi/acpi.h>
#include <amphi/kmap.h>
#include <amphi/printk.h>
#include <amphi/string.h>
#include <amphi/layout.h>
#include <asm/io.h>

struct rsdp {
	char sig[8];
	uint8_t checksum;
	char oem[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
	uint8_t xchecksum, _r[3];
} __attribute__((packed));

struct sdt_header {
	char sig[4];
	uint32_t length;
	uint8_t revision, checksum;
	char oem[6], oem_table[8];
	uint32_t oem_rev, creator, creator_rev;
} __attribute__((packed));

static uint64_t root_pa;       /* RSDT or XSDT */
static int root_is_xsdt;

static uint8_t sum(const void *p, size_t n)
{
	uint8_t s = 0;
	for (size_t i = 0; i < n; i++)
		s += ((const uint8_t *)p)[i];
	return s;
}

/* Scans [pa, pa+len) on 16-byte boundaries for a valid RSDP. */
static uint64_t scan_rsdp(uint64_t pa, uint32_t len)
{
	for (uint32_t off = 0; off + 20 <= len; off += 16) {
		const char *p = phys_to_virt(pa + off);
		if (!memcmp(p, "RSD PTR ", 8) && sum(p, 20) == 0)
			return pa + off;
	}
	return 0;
}

void acpi_init(uint64_t hint)
{
	struct rsdp r;
	uint64_t pa = hint;
	if (!pa) {
		uint16_t ebda_seg = *(uint16_t *)phys_to_virt(0x40e);
		if (ebda_seg)
			pa = scan_rsdp((uint64_t)ebda_seg << 4, 1024);
		if (!pa)
			pa = scan_rsdp(0xe0000, 0x20000);
	}
	if (!pa || phys_read(&r, pa, sizeof(r)) != 0 || memcmp(r.sig, "RSD PTR ", 8)) {
		printk("acpi: no RSDP found\n");
		return;
	}
	if (r.revision >= 2 && r.xsdt) {
		root_pa = r.xsdt;
		root_is_xsdt = 1;
	} else {
		root_pa = r.rsdt;
	}
	printk("acpi: RSDP at %#llx, %s at %#llx\n", (unsigned long long)pa,
	       root_is_xsdt ? "XSDT" : "RSDT", (unsigned long long)root_pa);
}

uint64_t acpi_find_table(const char sig[4])
{
	struct sdt_header h;
	if (!root_pa || phys_read(&h, root_pa, sizeof(h)) != 0)
		return 0;
	unsigned esz = root_is_xsdt ? 8 : 4;
	unsigned n = (h.length - sizeof(h)) / esz;
	for (unsigned i = 0; i < n; i++) {
		uint64_t entry = 0;
		struct sdt_header t;
		if (phys_read(&entry, root_pa + sizeof(h) + i * esz, esz) != 0 ||
		    phys_read(&t, entry, sizeof(t)) != 0)
			return 0;
		if (!memcmp(t.sig, sig, 4))
			return entry;
	}
	return 0;
}

/* FADT fields we use (offsets from the ACPI specification). */
#define FADT_DSDT      40
#define FADT_PM1A_CNT  64
#define FADT_PM1B_CNT  68

/*
 * Finds "_S5_" in the DSDT's AML and reads the first element of its
 * package: Name(_S5_, Package(){ SLP_TYPa, SLP_TYPb, ... }).  Returns -1
 * when not found.
 */
static int find_s5(uint64_t dsdt, uint32_t len)
{
	uint8_t buf[4096 + 16];
	for (uint32_t off = sizeof(struct sdt_header); off < len; off += 4096) {
		uint32_t n = len - off < sizeof(buf) ? len - off : sizeof(buf);
		if (phys_read(buf, dsdt + off, n) != 0)
			return -1;
		for (uint32_t i = 0; i + 10 < n; i++) {
			if (memcmp(buf + i, "_S5_", 4) || buf[i + 4] != 0x12)   /* PackageOp */
				continue;
			uint32_t j = i + 5;
			j += ((buf[j] >> 6) & 3) + 1;   /* PkgLength */
			j++;                             /* NumElements */
			if (buf[j] == 0x0a)              /* BytePrefix */
				j++;
			else if (buf[j] > 1)
				continue;                /* not a small integer */
			return buf[j];
		}
	}
	return -1;
}

void acpi_power_off(void)
{
	uint64_t fadt = acpi_find_table("FACP");
	uint32_t dsdt = 0, pm1a = 0, pm1b = 0;
	struct sdt_header dh;
	if (!fadt || phys_read(&dsdt, fadt + FADT_DSDT, 4) || phys_read(&pm1a, fadt + FADT_PM1A_CNT, 4) ||
	    phys_read(&pm1b, fadt + FADT_PM1B_CNT, 4) || !dsdt || !pm1a ||
	    phys_read(&dh, dsdt, sizeof(dh))) {
		printk("acpi: cannot power off (no FADT/DSDT)\n");
		return;
	}
	int slp_typ = find_s5(dsdt, dh.length);
	if (slp_typ < 0) {
		printk("acpi: cannot power off (no \\_S5 in the DSDT)\n");
		return;
	}
	outw((uint16_t)pm1a, (uint16_t)((slp_typ << 10) | (1 << 13)));
	if (pm1b)
		outw((uint16_t)pm1b, (uint16_t)((slp_typ << 10) | (1 << 13)));
	printk("acpi: power off did not take effect\n");
}
