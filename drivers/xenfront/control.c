/*
 * The toolstack's control node, /local/domain/<id>/control: `xl shutdown`
 * writes "poweroff" to control/shutdown, `xl reboot` "reboot", `xl sysrq X`
 * the key to control/sysrq.  amphi answers by clearing the node (so the
 * toolstack sees the request taken), syncing what the block layer holds
 * dirty, and powering off or rebooting through the platform; a sysrq key is
 * logged (amphi has no sysrq actions).  The feature-* keys tell libxl what
 * it may ask.
 */
#include <xenfront/xenfront.h>
#include <xenfront/xenstore.h>
#include <xenfront/gnttab.h>
#include <xenfront/xenbus.h>
#include <amphi/blkdev.h>
#include <amphi/platform.h>
#include <amphi/printk.h>
#include <amphi/string.h>

/* The block layer's sync, where it is built in (weak: absent otherwise). */
int bsync(struct blkdev *d) __attribute__((weak));

static void sync_all(void)
{
	if (bsync)
		printk("xen control: bsync: %d\n", bsync(0));
	else
		printk("xen control: nothing to sync (no block layer)\n");
}

static void on_shutdown(const char *path, const char *token, void *arg)
{
	(void)path; (void)token; (void)arg;
	char what[32];
	int n = xs_read(0, "control/shutdown", what, sizeof(what));
	if (n <= 0)
		return;          /* gone or empty: nothing asked (the watch's first firing) */
	/* Taken: clear it before acting, as the toolstack waits for that. */
	xs_write(0, "control/shutdown", "");
	if (!strcmp(what, "poweroff") || !strcmp(what, "halt")) {
		printk("xen control: shutdown requested (%s): syncing and powering off\n", what);
		sync_all();
		platform->power_off();
	} else if (!strcmp(what, "reboot")) {
		printk("xen control: reboot requested: syncing and rebooting\n");
		sync_all();
		platform->reboot();
	} else {
		printk("xen control: shutdown request \"%s\" not supported: ignored\n", what);
	}
}

static void on_sysrq(const char *path, const char *token, void *arg)
{
	(void)path; (void)token; (void)arg;
	char key[8];
	int n = xs_read(0, "control/sysrq", key, sizeof(key));
	if (n <= 0 || !key[0])
		return;
	printk("xen control: sysrq '%c' from the toolstack (logged; amphi has no sysrq actions)\n", key[0]);
	xs_write(0, "control/sysrq", "");
}

void xenfront_start(const struct xenfront_ops *ops, void *store_page, uint32_t store_port)
{
	int g = gnttab_init(ops);
	if (g)
		printk("gnttab: no grant table (%d): front ends that share memory stay off\n", g);
	if (xenstore_start(store_page, store_port))
		return;
	char name[64], domid[16];
	int a = xs_read(0, "name", name, sizeof(name));
	int b = xs_read(0, "domid", domid, sizeof(domid));
	if (a < 0 || b < 0) {
		printk("xenstore: cannot read own name/domid (%d, %d): front ends stay off\n", a, b);
		return;
	}
	printk("xenstore: domain \"%s\", domid %s\n", name, domid);
	static const char *const features[] = { "feature-poweroff", "feature-reboot", "feature-sysrq" };
	for (unsigned i = 0; i < sizeof(features) / sizeof(features[0]); i++) {
		char path[48];
		snprintf(path, sizeof(path), "control/%s", features[i]);
		xs_write(0, path, "1");
	}
	int r1 = xs_watch("control/shutdown", "control-shutdown", on_shutdown, 0);
	int r2 = xs_watch("control/sysrq", "control-sysrq", on_sysrq, 0);
	if (r1 || r2)
		printk("xen control: watches refused (%d, %d): xl shutdown will not be seen\n", r1, r2);
	else
		printk("xen control: watching control/shutdown and control/sysrq\n");
	xenbus_probe(g == 0);
}
