/* Pieces of the Xen platforms shared between pv/ files. */
#ifndef PV_XEN_H
#define PV_XEN_H
#include <stddef.h>
#include <stdint.h>
void xen_console_init(int dom0);
void xen_console_late_init(void);
void xen_console_write(const char *s, size_t n);
void xen_console_ring_attach(void *page, uint32_t port);   /* a domU's console ring */
int xen_console_has_ring(void);
int xen_console_getc(void);          /* input from the ring; -1 when none */
void xen_console_flush(void);        /* let the back end drain the ring */
void xen_power_off(void) __attribute__((noreturn));
void xen_reboot(void) __attribute__((noreturn));
int xen_is_dom0(void);
/* pv/xen_time.c */
int xen_time_setup(void);
uint64_t xen_clock_ns(void);
void xen_timer_init(void (*fire)(void));
void xen_timer_arm(uint64_t deadline_ns);
uint64_t xen_wallclock_s(void);
struct platform_ops;
int xen_time_use(struct platform_ops *p, const char *irq_name);
#endif
