/*
 * The 2-level event-channel scan (pure; host-tested).  Xen sets a port's
 * bit in pending[] and its word's bit in the vCPU's pending_sel; the guest
 * takes the selector atomically, then for each selected word handles the
 * ports that are pending and not masked, clearing their pending bits
 * before calling the handler (so an event that arrives during the handler
 * is not lost).  Each word is handled from one snapshot, for fairness.
 */
#ifndef XENFRONT_EVTCHN_SCAN_H
#define XENFRONT_EVTCHN_SCAN_H

#define EVTCHN_WORD_BITS (sizeof(unsigned long) * 8)

/* Returns how many ports were handled; *sel is consumed (set to 0). */
unsigned evtchn_scan(unsigned long *sel, volatile unsigned long *pending,
		     const volatile unsigned long *mask,
		     void (*handle)(unsigned port, void *ctx), void *ctx);
#endif
