/*
 * The xenstore client (drivers/xenfront/xenstore.c): requests over the
 * shared ring, replies matched by request id, watches dispatched by token
 * in their own thread ("xenwatch", so that a callback may make requests).
 * Paths without a leading '/' are relative to /local/domain/<own domid>.
 * Every call returns >= 0 or a negative errno: Xen's error strings become
 * errno values, -ETIMEDOUT when xenstored does not answer within 10 s,
 * -EPROTO once the ring has carried something impossible (then the client
 * stops, with a message, and every call fails).  tx 0: no transaction.
 */
#ifndef XENFRONT_XENSTORE_H
#define XENFRONT_XENSTORE_H
#include <stddef.h>
#include <stdint.h>

typedef uint32_t xs_tx_t;

/* Attaches the ring (mapped page) and its event channel; starts the threads. */
int xenstore_start(void *ring_page, uint32_t port);
int xenstore_ready(void);

/* The value into buf (always NUL-terminated); its length, -ERANGE if it
 * does not fit. */
int xs_read(xs_tx_t tx, const char *path, char *buf, size_t size);
int xs_write(xs_tx_t tx, const char *path, const char *value);
int xs_mkdir(xs_tx_t tx, const char *path);
int xs_rm(xs_tx_t tx, const char *path);
/* Children names into names[] (pointing into buf); their count. */
int xs_directory(xs_tx_t tx, const char *path, char *buf, size_t size, const char **names, int max);
/* Permissions as xenstored spells them ("n0", "r1", ...), one per entry. */
int xs_get_perms(xs_tx_t tx, const char *path, char *buf, size_t size, const char **perms, int max);
int xs_set_perms(xs_tx_t tx, const char *path, const char *const *perms, int n);

int xs_transaction_start(xs_tx_t *tx);
/* abort: 1 to throw the transaction away; -EAGAIN: it conflicted, redo it. */
int xs_transaction_end(xs_tx_t tx, int abort);

typedef void (*xs_watch_fn)(const char *path, const char *token, void *arg);
/* Registers fn for token (unique) and asks xenstored to watch path; the
 * watch fires once at once, then on every change below path. */
int xs_watch(const char *path, const char *token, xs_watch_fn fn, void *arg);
int xs_unwatch(const char *path, const char *token);
#endif
