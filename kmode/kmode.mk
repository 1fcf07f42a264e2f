# Kernel-mode applications' policy (kmode/README.md): which programs are
# trusted, the switch, exec preparation, the stack guard and watchdog.
# The CPU side (entry stubs, the alias page, task gates, frames) is
# arch/x86/kmode.c and arch/x86/kmode_entry.S, listed in kernel/user.mk.
obj-y += kmode/kmode.o kmode/trust.o kmode/stack.o
