# amphi: one x86 kernel image for bare metal, KVM and Xen.
#   make            build build/amphi.elf (PVH), build/amphi-mb.elf (Multiboot),
#                   build/amphi.img (BIOS disk image)
#   make run        boot in QEMU, serial console on this terminal
#   make debug      same, halted, with a gdb stub (prints the gdb command)
#   make check      unit, tools, userland, boot-matrix and Xen tiers; ends with
#                   "N passed, N failed, N skipped" and the skips (tests/README)
#   make iso        GRUB rescue ISO booting the Multiboot kernel
#   make bench      lmbench-style suite, amphi vs Linux (MODES=...); bench-all: every mode (tests/bench/bench.mk)
#   make menuconfig / defconfig

VERSION   := 0.1
CROSS     ?= i686-linux-gnu-
CC        := $(CROSS)gcc
LD        := $(CROSS)ld
OBJCOPY   := $(CROSS)objcopy
BUILD     ?= build
QEMU      ?= qemu-system-x86_64
# The i386 system emulator: its gdb stub speaks the 32-bit register set.
QEMU_DEBUG ?= qemu-system-i386
MEM       ?= 512M
KCONFIGLIB := /usr/lib/python3/dist-packages

DEPS_STAMP := $(BUILD)/.deps-ok
# V=1 shows full commands
Q := $(if $(V),,@)

.PHONY: all run debug check check-unit check-tools check-boot check-boot-kvm check-xen check-xen-domu check-xen-domu-full check-extra iso bench bench-xen bench-all \
        defconfig menuconfig clean deps
all: $(BUILD)/amphi.elf $(BUILD)/amphi-mb.elf $(BUILD)/amphi.img

# ---- dependencies: install what is missing once (tools/install-deps) ----
$(DEPS_STAMP): tools/install-deps
	@mkdir -p $(BUILD)
	tools/install-deps
	@touch $@
deps: $(DEPS_STAMP)

# ---- configuration ----
.config: | $(DEPS_STAMP)
	@cp configs/defconfig .config
	@echo "config: .config from configs/defconfig"
defconfig: $(DEPS_STAMP)
	cp configs/defconfig .config
menuconfig: $(DEPS_STAMP)
	KCONFIG_CONFIG=.config python3 $(KCONFIGLIB)/menuconfig.py Kconfig
include/generated/autoconf.h: .config Kconfig | $(DEPS_STAMP)
	@mkdir -p include/generated
	KCONFIG_CONFIG=.config python3 $(KCONFIGLIB)/genconfig.py --header-path $@ Kconfig

-include .config

# ---- kernel objects (platform code is chosen at boot; Kconfig only decides
#      which platforms are built in) ----
obj-y := boot/entry.o boot/pvh_note.o boot/boot_main.o \
         boot/bootinfo_common.o boot/bootinfo_bios.o boot/bootinfo_multiboot.o boot/bootinfo_pvh.o boot/bootinfo_xen_pv.o \
         arch/x86/gdt.o arch/x86/idt.o arch/x86/traps.o arch/x86/backtrace.o arch/x86/trap_entry.o \
         arch/x86/paging.o arch/x86/cpu.o arch/x86/setjmp.o arch/x86/pic.o \
         kernel/main.o kernel/printk.o kernel/console.o kernel/panic.o \
         kernel/cmdline.o kernel/acpi.o kernel/test.o \
         drivers/uart16550.o \
         mm/memmap.o mm/frame_alloc.o mm/frame.o mm/heap_core.o mm/heap.o mm/mm_init.o mm/kmap.o \
         lib/vsnprintf.o lib/string.o lib/pvclock.o lib/elf_note.o \
         pv/platform.o pv/native.o \
         hypercall/detect.o hypercall/cpuid_scan.o

obj-$(CONFIG_PLATFORM_XEN) += boot/xen_pv_entry.o pv/xen_pv.o pv/xen_pv_mmu_core.o pv/xen_multicall.o pv/xen_hvm.o pv/xen_console.o pv/xen_time.o hypercall/xen_hypercall.o \
         hypercall/xen_page.o drivers/xenfront/evtchn.o drivers/xenfront/evtchn_scan.o
