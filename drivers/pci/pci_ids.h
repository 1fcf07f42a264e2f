/* Names for the boot log's lspci-style lines (drivers/pci/pci.c). */
#ifndef DRIVERS_PCI_IDS_H
#define DRIVERS_PCI_IDS_H
#include <stdint.h>

static inline const char *pci_vendor_name(uint16_t v)
{
	switch (v) {
	case 0x8086: return "Intel";
	case 0x1af4: return "Red Hat (virtio)";
	case 0x1b36: return "Red Hat (QEMU)";
	case 0x1234: return "QEMU";
	case 0x10ec: return "Realtek";
	case 0x1022: return "AMD";
	case 0x10de: return "NVIDIA";
	case 0x15ad: return "VMware";
	case 0x5853: return "XenSource";
	}
	return "vendor";
}

static inline const char *pci_class_name(uint8_t cls, uint8_t sub)
{
	switch (cls) {
	case 0x01:
		switch (sub) {
		case 0x00: return "SCSI controller";
		case 0x01: return "IDE controller";
		case 0x06: return "SATA controller";
		case 0x08: return "NVM controller";
		}
		return "Mass storage controller";
	case 0x02: return "Ethernet controller";
	case 0x03: return "VGA compatible controller";
	case 0x06:
		switch (sub) {
		case 0x00: return "Host bridge";
		case 0x01: return "ISA bridge";
		case 0x04: return "PCI bridge";
		}
		return "Bridge";
	case 0x0c:
		return sub == 0x05 ? "SMBus" : sub == 0x03 ? "USB controller" : "Serial bus controller";
	case 0xff: return "Unassigned class";
	}
	return cls == 0x00 && sub == 0x00 ? "Non-VGA unclassified device" : "Device";
}
#endif
