/* xenbus front ends and the handshake (see xenfront/xenbus.h). */
#include <xenfront/xenbus.h>
#include <xenfront/xenstore.h>
#include <xenfront/gnttab.h>
#include <xenfront/evtchn.h>
#include <xenfront/xenfront.h>
#include <amphi/errno.h>
#include <amphi/frame.h>
#include <amphi/heap.h>
#include <amphi/layout.h>
#include <amphi/printk.h>
#include <amphi/sched.h>
#include <amphi/string.h>
#include <amphi/timer.h>
#include <amphi/wait.h>
#include <xen/io/xenbus.h>

#define HANDSHAKE_TIMEOUT_NS 10000000000ull

static const char *const state_names[] = {
	"Unknown", "Initialising", "InitWait", "Initialised", "Connected", "Closing", "Closed",
	"Reconfiguring", "Reconfigured",
};
const char *xenbus_state_name(int s)
{
	return s >= 0 && s < (int)(sizeof(state_names) / sizeof(state_names[0])) ? state_names[s] : "?";
}

int xenbus_read_u64(struct xenbus_dev *d, const char *path, const char *what, uint64_t *out)
{
	char buf[32];
	int n = xs_read(0, path, buf, sizeof(buf));
	if (n == -ENOENT)
		return n;
	if (n < 0) {
		printk("xenbus: %s: cannot read %s (%s): %d\n", d->node, what, path, n);
		return n;
	}
	uint64_t v = 0;
	int i = 0, over = 0;
	for (; buf[i] >= '0' && buf[i] <= '9'; i++) {
		if (v > (~0ull - 9) / 10)
			over = 1;
		v = v * 10 + (uint64_t)(buf[i] - '0');
	}
	if (i == 0 || buf[i] || over) {
		printk("xenbus: %s: %s is \"%s\", not a number: device left unconnected\n", d->node, what, buf);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

int xenbus_read_uint(struct xenbus_dev *d, const char *path, const char *what, uint32_t *out)
{
	uint64_t v;
	int r = xenbus_read_u64(d, path, what, &v);
	if (r == -ENOENT)
		printk("xenbus: %s: cannot read %s (%s): %d\n", d->node, what, path, r);
	if (r)
		return r;
	if (v > 0xffffffffull) {
		printk("xenbus: %s: %s is %llu, too large: device left unconnected\n", d->node, what,
		       (unsigned long long)v);
		return -EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}

int xenbus_set_state(struct xenbus_dev *d, int state)
{
	char path[64], v[4];
	snprintf(path, sizeof(path), "%s/state", d->node);
	snprintf(v, sizeof(v), "%d", state);
	return xs_write(0, path, v);
}

int xenbus_backend_state(struct xenbus_dev *d)
{
	char path[160];
	uint32_t s;
	snprintf(path, sizeof(path), "%s/state", d->backend);
	return xenbus_read_uint(d, path, "the back end's state", &s) ? -1 : (int)s;
}

static void on_backend_state(const char *path, const char *token, void *arg)
{
	(void)path; (void)token;
	struct xenbus_dev *d = arg;
	d->changes++;
	wake_all(&d->wq);
}

int xenbus_wait_backend(struct xenbus_dev *d, unsigned mask, const char *waiting_for)
{
	uint64_t deadline = now_ns() + HANDSHAKE_TIMEOUT_NS;
	int s;
	for (;;) {
		unsigned seen = d->changes;
		s = xenbus_backend_state(d);
		if (s < 0)
			return -EINVAL;
		if (mask & (1u << s))
			return s;
		if (!wait_event_until(&d->wq, d->changes != seen, deadline))
			break;
	}
	printk("xenbus: %s: back end %s stayed in state %d (%s) for %llu s, waiting for %s: giving up\n",
	       d->node, d->backend, s, xenbus_state_name(s), HANDSHAKE_TIMEOUT_NS / 1000000000ull, waiting_for);
	return -ETIMEDOUT;
}

int xenbus_wait_closing(struct xenbus_dev *d)
{
	int s;
	for (;;) {
		unsigned seen = d->changes;
		s = xenbus_backend_state(d);
		if (s == XenbusStateClosing || s == XenbusStateClosed || s < 0)
			return s;
		wait_event(&d->wq, d->changes != seen);
	}
}

void xenbus_close(struct xenbus_dev *d, int backend_state)
{
	xenbus_set_state(d, XenbusStateClosed);
	if (backend_state >= 0 && backend_state != XenbusStateClosed)
		xenbus_wait_backend(d, 1u << XenbusStateClosed, "Closed");
}

int xenbus_publish(struct xenbus_dev *d, const char *const *keys, const char *const *values, int n)
{
	char path[96];
	int rc, tries = 0;
	do {
		xs_tx_t tx;
		if ((rc = xs_transaction_start(&tx)) != 0)
			break;
		for (int i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "%s/%s", d->node, keys[i]);
			xs_write(tx, path, values[i]);
		}
		rc = xs_transaction_end(tx, 0);
	} while (rc == -EAGAIN && ++tries < 5);
	if (rc)
		printk("xenbus: %s: cannot publish %s...: %d\n", d->node, keys[0], rc);
	return rc;
}

void xenbus_features(struct xenbus_dev *d, char *out, unsigned size)
{
	char buf[512], path[192], val[32];
	const char *names[32];
	int n = xs_directory(0, d->backend, buf, sizeof(buf), names, 32);
	size_t len = 0;
	out[0] = 0;
	for (int i = 0; i < n; i++) {
		if (strncmp(names[i], "feature-", 8))
			continue;
		snprintf(path, sizeof(path), "%s/%s", d->backend, names[i]);
		if (xs_read(0, path, val, sizeof(val)) < 0)
			continue;
		len += (size_t)snprintf(out + len, len < size ? size - len : 0, "%s%s=%s", len ? " " : "", names[i], val);
	}
	if (!out[0])
		strlcpy(out, "none", size);
}

#define SETTLE_NS 25000000000ull        /* two handshake waits of 10 s, and some */

static volatile int starting;           /* devices neither ready nor failed */
static wait_queue_t settled_wq;
static int settle_inited;

void xenbus_settle_begin(void)
{
	if (!settle_inited) {
		wait_queue_init(&settled_wq, "xenbus-settle");
		settle_inited = 1;
	}
	__atomic_add_fetch(&starting, 1, __ATOMIC_SEQ_CST);
}

void xenbus_settle_done(int *once)
{
	if (*once)
		return;
	*once = 1;
	__atomic_sub_fetch(&starting, 1, __ATOMIC_SEQ_CST);
	wake_all(&settled_wq);
}

void xenbus_wait_settled(void)
{
	if (!settle_inited)
		return;
	if (!wait_event_until(&settled_wq, __atomic_load_n(&starting, __ATOMIC_SEQ_CST) == 0,
			      now_ns() + SETTLE_NS))
		printk("xenbus: %d device(s) still not connected after %llu s: going on without them\n",
		       starting, SETTLE_NS / 1000000000ull);
}

/*
 * The test front end "vamphi": shares one granted page and an event
 * channel with its back end (a script in dom0 in the domU tier), the way
 * blkfront and netfront share their rings.
 */
static void vamphi_thread(void *arg)
{
	struct xenbus_dev *d = arg;
	char feats[160];
	int ref = -1, port = -1;
	pfn_t page = PFN_NONE;
	xenbus_set_state(d, XenbusStateInitialising);
	int s = xenbus_wait_backend(d, 1u << XenbusStateInitWait | 1u << XenbusStateConnected, "InitWait");
	if (s < 0)
		goto fail;
	xenbus_features(d, feats, sizeof(feats));
	page = frame_alloc(FRAME_LOW);
	if (page == PFN_NONE)
		goto fail;
	memset(phys_to_virt((uint64_t)page << PAGE_SHIFT), 0, PAGE_SIZE);
	strlcpy(phys_to_virt((uint64_t)page << PAGE_SHIFT), "amphi front end page", PAGE_SIZE);
	if ((ref = gnttab_grant_access((uint16_t)d->backend_id, page, 0)) < 0) {
		printk("xenbus: %s: cannot grant the shared page: %d\n", d->node, ref);
		goto fail;
	}
	if ((port = evtchn_alloc_unbound((domid_t)d->backend_id, 0, 0)) < 0) {
		printk("xenbus: %s: cannot allocate an event channel: %d\n", d->node, port);
		goto fail;
	}
	/* ring-ref and event-channel together, as one transaction. */
	char rv[16], pv[16];
	snprintf(rv, sizeof(rv), "%d", ref);
	snprintf(pv, sizeof(pv), "%d", port);
	const char *keys[] = { "ring-ref", "event-channel" }, *vals[] = { rv, pv };
	int rc = xenbus_publish(d, keys, vals, 2);
	if (rc)
		goto fail;
	xenbus_set_state(d, XenbusStateInitialised);
	if ((s = xenbus_wait_backend(d, 1u << XenbusStateConnected, "Connected")) < 0)
		goto fail;
	xenbus_set_state(d, XenbusStateConnected);
	printk("xenbus: %s: connected (ring-ref %d, event channel %d; back end features: %s)\n",
	       d->node, ref, port, feats);
	/* Until the back end closes (no time-out: a device may live forever). */
	s = xenbus_wait_closing(d);
	printk("xenbus: %s: back end is %s: closing\n", d->node, s < 0 ? "gone" : xenbus_state_name(s));
	xenbus_set_state(d, XenbusStateClosing);
fail:
	if (port >= 0)
		evtchn_close((evtchn_port_t)port);
	if (ref >= 0) {
		rc = gnttab_end_access((uint32_t)ref);
		if (rc == 0 && page != PFN_NONE)
			frame_free(page);       /* a page still granted is never reused */
	} else if (page != PFN_NONE) {
		frame_free(page);
	}
	xenbus_set_state(d, XenbusStateClosed);
	printk("xenbus: %s: closed\n", d->node);
	thread_exit();
}

static void probe_one(const char *type, const char *id, int have_gnttab)
{
	struct xenbus_dev *d = kzalloc(sizeof(*d));
	if (!d)
		return;
	snprintf(d->node, sizeof(d->node), "device/%s/%s", type, id);
	wait_queue_init(&d->wq, "xenbus-dev");
	char path[96];
	snprintf(path, sizeof(path), "%s/backend", d->node);
	int n = xs_read(0, path, d->backend, sizeof(d->backend));
	if (n <= 0 || d->backend[0] != '/') {
		printk("xenbus: %s: backend path %s: device left unconnected\n", d->node,
		       n < 0 ? "unreadable" : "not absolute");
		kfree(d);
		return;
	}
	snprintf(path, sizeof(path), "%s/backend-id", d->node);
	if (xenbus_read_uint(d, path, "backend-id", &d->backend_id) || d->backend_id >= 0x7ff0) {
		if (d->backend_id >= 0x7ff0)
			printk("xenbus: %s: backend-id %u is not a domain\n", d->node, d->backend_id);
		kfree(d);
		return;
	}
	void (*fn)(void *) = !strcmp(type, "vamphi") ? vamphi_thread : !strcmp(type, "vbd") ? blkfront_thread
			     : !strcmp(type, "vif") ? netfront_thread : 0;
	if (!fn) {
		int s = xenbus_backend_state(d);
		printk("xenbus: %s: back end %s (domain %u, state %s): no driver\n", d->node, d->backend,
		       d->backend_id, xenbus_state_name(s));
		kfree(d);
		return;
	}
	if (!have_gnttab) {
		printk("xenbus: %s: no grant table: not started\n", d->node);
		kfree(d);
		return;
	}
	snprintf(path, sizeof(path), "%s/state", d->backend);
	if (xs_watch(path, d->node, on_backend_state, d)) {
		printk("xenbus: %s: cannot watch the back end\n", d->node);
		return;       /* d stays: the watch may still name it */
	}
	int settles = fn == blkfront_thread || fn == netfront_thread;
	if (settles)
		xenbus_settle_begin();  /* xenfront_disks waits for it */
	if (!thread_create(fn == blkfront_thread ? "blkfront" : fn == netfront_thread ? "netfront" : "xenbus-dev", fn, d)) {
		printk("xenbus: %s: cannot start its thread\n", d->node);
		if (settles) {
			int once = 0;
			xenbus_settle_done(&once);
		}
	}
}

/* -1 until xenbus_probe ran (no xenstore: no devices); then whether the
 * grant table is up. */
static int probed_gnttab = -1;

/* The devices of type only, or (only NULL) of every type but "vbd". */
static void probe_types(const char *only)
{
	char types[256], ids[256];
	const char *tv[16], *iv[16];
	int nt = xs_directory(0, "device", types, sizeof(types), tv, 16);
	if (nt == -ENOENT || nt == 0) {
		if (!only)
			printk("xenbus: no devices\n");
		return;
	}
	if (nt < 0) {
		printk("xenbus: cannot list device/: %d\n", nt);
		return;
	}
	for (int t = 0; t < nt; t++) {
		char path[64];
		snprintf(path, sizeof(path), "device/%s", tv[t]);
		/* device/suspend holds libxl's suspend event channel, not devices. */
		if (!strcmp(tv[t], "suspend") || (only ? strcmp(tv[t], only) : !strcmp(tv[t], "vbd")))
			continue;
		int ni = xs_directory(0, path, ids, sizeof(ids), iv, 16);
		for (int i = 0; i < ni; i++)
			probe_one(tv[t], iv[i], probed_gnttab);
	}
}

/* Disks wait for the root file system (their /dev nodes): xenfront_disks. */
void xenbus_probe(int have_gnttab)
{
	probed_gnttab = have_gnttab;
	probe_types(0);
}

void xenfront_disks(void)
{
	if (probed_gnttab < 0)
		return;
	probe_types("vbd");
	xenbus_wait_settled();
}
