# Xen front ends as a domU: the xenstore client and its wire protocol, the
# control node.  (evtchn.o and evtchn_scan.o are listed in the Makefile.)
obj-$(CONFIG_PLATFORM_XEN) += drivers/xenfront/xs_wire.o drivers/xenfront/xenstore.o drivers/xenfront/control.o \
         drivers/xenfront/gnttab_core.o drivers/xenfront/gnttab.o drivers/xenfront/xenbus.o drivers/xenfront/xring.o \
         drivers/xenfront/blkfront.o drivers/xenfront/blkfront_bus.o \
         drivers/xenfront/netif_wire.o drivers/xenfront/netfront.o drivers/xenfront/netfront_bus.o
obj-$(and $(CONFIG_KERNEL_TESTS),$(CONFIG_PLATFORM_XEN)) += tests/kernel/test_xenstore.o
