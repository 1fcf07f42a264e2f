# User space for amphi: static i386 musl programs and the initrd.
# Included from the top Makefile (`include apps/apps.mk`); uses its BUILD and Q.
#
#   make $(BUILD)/initrd.cpio   the initrd: apps, Debian's busybox, /bad ELF files
#   make apps                   only the programs, in $(BUILD)/apps/
#   make check-userland         host-side checks of all of it (tests/userland/check-apps)
#
# The programs are built with i386-linux-musl-gcc (musl-tools:i386), static,
# non-PIE ET_EXEC; echo-args is also built as a static PIE (echo-args-pie).

BUILD ?= build
APPS_OUT := $(BUILD)/apps
APPS_CC ?= i386-linux-musl-gcc
APPS_CFLAGS ?= -O2 -Wall -Wextra -Werror
APPS_MUSL_LIB ?= /usr/lib/i386-linux-musl

# program name -> source
APPS_init          := apps/init.c
APPS_proc-test     := apps/proc_test.c
APPS_syscall-fuzz  := apps/fuzz_syscalls.c
APPS_echo-args     := apps/echo_args.c
APPS_crash         := apps/crash.c
APPS_bench-syscall := apps/bench_syscall.c
APPS_stack-overflow := apps/stack_overflow.c
APPS_kentry-jump   := apps/kentry_jump.c
APPS_sys-test      := apps/sys_test.c
APPS_pattern       := apps/pattern.c
APPS_net-test      := apps/net_test.c
APPS_bench-lm      := apps/bench_lm.c
APPS_bench-init    := apps/bench_init.c
APPS_bench-disk    := apps/bench_disk.c
APPS_net-echo      := apps/net_echo.c
APPS_raw-check     := apps/raw_check.c
APPS_NAMES := init proc-test syscall-fuzz echo-args crash bench-syscall stack-overflow kentry-jump sys-test pattern net-test bench-lm bench-init bench-disk net-echo raw-check
APPS_BINS  := $(addprefix $(APPS_OUT)/,$(APPS_NAMES) echo-args-pie)

# install the toolchain first when the top Makefile has its deps stamp
APPS_ORDER := $(if $(DEPS_STAMP),| $(DEPS_STAMP))

.PHONY: apps check-userland
apps: $(APPS_BINS)

define APPS_RULE
$(APPS_OUT)/$(1): $(APPS_$(1)) apps/apps.mk $(APPS_ORDER)
	@mkdir -p $$(dir $$@)
	@echo "  APPCC   $$@"
	$$(Q)$$(APPS_CC) -static $$(APPS_CFLAGS) -MMD -MP -MT $$@ -MF $$@.d -o $$@ $$<
endef
$(foreach a,$(APPS_NAMES),$(eval $(call APPS_RULE,$(a))))

# Static PIE: musl-gcc's specs always link Scrt1.o and name an interpreter,
# so the start files (rcrt1.o self-relocates) and the link mode are spelled out.
$(APPS_OUT)/echo-args-pie: apps/echo_args.c apps/apps.mk $(APPS_ORDER)
	@mkdir -p $(dir $@)
	@echo "  APPCC   $@ (static-pie)"
	$(Q)$(APPS_CC) -fPIE $(APPS_CFLAGS) -MMD -MP -MT $@ -MF $@.d -nostartfiles -static-pie \
		-Wl,-Bstatic -Wl,--no-dynamic-linker -Wl,-z,text \
		$(APPS_MUSL_LIB)/rcrt1.o $(APPS_MUSL_LIB)/crti.o $$($(APPS_CC) -print-file-name=crtbeginS.o) \
		$< $$($(APPS_CC) -print-file-name=crtendS.o) $(APPS_MUSL_LIB)/crtn.o -o $@

# Malformed ELF files for the loader (and their EXPECT list)
$(BUILD)/bad/EXPECT: tools/mkbad-elf
	@echo "  MKBAD   $(BUILD)/bad/"
	$(Q)rm -rf $(BUILD)/bad && python3 tools/mkbad-elf $(BUILD)/bad

# The initrd: newc cpio, owner root, sorted, fixed mtimes (reproducible).
# busybox comes from Debian's busybox-static:i386 at build time (tools/mkinitrd).
$(BUILD)/initrd.cpio: $(APPS_BINS) $(BUILD)/bad/EXPECT tools/mkinitrd apps/apps.mk \
		$(wildcard /var/lib/dpkg/info/busybox-static.list /var/lib/dpkg/info/busybox-static:i386.list)
	@echo "  INITRD  $@"
	$(Q)tools/mkinitrd --apps $(APPS_OUT) --bad $(BUILD)/bad --work $(BUILD)/initrd-root -o $@

check-userland: $(BUILD)/initrd.cpio
	tests/userland/check-apps $(BUILD)

-include $(wildcard $(APPS_OUT)/*.d)

# ---- EXTRA=DIR: the user's own files in the initrd ----
# `make run EXTRA=DIR` (and the check and bench targets) boot
# $(BUILD)/initrd-extra.cpio: the initrd above with DIR's tree on top
# (tools/mkinitrd --extra: DIR/trusted/x becomes /trusted/x, a kernel-mode
# application; a file the base also has is replaced by the user's, with a
# note).  DIR is relative to this directory, or absolute.  The initrd is
# rebuilt when anything in DIR changes (a listing of DIR, rewritten only
# when it differs); $(BUILD)/initrd.cpio itself stays as it is.  The test
# runners get the image through AMPHI_INITRD (tests/boot/qemu_run.py).
ifneq ($(strip $(EXTRA)),)
EXTRA_DIR := $(abspath $(EXTRA))
ifneq ($(words $(EXTRA_DIR)),1)
$(error EXTRA=$(EXTRA): a directory name with spaces is not supported)
endif
ifeq ($(wildcard $(EXTRA_DIR)/.),)
$(error EXTRA=$(EXTRA): no such directory ($(EXTRA_DIR)))
endif
# EXTRA_INITRD: where it goes (tests/boot/extra puts its own elsewhere).
EXTRA_INITRD ?= $(BUILD)/initrd-extra.cpio
INITRD := $(EXTRA_INITRD)
EXTRA_LIST := $(EXTRA_INITRD:.cpio=.list)
$(shell mkdir -p $(dir $(EXTRA_LIST)) && { echo '$(EXTRA_DIR)'; (cd '$(EXTRA_DIR)' && find . -printf '%P %y %m %s %T@ %l\n' | \
          LC_ALL=C sort); } > $(EXTRA_LIST).new && \
        { cmp -s $(EXTRA_LIST).new $(EXTRA_LIST) && rm -f $(EXTRA_LIST).new || mv $(EXTRA_LIST).new $(EXTRA_LIST); })
$(INITRD): $(APPS_BINS) $(BUILD)/bad/EXPECT tools/mkinitrd apps/apps.mk $(EXTRA_LIST) \
		$(wildcard /var/lib/dpkg/info/busybox-static.list /var/lib/dpkg/info/busybox-static:i386.list)
	@echo "  INITRD  $@ (with EXTRA=$(EXTRA))"
	$(Q)tools/mkinitrd --apps $(APPS_OUT) --bad $(BUILD)/bad --work $(EXTRA_INITRD:.cpio=-root) \
		--extra $(EXTRA_DIR) -o $@
export AMPHI_INITRD := $(abspath $(INITRD))
else
INITRD := $(BUILD)/initrd.cpio
endif
.PHONY: initrd
initrd: $(INITRD)
