/* The xenstore client as a Xen domU, against the real xenstored of the
 * test host's dom0 (tests/xen/domu): own name and domid; a key written here
 * that dom0 reads back (xenstore-read); a directory listing; Xen's ENOENT as
 * an errno; a transaction (retried on EAGAIN); permissions; and a watch
 * that reports the key dom0 writes (xenstore-write).  SKIPs without xenstore. */
#include <amphi/test.h>
#include <amphi/errno.h>
#include <amphi/string.h>
#include <amphi/timer.h>
#include <amphi/wait.h>
#include <xenfront/xenstore.h>

static wait_queue_t seen_wq = WAIT_QUEUE_INIT("xs-test");
static volatile int dom0_key_seen;
static char dom0_value[64];

static void on_dom0_key(const char *path, const char *token, void *arg)
{
	(void)arg;
	char v[64];
	int n = xs_read(0, "data/dom0-key", v, sizeof(v));
	printk("  watch %s fired: %s (value %s)\n", token, path, n >= 0 ? v : "none yet");
	if (n > 0) {
		strlcpy(dom0_value, v, sizeof(dom0_value));
		dom0_key_seen = 1;
		wake_all(&seen_wq);
	}
}

DEFINE_TEST(test_xenstore, "xenstore", "xenstore client: read, write, directory, errors, transaction, perms, watch (Xen domU)")
{
	if (!xenstore_ready())
		return test_report(TEST_SKIP, "no xenstore (not a Xen domU)");
	char name[64], domid[16], buf[256];
	int n = xs_read(0, "name", name, sizeof(name));
	CHECK(n > 0, "read name: %d", n);
	n = xs_read(0, "domid", domid, sizeof(domid));
	CHECK(n > 0, "read domid: %d", n);
	printk("  xenstore: name=%s domid=%s\n", name, domid);

	CHECK((n = xs_read(0, "no/such/key", buf, sizeof(buf))) == -ENOENT, "missing key: %d, not -ENOENT", n);
	CHECK((n = xs_read(0, "name", buf, 2)) == -ERANGE, "short buffer: %d, not -ERANGE", n);

	CHECK((n = xs_write(0, "data/amphi-key", "hello-from-amphi")) == 0, "write data/amphi-key: %d", n);
	n = xs_read(0, "data/amphi-key", buf, sizeof(buf));
	CHECK(n == 16 && !strcmp(buf, "hello-from-amphi"), "read back: %d \"%s\"", n, n >= 0 ? buf : "");
	CHECK((n = xs_mkdir(0, "data/amphi-dir")) == 0, "mkdir: %d", n);
	CHECK((n = xs_write(0, "data/amphi-dir/a", "1")) == 0, "write a: %d", n);
	CHECK((n = xs_write(0, "data/amphi-dir/b", "2")) == 0, "write b: %d", n);
	const char *names[8];
	n = xs_directory(0, "data/amphi-dir", buf, sizeof(buf), names, 8);
	CHECK(n == 2 && ((!strcmp(names[0], "a") && !strcmp(names[1], "b")) ||
			 (!strcmp(names[0], "b") && !strcmp(names[1], "a"))), "directory: %d entries", n);
	CHECK((n = xs_rm(0, "data/amphi-dir")) == 0, "rm: %d", n);
	CHECK((n = xs_read(0, "data/amphi-dir/a", buf, sizeof(buf))) == -ENOENT, "after rm: %d", n);

	const char *perms[4];
	n = xs_get_perms(0, "data/amphi-key", buf, sizeof(buf), perms, 4);
	CHECK(n >= 1 && perms[0][0] == 'n', "get perms: %d (%s)", n, n > 0 ? perms[0] : "");
	printk("  perms of data/amphi-key: %s%s%s\n", perms[0], n > 1 ? " " : "", n > 1 ? perms[1] : "");
	/* A guest may not give its node away: xenstored says EACCES or allows
	 * only its own id as owner. */
	char own[20];
	snprintf(own, sizeof(own), "n%s", domid);
	const char *mine[] = { own, "r0" };
	CHECK((n = xs_set_perms(0, "data/amphi-key", mine, 2)) == 0, "set perms: %d", n);

	int tries = 0, rc;
	do {
		xs_tx_t tx;
		CHECK((rc = xs_transaction_start(&tx)) == 0, "transaction start: %d", rc);
		xs_write(tx, "data/amphi-tx", "in-transaction");
		rc = xs_transaction_end(tx, 0);
	} while (rc == -EAGAIN && ++tries < 5);
	CHECK(rc == 0, "transaction end: %d after %d retries", rc, tries);
	n = xs_read(0, "data/amphi-tx", buf, sizeof(buf));
	CHECK(n > 0 && !strcmp(buf, "in-transaction"), "transaction's write: %d", n);

	/* dom0 writes data/dom0-key once it has read data/amphi-key. */
	CHECK((n = xs_watch("data/dom0-key", "dom0-key", on_dom0_key, 0)) == 0, "watch: %d", n);
	printk("  waiting up to 60 s for dom0 to write data/dom0-key\n");
	int ok = wait_event_until(&seen_wq, dom0_key_seen, now_ns() + 60000000000ull);
	xs_unwatch("data/dom0-key", "dom0-key");
	CHECK(ok, "no watch event for data/dom0-key from dom0 within 60 s");
	printk("  xenstore: dom0 wrote data/dom0-key = %s\n", dom0_value);
	return TEST_SUCCESS;
}

