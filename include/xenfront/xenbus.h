/*
 * xenbus front ends (drivers/xenfront/xenbus.c): the devices the toolstack
 * lists under device/TYPE/ID, and the front end's half of the handshake
 * (XenbusState* in xen/io/xenbus.h): Initialising; once the back end is in
 * InitWait, read its feature-* keys, publish what the driver shares
 * (ring-ref, event-channel) and go Initialised; once the back end is
 * Connected, Connected; Closing or Closed from the back end closes.  Each
 * wait has a time-out with a message naming the back end and its state.
 * Drivers: the test device "vamphi" and blkfront's "vbd" (started later,
 * by xenfront_disks); the others are listed.  The helpers below are what a
 * driver's thread uses.
 */
#ifndef XENFRONT_XENBUS_H
#define XENFRONT_XENBUS_H
#include <stdint.h>
#include <amphi/wait.h>

void xenbus_probe(int have_gnttab);

struct xenbus_dev {
	char node[48];             /* device/TYPE/ID */
	char backend[128];
	uint32_t backend_id;
	wait_queue_t wq;           /* the back end's state changed */
	volatile unsigned changes;
};

const char *xenbus_state_name(int s);
/* A decimal number at path (what: its name in messages); 0, -ENOENT if
 * absent, -EINVAL (with a message) if it is not a number that fits. */
int xenbus_read_u64(struct xenbus_dev *d, const char *path, const char *what, uint64_t *out);
int xenbus_read_uint(struct xenbus_dev *d, const char *path, const char *what, uint32_t *out);
int xenbus_set_state(struct xenbus_dev *d, int state);
int xenbus_backend_state(struct xenbus_dev *d);      /* -1 if unreadable */
/* Waits (10 s at most) until the back end's state is in mask (a bit per
 * state); the state, or -ETIMEDOUT / -EINVAL after a message. */
int xenbus_wait_backend(struct xenbus_dev *d, unsigned mask, const char *waiting_for);
/* Waits without a time-out until the back end is Closing, Closed or gone;
 * the state it found (-1: gone). */
int xenbus_wait_closing(struct xenbus_dev *d);
/* After the back end went Closing, Closed or away (backend_state, -1:
 * gone; xenbus_wait_closing's answer): the front end says Closed at once,
 * as Linux's front ends do, for the back end unmaps the ring and our pages
 * only once it sees that; then, unless it had already closed or gone,
 * waits (10 s) until it says Closed.  Until then nothing granted may be
 * taken back. */
void xenbus_close(struct xenbus_dev *d, int backend_state);
/* Writes n keys (names relative to the device node) in one transaction. */
int xenbus_publish(struct xenbus_dev *d, const char *const *keys, const char *const *values, int n);
/* The back end's feature-* keys as "k=v k=v" (or "none"). */
void xenbus_features(struct xenbus_dev *d, char *out, unsigned size);

/* Drivers' threads (arg: the struct xenbus_dev), started by the probe. */
void blkfront_thread(void *arg);            /* blkfront_bus.c */
void netfront_thread(void *arg);            /* netfront_bus.c */
/* Devices that PID 1 expects to find (disks, network interfaces): one is
 * about to start; it is ready or has failed (*once makes a second call a
 * no-op); wait until every one started is either (25 s at most). */
void xenbus_settle_begin(void);
void xenbus_settle_done(int *once);
void xenbus_wait_settled(void);
#endif
