/*
 * AF_UNIX sockets: stream (connected pairs, listeners with an accept
 * queue) and datagram (bound names, connected pairs).  Names live in a
 * table of bound sockets (path names and Linux's abstract names, which
 * start with a NUL byte); a path name is not a file in the ramfs, so `ls`
 * does not show it and unlink() does not remove it -- the name goes when
 * the socket is closed.  No SCM_RIGHTS/SCM_CREDENTIALS.
 *
 * Every operation takes the one AF_UNIX mutex and never blocks: it
 * returns -EAGAIN and net/socket.c waits for readiness (file_poll_wake is
 * called after every change).
 */
#include <amphi/errno.h>
#include <amphi/heap.h>
#include <amphi/mutex.h>
#include <amphi/string.h>
#include <amphi/vfs.h>
#include "inet.h"
#include "sock.h"

#define UNIX_BUF 65536u              /* stream: bytes a reader can have waiting */
#define UNIX_DGRAM_QUEUE 262144u     /* datagram: bytes queued at a receiver */
#define UNIX_DGRAM_MAX 65536u
#define UNIX_BACKLOG_MAX 128
#define UNIX_NAME_MAX 108            /* sizeof(sun_path) */
#define L_SOL_SOCKET 1

struct dgram {
	struct dgram *next;
	uint32_t len, from_len;
	char from[UNIX_NAME_MAX];
	uint8_t data[];
};

struct unix_ep {
	int type;
	struct unix_ep *peer;         /* stream: the other end; dgram: socketpair's */
	int peer_gone;                /* the other end closed: EOF, EPIPE */
	int rd_eof;                   /* the other end shut its writing down */
	int wr_shut;                  /* we shut our writing down */
	uint8_t *buf;                 /* stream: bytes for us to read */
	uint32_t head, count;
	struct dgram *q_head, *q_tail;
	uint32_t q_bytes;
	int listening, backlog_max, nbacklog;
	struct unix_ep *backlog[UNIX_BACKLOG_MAX];
	char name[UNIX_NAME_MAX];     /* bound name; name_len 0: unbound */
	uint32_t name_len;
	char dest[UNIX_NAME_MAX];     /* dgram connect() */
	uint32_t dest_len;
	struct unix_ep *bound_next;
};

static struct mutex unix_mutex = MUTEX_INIT("af_unix");
static struct unix_ep *bound_list;

static struct unix_ep *ep_new(int type)
{
	struct unix_ep *e = kzalloc(sizeof(*e));
	if (e && type == LINUX_SOCK_STREAM) {
		e->buf = kmalloc(UNIX_BUF);
		if (!e->buf) {
			kfree(e);
			return 0;
		}
	}
	if (e)
		e->type = type;
	return e;
}

/* The name in a sockaddr_un: path names end at their NUL, abstract names
 * (first byte NUL) take the whole length. */
static int get_name(const void *sa, uint32_t len, char *name, uint32_t *nlen)
{
	const char *p = (const char *)sa + 2;
	if (*(const uint16_t *)sa != LINUX_AF_UNIX)
		return -EINVAL;
	if (len <= 2 || len > 2 + UNIX_NAME_MAX)
		return -EINVAL;
	uint32_t n = len - 2;
	if (p[0])
		n = (uint32_t)strnlen(p, n);
	if (n == 0)
		return -EINVAL;
	memcpy(name, p, n);
	*nlen = n;
	return 0;
}

static void put_name(const char *name, uint32_t nlen, void *sa, uint32_t *len)
{
	uint8_t out[2 + UNIX_NAME_MAX + 1];
	uint32_t full = 2 + nlen + (nlen && name[0] ? 1 : 0);     /* path names count their NUL */
	memset(out, 0, sizeof(out));
	*(uint16_t *)out = LINUX_AF_UNIX;
	memcpy(out + 2, name, nlen);
	memcpy(sa, out, *len < full ? *len : full);
	*len = full;
}

static struct unix_ep *lookup(const char *name, uint32_t nlen)
{
	for (struct unix_ep *e = bound_list; e; e = e->bound_next)
		if (e->name_len == nlen && !memcmp(e->name, name, nlen))
			return e;
	return 0;
}

static struct unix_ep *ep(struct sock *sk) { return sk->priv; }

static int ux_bind(struct sock *sk, const void *sa, uint32_t len)
{
	char name[UNIX_NAME_MAX];
	uint32_t n;
	int r = get_name(sa, len, name, &n);
	if (r)
		return r;
	mutex_lock(&unix_mutex);
	struct unix_ep *e = ep(sk);
	if (e->name_len)
		r = -EINVAL;
	else if (lookup(name, n))
		r = -EADDRINUSE;
	else {
		memcpy(e->name, name, n);
		e->name_len = n;
		e->bound_next = bound_list;
		bound_list = e;
	}
	mutex_unlock(&unix_mutex);
	return r;
}

