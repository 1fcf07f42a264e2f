# Processes and user mode: address spaces, ELF loader, system calls, ring 3 entry.
obj-y += mm/vm.o kernel/proc.o kernel/exec.o kernel/uaccess.o kernel/syscall.o kernel/sys_proc.o kernel/sys_itimer.o kernel/sys_poll.o \
         arch/x86/user_entry.o arch/x86/user.o \
         arch/x86/kmode.o arch/x86/kmode_entry.o
obj-$(CONFIG_KERNEL_TESTS) += tests/kernel/test_user.o
