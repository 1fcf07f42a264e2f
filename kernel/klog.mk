# The kernel log: the ring (pure) and syslog(2) with dmesg's actions.
obj-y += kernel/klog_ring.o kernel/sys_klog.o
