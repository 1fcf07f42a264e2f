/* virtio 1.x over PCI: the transport (drivers/virtio/virtio.h). */
#include "virtio.h"
#include <amphi/printk.h>
#include <amphi/frame.h>
#include <amphi/layout.h>
#include <amphi/string.h>
#include <amphi/timer.h>

#define CAP_COMMON 1
#define CAP_NOTIFY 2
#define CAP_ISR 3
#define CAP_DEVICE 4

/* Common configuration layout (virtio 1.x 4.1.4.3). */
#define C_DFSELECT 0x00
#define C_DF 0x04
#define C_GFSELECT 0x08
#define C_GF 0x0c
#define C_MSIX 0x10
#define C_NUMQ 0x12
#define C_STATUS 0x14
#define C_Q_SELECT 0x16
#define C_Q_SIZE 0x18
#define C_Q_MSIX 0x1a
#define C_Q_ENABLE 0x1c
#define C_Q_NOFF 0x1e
#define C_Q_DESC 0x20
#define C_Q_DRIVER 0x28
#define C_Q_DEVICE 0x30

#define R8(o) (*(volatile uint8_t *)(v->common + (o)))
#define R16(o) (*(volatile uint16_t *)(v->common + (o)))
#define R32(o) (*(volatile uint32_t *)(v->common + (o)))

static volatile uint8_t *cap_map(struct pci_dev *d, uint8_t cap)
{
	uint8_t bar = pci_read8(d, cap + 4);
	uint32_t off = pci_read32(d, cap + 8), len = pci_read32(d, cap + 12);
	if (bar > 5 || !d->bar[bar].size || d->bar[bar].is_io || off + (uint64_t)len > d->bar[bar].size)
		return 0;
	if (off + (uint64_t)len > 0x10000)
		return 0;
	volatile uint8_t *base = pci_map_bar(d, bar);
	return base ? base + off : 0;
}

int virtio_pci_init(struct virtio_dev *v, struct pci_dev *d)
{
	memset(v, 0, sizeof(*v));
	v->pci = d;
	for (uint8_t cap = pci_find_cap(d, PCI_CAP_VENDOR, 0); cap;
	     cap = pci_find_cap(d, PCI_CAP_VENDOR, cap)) {
		uint8_t type = pci_read8(d, cap + 3);
		volatile uint8_t **slot = type == CAP_COMMON ? &v->common : type == CAP_NOTIFY ? &v->notify :
					  type == CAP_ISR ? &v->isr : type == CAP_DEVICE ? &v->cfg : 0;
		if (!slot || *slot)
			continue;       /* the first of each type is the preferred one */
		*slot = cap_map(d, cap);
		if (type == CAP_NOTIFY)
			v->notify_mult = pci_read32(d, cap + 16);
	}
	if (!v->common || !v->notify || !v->isr) {
		printk("virtio: %s %04x:%04x is a legacy-only (virtio 0.9) device: not supported; "
		       "amphi drives virtio 1.x devices (QEMU: disable-legacy=on or disable-modern=off)\n",
		       d->name, d->vendor, d->device);
		return -1;
	}
	v->type = d->device >= 0x1040 ? d->device - 0x1040u : pci_read16(d, 0x2e);
	return 0;
}

static int wait_reset(struct virtio_dev *v)
{
	R8(C_STATUS) = 0;
	uint64_t deadline = now_ns() + 1000000000ull;
	while (R8(C_STATUS) != 0)
		if (now_ns() > deadline)
			return -1;
	return 0;
}

void virtio_fail(struct virtio_dev *v)
{
	R8(C_STATUS) = R8(C_STATUS) | VIRTIO_STATUS_FAILED;
}

int virtio_negotiate(struct virtio_dev *v, uint64_t wanted)
{
	if (wait_reset(v)) {
		printk("virtio: %s: device does not reset (status reads %#x%s)\n", v->pci->name, R8(C_STATUS),
		       R8(C_STATUS) == 0xff ? ": its BAR is not reachable" : "");
		return -1;
	}
	R8(C_STATUS) = VIRTIO_STATUS_ACK;
	R8(C_STATUS) = VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER;
	R32(C_DFSELECT) = 0;
	uint64_t offered = R32(C_DF);
	R32(C_DFSELECT) = 1;
	offered |= (uint64_t)R32(C_DF) << 32;
	if (!(offered & (1ull << VIRTIO_F_VERSION_1))) {
		printk("virtio: %s: device does not offer VIRTIO_F_VERSION_1: refused\n", v->pci->name);
		virtio_fail(v);
		return -1;
	}
	v->features = offered & (wanted | (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_ACCESS_PLATFORM));
	R32(C_GFSELECT) = 0;
	R32(C_GF) = (uint32_t)v->features;
	R32(C_GFSELECT) = 1;
	R32(C_GF) = (uint32_t)(v->features >> 32);
	R8(C_STATUS) = VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK;
	if (!(R8(C_STATUS) & VIRTIO_STATUS_FEATURES_OK)) {
		printk("virtio: %s: device did not accept features %#llx (FEATURES_OK clear)\n",
		       v->pci->name, (unsigned long long)v->features);
		virtio_fail(v);
		return -1;
	}
	return 0;
}