obj-$(CONFIG_PLATFORM_KVM) += pv/kvm.o pv/kvm_time.o hypercall/kvm_hypercall.o
obj-$(and $(CONFIG_KERNEL_TESTS),$(CONFIG_PLATFORM_XEN)) += tests/kernel/test_evtchn.o tests/kernel/test_xen_pv.o
obj-$(CONFIG_KERNEL_TESTS) += tests/kernel/test_memmap.o tests/kernel/test_frames.o \
         tests/kernel/test_paging.o tests/kernel/test_traps.o tests/kernel/test_heap.o \
         tests/kernel/test_boot.o tests/kernel/test_platform.o tests/kernel/test_sched.o tests/kernel/test_time.o \
         tests/kernel/test_vfs.o

# Subsystems may list their objects in a fragment beside their sources.
-include $(sort $(wildcard arch/x86/*.mk kernel/*.mk pv/*.mk drivers/*.mk drivers/xenfront/*.mk fs/*.mk kmode/*.mk mm/*.mk net/*.mk))

OBJS := $(addprefix $(BUILD)/,$(obj-y))
MB_OBJS := $(OBJS) $(BUILD)/boot/multiboot_header.o

CFLAGS := -m32 -march=i686 -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie \
          -fno-stack-protector -fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
          -mgeneral-regs-only -mno-red-zone -fno-common \
          -Wall -Wextra -Werror -Wno-unused-parameter -Wstrict-prototypes -Wmissing-prototypes \
          -nostdinc -isystem $(shell $(CC) -print-file-name=include 2>/dev/null) \
          -Iinclude -I$(BUILD)/include -include include/generated/autoconf.h \
          -DAMPHI_VERSION=\"$(VERSION)\" -D__XEN_INTERFACE_VERSION__=0x00040d00 -MMD -MP
ASFLAGS := -m32 -D__ASSEMBLER__ -D__XEN_INTERFACE_VERSION__=0x00040d00 -nostdinc -Iinclude -I$(BUILD)/include -include include/generated/autoconf.h -MMD -MP
LIBGCC = $(shell $(CC) -m32 -print-libgcc-file-name)

# Xen's public interface comes from libxen-dev, reached as <xen/...>
$(BUILD)/include/xen: | $(DEPS_STAMP)
	@mkdir -p $(BUILD)/include
	ln -sfn /usr/include/xen $@

$(BUILD)/%.o: %.c include/generated/autoconf.h | $(BUILD)/include/xen
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -c $< -o $@
$(BUILD)/%.o: %.S include/generated/autoconf.h | $(BUILD)/include/xen
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@

$(BUILD)/amphi.elf: $(OBJS) arch/x86/kernel.ld
	@echo "  LD      $@"
	$(Q)$(LD) -m elf_i386 --no-warn-rwx-segments -z noexecstack -T arch/x86/kernel.ld -e pvh_start -o $@ $(OBJS) $(LIBGCC)
$(BUILD)/amphi-mb.elf: $(MB_OBJS) arch/x86/kernel.ld
	@echo "  LD      $@"
	$(Q)$(LD) -m elf_i386 --no-warn-rwx-segments -z noexecstack -T arch/x86/kernel.ld -e mb_start -o $@ $(MB_OBJS) $(LIBGCC)
# Does this host's KVM run 32-bit paged guests?  And amphi's detection,
# hypercall and pvclock code run without paging.  (tests/boot/probe/)
PROBE_OBJS := $(BUILD)/tests/boot/probe/kvm_probe_entry.o $(BUILD)/tests/boot/probe/kvm_probe.o \
              $(BUILD)/hypercall/cpuid_scan.o $(BUILD)/lib/pvclock.o $(BUILD)/lib/vsnprintf.o $(BUILD)/lib/string.o
$(BUILD)/paging-probe.elf: $(BUILD)/tests/boot/probe/paging_probe.o tests/boot/probe/probe.ld
	$(Q)$(LD) -m elf_i386 -T tests/boot/probe/probe.ld -o $@ $<
$(BUILD)/kvm-probe.elf: $(PROBE_OBJS) tests/boot/probe/probe.ld
	$(Q)$(LD) -m elf_i386 -T tests/boot/probe/probe.ld -o $@ $(PROBE_OBJS) $(LIBGCC)
PROBES := $(BUILD)/paging-probe.elf $(BUILD)/kvm-probe.elf

# Flat binary for the BIOS loader: starts at load address 0x100000.
$(BUILD)/amphi.bin: $(BUILD)/amphi.elf
	$(OBJCOPY) -O binary -R .notes $< $@

-include boot/bios/bios.mk
include apps/apps.mk

# ---- running ----
QEMU_COMMON := -nographic -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -m $(MEM)
# The initrd (apps/, busybox) is module 0: amphi starts /init from it, a shell.
# EXTRA=DIR adds DIR's tree to it (apps/apps.mk).
# CMDLINE reaches QEMU as typed (single-quoted; make does not expand its $ either).
QEMU_BOOT = -kernel $(BUILD)/amphi.elf -initrd $(INITRD) $(if $(CMDLINE),-append '$(subst ','\'',$(value CMDLINE))')
# DISK=img gives amphi a disk: virtio-blk (/dev/vda), or with DISK_BUS=ahci
# a SATA disk on q35's AHCI controller (/dev/sda).
DISK_DRIVE = -drive file=$(DISK),if=none,id=disk0,format=raw
DISK_DEV_ahci := -machine q35 -device ide-hd,drive=disk0,bus=ide.0
DISK_DEV_virtio := -device virtio-blk-pci,drive=disk0,disable-legacy=on
QEMU_DISK = $(if $(DISK),$(DISK_DRIVE) $(DISK_DEV_$(or $(DISK_BUS),virtio)))
# NET=user gives amphi a NIC (virtio-net, or NET_NIC=e1000) on QEMU's user
# network with restrict=on: the guest reaches nothing outside; HOSTFWD
# (default tcp:127.0.0.1:8080-:80) lets the host in.  amphi asks DHCP for
# 10.0.2.15 (amphi.ip= sets one).  No NET: no NIC at all.
HOSTFWD ?= tcp:127.0.0.1:8080-:80
NET_DEV_virtio := -device virtio-net-pci,netdev=net0,disable-legacy=on
NET_DEV_e1000 := -device e1000,netdev=net0
QEMU_NET_user = -netdev user,id=net0,restrict=on,hostfwd=$(HOSTFWD) $(NET_DEV_$(or $(NET_NIC),virtio))
QEMU_NET = $(or $(QEMU_NET_$(NET)),-nic none)
run: all $(INITRD)
	$(QEMU) $(QEMU_COMMON) $(QEMU_BOOT) $(QEMU_DISK) $(QEMU_NET)
debug: all $(INITRD)
	@echo "gdb stub on tcp::1234; attach with:"
	@echo "  gdb $(BUILD)/amphi.elf -ex 'target remote :1234'"
	$(QEMU_DEBUG) $(QEMU_COMMON) -s -S $(QEMU_BOOT)

iso: $(BUILD)/amphi.iso
$(BUILD)/amphi.iso: $(BUILD)/amphi-mb.elf tools/mkiso
	tools/mkiso $< $@

# ---- tests ----
# Every part runs, even after a failure; tests/summary then prints
# "N passed, N failed, N skipped" and the skipped cells (tests/README,
# "Results"). A new tier joins with `CHECK_PARTS += check-foo` in its *.mk.
# check-xen-domu (amphi as PVH and PV domU beside a Linux dom0) is in again
# since tools/xen-host runs Xen on one emulated CPU: with two, the nested
# dom0 died at about every twelfth PVH guest's build (tools/xen-host's
# comment); with one, 112 guests in a row and the --full tier (22 cells,
# 323 s) passed.  check-xen-domu-full stays a target of its own.
CHECK_PARTS += check-unit check-tools check-userland check-bench check-boot check-extra check-xen check-xen-domu
check:
	MAKE="$(MAKE)" tests/run-check $(BUILD)/test-results $(CHECK_PARTS)
check-tools:
	tests/tools/run
check-unit: $(DEPS_STAMP)
	$(MAKE) --no-print-directory -C tests/unit BUILD=$(abspath $(BUILD))/unit
check-boot: all $(PROBES) $(INITRD)
	tests/boot/matrix
check-boot-kvm: all $(PROBES) $(INITRD)
	tests/boot/matrix --accel kvm
check-xen: all $(INITRD)
	tests/xen/run-tier
# make run EXTRA=DIR with a freshly built program (tests/boot/extra)
check-extra: all $(BUILD)/initrd.cpio
	tests/boot/extra

# amphi as PVH and PV domU beside a Linux dom0 (tools/xen-host; docs/xen-domu.md)
check-xen-domu: all $(BUILD)/initrd.cpio
	tests/xen/domu

# ... and the longer domU cells (the other kmode cells as domU)
check-xen-domu-full: all $(BUILD)/initrd.cpio
	tests/xen/domu --full

include tests/bench/bench.mk

clean:
	rm -rf $(BUILD) include/generated

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
