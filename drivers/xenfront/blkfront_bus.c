/*
 * blkfront's xenbus half (blkfront.h): one thread per device/vbd/N.
 * Initialising; once the back end (Linux blkback) waits in InitWait, the
 * ring page and event channel are made and ring-ref, event-channel and
 * protocol published in one transaction; Initialised; once the back end
 * is Connected its disk keys are read (blkback writes sectors, sector-size,
 * info and feature-flush-cache only when it connects), every one checked;
 * Connected, and the disk is registered with the block layer (/dev/xvda,
 * its partitions).  When the back end goes Closing or Closed (xl
 * block-detach) or vanishes, the disk is removed (its I/O fails with EIO),
 * the front end goes Closed, waits for the back end to let go of the
 * grants (it says Closed), and ends them.
 * xenfront_disks() (after the root file system exists, so that /dev nodes
 * can be made) starts the threads and waits until each disk is registered
 * or has failed (xenbus_wait_settled), so that PID 1 finds /dev/xvda.
 */
#include "blkfront.h"
#include <xenfront/xenstore.h>
#include <amphi/errno.h>
#include <amphi/heap.h>
#include <amphi/printk.h>
#include <amphi/sched.h>
#include <amphi/string.h>
#include <amphi/timer.h>
#include <amphi/wait.h>
#include <xen/io/protocols.h>
#include <xen/io/xenbus.h>

/* A key of the back end's directory; 0 with def when absent and optional. */
static int backend_u64(struct blkfront *f, const char *key, int optional, uint64_t def, uint64_t *out)
{
	char path[192];
	snprintf(path, sizeof(path), "%s/%s", f->xd->backend, key);
	int r = xenbus_read_u64(f->xd, path, key, out);
	if (r == -ENOENT && optional) {
		*out = def;
		return 0;
	}
	if (r == -ENOENT)
		printk("blkfront: %s: the back end wrote no %s: device left unconnected\n", f->xd->node, key);
	return r;
}

/* The disk's geometry and features from the connected back end; 0, or
 * -EINVAL after a message naming the key that is wrong. */
static int read_disk_keys(struct blkfront *f)
{
	uint64_t sectors, ssize, info, flush, barrier;
	if (backend_u64(f, "sectors", 0, 0, &sectors) || backend_u64(f, "sector-size", 1, 512, &ssize) ||
	    backend_u64(f, "info", 1, 0, &info) || backend_u64(f, "feature-flush-cache", 1, 0, &flush) ||
	    backend_u64(f, "feature-barrier", 1, 0, &barrier))
		return -EINVAL;
	if (ssize < 512 || ssize > 4096 || (ssize & (ssize - 1))) {
		printk("blkfront: %s: sector-size %llu is not 512, 1024, 2048 or 4096: device left unconnected\n",
		       f->xd->node, (unsigned long long)ssize);
		return -EINVAL;
	}
	/* blkif.h counts sectors in sector-size units, Linux blkback (whose
	 * sectors this is) and blkfront in 512-byte units: Linux's way. */
	if (!sectors || sectors > (1ull << 41)) {
		printk("blkfront: %s: sectors %llu: not a disk size: device left unconnected\n",
		       f->xd->node, (unsigned long long)sectors);
		return -EINVAL;
	}
	if (flush > 1 || barrier > 1 || info > 0xffff) {
		printk("blkfront: %s: feature-flush-cache %llu, feature-barrier %llu, info %#llx: "
		       "not what blkif.h allows: device left unconnected\n", f->xd->node,
		       (unsigned long long)flush, (unsigned long long)barrier, (unsigned long long)info);
		return -EINVAL;
	}
	f->bd.nr_sectors = sectors;
	f->bd.block_size = (uint32_t)ssize;
	f->bd.read_only = !!(info & VDISK_READONLY);
	f->flush_op = flush ? BLKIF_OP_FLUSH_DISKCACHE : barrier ? BLKIF_OP_WRITE_BARRIER : -1;
	return 0;
}

/* The name Linux gives the disk: xvd + the disk number of the Xen
 * virtual-device number (202 << 8 | disk << 4, or the extended form). */
