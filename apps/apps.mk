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
APPS_bench-disk    := apps/bench_disk.c
APPS_NAMES := init proc-test syscall-fuzz echo-args crash bench-syscall stack-overflow kentry-jump bench-disk
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
