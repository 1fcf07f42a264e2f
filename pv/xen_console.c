/*
 * The Xen console.  As dom0, amphi writes with the console_io hypercall,
 * which goes straight to Xen's serial line.  As a domU, output goes to the
 * shared console ring (HVM_PARAM_CONSOLE_PFN/EVTCHN) that xenconsoled
 * drains; the ring page may lie above the boot mapping, so until it is
 * mapped (xen_console_late_init) output is kept in a buffer, not lost.
 */
#include <pv/xen.h>
#include <hypercall/xen.h>
#include <xen/io/console.h>
#include <amphi/kmap.h>
#include <amphi/layout.h>

static int is_dom0;
static struct xencons_interface *ring;
static evtchn_port_t ring_port;
static char pending[8192];
static size_t npending, lost;

static void ring_write(const char *s, size_t n)
{
	while (n) {
		XENCONS_RING_IDX cons = ring->out_cons, prod = ring->out_prod;
		__asm__ volatile("" ::: "memory");
		size_t room = sizeof(ring->out) - (prod - cons);
		if (room == 0) {
			struct evtchn_send send = { .port = ring_port };
			HYPERVISOR_event_channel_op(EVTCHNOP_send, &send);
			HYPERVISOR_sched_op(SCHEDOP_yield, 0);
			continue;
		}
		for (; room && n; room--, n--, s++)
			ring->out[MASK_XENCONS_IDX(prod++, ring->out)] = *s;
		__asm__ volatile("" ::: "memory");   /* data before index (x86: stores in order) */
		ring->out_prod = prod;
		struct evtchn_send send = { .port = ring_port };
		HYPERVISOR_event_channel_op(EVTCHNOP_send, &send);
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

void xen_console_late_init(void)
{
	uint64_t pfn = 0, port = 0;
	if (is_dom0)
		return;
	if (hvm_get_param(HVM_PARAM_CONSOLE_PFN, &pfn) || hvm_get_param(HVM_PARAM_CONSOLE_EVTCHN, &port) || !pfn)
		return;    /* no console ring: output stays buffered */
	ring = kmap((pfn_t)pfn);     /* kept mapped for the kernel's lifetime */
	ring_port = (evtchn_port_t)port;
	ring_write(pending, npending);
	if (lost) {
		static const char msg[] = "\n[xen console: early output truncated]\n";
		ring_write(msg, sizeof(msg) - 1);
	}
}
