/*
 * The Xen console.  As dom0, amphi writes with the console_io hypercall,
 * which goes straight to Xen's serial line.  As a domU, output goes to the
 * shared console ring (HVM_PARAM_CONSOLE_PFN/EVTCHN) that xenconsoled
 * drains; the ring page may lie above the boot mapping, so until it is
 * mapped (xen_console_late_init) output is kept in a buffer, not lost.
 * A 32-bit PV domU finds the ring in start_info (console.domU) and attaches
 * it at once (xen_console_ring_attach): the page is in the boot mapping.
 * Input comes from the same ring, polled by the console's reader; before a
 * domU powers off, the output still in the ring is given time to drain.
 */
#include <pv/xen.h>
#include <hypercall/xen.h>
#include <xen/io/console.h>
#include <amphi/kmap.h>
#include <amphi/layout.h>
#include <amphi/printk.h>

static int is_dom0;
static struct xencons_interface *ring;
static evtchn_port_t ring_port;
static char pending[8192];
static size_t npending, lost;

static void ring_notify(void)
{
	struct evtchn_send send = { .port = ring_port };
	HYPERVISOR_event_channel_op(EVTCHNOP_send, &send);
}

static void ring_write(const char *s, size_t n)
{
	while (n) {
		XENCONS_RING_IDX cons = ring->out_cons, prod = ring->out_prod;
		__asm__ volatile("" ::: "memory");
		size_t room = sizeof(ring->out) - (prod - cons);
		if (room == 0) {
			ring_notify();
			HYPERVISOR_sched_op(SCHEDOP_yield, 0);
			continue;
		}
		for (; room && n; room--, n--, s++)
			ring->out[MASK_XENCONS_IDX(prod++, ring->out)] = *s;
		__asm__ volatile("" ::: "memory");   /* data before index (x86: stores in order) */
		ring->out_prod = prod;
		ring_notify();
	}
}

void xen_console_write(const char *s, size_t n)
{
	if (is_dom0) {
		HYPERVISOR_console_io(CONSOLEIO_write, n, s);
	} else if (ring) {
		ring_write(s, n);
	} else {
		for (size_t i = 0; i < n; i++) {
			if (npending < sizeof(pending))
				pending[npending++] = s[i];
			else
				lost++;
		}
	}
}

void xen_console_init(int dom0)
{
	is_dom0 = dom0;
}

void xen_console_ring_attach(void *page, evtchn_port_t port)
{
	ring = page;
	ring_port = port;
	ring_write(pending, npending);
	if (lost) {
		static const char msg[] = "\n[xen console: early output truncated]\n";
		ring_write(msg, sizeof(msg) - 1);
	}
}

void xen_console_late_init(void)
{
	uint64_t pfn = 0, port = 0;
	if (is_dom0)
		return;
	if (hvm_get_param(HVM_PARAM_CONSOLE_PFN, &pfn) || hvm_get_param(HVM_PARAM_CONSOLE_EVTCHN, &port) || !pfn)
		return;    /* no console ring: output stays buffered */
	/* kept mapped for the kernel's lifetime */
	xen_console_ring_attach(kmap((pfn_t)pfn), (evtchn_port_t)port);
}

int xen_console_has_ring(void) { return ring != 0; }

/* One character of input from the ring, -1 when none waits.  Indexes that
 * claim more than the ring holds (a broken back end) are dropped, once
 * reported, rather than read past. */
int xen_console_getc(void)
{
	static int reported;
	if (!ring)
		return -1;
	XENCONS_RING_IDX cons = ring->in_cons, prod = ring->in_prod;
	__asm__ volatile("" ::: "memory");    /* index before data */
	if (cons == prod)
		return -1;
	if (prod - cons > sizeof(ring->in)) {
		if (!reported++)
			printk("xen console: input indexes %u..%u exceed the ring; input dropped\n", cons, prod);
		ring->in_cons = prod;
		return -1;
	}
	unsigned char c = (unsigned char)ring->in[MASK_XENCONS_IDX(cons, ring->in)];
	__asm__ volatile("" ::: "memory");    /* data before giving the slot back */
	ring->in_cons = cons + 1;
	if (cons + 1 == prod)
		ring_notify();
	return c;
}

/* Before power-off, reboot or a crash report: xenconsoled reads the ring
 * only while the domain lives, so give it up to 2 s (of Xen's clock, or
 * a bounded number of yields before the clock runs) to take what is left.
 * Yielding alone is not enough: with a vCPU per pCPU it returns at once. */
void xen_console_flush(void)
{
	if (!ring)
		return;
	uint64_t start = xen_clock_ns();
	for (unsigned long i = 0; ring->out_cons != ring->out_prod; i++) {
		if (start ? xen_clock_ns() - start > 2000000000ull : i > 2000000ul)
			break;
		if (i % 1024 == 0)
			ring_notify();
		HYPERVISOR_sched_op(SCHEDOP_yield, 0);
	}
}
