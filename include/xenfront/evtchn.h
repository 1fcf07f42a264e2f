/*
 * Xen event channels (2-level ABI) for HVM/PVH guests: the shared info
 * page mapped into our physical memory, events delivered through one IDT
 * vector (HVM_PARAM_CALLBACK_IRQ, vector type), so no emulated interrupt
 * controller is involved per event.  Ports get handlers; VIRQs and
 * inter-domain channels bind to ports.
 */
#ifndef XENFRONT_EVTCHN_H
#define XENFRONT_EVTCHN_H
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

#define XEN_CALLBACK_VECTOR 0xf3     /* see the vector table in asm/lapic.h */

typedef void (*evtchn_handler_t)(evtchn_port_t port, void *arg);

extern struct shared_info *xen_shared_info;

/* Maps the shared info page and registers the callback vector; 0 or <0. */
int evtchn_init(void);
/* Xen PV: the shared info page mapped at s; upcalls go to the same
 * handler through the callback vector's trap stub. */
struct shared_info;
int evtchn_init_pv(struct shared_info *s);
/* Returns the bound port, or a negative Xen error. */
int evtchn_bind_virq(unsigned virq, unsigned vcpu, evtchn_handler_t h, void *arg);
int evtchn_alloc_unbound(domid_t remote, evtchn_handler_t h, void *arg);
int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port, evtchn_handler_t h, void *arg);
int evtchn_close(evtchn_port_t port);
void evtchn_set_handler(evtchn_port_t port, evtchn_handler_t h, void *arg);
int evtchn_notify(evtchn_port_t port);
void evtchn_mask(evtchn_port_t port);
void evtchn_unmask(evtchn_port_t port);
void evtchn_clear(evtchn_port_t port);
int evtchn_is_pending(evtchn_port_t port);
/* Upcalls taken so far (for tests and cost figures). */
extern unsigned long evtchn_upcalls;
#endif
