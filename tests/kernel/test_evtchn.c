/* Xen event channels on the callback vector, through a loopback channel
 * (an unbound port bound to ourselves): notify delivers an upcall to the
 * handler, a masked port holds its event until unmasked, close stops it.
 * SKIPs where amphi does not run on Xen HVM/PVH. */
#include <amphi/test.h>
#include <amphi/platform.h>
#include <amphi/string.h>
#include <amphi/timer.h>
#include <xenfront/evtchn.h>
#include <asm/cpu.h>

static volatile unsigned hits;
static volatile evtchn_port_t last_port;

static void on_event(evtchn_port_t port, void *arg)
{
	(void)arg;
	last_port = port;
	hits++;
}

/* Lets pending upcalls in: they arrive on the callback vector. */
static void let_interrupts_in(void)
{
	uint64_t until = now_ns() + 2000000;
	do
		{ sti(); __asm__ volatile("nop"); cli(); }   /* Xen PV: the event mask */
	while (now_ns() < until);
}

DEFINE_TEST(test_evtchn, "evtchn", "event channels: loopback notify, mask/unmask, close (Xen)")
{
	if (strncmp(platform->name, "xen-", 4) || !xen_shared_info)
		return test_report(TEST_SKIP, "not on Xen HVM/PVH (platform %s)", platform->name);

	int a = evtchn_alloc_unbound(DOMID_SELF, 0, 0);
	CHECK(a >= 0, "EVTCHNOP_alloc_unbound failed: %d", a);
	int b = evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)a, on_event, 0);
	CHECK(b >= 0, "EVTCHNOP_bind_interdomain to our own port %d failed: %d", a, b);
	printk("  loopback: port %d <-> port %d\n", a, b);

	unsigned long up0 = evtchn_upcalls;
	uint64_t t0 = rdtsc();
	CHECK(evtchn_notify((evtchn_port_t)a) == 0, "EVTCHNOP_send failed");
	let_interrupts_in();
	CHECK(hits == 1 && last_port == (evtchn_port_t)b,
	      "notify on %d: %u events, last on port %u (expected 1 on %d)", a, hits, last_port, b);
	CHECK(evtchn_upcalls > up0, "the event arrived without an upcall");

	/* 100 round trips: send, upcall, handler. */
	uint64_t c0 = rdtsc();
	for (int i = 0; i < 100; i++) {
		unsigned before = hits;
		evtchn_notify((evtchn_port_t)a);
		while (hits == before)
			{ sti(); __asm__ volatile("nop"); cli(); }   /* Xen PV: the event mask */
	}
	uint64_t per = (rdtsc() - c0) / 100;
	(void)t0;

	evtchn_mask((evtchn_port_t)b);
	unsigned before = hits;
	evtchn_notify((evtchn_port_t)a);
	let_interrupts_in();
	CHECK(hits == before, "a masked port delivered its event");
	CHECK(evtchn_is_pending((evtchn_port_t)b), "the masked port's event is not pending");
	evtchn_unmask((evtchn_port_t)b);
	let_interrupts_in();
	CHECK(hits == before + 1, "unmask did not deliver the held event (%u events)", hits - before);

	CHECK(evtchn_close((evtchn_port_t)b) == 0, "close failed");
	evtchn_close((evtchn_port_t)a);
	printk("  event round trip (send hypercall + upcall + handler): %llu cycles\n",
	       (unsigned long long)per);
	return TEST_SUCCESS;
}
