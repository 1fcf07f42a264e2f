/*
 * The xenstore client over the shared ring (see xenfront/xenstore.h).
 *
 * Requesters frame a message (xs_wire.c), copy it into the request ring
 * under req_lock, and sleep on reply_wq until the reader thread has matched
 * a reply to their request id.  The reader ("xenstore") drains the
 * response ring whenever the event channel fires: replies go to their
 * requester, watch events to a queue served by the "xenwatch" thread.  The
 * event handler itself only wakes threads.
 */
#include <xenfront/xenstore.h>
#include <xenfront/xs_wire.h>
#include <xenfront/evtchn.h>
#include <amphi/errno.h>
#include <amphi/heap.h>
#include <amphi/mutex.h>
#include <amphi/printk.h>
#include <amphi/sched.h>
#include <amphi/string.h>
#include <amphi/timer.h>
#include <amphi/wait.h>
#include <xen/io/xs_wire.h>

#define XS_TIMEOUT_NS 10000000000ull

static struct xenstore_domain_interface *intf;
static evtchn_port_t xs_port;
static int broken;                     /* the stream cannot be trusted any more */
static wait_queue_t ring_wq = WAIT_QUEUE_INIT("xenstore-ring");
static wait_queue_t reply_wq = WAIT_QUEUE_INIT("xenstore-reply");
static wait_queue_t watch_wq = WAIT_QUEUE_INIT("xenstore-watch");
static struct mutex req_lock = MUTEX_INIT("xenstore-req");
static spinlock_t lock = SPINLOCK_INIT("xenstore");   /* the lists below */
static uint32_t next_req_id = 1;

struct pending {
	uint32_t req_id;
	int done;
	struct xsw_header hdr;
	char *body;                    /* kmalloc'd, hdr.len + 1 bytes */
	struct pending *next;
};
static struct pending *pendings;

struct watch_event {
	char *body;
	uint32_t len;
	struct watch_event *next;
};
static struct watch_event *events_head, *events_tail;

struct watch {
	char *token;
	xs_watch_fn fn;
	void *arg;
	struct watch *next;
};
static struct watch *watches;

static void xs_event(evtchn_port_t port, void *arg)
{
	(void)port; (void)arg;
	wake_all(&ring_wq);
}

static void fail_all(const char *why)
{
	if (!broken)
		printk("xenstore: %s: the client stops; every request fails with EPROTO\n", why);
	broken = 1;
	wake_all(&reply_wq);
	wake_all(&ring_wq);
}

static void deliver(const struct xsw_rx *rx)
{
	char *copy = kmalloc(rx->hdr.len + 1);
	if (!copy) {
		printk("xenstore: no memory for a %u-byte message (type %u): dropped\n", rx->hdr.len, rx->hdr.type);
		return;
	}
	memcpy(copy, rx->body, rx->hdr.len + 1);
	irqflags_t f = spin_lock_irqsave(&lock);
	if (rx->hdr.type == XS_WATCH_EVENT) {
		struct watch_event *e = kmalloc(sizeof(*e));
		if (e) {
			e->body = copy; e->len = rx->hdr.len; e->next = 0;
			if (events_tail)
				events_tail->next = e;
			else
				events_head = e;
			events_tail = e;
		}
		spin_unlock_irqrestore(&lock, f);
		if (!e)
			kfree(copy);
		wake_all(&watch_wq);
		return;
	}
	struct pending *p = pendings;
	while (p && p->req_id != rx->hdr.req_id)
		p = p->next;
	if (p && !p->done) {
		p->hdr = rx->hdr;
		p->body = copy;
		p->done = 1;
	}
	spin_unlock_irqrestore(&lock, f);
	if (!p) {
		printk("xenstore: reply (type %u) to unknown request id %u: dropped\n", rx->hdr.type, rx->hdr.req_id);
		kfree(copy);
	}
	wake_all(&reply_wq);
}

static void reader_thread(void *arg)
{
	(void)arg;
	static struct xsw_rx rx;
	xsw_rx_reset(&rx);
	for (;;) {
		wait_event(&ring_wq, broken || intf->rsp_cons != intf->rsp_prod);
		if (broken)
			break;
		uint32_t cons = intf->rsp_cons, prod = intf->rsp_prod;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);       /* index before data */
		int r;
		while ((r = xsw_rx_feed(&rx, intf->rsp, &cons, prod)) == 1) {
			deliver(&rx);
			xsw_rx_reset(&rx);
		}
		__atomic_thread_fence(__ATOMIC_SEQ_CST);       /* data read before the slots go back */
		intf->rsp_cons = cons;
		evtchn_notify(xs_port);
		if (r < 0) {
			char why[120];
			snprintf(why, sizeof(why), "bad response ring (cons %u prod %u, message length %u)",
				 intf->rsp_cons, prod, rx.hdr.len);
			fail_all(why);
			break;
		}
	}
	thread_exit();
}

