/*
 * netfront's xenbus half (netfront.h): one thread per device/vif/N.
 * The MAC comes from the front end's own directory (the toolstack writes
 * it there).  Initialising; once the back end (Linux netback) waits in
 * InitWait, its feature-rx-copy is required (frames copied into our pages:
 * the only receive mode netback still has); the rings, the buffers and the
 * event channel are made and published in one transaction with what this
 * front end asks for (rx copy, rx notifications) and does without (no
 * scatter-gather, no GSO, no checksum offload: lwIP computes checksums);
 * Connected, as Linux's netfront (netback connects when the front end
 * does).  Once the back end is Connected too, the device registers as the
 * next ethN and its link goes up.  When the back end goes (xl
 * network-detach) the link goes down for good, the front end says Closed
 * and, once the back end has let go, the grants end.
 */
#include "netfront.h"
#include <xenfront/netif_wire.h>
#include <xenfront/xenstore.h>
#include <amphi/errno.h>
#include <amphi/heap.h>
#include <amphi/printk.h>
#include <amphi/sched.h>
#include <amphi/string.h>
#include <xen/io/xenbus.h>

static int read_mac(struct netfront *f)
{
	char path[96], val[32];
	snprintf(path, sizeof(path), "%s/mac", f->xd->node);
	int n = xs_read(0, path, val, sizeof(val));
	if (n < 0) {
		printk("netfront: %s: cannot read mac: %d: device left unconnected\n", f->xd->node, n);
		return n;
	}
	if (netif_parse_mac(val, f->nd.mac)) {
		printk("netfront: %s: mac is \"%s\", not a unicast MAC address: device left unconnected\n",
		       f->xd->node, val);
		return -EINVAL;
	}
	return 0;
}

/* feature-rx-copy must be 1: without it a back end would flip pages. */
static int check_backend(struct netfront *f)
{
	char path[192];
	uint64_t v;
	snprintf(path, sizeof(path), "%s/feature-rx-copy", f->xd->backend);
	int r = xenbus_read_u64(f->xd, path, "feature-rx-copy", &v);
	if (r == -ENOENT || (!r && v != 1)) {
		printk("netfront: %s: the back end offers no feature-rx-copy (netfront needs it): "
		       "device left unconnected\n", f->xd->node);
		return -EINVAL;
	}
	return r;
}

static int publish(struct netfront *f)
{
	char tx[16], rx[16], ev[16];
	snprintf(tx, sizeof(tx), "%d", f->tx_ring.gref);
	snprintf(rx, sizeof(rx), "%d", f->rx_ring.gref);
	snprintf(ev, sizeof(ev), "%d", f->port);
	const char *keys[] = { "tx-ring-ref", "rx-ring-ref", "event-channel", "request-rx-copy",
			       "feature-rx-notify", "feature-sg", "feature-gso-tcpv4", "feature-no-csum-offload" };
	const char *vals[] = { tx, rx, ev, "1", "1", "0", "0", "1" };
	return xenbus_publish(f->xd, keys, vals, (int)(sizeof(keys) / sizeof(keys[0])));
}

void netfront_thread(void *arg)
{
	struct xenbus_dev *d = arg;
	struct netfront *f = kzalloc(sizeof(*f));
	int once = 0, registered = 0, rings = 0, s;
	char feats[256];
	if (!f) {
		printk("netfront: %s: out of memory\n", d->node);
		xenbus_settle_done(&once);
		thread_exit();
	}
	f->xd = d;
	f->port = -1;
	if (read_mac(f))
		goto out;
	xenbus_set_state(d, XenbusStateInitialising);
	if (xenbus_wait_backend(d, 1u << XenbusStateInitWait | 1u << XenbusStateConnected, "InitWait") < 0 ||
	    check_backend(f))
		goto out;
	xenbus_features(d, feats, sizeof(feats));
	rings = 1;
	if (netfront_rings_init(f) || publish(f))
		goto out;
	xenbus_set_state(d, XenbusStateConnected);
	if (xenbus_wait_backend(d, 1u << XenbusStateConnected, "Connected") < 0)
		goto out;
	f->nd.mtu = 1500;
	f->nd.priv = f;
	f->nd.xmit = netfront_xmit;
	if ((s = netdev_register(&f->nd)) != 0) {
		printk("netfront: %s: cannot register a network device: %d\n", d->node, s);
		goto out;
	}
	registered = 1;
	/* Frames go to lwIP only now that its netif exists; whatever came
	 * before waits on the ring and is taken here. */
	f->connected = 1;
	netfront_reap(f);
	printk("netfront: %s: %s, rings of %u, event channel %d (back end features: %s)\n", d->node,
	       f->nd.name, NETFRONT_RING, f->port, feats);
	netdev_link(&f->nd, 1);
	xenbus_settle_done(&once);
	/* Until the back end goes (no time-out: a device may live forever). */
	s = xenbus_wait_closing(d);
	printk("netfront: %s: back end is %s: %s link down for good\n", d->node,
	       s < 0 ? "gone" : xenbus_state_name(s), f->nd.name);
	netdev_link(&f->nd, 0);
	f->connected = 0;
	xenbus_close(d, s);
out:
	xenbus_settle_done(&once);
	if (rings) {
		int kept = netfront_teardown(f);
		if (kept)
			printk("netfront: %s: %d grant(s) still used by the back end: kept, never reused\n",
			       d->node, kept);
	}
	xenbus_set_state(d, XenbusStateClosed);
	printk("netfront: %s: closed\n", d->node);
	/* A registered device stays in the network's tables (link down), and
	 * so does f, which it points to. */
	if (!registered)
		kfree(f);
	thread_exit();
}
