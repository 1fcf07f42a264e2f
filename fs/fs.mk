# Files: cpio initrd, ramfs, devices, pipes, the VFS (kernel/vfs.c,
# kernel/path.c) and their system calls (fs/syscalls.o: needs the process
# core, kernel/user.mk, for proc_current, uaccess and the .syscalls table).
obj-y += fs/cpio.o fs/ramfs.o fs/devices.o fs/pipe.o kernel/vfs.o kernel/path.o fs/syscalls.o
