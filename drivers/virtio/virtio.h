/*
 * The virtio 1.x PCI transport (drivers/virtio/virtio_pci.c): finds the
 * common, notify, ISR and device configuration structures through the
 * vendor capabilities, negotiates features (VIRTIO_F_VERSION_1 required,
 * FEATURES_OK checked) and sets up split virtqueues.  Legacy-only
 * ("transitional" with disable-modern=on) devices are refused.
 */
#ifndef DRIVERS_VIRTIO_H
#define DRIVERS_VIRTIO_H
#include <stdint.h>
#include <amphi/pci.h>
#include "virtq.h"

#define VIRTIO_F_VERSION_1 32
/* The device's DMA goes through the platform's IOMMU (QEMU's
 * iommu_platform=on): addresses are bus addresses, which for amphi are its
 * physical ones, also as a Xen PVH dom0, whose IOMMU maps them. */
#define VIRTIO_F_ACCESS_PLATFORM 33
#define VIRTIO_STATUS_ACK 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_FAILED 0x80
#define VIRTIO_NO_VECTOR 0xffff

struct virtio_dev {
	struct pci_dev *pci;
	volatile uint8_t *common, *isr, *cfg, *notify;
	uint32_t notify_mult;
	unsigned type;                  /* 1: network, 2: block */
	uint64_t features;              /* negotiated */
};

/* Finds the structures; 0, or -1 (with a message) for a legacy-only device. */
int virtio_pci_init(struct virtio_dev *v, struct pci_dev *d);
/* Reset, ACK, DRIVER, features: wanted & offered (VERSION_1 must be
 * offered), FEATURES_OK read back.  0 or -1 (device marked FAILED). */
int virtio_negotiate(struct virtio_dev *v, uint64_t wanted);
/* Queue idx with at most max entries: allocates the rings, programs them,
 * enables the queue; *notify gets its doorbell.  0 or -1. */
int virtio_queue_setup(struct virtio_dev *v, unsigned idx, unsigned max, struct virtq *q,
		       volatile uint16_t **notify);
unsigned virtio_num_queues(struct virtio_dev *v);
void virtio_driver_ok(struct virtio_dev *v);
void virtio_fail(struct virtio_dev *v);
/* INTx: reads (and so clears) the ISR status. */
uint8_t virtio_isr(struct virtio_dev *v);
/* The device drivers (virtio_pci_probe picks one by device type). */
int virtio_blk_attach(struct pci_dev *d, struct virtio_dev *vd);
int virtio_net_attach(struct pci_dev *d, struct virtio_dev *vd);
#endif