static void watch_thread(void *arg)
{
	(void)arg;
	for (;;) {
		wait_event(&watch_wq, events_head != 0);
		irqflags_t f = spin_lock_irqsave(&lock);
		struct watch_event *e = events_head;
		events_head = e->next;
		if (!events_head)
			events_tail = 0;
		spin_unlock_irqrestore(&lock, f);

		const char *v[2];
		int n = xsw_split(e->body, e->len, v, 2);
		if (n != 2) {
			printk("xenstore: malformed watch event (%d parts): dropped\n", n);
		} else {
			struct watch *w = watches;
			while (w && strcmp(w->token, v[1]))
				w = w->next;
			if (w)
				w->fn(v[0], v[1], w->arg);
			/* else: unwatched meanwhile; nothing to tell */
		}
		kfree(e->body);
		kfree(e);
	}
}

static int ring_put(const char *data, size_t len)
{
	while (len) {
		uint64_t deadline = now_ns() + XS_TIMEOUT_NS;
		if (!wait_event_until(&ring_wq, broken || xsw_ring_free(intf->req_cons, intf->req_prod) != 0, deadline))
			return -ETIMEDOUT;
		if (broken)
			return -EPROTO;
		int room = xsw_ring_free(intf->req_cons, intf->req_prod);
		if (room < 0) {
			fail_all("bad request ring indexes");
			return -EPROTO;
		}
		size_t n = (size_t)room < len ? (size_t)room : len;
		xsw_ring_put(intf->req, intf->req_prod, data, n);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);       /* data before the index */
		intf->req_prod += (uint32_t)n;
		evtchn_notify(xs_port);
		data += n; len -= n;
	}
	return 0;
}

/* One request and its reply.  On success *reply is a kmalloc'd,
 * NUL-terminated copy of the payload (caller frees) and the length is
 * returned. */
static int talk(uint32_t type, xs_tx_t tx, const char *const *parts, int nparts, int last_raw, char **reply)
{
	if (!intf)
		return -ENODEV;
	if (broken)
		return -EPROTO;
	char *msg = kmalloc(sizeof(struct xsw_header) + XSW_PAYLOAD_MAX);
	if (!msg)
		return -ENOMEM;
	struct pending p = { 0, 0, { 0, 0, 0, 0 }, 0, 0 };
	irqflags_t f = spin_lock_irqsave(&lock);
	p.req_id = next_req_id++;
	p.next = pendings;
	pendings = &p;
	spin_unlock_irqrestore(&lock, f);

	int rc = xsw_build(msg, sizeof(struct xsw_header) + XSW_PAYLOAD_MAX, type, p.req_id, tx, parts, nparts, last_raw);
	if (rc >= 0) {
		mutex_lock(&req_lock);
		rc = ring_put(msg, (size_t)rc);
		mutex_unlock(&req_lock);
	}
	kfree(msg);
	if (rc >= 0 && !wait_event_until(&reply_wq, p.done || broken, now_ns() + XS_TIMEOUT_NS)) {
		printk("xenstore: no reply to request %u (type %u, %s) in 10 s\n", p.req_id, type,
		       nparts ? parts[0] : "");
		rc = -ETIMEDOUT;
	}
	f = spin_lock_irqsave(&lock);
	for (struct pending **pp = &pendings; *pp; pp = &(*pp)->next)
		if (*pp == &p) {
			*pp = p.next;
			break;
		}
	spin_unlock_irqrestore(&lock, f);
	if (rc < 0 || !p.done) {
		kfree(p.body);
		return rc < 0 ? rc : -EPROTO;
	}
	if (p.hdr.type == XS_ERROR) {
		rc = xsw_error_errno(p.body, p.hdr.len);
		kfree(p.body);
		return rc;
	}
	if (p.hdr.type != type) {
		printk("xenstore: reply of type %u to a request of type %u\n", p.hdr.type, type);
		kfree(p.body);
		return -EPROTO;
	}
	if (reply)
		*reply = p.body;
	else
		kfree(p.body);
	return (int)p.hdr.len;
}

int xs_read(xs_tx_t tx, const char *path, char *buf, size_t size)
{
	char *r;
	const char *parts[] = { path };
	int n = talk(XS_READ, tx, parts, 1, 0, &r);
	if (n < 0)
		return n;
	int rc = (size_t)n < size ? n : -ERANGE;
	if (rc >= 0) {
		memcpy(buf, r, (size_t)n);
		buf[n] = 0;
	}
	kfree(r);
	return rc;
}

int xs_write(xs_tx_t tx, const char *path, const char *value)
{
	const char *parts[] = { path, value };
	int n = talk(XS_WRITE, tx, parts, 2, 1, 0);
	return n < 0 ? n : 0;
}

int xs_mkdir(xs_tx_t tx, const char *path)
{
	const char *parts[] = { path };
	int n = talk(XS_MKDIR, tx, parts, 1, 0, 0);
	return n < 0 ? n : 0;
}

int xs_rm(xs_tx_t tx, const char *path)
{
	const char *parts[] = { path };
	int n = talk(XS_RM, tx, parts, 1, 0, 0);
	return n < 0 ? n : 0;
}