static int disk_name(struct blkfront *f)
{
	char path[64];
	uint32_t vdev;
	snprintf(path, sizeof(path), "%s/virtual-device", f->xd->node);
	if (xenbus_read_uint(f->xd, path, "virtual-device", &vdev))
		return -EINVAL;
	unsigned disk;
	if (vdev & (1u << 28))
		disk = (vdev >> 8) & 0xfffff;
	else if ((vdev >> 8) == 202)
		disk = (vdev & 0xff) >> 4;
	else
		disk = (vdev & 0xff) >> 6;      /* hd/sd numbers: at least a distinct name */
	if (disk >= 26) {
		printk("blkfront: %s: virtual-device %u names disk %u: no xvd name for it\n", f->xd->node, vdev, disk);
		return -EINVAL;
	}
	f->handle = (uint16_t)vdev;
	snprintf(f->bd.name, sizeof(f->bd.name), "xvd%c", 'a' + disk);
	return 0;
}

static int publish_ring(struct blkfront *f)
{
	char rv[16], pv[16];
	snprintf(rv, sizeof(rv), "%d", f->ring_ref);
	snprintf(pv, sizeof(pv), "%d", f->port);
	const char *keys[] = { "ring-ref", "event-channel", "protocol" };
	const char *vals[] = { rv, pv, XEN_IO_PROTO_ABI_NATIVE };
	return xenbus_publish(f->xd, keys, vals, 3);
}

void blkfront_thread(void *arg)
{
	struct xenbus_dev *d = arg;
	struct blkfront *f = kzalloc(sizeof(*f));
	int once = 0, registered = 0, s;
	if (!f) {
		printk("blkfront: %s: out of memory\n", d->node);
		xenbus_settle_done(&once);
		thread_exit();
	}
	f->xd = d;
	f->ring_ref = f->port = -1;
	f->ring_pfn = PFN_NONE;
	if (disk_name(f))
		goto out;
	xenbus_set_state(d, XenbusStateInitialising);
	if (xenbus_wait_backend(d, 1u << XenbusStateInitWait | 1u << XenbusStateConnected, "InitWait") < 0)
		goto out;
	if (blkfront_ring_init(f) || publish_ring(f))
		goto out;
	xenbus_set_state(d, XenbusStateInitialised);
	if (xenbus_wait_backend(d, 1u << XenbusStateConnected, "Connected") < 0 || read_disk_keys(f))
		goto out;
	f->bd.max_segs = BLKIF_MAX_SEGMENTS_PER_REQUEST;
	f->bd.ops = &blkfront_ops;
	f->bd.driver = f;
	xenbus_set_state(d, XenbusStateConnected);
	printk("blkfront: %s: %s, %llu sectors (%llu MiB), sector %u%s, ring %u, %u segments, flush %s\n",
	       d->node, f->bd.name, (unsigned long long)f->bd.nr_sectors,
	       (unsigned long long)(f->bd.nr_sectors >> 11), f->bd.block_size,
	       f->bd.read_only ? ", read-only" : "", f->size, f->bd.max_segs,
	       f->flush_op == BLKIF_OP_FLUSH_DISKCACHE ? "flush-cache"
	       : f->flush_op == BLKIF_OP_WRITE_BARRIER ? "barrier" : "none");
	if (blkdev_register(&f->bd))
		goto out;
	registered = 1;
	xenbus_settle_done(&once);
	/* Until the back end goes (no time-out: a disk may live forever). */
	s = xenbus_wait_closing(d);
	printk("blkfront: %s: back end is %s: %s removed, its I/O fails with EIO\n", d->node,
	       s < 0 ? "gone" : xenbus_state_name(s), f->bd.name);
	f->closing = 1;
	blkdev_remove(&f->bd);
	/* blkback finishes what is in flight, then unmaps (xenbus_close). */
	xenbus_close(d, s);
out:
	xenbus_settle_done(&once);
	if (f->ring_pfn != PFN_NONE || f->port >= 0) {
		int kept = blkfront_teardown(f);
		if (kept)
			printk("blkfront: %s: %d grant(s) still used by the back end: kept, never reused\n",
			       d->node, kept);
	}
	xenbus_set_state(d, XenbusStateClosed);
	printk("blkfront: %s: closed\n", d->node);
	/* A registered disk stays in the block layer's tables (dead), and so
	 * does f, which it points to. */
	if (!registered)
		kfree(f);
	thread_exit();
}