static int ux_connect(struct sock *sk, const void *sa, uint32_t len)
{
	char name[UNIX_NAME_MAX];
	uint32_t n;
	int r = get_name(sa, len, name, &n);
	if (r)
		return r;
	mutex_lock(&unix_mutex);
	struct unix_ep *e = ep(sk), *l = lookup(name, n);
	if (e->type == LINUX_SOCK_DGRAM) {
		if (!l || l->type != LINUX_SOCK_DGRAM)
			r = l ? -EPROTOTYPE : name[0] ? -ENOENT : -ECONNREFUSED;
		else {
			memcpy(e->dest, name, n);
			e->dest_len = n;
		}
	} else if (e->peer || e->peer_gone) {
		r = -EISCONN;
	} else if (!l) {
		r = name[0] ? -ENOENT : -ECONNREFUSED;    /* as Linux: no socket file / no such abstract name */
	} else if (!l->listening) {
		r = l->type != LINUX_SOCK_STREAM ? -EPROTOTYPE : -ECONNREFUSED;
	} else if (l->nbacklog >= l->backlog_max) {
		r = -EAGAIN;                  /* blocking callers wait for an accept */
	} else {
		struct unix_ep *s = ep_new(LINUX_SOCK_STREAM);
		if (!s) {
			r = -ENOMEM;
		} else {
			s->peer = e;
			e->peer = s;
			memcpy(s->name, l->name, l->name_len);     /* accepted sockets carry the listener's name */
			s->name_len = l->name_len;
			l->backlog[l->nbacklog++] = s;
		}
	}
	mutex_unlock(&unix_mutex);
	file_poll_wake();
	return r;
}

static int ux_connect_done(struct sock *sk) { return 0; }

static int ux_listen(struct sock *sk, int backlog)
{
	struct unix_ep *e = ep(sk);
	if (e->type != LINUX_SOCK_STREAM)
		return -EOPNOTSUPP;
	mutex_lock(&unix_mutex);
	int r = 0;
	if (!e->name_len || e->peer)
		r = -EINVAL;
	else {
		e->listening = 1;
		e->backlog_max = backlog < 1 ? 1 : backlog > UNIX_BACKLOG_MAX ? UNIX_BACKLOG_MAX : backlog;
	}
	mutex_unlock(&unix_mutex);
	return r;
}

static const struct sock_ops unix_ops;

static int ux_accept(struct sock *sk, struct sock **newsk, void *sa, uint32_t *len)
{
	struct unix_ep *e = ep(sk);
	struct sock *n = kzalloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	mutex_lock(&unix_mutex);
	int r = 0;
	if (!e->listening)
		r = -EINVAL;
	else if (!e->nbacklog)
		r = -EAGAIN;
	else {
		struct unix_ep *s = e->backlog[0];
		memmove(e->backlog, e->backlog + 1, (size_t)--e->nbacklog * sizeof(e->backlog[0]));
		n->ops = &unix_ops;
		n->family = LINUX_AF_UNIX;
		n->type = LINUX_SOCK_STREAM;
		n->priv = s;
		if (s->peer)
			put_name(s->peer->name, s->peer->name_len, sa, len);
		else
			put_name("", 0, sa, len);
	}
	mutex_unlock(&unix_mutex);
	if (r) {
		kfree(n);
		return r;
	}
	*newsk = n;
	file_poll_wake();                 /* a connector waiting for room */
	return 0;
}

static int ux_name(struct sock *sk, void *sa, uint32_t *len, int peer)
{
	mutex_lock(&unix_mutex);
	struct unix_ep *e = ep(sk);
	int r = 0;
	if (!peer)
		put_name(e->name, e->name_len, sa, len);
	else if (e->peer)
		put_name(e->peer->name, e->peer->name_len, sa, len);
	else if (e->dest_len)
		put_name(e->dest, e->dest_len, sa, len);
	else
		r = -ENOTCONN;
	mutex_unlock(&unix_mutex);
	return r;
}

static long stream_send(struct unix_ep *e, const void *buf, size_t n)
{
	if (e->wr_shut || e->peer_gone)
		return -EPIPE;
	if (!e->peer)
		return -ENOTCONN;
	struct unix_ep *p = e->peer;
	uint32_t space = UNIX_BUF - p->count;
	if (!space)
		return -EAGAIN;
	size_t k = n < space ? n : space;
	for (size_t i = 0; i < k;) {
		uint32_t tail = (p->head + p->count) % UNIX_BUF;
		size_t run = UNIX_BUF - tail < k - i ? UNIX_BUF - tail : k - i;
		memcpy(p->buf + tail, (const uint8_t *)buf + i, run);
		p->count += (uint32_t)run;
		i += run;
	}
	return (long)k;
}

