/*
 * The AF_INET half of the socket system calls: Linux's ABI translated to
 * lwIP's socket layer (see net/inet.h).  Sockets are always non-blocking
 * in lwIP; every netconn event also wakes amphi's poll/select sleepers
 * (file_poll_wake via net_poll_wake), through a wrapper around the event
 * callback lwIP's socket layer installs on each netconn.
 */
#include "lwip/sockets.h"
#include "lwip/api.h"
#include "lwip/priv/sockets_priv.h"
#include "inet.h"

/* Linux i386 values (lwIP's differ). */
#define L_EAGAIN 11
#define L_EINVAL 22
#define L_ENOPROTOOPT 92
#define L_EAFNOSUPPORT 97
#define L_EPROTONOSUPPORT 93
#define L_MSG_OOB 0x1
#define L_MSG_PEEK 0x2
#define L_MSG_TRUNC 0x20
#define L_MSG_DONTWAIT 0x40
#define L_MSG_WAITALL 0x100
#define L_MSG_NOSIGNAL 0x4000
#define L_MSG_MORE 0x8000
#define L_SOL_SOCKET 1
#define L_POLLIN 0x1
#define L_POLLOUT 0x4
#define L_POLLERR 0x8
#define L_POLLHUP 0x10

struct linux_sockaddr_in {
	uint16_t family;
	uint16_t port;        /* network order */
	uint32_t addr;        /* network order */
	uint8_t zero[8];
};

static netconn_callback lwip_event_callback;

static void event_and_wake(struct netconn *conn, enum netconn_evt evt, u16_t len)
{
	lwip_event_callback(conn, evt, len);
	net_poll_wake();
}

/* Non-blocking, with the poll wake-up hooked in. */
static int adopt(int s)
{
	struct lwip_sock *sock = lwip_socket_dbg_get_socket(s);
	if (!sock || !sock->conn) {
		lwip_close(s);
		return -L_EINVAL;
	}
	SYS_ARCH_DECL_PROTECT(lev);
	SYS_ARCH_PROTECT(lev);
	if (sock->conn->callback != event_and_wake) {
		lwip_event_callback = sock->conn->callback;
		sock->conn->callback = event_and_wake;
	}
	SYS_ARCH_UNPROTECT(lev);
	netconn_set_nonblocking(sock->conn, 1);
	return s;
}

static int fail(void)
{
	return errno ? -errno : -L_EINVAL;
}

int inet_socket(int type, int protocol)
{
	if (type != LINUX_SOCK_STREAM && type != LINUX_SOCK_DGRAM && type != LINUX_SOCK_RAW)
		return -L_EPROTONOSUPPORT;
	errno = 0;
	int s = lwip_socket(AF_INET, type, protocol);
	return s < 0 ? fail() : adopt(s);
}

void inet_close(int s)
{
	lwip_close(s);
}

static int to_lwip_sa(const void *lsa, uint32_t len, struct sockaddr_in *sin)
{
	const struct linux_sockaddr_in *l = lsa;
	if (len < 8)
		return -L_EINVAL;
	if (l->family != LINUX_AF_INET)
		return -L_EAFNOSUPPORT;
	memset(sin, 0, sizeof(*sin));
	sin->sin_len = sizeof(*sin);
	sin->sin_family = AF_INET;
	sin->sin_port = l->port;
	sin->sin_addr.s_addr = l->addr;
	return 0;
}

/* Writes at most *len bytes of the Linux form; *len becomes the full size. */
static void from_lwip_sa(const struct sockaddr_in *sin, void *lsa, uint32_t *len)
{
	struct linux_sockaddr_in l = { LINUX_AF_INET, sin->sin_port, sin->sin_addr.s_addr, { 0 } };
	memcpy(lsa, &l, *len < sizeof(l) ? *len : sizeof(l));
	*len = sizeof(l);
}

int inet_bind(int s, const void *lsa, uint32_t len)
{
	struct sockaddr_in sin;
	int r = to_lwip_sa(lsa, len, &sin);
	if (r)
		return r;
	errno = 0;
	return lwip_bind(s, (struct sockaddr *)&sin, sizeof(sin)) < 0 ? fail() : 0;
}

int inet_connect(int s, const void *lsa, uint32_t len)
{
	struct sockaddr_in sin;
	int r = to_lwip_sa(lsa, len, &sin);
	if (r)
		return r;
	errno = 0;
	return lwip_connect(s, (struct sockaddr *)&sin, sizeof(sin)) < 0 ? fail() : 0;
}

int inet_connect_result(int s)
{
	int err = 0;
	socklen_t l = sizeof(err);
	if (lwip_getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &l) < 0)
		return fail();
	return -err;
}

int inet_listen(int s, int backlog)
{
	errno = 0;
	return lwip_listen(s, backlog) < 0 ? fail() : 0;
}

int inet_accept(int s, void *lsa, uint32_t *len)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	errno = 0;
	int n = lwip_accept(s, (struct sockaddr *)&sin, &sl);
	if (n < 0)
		return fail();
	if (lsa)
		from_lwip_sa(&sin, lsa, len);
	return adopt(n);
}

