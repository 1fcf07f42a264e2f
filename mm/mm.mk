# File pages (include/amphi/filepages.h): the per-file page index (pure) and
# the kernel's frames for file data, with the reserve kept for the kernel.
obj-y += mm/page_index.o mm/filepages.o
obj-$(CONFIG_KERNEL_TESTS) += tests/kernel/test_filepages.o