static long dgram_send(struct unix_ep *e, const void *buf, size_t n, const void *sa, uint32_t salen)
{
	struct unix_ep *to;
	if (n > UNIX_DGRAM_MAX)
		return -EMSGSIZE;
	if (sa) {
		char name[UNIX_NAME_MAX];
		uint32_t nl;
		int r = get_name(sa, salen, name, &nl);
		if (r)
			return r;
		to = lookup(name, nl);
		if (!to)
			return name[0] ? -ENOENT : -ECONNREFUSED;
	} else if (e->peer || e->peer_gone) {
		to = e->peer;
	} else if (e->dest_len) {
		to = lookup(e->dest, e->dest_len);
	} else {
		return -EDESTADDRREQ;
	}
	if (!to)
		return -ECONNREFUSED;
	if (to->type != LINUX_SOCK_DGRAM)
		return -EPROTOTYPE;
	if (to->q_bytes + n > UNIX_DGRAM_QUEUE)
		return -EAGAIN;
	struct dgram *d = kmalloc(sizeof(*d) + n);
	if (!d)
		return -ENOMEM;
	d->next = 0;
	d->len = (uint32_t)n;
	d->from_len = e->name_len;
	memcpy(d->from, e->name, e->name_len);
	memcpy(d->data, buf, n);
	if (to->q_tail)
		to->q_tail->next = d;
	else
		to->q_head = d;
	to->q_tail = d;
	to->q_bytes += (uint32_t)n;
	return (long)n;
}

static long ux_send(struct sock *sk, const void *buf, size_t n, int flags, const void *sa, uint32_t len)
{
	mutex_lock(&unix_mutex);
	struct unix_ep *e = ep(sk);
	long r = e->type == LINUX_SOCK_STREAM ? (sa && !e->peer ? -EOPNOTSUPP : stream_send(e, buf, n))
					       : dgram_send(e, buf, n, sa, len);
	mutex_unlock(&unix_mutex);
	if (r > 0)
		file_poll_wake();
	return r;
}

#define L_MSG_PEEK 0x2
static long ux_recv(struct sock *sk, void *buf, size_t n, int flags, void *sa, uint32_t *len)
{
	mutex_lock(&unix_mutex);
	struct unix_ep *e = ep(sk);
	long r;
	if (e->type == LINUX_SOCK_STREAM) {
		if (e->count) {
			size_t k = n < e->count ? n : e->count;
			for (size_t i = 0; i < k;) {
				uint32_t at = (e->head + (uint32_t)i) % UNIX_BUF;
				size_t run = UNIX_BUF - at < k - i ? UNIX_BUF - at : k - i;
				memcpy((uint8_t *)buf + i, e->buf + at, run);
				i += run;
			}
			if (!(flags & L_MSG_PEEK)) {
				e->head = (uint32_t)((e->head + k) % UNIX_BUF);
				e->count -= (uint32_t)k;
			}
			r = (long)k;
		} else if (e->peer_gone || e->rd_eof) {
			r = 0;
		} else {
			r = e->peer || e->listening ? -EAGAIN : -ENOTCONN;
			if (e->listening)
				r = -ENOTCONN;
		}
		if (sa && r >= 0)
			put_name(e->peer ? e->peer->name : "", e->peer ? e->peer->name_len : 0, sa, len);
	} else if (e->q_head) {
		struct dgram *d = e->q_head;
		size_t k = n < d->len ? n : d->len;
		memcpy(buf, d->data, k);
		if (sa)
			put_name(d->from, d->from_len, sa, len);
		if (!(flags & L_MSG_PEEK)) {
			e->q_head = d->next;
			if (!e->q_head)
				e->q_tail = 0;
			e->q_bytes -= d->len;
			kfree(d);
		}
		r = (long)k;
	} else {
		r = e->peer_gone ? 0 : -EAGAIN;
	}
	mutex_unlock(&unix_mutex);
	if (r > 0)
		file_poll_wake();             /* room for a writer */
	return r;
}