int inet_name(int s, void *lsa, uint32_t *len, int peer)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	errno = 0;
	int r = peer ? lwip_getpeername(s, (struct sockaddr *)&sin, &sl)
		     : lwip_getsockname(s, (struct sockaddr *)&sin, &sl);
	if (r < 0)
		return fail();
	from_lwip_sa(&sin, lsa, len);
	return 0;
}

static int to_lwip_flags(int lf)
{
	int f = MSG_DONTWAIT;
	if (lf & L_MSG_PEEK)
		f |= MSG_PEEK;
	if (lf & L_MSG_MORE)
		f |= MSG_MORE;
	if (lf & L_MSG_OOB)
		f |= MSG_OOB;
	return f;
}

long inet_send(int s, const void *buf, size_t n, int lflags, const void *lsa, uint32_t len)
{
	struct sockaddr_in sin;
	errno = 0;
	ssize_t r;
	if (lsa) {
		int e = to_lwip_sa(lsa, len, &sin);
		if (e)
			return e;
		r = lwip_sendto(s, buf, n, to_lwip_flags(lflags), (struct sockaddr *)&sin, sizeof(sin));
	} else {
		r = lwip_send(s, buf, n, to_lwip_flags(lflags));
	}
	return r < 0 ? fail() : r;
}

long inet_recv(int s, void *buf, size_t n, int lflags, void *lsa, uint32_t *len)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	memset(&sin, 0, sizeof(sin));
	errno = 0;
	ssize_t r = lwip_recvfrom(s, buf, n, to_lwip_flags(lflags), (struct sockaddr *)&sin, &sl);
	if (r < 0)
		return fail();
	if (lsa)
		from_lwip_sa(&sin, lsa, len);
	return r;
}

int inet_shutdown(int s, int how)
{
	errno = 0;
	return lwip_shutdown(s, how) < 0 ? fail() : 0;
}

/* Linux (level, name) -> lwIP's; 0 when lwIP has no such option. */
static int map_opt(int level, int opt, int *llevel, int *lopt)
{
	static const int sol[][2] = {
		{ 2, SO_REUSEADDR }, { 3, SO_TYPE }, { 4, SO_ERROR }, { 6, SO_BROADCAST },
		{ 7, SO_SNDBUF }, { 8, SO_RCVBUF }, { 9, SO_KEEPALIVE }, { 20, SO_RCVTIMEO },
		{ 21, SO_SNDTIMEO }, { 30, SO_ACCEPTCONN },
	};
	if (level == L_SOL_SOCKET) {
		for (unsigned i = 0; i < sizeof(sol) / sizeof(sol[0]); i++)
			if (sol[i][0] == opt) {
				*llevel = SOL_SOCKET;
				*lopt = sol[i][1];
				return 1;
			}
		return 0;
	}
	if ((level == IPPROTO_TCP && opt >= TCP_NODELAY && opt <= TCP_KEEPCNT && opt != TCP_KEEPALIVE) ||
	    (level == IPPROTO_IP && (opt == IP_TOS || opt == IP_TTL))) {
		*llevel = level;
		*lopt = opt;
		return 1;
	}
	return 0;
}

int inet_setsockopt(int s, int level, int opt, const void *val, uint32_t len)
{
	int ll, lo;
	if (!map_opt(level, opt, &ll, &lo))
		return -L_ENOPROTOOPT;
	if (lo == SO_SNDBUF || lo == SO_TYPE || lo == SO_ERROR || lo == SO_ACCEPTCONN)
		return 0;      /* lwIP sizes the send buffer itself; the rest are read-only */
	errno = 0;
	return lwip_setsockopt(s, ll, lo, val, len) < 0 ? fail() : 0;
}

int inet_getsockopt(int s, int level, int opt, void *val, uint32_t *len)
{
	int ll, lo;
	if (!map_opt(level, opt, &ll, &lo))
		return -L_ENOPROTOOPT;
	if (lo == SO_SNDBUF) {
		int v = TCP_SND_BUF;
		memcpy(val, &v, *len < 4 ? *len : 4);
		*len = 4;
		return 0;
	}
	socklen_t l = *len;
	errno = 0;
	if (lwip_getsockopt(s, ll, lo, val, &l) < 0)
		return fail();
	*len = l;
	return 0;
}

int inet_poll(int s, int events)
{
	struct pollfd pf = { s, 0, 0 };
	if (events & L_POLLIN)
		pf.events |= POLLIN;
	if (events & L_POLLOUT)
		pf.events |= POLLOUT;
	if (lwip_poll(&pf, 1, 0) < 0)
		return L_POLLERR;
	int r = 0;
	if (pf.revents & POLLIN)
		r |= L_POLLIN;
	if (pf.revents & POLLOUT)
		r |= L_POLLOUT;
	if (pf.revents & POLLERR)
		r |= L_POLLERR;
	if (pf.revents & POLLHUP)
		r |= L_POLLHUP;
	return r;
}

int inet_nread(int s)
{
	int n = 0;
	errno = 0;
	if (lwip_ioctl(s, FIONREAD, &n) < 0)
		return errno == L_EAGAIN ? 0 : fail();
	return n;
}
