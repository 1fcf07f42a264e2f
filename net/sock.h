/*
 * Sockets as open files (net/socket.c): the system-call layer, shared by
 * the address families.  A family gives a struct sock_ops; the socket
 * file's priv is a struct sock.  Operations never block: they return
 * -EAGAIN and socket.c waits for readiness (file_poll_sleep) unless the
 * file is O_NONBLOCK, so every wait is interruptible by signals.
 * Addresses and buffers here are kernel copies; lengths are checked.
 */
#ifndef NET_SOCK_H
#define NET_SOCK_H
#include <stdint.h>
#include <stddef.h>

#define SOCKADDR_MAX 128          /* sizeof(struct sockaddr_storage) */

struct sock;
struct sock_ops {
	int (*bind)(struct sock *sk, const void *sa, uint32_t len);
	int (*connect)(struct sock *sk, const void *sa, uint32_t len);
	int (*connect_done)(struct sock *sk);                 /* after -EINPROGRESS */
	int (*listen)(struct sock *sk, int backlog);
	int (*accept)(struct sock *sk, struct sock **newsk, void *sa, uint32_t *len);
	int (*name)(struct sock *sk, void *sa, uint32_t *len, int peer);
	long (*send)(struct sock *sk, const void *buf, size_t n, int flags, const void *sa, uint32_t len);
	long (*recv)(struct sock *sk, void *buf, size_t n, int flags, void *sa, uint32_t *len);
	int (*shutdown)(struct sock *sk, int how);
	int (*setsockopt)(struct sock *sk, int level, int opt, const void *val, uint32_t len);
	int (*getsockopt)(struct sock *sk, int level, int opt, void *val, uint32_t *len);
	int (*poll)(struct sock *sk, int events);
	int (*nread)(struct sock *sk);
	void (*release)(struct sock *sk);
};

struct sock {
	const struct sock_ops *ops;
	int family, type;
	int lwip;                 /* AF_INET: lwIP's socket index */
	void *priv;               /* AF_UNIX: its endpoint */
};

/* AF_UNIX (net/unix.c): a new socket / a connected pair; 0 or -errno. */
int unix_create(struct sock *sk);
int unix_pair(struct sock *a, struct sock *b);
#endif