static int ux_shutdown(struct sock *sk, int how)
{
	mutex_lock(&unix_mutex);
	struct unix_ep *e = ep(sk);
	int r = 0;
	if (e->type == LINUX_SOCK_STREAM && !e->peer && !e->peer_gone)
		r = -ENOTCONN;
	else if (how != 0) {               /* SHUT_WR or SHUT_RDWR */
		e->wr_shut = 1;
		if (e->peer)
			e->peer->rd_eof = 1;
	}
	if (how != 1)
		e->rd_eof = 1;
	mutex_unlock(&unix_mutex);
	return r;
}

static int ux_setsockopt(struct sock *sk, int level, int opt, const void *val, uint32_t len)
{
	/* SO_REUSEADDR 2, SO_SNDBUF 7, SO_RCVBUF 8, SO_PASSCRED 16: accepted,
	 * the buffers have fixed sizes here. */
	if (level == L_SOL_SOCKET && (opt == 2 || opt == 7 || opt == 8 || opt == 16))
		return 0;
	return -ENOPROTOOPT;
}

static int ux_getsockopt(struct sock *sk, int level, int opt, void *val, uint32_t *len)
{
	int v;
	if (level != L_SOL_SOCKET)
		return -ENOPROTOOPT;
	switch (opt) {
	case 3: v = sk->type; break;                          /* SO_TYPE */
	case 4: v = 0; break;                                 /* SO_ERROR */
	case 7: case 8: v = (int)UNIX_BUF; break;             /* SO_SNDBUF, SO_RCVBUF */
	case 30: v = ep(sk)->listening; break;                /* SO_ACCEPTCONN */
	default: return -ENOPROTOOPT;
	}
	memcpy(val, &v, *len < 4 ? *len : 4);
	*len = 4;
	return 0;
}

static int ux_poll(struct sock *sk, int events)
{
	mutex_lock(&unix_mutex);
	struct unix_ep *e = ep(sk);
	int r = 0;
	if (e->type == LINUX_SOCK_STREAM) {
		if (e->count || e->rd_eof || e->peer_gone || (e->listening && e->nbacklog))
			r |= POLLIN;
		if (e->peer && !e->wr_shut && e->peer->count < UNIX_BUF)
			r |= POLLOUT;
		if (e->peer_gone)
			r |= POLLHUP | POLLOUT;    /* a write would fail at once (EPIPE) */
	} else {
		if (e->q_head || e->peer_gone)
			r |= POLLIN;
		r |= POLLOUT;
	}
	mutex_unlock(&unix_mutex);
	return r & (events | POLLHUP | POLLERR);
}

static int ux_nread(struct sock *sk)
{
	struct unix_ep *e = ep(sk);
	return e->type == LINUX_SOCK_STREAM ? (int)e->count : e->q_head ? (int)e->q_head->len : 0;
}

static void ep_free(struct unix_ep *e)
{
	/* Connections nobody accepted: their clients see the end. */
	for (int i = 0; i < e->nbacklog; i++) {
		struct unix_ep *s = e->backlog[i];
		if (s->peer)
			s->peer->peer = 0, s->peer->peer_gone = 1;
		kfree(s->buf);
		kfree(s);
	}
	if (e->peer)
		e->peer->peer = 0, e->peer->peer_gone = 1;
	for (struct unix_ep **pp = &bound_list; *pp; pp = &(*pp)->bound_next)
		if (*pp == e) {              /* its name is free again */
			*pp = e->bound_next;
			break;
		}
	while (e->q_head) {
		struct dgram *d = e->q_head;
		e->q_head = d->next;
		kfree(d);
	}
	kfree(e->buf);
	kfree(e);
}

static void ux_release(struct sock *sk)
{
	mutex_lock(&unix_mutex);
	ep_free(ep(sk));
	mutex_unlock(&unix_mutex);
	file_poll_wake();
}

static const struct sock_ops unix_ops = {
	.bind = ux_bind, .connect = ux_connect, .connect_done = ux_connect_done, .listen = ux_listen,
	.accept = ux_accept, .name = ux_name, .send = ux_send, .recv = ux_recv, .shutdown = ux_shutdown,
	.setsockopt = ux_setsockopt, .getsockopt = ux_getsockopt, .poll = ux_poll, .nread = ux_nread,
	.release = ux_release,
};

int unix_create(struct sock *sk)
{
	if (sk->type != LINUX_SOCK_STREAM && sk->type != LINUX_SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	struct unix_ep *e = ep_new(sk->type);
	if (!e)
		return -ENOMEM;
	sk->priv = e;
	sk->ops = &unix_ops;
	return 0;
}

int unix_pair(struct sock *a, struct sock *b)
{
	mutex_lock(&unix_mutex);
	ep(a)->peer = ep(b);
	ep(b)->peer = ep(a);
	mutex_unlock(&unix_mutex);
	return 0;
}
