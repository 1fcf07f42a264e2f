# Files: cpio initrd, ramfs, devices, pipes, /proc, the VFS (kernel/vfs.c,
# kernel/path.c) and their system calls (fs/syscalls.o: needs the process
# core, kernel/user.mk, for proc_current, uaccess and the .syscalls table).
obj-y += fs/cpio.o fs/ramfs.o fs/devices.o fs/pipe.o kernel/vfs.o kernel/path.o fs/syscalls.o
# /proc (read-only, synthesised from the process list: include/amphi/procfs.h).
obj-y += fs/procfs.o fs/procfs_fmt.o
