/* The PCI driver table: the first entry that matches a function and whose
 * probe() returns 0 owns it (drivers/pci/pci.c).  Order: specific ids first. */
#include <amphi/pci.h>

const struct pci_driver pci_driver_table[] = {
	/* virtio: every id 0x1000-0x107f; the probe takes block devices and
	 * refuses legacy-only ones with a message. */
	{ "virtio", 0x1af4, PCI_ANY, -1, -1, virtio_pci_probe },
	/* AHCI: class 01, subclass 06, prog-if 01 (checked by the probe) */
	{ "ahci", PCI_ANY, PCI_ANY, 0x01, 0x06, ahci_probe },
	/* Intel 8254x Ethernet (the probe checks its device ids) */
	{ "e1000", 0x8086, PCI_ANY, 0x02, 0x00, e1000_probe },
	{ 0, 0, 0, 0, 0, 0 },
};
