/*
 * PCI (drivers/pci/): configuration access (ECAM from the ACPI MCFG when
 * present, else the legacy 0xCF8/0xCFC ports), bus enumeration, BARs,
 * capabilities, and interrupts (MSI-X, MSI, or INTx through the I/O APIC).
 *
 * Drivers list themselves in the table in drivers/pci/pci_drivers.c (by
 * vendor/device or by class); pci_init() enumerates every bus, prints an
 * lspci-style line per function and calls the first matching probe().
 */
#ifndef AMPHI_PCI_H
#define AMPHI_PCI_H
#include <stdint.h>

#define PCI_ANY 0xffffu

/* Configuration space registers and capability ids used here. */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_CLASS_REV 0x08
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_SECONDARY_BUS 0x19
#define PCI_CAP_PTR 0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d
#define PCI_CMD_IO 0x1
#define PCI_CMD_MEM 0x2
#define PCI_CMD_MASTER 0x4
#define PCI_CMD_INTX_DISABLE 0x400
#define PCI_STATUS_CAPS 0x10
#define PCI_CAP_MSI 0x05
#define PCI_CAP_VENDOR 0x09
#define PCI_CAP_MSIX 0x11

struct pci_bar {
	uint64_t base;          /* bus address (= physical on PCs) */
	uint64_t size;          /* 0: not implemented */
	int is_io, is_64, prefetch;
	volatile void *va;      /* memory BARs, once pci_map_bar mapped them */
};

struct pci_dev {
	uint16_t seg;
	uint8_t bus, slot, fn;
	uint16_t vendor, device;
	uint8_t class_code, subclass, prog_if, revision;
	uint8_t irq_line, irq_pin;
	struct pci_bar bar[6];
	const struct pci_driver *driver;
	struct pci_dev *next;
	/* interrupts (pci_irq_setup) */
	const char *irq_mode;   /* "msix", "msi", "intx", "none" */
	uint8_t vector;
	void (*irq_fn)(void *arg);
	void *irq_arg;
	struct pci_dev *irq_next;       /* others sharing the vector (INTx) */
	char name[16];          /* "00:04.0" */
};

struct pci_driver {
	const char *name;
	uint16_t vendor, device;        /* PCI_ANY: any */
	int class_code, subclass;       /* -1: any */
	int (*probe)(struct pci_dev *d);   /* 0 when the driver took the device */
};

void pci_init(void);
/* The probes in the driver table (drivers/pci/pci_drivers.c). */
int virtio_pci_probe(struct pci_dev *d);
int ahci_probe(struct pci_dev *d);
int e1000_probe(struct pci_dev *d);
struct pci_dev *pci_devices(void);      /* the list, in bus order */

uint8_t pci_read8(const struct pci_dev *d, unsigned off);
uint16_t pci_read16(const struct pci_dev *d, unsigned off);
uint32_t pci_read32(const struct pci_dev *d, unsigned off);
void pci_write8(const struct pci_dev *d, unsigned off, uint8_t v);
void pci_write16(const struct pci_dev *d, unsigned off, uint16_t v);
void pci_write32(const struct pci_dev *d, unsigned off, uint32_t v);

/* Turns on memory / I/O decoding and bus mastering (DMA). */
void pci_enable(struct pci_dev *d);
/* Maps a memory BAR uncached; its virtual address, or NULL. */
volatile void *pci_map_bar(struct pci_dev *d, int bar);
/* Capability walk: the offset of the first capability id at or after
 * (start == 0: from the list head), 0 if none.  Loops are cut off. */
uint8_t pci_find_cap(const struct pci_dev *d, uint8_t id, uint8_t start);
/* One interrupt for the device: MSI-X (entry 0; all entries get the same
 * vector), else MSI, else INTx routed through the I/O APIC from the
 * interrupt line register.  fn runs in interrupt context (the EOI is sent
 * after it).  Returns 0 with d->irq_mode set, or -1 ("none": poll). */
int pci_irq_setup(struct pci_dev *d, void (*fn)(void *arg), void *arg);
/* Maps MMIO registers (any physical range) uncached; NULL when the window is full. */
volatile void *mmio_map(uint64_t phys, uint32_t size);
#endif
