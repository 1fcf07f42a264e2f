/*
 * The root file system PID 1 starts in.  Without amphi.root= it is the
 * initrd (boot module 0) unpacked into the ramfs, as before.  With
 * amphi.root=/dev/NAME (or NAME: vda1, sda1, any block device the drivers
 * found) that device's ext2 is mounted on "/" over the ramfs; the ramfs
 * stays underneath for /dev and /proc (kernel/mount.c keeps their routes),
 * so the disk needs neither.  amphi.rootflags=ro mounts it read-only.
 *
 * A missing device or a refused mount is said on the console with the
 * reason; the initrd, when there is one, is the root then, else there is
 * nothing to start and amphi powers off (under amphi.test, with a result
 * line).  At power-off the disk root is unmounted when nothing holds it
 * open (clean state on disk), else synced.
 */
#include "../fs/mount.h"
#include <amphi/blkdev.h>
#include <amphi/boot.h>
#include <amphi/cmdline.h>
#include <amphi/errno.h>
#include <amphi/platform.h>
#include <amphi/printk.h>
#include <amphi/rootfs.h>
#include <amphi/string.h>
#include <amphi/test.h>

static const char *why(int err)
{
	switch (err) {
	case -ENXIO: return "no such block device";
	case -EUCLEAN: return "corrupt ext2 (the reason is above)";
	case -EINVAL: return "not an ext2 file system";
	case -EIO: return "I/O error";
	case -ENOMEM: return "out of memory";
	default: return "mount failed";
	}
}

int rootfs_setup(const char *cmdline)
{
	char name[32], flags[16];
	if (!cmdline_get(cmdline, "amphi.root", name, sizeof(name)) || !name[0])
		return boot_info.nr_modules != 0;
	/* /dev/console, /dev/null and /proc's directory come from vfs_init
	 * even without an initrd (it is a no-op when the initrd did it). */
	vfs_init_from_boot();
	int ro = cmdline_get(cmdline, "amphi.rootflags", flags, sizeof(flags)) && !strcmp(flags, "ro");
	struct blkdev *dev = blkdev_lookup(name);
	int err = dev ? mount_attach("/", "ext2", dev, ro) : -ENXIO;
	if (!err) {
		printk(KERN_NOTICE "rootfs: / is ext2 on /dev/%s (%s)\n", dev->name, ro ? "ro" : "rw");
		return 1;
	}
	printk(KERN_ERR "rootfs: cannot mount %s as /: %s (error %d)\n", name, why(err), err);
	if (boot_info.nr_modules) {
		printk(KERN_ERR "rootfs: staying on the initrd\n");
		return 1;
	}
	printk(KERN_EMERG "rootfs: no root file system and no initrd: nothing to run; powering off\n");
	if (test_running)
		test_finish(TEST_FAILURE, "amphi.root: no root file system and no initrd");
	platform->power_off();
	return 0;
}

void rootfs_shutdown(void)
{
	if (!mount_root_on_disk())
		return;
	int err = mount_detach_root();
	if (err == -EBUSY)
		printk(KERN_NOTICE "rootfs: / is still open: synced, left mounted\n");
	else if (err)
		printk(KERN_ERR "rootfs: unmounting / failed (error %d)\n", err);
}
