# PCI, virtio, AHCI and the block layer (drivers/README).
obj-$(CONFIG_KERNEL_TESTS) += tests/kernel/test_disk.o
obj-y += drivers/pci/pci.o drivers/pci/pci_irq.o drivers/pci/pci_drivers.o \
         drivers/virtio/virtio_pci.o drivers/virtio/virtq.o drivers/virtio/virtio_blk.o drivers/net/virtio_net.o drivers/net/e1000.o \
         drivers/ahci/ahci.o \
         drivers/block/blkdev.o drivers/block/blk_io.o drivers/block/bcache.o \
         drivers/block/partition.o drivers/block/crc32.o drivers/block/blk_file.o drivers/block/sync.o

# The disk tier of make check (tests/disk/run) and the disk benchmark
# (tests/bench/disk: amphi against Debian's Linux, numbers only).
CHECK_PARTS += check-disk
.PHONY: check-disk bench-disk
check-disk: all $(BUILD)/initrd.cpio
	tests/disk/run
bench-disk: all $(BUILD)/initrd.cpio
	tests/bench/disk $(BENCH_DISK_ARGS)
