/* Xen event channels for HVM/PVH guests (see xenfront/evtchn.h). */
#include <xenfront/evtchn.h>
#include <xenfront/evtchn_scan.h>
#include <hypercall/xen.h>
#include <amphi/frame.h>
#include <amphi/layout.h>
#include <amphi/printk.h>
#include <amphi/string.h>
#include <asm/traps.h>

#define NR_PORTS (sizeof(xen_ulong_t) * 8 * sizeof(xen_ulong_t) * 8)

struct shared_info *xen_shared_info;
unsigned long evtchn_upcalls;
static struct { evtchn_handler_t fn; void *arg; } handlers[NR_PORTS];

static void dispatch(unsigned port, void *ctx)
{
	(void)ctx;
	if (port < NR_PORTS && handlers[port].fn)
		handlers[port].fn(port, handlers[port].arg);
}

static void upcall(struct trap_frame *tf)
{
	(void)tf;
	struct vcpu_info *vi = &xen_shared_info->vcpu_info[0];
	evtchn_upcalls++;
	/* Clear the flag before scanning: an event set during the scan raises
	 * it again and is picked up by the next pass. */
	while (__atomic_exchange_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST))
		evtchn_scan((unsigned long *)&vi->evtchn_pending_sel,
			    (volatile unsigned long *)xen_shared_info->evtchn_pending,
			    (const volatile unsigned long *)xen_shared_info->evtchn_mask, dispatch, 0);
}

/* Xen PV: the shared info page is already mapped (by the platform) and
 * upcalls arrive through set_callbacks at the callback vector's stub. */
int evtchn_init_pv(struct shared_info *s)
{
	xen_shared_info = s;
	for (unsigned i = 0; i < sizeof(s->evtchn_mask) / sizeof(xen_ulong_t); i++)
		s->evtchn_mask[i] = ~(xen_ulong_t)0;
	trap_set_handler(XEN_CALLBACK_VECTOR, upcall);
	return 0;
}

int evtchn_init(void)
{
	pfn_t pfn = frame_alloc(FRAME_LOW);    /* replaced by the shared info page */
	if (pfn == PFN_NONE)
		return -1;
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_shared_info, .idx = 0, .gpfn = pfn,
	};
	long rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);
	if (rc) {
		printk("evtchn: XENMEM_add_to_physmap(shared_info) failed: %ld\n", rc);
		return (int)rc;
	}
	xen_shared_info = phys_to_virt((uint64_t)pfn << PAGE_SHIFT);
	/* Everything masked until someone binds a handler. */
	for (unsigned i = 0; i < sizeof(xen_shared_info->evtchn_mask) / sizeof(xen_ulong_t); i++)
		xen_shared_info->evtchn_mask[i] = ~(xen_ulong_t)0;

	trap_set_handler(XEN_CALLBACK_VECTOR, upcall);
	struct xen_hvm_param p = {
		.domid = DOMID_SELF, .index = HVM_PARAM_CALLBACK_IRQ,
		.value = ((uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56) | XEN_CALLBACK_VECTOR,
	};
	rc = HYPERVISOR_hvm_op(HVMOP_set_param, &p);
	if (rc) {
		printk("evtchn: HVM_PARAM_CALLBACK_IRQ (vector %#x) refused: %ld\n", XEN_CALLBACK_VECTOR, rc);
		return (int)rc;
	}
	printk("evtchn: shared info at pfn %#x, upcalls on vector %#x\n", pfn, XEN_CALLBACK_VECTOR);
	return 0;
}

void evtchn_set_handler(evtchn_port_t port, evtchn_handler_t h, void *arg)
{
	if (port >= NR_PORTS)
		return;
	handlers[port].arg = arg;
	handlers[port].fn = h;
}

static int bound(int port, evtchn_handler_t h, void *arg)
{
	if (port < 0)
		return port;
	evtchn_set_handler((evtchn_port_t)port, h, arg);
	evtchn_unmask((evtchn_port_t)port);
	return port;
}

int evtchn_bind_virq(unsigned virq, unsigned vcpu, evtchn_handler_t h, void *arg)
{
	struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &b);
	return bound(rc ? (int)rc : (int)b.port, h, arg);
}

int evtchn_alloc_unbound(domid_t remote, evtchn_handler_t h, void *arg)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = remote };
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a);
	return bound(rc ? (int)rc : (int)a.port, h, arg);
}

int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port, evtchn_handler_t h, void *arg)
{
	struct evtchn_bind_interdomain b = { .remote_dom = remote, .remote_port = remote_port };
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &b);
	return bound(rc ? (int)rc : (int)b.local_port, h, arg);
}

int evtchn_close(evtchn_port_t port)
{
	evtchn_mask(port);
	evtchn_set_handler(port, 0, 0);
	struct evtchn_close c = { .port = port };
	return (int)HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
}

int evtchn_notify(evtchn_port_t port)
{
	struct evtchn_send s = { .port = port };
	return (int)HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

static volatile xen_ulong_t *word(volatile xen_ulong_t *bits, evtchn_port_t port)
{
	return &bits[port / (sizeof(xen_ulong_t) * 8)];
}
#define BIT(port) ((xen_ulong_t)1 << ((port) % (sizeof(xen_ulong_t) * 8)))

void evtchn_mask(evtchn_port_t port)
{
	__atomic_fetch_or(word(xen_shared_info->evtchn_mask, port), BIT(port), __ATOMIC_SEQ_CST);
}

/* Unmasking through Xen re-delivers an event that arrived while masked. */
void evtchn_unmask(evtchn_port_t port)
{
	struct evtchn_unmask u = { .port = port };
	HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &u);
}

void evtchn_clear(evtchn_port_t port)
{
	__atomic_fetch_and(word(xen_shared_info->evtchn_pending, port), ~BIT(port), __ATOMIC_SEQ_CST);
}

int evtchn_is_pending(evtchn_port_t port)
{
	return !!(*word(xen_shared_info->evtchn_pending, port) & BIT(port));
}
