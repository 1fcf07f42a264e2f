# Files: cpio initrd, ramfs, devices, pipes, /proc, the VFS (kernel/vfs.c,
# kernel/path.c) and their system calls (fs/syscalls.o: needs the process
# core, kernel/user.mk, for proc_current, uaccess and the .syscalls table).
obj-y += fs/cpio.o fs/ramfs.o fs/devices.o fs/pipe.o kernel/vfs.o kernel/path.o fs/syscalls.o
# /proc (read-only, synthesised from the process list: include/amphi/procfs.h).
obj-y += fs/procfs.o fs/procfs_fmt.o
# ext2 on the block layer (fs/ext2/, behind the mount seam fs/mount.h).
obj-y += fs/ext2/check.o fs/ext2/bmap.o fs/ext2/dirent.o fs/ext2/super.o fs/ext2/alloc.o \
	 fs/ext2/inode.o fs/ext2/dir.o fs/ext2/namei.o fs/ext2/file.o kernel/mount.o \
	 kernel/rootfs.o
