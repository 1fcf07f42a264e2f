/*
 * AF_INET sockets on lwIP's socket layer (net/inet_lwip.c), spoken in
 * Linux i386 terms: Linux sockaddr_in, MSG_* flags, SOL_SOCKET options and
 * POLL* bits in, Linux errno out (negative).  The file keeps lwIP's own
 * headers (whose constants differ from Linux's) away from the rest of the
 * kernel.  `s` is an lwIP socket index.  Every call is non-blocking:
 * net/socket.c waits for readiness itself, so that signals interrupt.
 */
#ifndef NET_INET_H
#define NET_INET_H
#include <stdint.h>
#include <stddef.h>

#define LINUX_AF_UNIX 1
#define LINUX_AF_INET 2
#define LINUX_SOCK_STREAM 1
#define LINUX_SOCK_DGRAM 2
#define LINUX_SOCK_RAW 3
#define LINUX_SOCKADDR_IN_LEN 16

int inet_socket(int type, int protocol);          /* s or -errno */
void inet_close(int s);
int inet_bind(int s, const void *lsa, uint32_t len);
int inet_connect(int s, const void *lsa, uint32_t len);   /* -EINPROGRESS: wait for POLLOUT */
int inet_connect_result(int s);                   /* SO_ERROR after a connect in progress */
int inet_listen(int s, int backlog);
int inet_accept(int s, void *lsa, uint32_t *len); /* new s, -EAGAIN */
int inet_name(int s, void *lsa, uint32_t *len, int peer);
long inet_send(int s, const void *buf, size_t n, int lflags, const void *lsa, uint32_t len);
long inet_recv(int s, void *buf, size_t n, int lflags, void *lsa, uint32_t *len);
int inet_shutdown(int s, int how);
int inet_setsockopt(int s, int level, int opt, const void *val, uint32_t len);
int inet_getsockopt(int s, int level, int opt, void *val, uint32_t *len);
int inet_poll(int s, int events);                 /* Linux POLLIN/OUT/ERR/HUP */
int inet_nread(int s);                            /* FIONREAD */
/* Called when lwIP reports an event on any socket (net_poll_wake). */
void net_poll_wake(void);
#endif