/* Grant tables against Xen itself: a page granted to our own domain is
 * copied through its reference with GNTTABOP_copy; once access ends, Xen
 * refuses the same copy, and the reference goes back to the free list
 * exactly once. */
#include <xenfront/gnttab.h>
#include <amphi/frame.h>
#include <amphi/layout.h>

DEFINE_TEST(test_gnttab, "gnttab", "grant table v1: grant, GNTTABOP_copy through the reference, end access (Xen domU)")
{
	if (!gnttab_ready() || !xenstore_ready())
		return test_report(TEST_SKIP, "no grant table or xenstore (not a Xen domU)");
	char domid_s[16];
	CHECK(xs_read(0, "domid", domid_s, sizeof(domid_s)) > 0, "read domid");
	uint16_t self = 0;
	for (const char *p = domid_s; *p; p++)
		self = (uint16_t)(self * 10 + (uint16_t)(*p - '0'));
	pfn_t src = frame_alloc(FRAME_LOW), dst = frame_alloc(FRAME_LOW);
	CHECK(src != PFN_NONE && dst != PFN_NONE, "no frames");
	char *s = phys_to_virt((uint64_t)src << PAGE_SHIFT), *d = phys_to_virt((uint64_t)dst << PAGE_SHIFT);
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		s[i] = (char)(i * 7 + 3);
	memset(d, 0, PAGE_SIZE);
	unsigned before = gnttab_free_count();
	int ref = gnttab_grant_access(self, src, 1);
	CHECK(ref >= 8, "grant_access: %d", ref);
	int rc = gnttab_copy_from(self, (uint32_t)ref, dst, 0, PAGE_SIZE);
	CHECK(rc == 0, "GNTTABOP_copy through ref %d: status %d", ref, rc);
	CHECK(!memcmp(s, d, PAGE_SIZE), "copied page differs");
	printk("  gnttab: page copied through reference %d granted to domain %u\n", ref, self);
	CHECK((rc = gnttab_end_access((uint32_t)ref)) == 0, "end_access: %d", rc);
	CHECK(gnttab_free_count() == before, "free count %u, was %u", gnttab_free_count(), before);
	rc = gnttab_copy_from(self, (uint32_t)ref, dst, 0, 16);
	CHECK(rc != 0, "Xen still copied through an ended grant");
	printk("  gnttab: after end_access Xen refuses the copy (status %d)\n", rc);
	CHECK((rc = gnttab_end_access((uint32_t)ref)) == -EINVAL, "second end_access: %d, not -EINVAL", rc);
	frame_free(src);
	frame_free(dst);
	return TEST_SUCCESS;
}