unsigned virtio_num_queues(struct virtio_dev *v)
{
	return R16(C_NUMQ);
}

static void *dma_page(void)
{
	pfn_t pfn = frame_alloc(FRAME_LOW);
	if (pfn == PFN_NONE)
		return 0;
	void *p = phys_to_virt((uint64_t)pfn << PAGE_SHIFT);
	memset(p, 0, PAGE_SIZE);
	return p;
}

int virtio_queue_setup(struct virtio_dev *v, unsigned idx, unsigned max, struct virtq *q,
		       volatile uint16_t **notify)
{
	if (idx >= virtio_num_queues(v)) {
		printk("virtio: %s: device has %u queues, queue %u wanted\n", v->pci->name,
		       virtio_num_queues(v), idx);
		return -1;
	}
	R16(C_Q_SELECT) = (uint16_t)idx;
	unsigned size = R16(C_Q_SIZE);
	if (size == 0) {
		printk("virtio: %s: queue %u is not available\n", v->pci->name, idx);
		return -1;
	}
	if (max > VIRTQ_MAX_SIZE)
		max = VIRTQ_MAX_SIZE;
	if (size > max) {
		/* We may shrink it (split rings: a power of two). */
		unsigned p = 1;
		while (p * 2 <= max)
			p *= 2;
		size = p;
		R16(C_Q_SIZE) = (uint16_t)size;
	}
	void *desc = dma_page(), *avail = dma_page(), *used = dma_page();
	if (!desc || !avail || !used) {
		printk("virtio: %s: no memory for queue %u\n", v->pci->name, idx);
		return -1;
	}
	virtq_init(q, (uint16_t)size, desc, avail, used);
	uint64_t pd = virt_to_phys(desc), pa = virt_to_phys(avail), pu = virt_to_phys(used);
	R32(C_Q_DESC) = (uint32_t)pd;
	R32(C_Q_DESC + 4) = (uint32_t)(pd >> 32);
	R32(C_Q_DRIVER) = (uint32_t)pa;
	R32(C_Q_DRIVER + 4) = (uint32_t)(pa >> 32);
	R32(C_Q_DEVICE) = (uint32_t)pu;
	R32(C_Q_DEVICE + 4) = (uint32_t)(pu >> 32);
	const char *mode = v->pci->irq_mode;
	if (mode[0] == 'm' && mode[1] == 's' && mode[3] == 'x') {      /* "msix": entry 0 */
		R16(C_MSIX) = 0;
		R16(C_Q_MSIX) = 0;
		if (R16(C_Q_MSIX) == VIRTIO_NO_VECTOR)
			printk("virtio: %s: device has no MSI-X vector for queue %u: polled\n",
			       v->pci->name, idx);
	}
	*notify = (volatile uint16_t *)(v->notify + (uint32_t)R16(C_Q_NOFF) * v->notify_mult);
	R16(C_Q_ENABLE) = 1;
	return 0;
}

void virtio_driver_ok(struct virtio_dev *v)
{
	R8(C_STATUS) = R8(C_STATUS) | VIRTIO_STATUS_DRIVER_OK;
}

uint8_t virtio_isr(struct virtio_dev *v)
{
	return *v->isr;
}

/* The PCI driver table's entry (drivers/pci/pci_drivers.c): a modern
 * device goes to the driver of its type. */
int virtio_pci_probe(struct pci_dev *d)
{
	if (d->device < 0x1000 || d->device > 0x107f)
		return -1;
	struct virtio_dev vd;
	if (virtio_pci_init(&vd, d))
		return -1;
	if (vd.type == 1) {
		pci_enable(d);
		return virtio_net_attach(d, &vd) ? -1 : 0;
	}
	if (vd.type != 2) {
		printk("virtio: %s: device type %u: no driver\n", d->name, vd.type);
		return -1;
	}
	pci_enable(d);
	return virtio_blk_attach(d, &vd) ? -1 : 0;
}
