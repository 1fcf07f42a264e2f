/* The root file system for PID 1 (kernel/rootfs.c): the initrd, or an
 * ext2 disk named by amphi.root=. */
#ifndef AMPHI_ROOTFS_H
#define AMPHI_ROOTFS_H
/* After the drivers found the disks: mounts amphi.root= on "/".  1 when
 * there is a root to start init from (the disk, or the initrd the kernel
 * falls back on), 0 when there is none and nothing was asked for.  With
 * amphi.root= given and neither root usable it powers off. */
int rootfs_setup(const char *cmdline);
/* Before power-off: unmount the disk root (clean on disk) or sync it. */
void rootfs_shutdown(void);
#endif