/* A reply that is a NUL-separated list, into buf and out[]. */
static int list_reply(uint32_t type, xs_tx_t tx, const char *path, char *buf, size_t size,
		      const char **out, int max)
{
	char *r;
	const char *parts[] = { path };
	int n = talk(type, tx, parts, 1, 0, &r);
	if (n < 0)
		return n;
	if ((size_t)n > size) {
		kfree(r);
		return -ERANGE;
	}
	memcpy(buf, r, (size_t)n);
	kfree(r);
	return xsw_split(buf, (size_t)n, out, max);
}

int xs_directory(xs_tx_t tx, const char *path, char *buf, size_t size, const char **names, int max)
{
	return list_reply(XS_DIRECTORY, tx, path, buf, size, names, max);
}

int xs_get_perms(xs_tx_t tx, const char *path, char *buf, size_t size, const char **perms, int max)
{
	return list_reply(XS_GET_PERMS, tx, path, buf, size, perms, max);
}

int xs_set_perms(xs_tx_t tx, const char *path, const char *const *perms, int n)
{
	const char *parts[1 + 16];
	if (n < 1 || n > 16)
		return -EINVAL;
	parts[0] = path;
	for (int i = 0; i < n; i++)
		parts[1 + i] = perms[i];
	int r = talk(XS_SET_PERMS, tx, parts, 1 + n, 0, 0);
	return r < 0 ? r : 0;
}

int xs_transaction_start(xs_tx_t *tx)
{
	char *r;
	const char *parts[] = { "" };
	int n = talk(XS_TRANSACTION_START, 0, parts, 1, 0, &r);
	if (n < 0)
		return n;
	uint32_t id = 0;
	int digits = 0;
	for (const char *p = r; *p >= '0' && *p <= '9' && digits < 10; p++, digits++)
		id = id * 10 + (uint32_t)(*p - '0');
	kfree(r);
	if (!digits || !id)
		return -EPROTO;
	*tx = id;
	return 0;
}

int xs_transaction_end(xs_tx_t tx, int abort)
{
	const char *parts[] = { abort ? "F" : "T" };
	int n = talk(XS_TRANSACTION_END, tx, parts, 1, 0, 0);
	return n < 0 ? n : 0;
}

int xs_watch(const char *path, const char *token, xs_watch_fn fn, void *arg)
{
	struct watch *w = kzalloc(sizeof(*w));
	size_t tl = strlen(token) + 1;
	char *t = kmalloc(tl);
	if (!w || !t) {
		kfree(w); kfree(t);
		return -ENOMEM;
	}
	memcpy(t, token, tl);
	w->token = t; w->fn = fn; w->arg = arg;
	irqflags_t f = spin_lock_irqsave(&lock);
	for (struct watch *o = watches; o; o = o->next)
		if (!strcmp(o->token, token)) {
			spin_unlock_irqrestore(&lock, f);
			kfree(t); kfree(w);
			return -EEXIST;
		}
	w->next = watches;
	watches = w;
	spin_unlock_irqrestore(&lock, f);
	const char *parts[] = { path, token };
	int n = talk(XS_WATCH, 0, parts, 2, 0, 0);
	if (n < 0)
		xs_unwatch(0, token);
	return n < 0 ? n : 0;
}

/* path 0: only forget the token locally. */
int xs_unwatch(const char *path, const char *token)
{
	int n = 0;
	if (path) {
		const char *parts[] = { path, token };
		n = talk(XS_UNWATCH, 0, parts, 2, 0, 0);
	}
	irqflags_t f = spin_lock_irqsave(&lock);
	struct watch *w = 0;
	for (struct watch **pp = &watches; *pp; pp = &(*pp)->next)
		if (!strcmp((*pp)->token, token)) {
			w = *pp;
			*pp = w->next;
			break;
		}
	spin_unlock_irqrestore(&lock, f);
	if (w) {
		kfree(w->token);
		kfree(w);
	}
	return n < 0 ? n : 0;
}

int xenstore_ready(void) { return intf && !broken; }

int xenstore_start(void *ring_page, uint32_t port)
{
	intf = ring_page;
	xs_port = port;
	if (intf->connection != XENSTORE_CONNECTED || intf->error != XENSTORE_ERROR_NONE)
		printk("xenstore: ring says connection %u error %u; trying anyway\n", intf->connection, intf->error);
	evtchn_set_handler(port, xs_event, 0);
	evtchn_unmask(port);
	if (!thread_create("xenstore", reader_thread, 0) || !thread_create("xenwatch", watch_thread, 0)) {
		printk("xenstore: cannot start its threads\n");
		intf = 0;
		return -ENOMEM;
	}
	printk("xenstore: ring at %p, event channel %u (req %u/%u, rsp %u/%u)\n", ring_page, port,
	       intf->req_cons, intf->req_prod, intf->rsp_cons, intf->rsp_prod);
	return 0;
}
