# amphi BIOS boot path (boot/bios/): boot sector, real-mode setup, disk image.
# Included from the top Makefile.  Produces:
#   $(BUILD)/boot/bootsect.bin  512-byte boot sector (linked at 0x7C00)
#   $(BUILD)/boot/setup.bin     real-mode setup (linked at 0x8000, <= 63 sectors)
#   $(BUILD)/amphi.img          raw BIOS-bootable disk image (tools/mkimg)
# BIOS_CMDLINE sets the image's initial command line (default: empty);
# `tools/mkimg --set-cmdline IMG STR` changes it later in place.

CROSS ?= i686-linux-gnu-
BUILD ?= build
BIOS_CMDLINE ?=

BIOS_BOOT_DEPS := include/amphi/bios_boot.h boot/bios/bios.ld boot/bios/bios.mk

$(BUILD)/boot/bios-bootsect.o: boot/bios/bootsect.S $(BIOS_BOOT_DEPS)
	@mkdir -p $(dir $@)
	$(CROSS)gcc -m32 -Iinclude -c $< -o $@

$(BUILD)/boot/bios-setup.o: boot/bios/setup.S $(BIOS_BOOT_DEPS)
	@mkdir -p $(dir $@)
	$(CROSS)gcc -m32 -Iinclude -c $< -o $@

$(BUILD)/boot/bootsect.elf: $(BUILD)/boot/bios-bootsect.o boot/bios/bios.ld
	$(CROSS)ld -m elf_i386 -T boot/bios/bios.ld --defsym=BIOS_ORG=0x7c00 --defsym=BIOS_MAX=512 -o $@ $<

$(BUILD)/boot/setup.elf: $(BUILD)/boot/bios-setup.o boot/bios/bios.ld
	$(CROSS)ld -m elf_i386 -T boot/bios/bios.ld --defsym=BIOS_ORG=0x8000 --defsym=BIOS_MAX=32256 -o $@ $<

$(BUILD)/boot/bootsect.bin: $(BUILD)/boot/bootsect.elf
	$(CROSS)objcopy -O binary -j .text $< $@

$(BUILD)/boot/setup.bin: $(BUILD)/boot/setup.elf
	$(CROSS)objcopy -O binary -j .text $< $@

$(BUILD)/amphi.img: $(BUILD)/amphi.bin $(BUILD)/boot/bootsect.bin $(BUILD)/boot/setup.bin tools/mkimg
	tools/mkimg $(BUILD)/amphi.bin $(BUILD)/boot/bootsect.bin $(BUILD)/boot/setup.bin $@ --cmdline '$(BIOS_CMDLINE)'

.PHONY: bios-boot
bios-boot: $(BUILD)/boot/bootsect.bin $(BUILD)/boot/setup.bin
