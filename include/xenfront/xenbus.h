/*
 * xenbus front ends (drivers/xenfront/xenbus.c): the devices the toolstack
 * lists under device/TYPE/ID, and the front end's half of the handshake
 * (XenbusState* in xen/io/xenbus.h): Initialising; once the back end is in
 * InitWait, read its feature-* keys, publish what the driver shares
 * (ring-ref, event-channel) and go Initialised; once the back end is
 * Connected, Connected; Closing or Closed from the back end closes.  Each
 * wait has a time-out with a message naming the back end and its state.
 * Only the test device "vamphi" has a driver so far (blkfront waits for
 * the block layer); the others are listed.
 */
#ifndef XENFRONT_XENBUS_H
#define XENFRONT_XENBUS_H
void xenbus_probe(int have_gnttab);
#endif
