/*
 * The Linux socket system calls (i386): socketcall (102) and the direct
 * calls 359-373, sockets as file descriptors (read/write/close/dup/fork,
 * poll/select through file_poll), O_NONBLOCK and SOCK_CLOEXEC.  AF_INET
 * goes to lwIP (net/inet_lwip.c), AF_UNIX to net/unix.c.  Every user
 * pointer is copied with copy_from_user/copy_to_user (-EFAULT) and every
 * length checked (-EINVAL) before a family sees it.
 */
#include <amphi/syscall.h>
#include <amphi/proc.h>
#include <amphi/vfs.h>
#include <amphi/uaccess.h>
#include <amphi/heap.h>
#include <amphi/string.h>
#include <amphi/errno.h>
#include <amphi/net.h>
#include "../fs/file.h"
#include "inet.h"
#include "sock.h"
#include "ifconf.h"
#include "route.h"

#define A(i) (a->arg[i])
#define SOCK_NONBLOCK 04000
#define SOCK_CLOEXEC 02000000
#define MSG_DONTWAIT 0x40
#define MSG_NOSIGNAL 0x4000
#define IO_MAX (256u * 1024)          /* bytes moved per call (partial counts, as Linux) */
#define FIONREAD 0x541B

/* ---- AF_INET over lwIP ---- */

static int in_bind(struct sock *sk, const void *sa, uint32_t len) { return inet_bind(sk->lwip, sa, len); }
static int in_connect(struct sock *sk, const void *sa, uint32_t len) { return inet_connect(sk->lwip, sa, len); }
static int in_connect_done(struct sock *sk) { return inet_connect_result(sk->lwip); }
static int in_listen(struct sock *sk, int backlog) { return inet_listen(sk->lwip, backlog); }
static int in_name(struct sock *sk, void *sa, uint32_t *len, int peer) { return inet_name(sk->lwip, sa, len, peer); }
static int in_shutdown(struct sock *sk, int how) { return inet_shutdown(sk->lwip, how); }
static int in_poll(struct sock *sk, int events) { return inet_poll(sk->lwip, events); }
static int in_nread(struct sock *sk) { return inet_nread(sk->lwip); }
static void in_release(struct sock *sk) { inet_close(sk->lwip); }
static long in_send(struct sock *sk, const void *buf, size_t n, int flags, const void *sa, uint32_t len)
{
	return inet_send(sk->lwip, buf, n, flags, sa, len);
}
static long in_recv(struct sock *sk, void *buf, size_t n, int flags, void *sa, uint32_t *len)
{
	return inet_recv(sk->lwip, buf, n, flags, sa, len);
}
static int in_setsockopt(struct sock *sk, int level, int opt, const void *val, uint32_t len)
{
	return inet_setsockopt(sk->lwip, level, opt, val, len);
}
static int in_getsockopt(struct sock *sk, int level, int opt, void *val, uint32_t *len)
{
	return inet_getsockopt(sk->lwip, level, opt, val, len);
}
static const struct sock_ops inet_ops;
static int in_accept(struct sock *sk, struct sock **newsk, void *sa, uint32_t *len)
{
	int s = inet_accept(sk->lwip, sa, len);
	if (s < 0)
		return s;
	struct sock *n = kzalloc(sizeof(*n));
	if (!n) {
		inet_close(s);
		return -ENOMEM;
	}
	n->ops = &inet_ops;
	n->family = LINUX_AF_INET;
	n->type = sk->type;
	n->lwip = s;
	*newsk = n;
	return 0;
}
static const struct sock_ops inet_ops = {
	.bind = in_bind, .connect = in_connect, .connect_done = in_connect_done, .listen = in_listen,
	.accept = in_accept, .name = in_name, .send = in_send, .recv = in_recv, .shutdown = in_shutdown,
	.setsockopt = in_setsockopt, .getsockopt = in_getsockopt, .poll = in_poll, .nread = in_nread,
	.release = in_release,
};

void net_poll_wake(void)
{
	file_poll_wake();
}

/* ---- sockets as files ---- */

static int nonblock(struct file *f) { return f->flags & O_NONBLOCK; }
static struct sock *sk_of(struct file *f) { return f->priv; }

/* Runs expr until it is not -EAGAIN, sleeping for readiness in between
 * (unless nb); -EINTR when a signal arrives. */
#define RETRY(nb, expr) ({                                                        \
	long __r;                                                                   \
	for (;;) {                                                                  \
		uint32_t __seq = file_poll_seq();                                   \
		__r = (expr);                                                       \
		if (__r != -EAGAIN || (nb))                                         \
			break;                                                      \
		if (file_poll_sleep(__seq, 0) == -EINTR) {                          \
			__r = -EINTR;                                               \
			break;                                                      \
		}                                                                   \
	}                                                                           \
	__r;                                                                        \
})

static long sock_send_once(struct file *f, const void *buf, size_t n, int flags, const void *sa, uint32_t salen);

/* As Linux: EPIPE on a stream socket also raises SIGPIPE, unless MSG_NOSIGNAL. */
static long sock_send(struct file *f, const void *buf, size_t n, int flags, const void *sa, uint32_t salen)
{
	long r = sock_send_once(f, buf, n, flags, sa, salen);
	if (r == -EPIPE && sk_of(f)->type == LINUX_SOCK_STREAM && !(flags & MSG_NOSIGNAL) && proc_current())
		proc_send_signal(proc_current(), SIGPIPE);
	return r;
}

static long sock_send_once(struct file *f, const void *buf, size_t n, int flags, const void *sa, uint32_t salen)
{
	struct sock *sk = sk_of(f);
	int nb = nonblock(f) || (flags & MSG_DONTWAIT);
	if (sk->type != LINUX_SOCK_STREAM)
		return RETRY(nb, sk->ops->send(sk, buf, n, flags, sa, salen));
	size_t done = 0;
	while (done < n || n == 0) {
		long r = RETRY(nb, sk->ops->send(sk, (const char *)buf + done, n - done, flags, sa, salen));
		if (r < 0)
			return done ? (long)done : r;
		done += (size_t)r;
		if (n == 0 || nb)
			break;
	}
	return (long)done;
}

static long sock_recv(struct file *f, void *buf, size_t n, int flags, void *sa, uint32_t *salen)
{
	struct sock *sk = sk_of(f);
	return RETRY(nonblock(f) || (flags & MSG_DONTWAIT), sk->ops->recv(sk, buf, n, flags, sa, salen));
}

static ssize32_t sockf_read(struct file *f, void *buf, size_t n)
{
	return (ssize32_t)sock_recv(f, buf, n, 0, 0, 0);
}

static ssize32_t sockf_write(struct file *f, const void *buf, size_t n)
{
	return (ssize32_t)sock_send(f, buf, n, 0, 0, 0);
}

static void sockf_release(struct file *f)
{
	struct sock *sk = sk_of(f);
	sk->ops->release(sk);
	kfree(sk);
	file_poll_wake();
}

static int sockf_stat(struct file *f, struct kstat64 *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = 3;              /* sockfs */
	st->__st_ino = st->st_ino = (uint32_t)(uintptr_t)f->priv;
	st->st_mode = S_IFSOCK | 0777;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

static int sockf_poll(struct file *f, int events)
{
	struct sock *sk = sk_of(f);
	return sk->ops->poll(sk, events);
}

static int sockf_ioctl(struct file *f, uint32_t cmd, void *arg)
{
	struct sock *sk = sk_of(f);
	if (cmd != FIONREAD)
		return -ENOTTY;
	int32_t v = sk->ops->nread(sk);
	if (v < 0)
		return v;
	memcpy(arg, &v, 4);
	return 0;
}

static const struct file_ops sock_file_ops = {
	.read = sockf_read, .write = sockf_write, .release = sockf_release, .stat = sockf_stat,
	.poll = sockf_poll, .ioctl = sockf_ioctl,
};

/* The interface ioctls (0x89xx) on any socket, as Linux; user pointers
 * handled here.  -ENOTTY for other files and requests. */
long net_sock_ioctl(struct file *f, uint32_t cmd, uint32_t uarg)
{
	if (f->ops != &sock_file_ops)
		return -ENOTTY;
	int r = net_up();
	if (r)
		return r;
	if (cmd == L_SIOCGIFCONF) {
		struct { int32_t len; uint32_t buf; } ic;
		if (copy_from_user(&ic, uarg, sizeof(ic)))
			return -EFAULT;
		if (ic.len < 0)
			return -EINVAL;
		int max = ic.buf ? ic.len / (int)sizeof(struct linux_ifreq) : 0;
		if (max > 64)
			max = 64;
		struct linux_ifreq *req = max ? kzalloc((size_t)max * sizeof(*req)) : 0;
		if (max && !req)
			return -ENOMEM;
		int n = ifconf_list(req, max);
		int fill = n < max ? n : max;
		ic.len = (int32_t)((ic.buf ? fill : n) * (int)sizeof(struct linux_ifreq));
		r = 0;
		if ((fill && copy_to_user(ic.buf, req, (size_t)fill * sizeof(*req))) || copy_to_user(uarg, &ic, sizeof(ic)))
			r = -EFAULT;
		kfree(req);
		return r;
	}
	if (cmd == L_SIOCADDRT || cmd == L_SIOCDELRT) {
		struct linux_rtentry rt;
		char dev[IFNAMSIZ_L] = "";
		if (copy_from_user(&rt, uarg, sizeof(rt)))
			return -EFAULT;
		if (rt.dev) {
			long k = strncpy_from_user(dev, rt.dev, sizeof(dev));
			if (k < 0)
				return k == -ENAMETOOLONG ? -ENODEV : k;
		}
		return route_request(cmd, &rt, dev);
	}
	switch (cmd) {
	case L_SIOCGIFNAME: case L_SIOCGIFFLAGS: case L_SIOCSIFFLAGS: case L_SIOCGIFADDR: case L_SIOCSIFADDR:
	case L_SIOCGIFBRDADDR: case L_SIOCGIFNETMASK: case L_SIOCSIFNETMASK: case L_SIOCGIFMTU:
	case L_SIOCGIFHWADDR: case L_SIOCGIFINDEX:
		break;
	default:
		return -ENOTTY;
	}
	struct linux_ifreq req;
	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	r = ifconf_request(cmd, &req);
	if (!r && copy_to_user(uarg, &req, sizeof(req)))
		r = -EFAULT;
	return r;
}

/* The socket file of fd, or NULL with *err -EBADF / -ENOTSOCK. */
static struct file *sock_file(int fd, int *err)
{
	struct process *p = proc_current();
	struct file *f = p ? fd_get(p->fds, fd) : 0;
	*err = f ? -ENOTSOCK : -EBADF;
	return f && f->ops == &sock_file_ops ? f : 0;
}
#define SOCKF(fd)                                                                 \
	int __err;                                                                  \
	struct file *f = sock_file((int)(fd), &__err);                              \
	if (!f)                                                                     \
		return __err;                                                       \
	struct sock *sk = sk_of(f); (void)sk

/* Installs sk as a new descriptor; frees it on failure. */
static long sock_install(struct sock *sk, int flags)
{
	struct file *f = file_new(&sock_file_ops, sk, O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0));
	if (!f) {
		sk->ops->release(sk);
		kfree(sk);
		return -ENOMEM;
	}
	int fd = fd_install(proc_current()->fds, f, 0, !!(flags & SOCK_CLOEXEC));
	if (fd < 0)
		file_put(f);      /* releases sk too */
	return fd;          /* else the table holds our reference */
}

static int sock_new(int family, int type, int protocol, struct sock **out)
{
	if (family != LINUX_AF_INET && family != LINUX_AF_UNIX)
		return -EAFNOSUPPORT;
	struct sock *sk = kzalloc(sizeof(*sk));
	if (!sk)
		return -ENOMEM;
	sk->family = family;
	sk->type = type;
	int r;
	if (family == LINUX_AF_INET) {
		r = net_up();
		if (!r)
			r = inet_socket(type, protocol);
		if (r >= 0) {
			sk->lwip = r;
			sk->ops = &inet_ops;
			r = 0;
		}
	} else {
		r = protocol ? -EPROTONOSUPPORT : unix_create(sk);
	}
	if (r) {
		kfree(sk);
		return r;
	}
	*out = sk;
	return 0;
}

static long do_socket(int family, int type, int protocol)
{
	if (type & ~(0xf | SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	struct sock *sk;
	int r = sock_new(family, type & 0xf, protocol, &sk);
	return r ? r : sock_install(sk, type);
}

static long do_socketpair(int family, int type, int protocol, uint32_t usv)
{
	if (family != LINUX_AF_UNIX)
		return family == LINUX_AF_INET ? -EOPNOTSUPP : -EAFNOSUPPORT;
	if (type & ~(0xf | SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	int32_t sv[2] = { -1, -1 };
	if (copy_to_user(usv, sv, sizeof(sv)))
		return -EFAULT;          /* check the array before creating anything */
	struct sock *s0, *s1;
	int r = sock_new(family, type & 0xf, protocol, &s0);
	if (r)
		return r;
	r = sock_new(family, type & 0xf, protocol, &s1);
	if (r) {
		s0->ops->release(s0);
		kfree(s0);
		return r;
	}
	r = unix_pair(s0, s1);
	if (r) {
		s0->ops->release(s0), s1->ops->release(s1);
		kfree(s0), kfree(s1);
		return r;
	}
	long fd0 = sock_install(s0, type);
	if (fd0 < 0) {
		s1->ops->release(s1);
		kfree(s1);
		return fd0;
	}
	long fd1 = sock_install(s1, type);
	if (fd1 < 0) {
		fd_close(proc_current()->fds, (int)fd0);
		return fd1;
	}
	sv[0] = (int32_t)fd0, sv[1] = (int32_t)fd1;
	if (copy_to_user(usv, sv, sizeof(sv))) {
		fd_close(proc_current()->fds, (int)fd0);
		fd_close(proc_current()->fds, (int)fd1);
		return -EFAULT;
	}
	return 0;
}

/* A user address into kbuf (len checked). */
static int get_addr(uint32_t uaddr, uint32_t len, void *kbuf)
{
	if ((int32_t)len < 0 || len > SOCKADDR_MAX || len < 2)
		return -EINVAL;
	return copy_from_user(kbuf, uaddr, len) ? -EFAULT : 0;
}

/* Reads the user's *ulen (the room at uaddr), checks it. */
static int get_addrlen(uint32_t uaddr, uint32_t ulen, uint32_t *room)
{
	int32_t l;
	if (!uaddr)
		return *room = 0, 0;
	if (copy_from_user(&l, ulen, 4))
		return -EFAULT;
	if (l < 0)
		return -EINVAL;
	*room = (uint32_t)l;
	return 0;
}

/* Copies an address out: at most room bytes, and the full length to *ulen. */
static int put_addr(uint32_t uaddr, uint32_t ulen, uint32_t room, const void *ksa, uint32_t full)
{
	if (!uaddr)
		return 0;
	uint32_t n = room < full ? room : full;
	if ((n && copy_to_user(uaddr, ksa, n)) || copy_to_user(ulen, &full, 4))
		return -EFAULT;
	return 0;
}

static long do_bind(int fd, uint32_t uaddr, uint32_t len)
{
	SOCKF(fd);
	char sa[SOCKADDR_MAX];
	int r = get_addr(uaddr, len, sa);
	return r ? r : sk->ops->bind(sk, sa, len);
}

static long do_connect(int fd, uint32_t uaddr, uint32_t len)
{
	SOCKF(fd);
	char sa[SOCKADDR_MAX];
	int r = get_addr(uaddr, len, sa);
	if (r)
		return r;
	r = sk->ops->connect(sk, sa, len);
	if (r != -EINPROGRESS || nonblock(f))
		return r;
	for (;;) {
		uint32_t seq = file_poll_seq();
		if (sk->ops->poll(sk, POLLOUT))
			return sk->ops->connect_done(sk);
		if (file_poll_sleep(seq, 0) == -EINTR)
			return -EINTR;
	}
}

static long do_listen(int fd, int backlog)
{
	SOCKF(fd);
	return sk->ops->listen(sk, backlog < 0 ? 0 : backlog);
}

static long do_accept(int fd, uint32_t uaddr, uint32_t ulen, int flags)
{
	SOCKF(fd);
	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	uint32_t room, full = SOCKADDR_MAX;
	int r = get_addrlen(uaddr, ulen, &room);
	if (r)
		return r;
	char sa[SOCKADDR_MAX];
	struct sock *n = 0;
	r = (int)RETRY(nonblock(f), (full = SOCKADDR_MAX, sk->ops->accept(sk, &n, sa, &full)));
	if (r)
		return r;
	long nfd = sock_install(n, flags);
	if (nfd >= 0 && put_addr(uaddr, ulen, room, sa, full)) {
		fd_close(proc_current()->fds, (int)nfd);
		return -EFAULT;
	}
	return nfd;
}

static long do_name(int fd, uint32_t uaddr, uint32_t ulen, int peer)
{
	SOCKF(fd);
	uint32_t room, full = SOCKADDR_MAX;
	if (!uaddr)
		return -EFAULT;
	int r = get_addrlen(uaddr, ulen, &room);
	if (r)
		return r;
	char sa[SOCKADDR_MAX];
	memset(sa, 0, sizeof(sa));
	r = sk->ops->name(sk, sa, &full, peer);
	return r ? r : put_addr(uaddr, ulen, room, sa, full);
}

static long do_sendto(int fd, uint32_t ubuf, uint32_t len, int flags, uint32_t uaddr, uint32_t alen)
{
	SOCKF(fd);
	if ((int32_t)len < 0)
		return -EINVAL;
	char sa[SOCKADDR_MAX];
	if (uaddr) {
		int r = get_addr(uaddr, alen, sa);
		if (r)
			return r;
	}
	if (len > IO_MAX)
		len = sk->type == LINUX_SOCK_STREAM ? IO_MAX : len;
	if (len > IO_MAX)
		return -EMSGSIZE;
	void *kb = kmalloc(len ? len : 1);
	if (!kb)
		return -ENOMEM;
	long r = copy_from_user(kb, ubuf, len) ? -EFAULT
		 : sock_send(f, kb, len, flags, uaddr ? sa : 0, uaddr ? alen : 0);
	kfree(kb);
	return r;
}

static long do_recvfrom(int fd, uint32_t ubuf, uint32_t len, int flags, uint32_t uaddr, uint32_t ulen)
{
	SOCKF(fd);
	if ((int32_t)len < 0)
		return -EINVAL;
	uint32_t room, full = SOCKADDR_MAX;
	int e = get_addrlen(uaddr, ulen, &room);
	if (e)
		return e;
	if (len > IO_MAX)
		len = IO_MAX;
	void *kb = kmalloc(len ? len : 1);
	if (!kb)
		return -ENOMEM;
	char sa[SOCKADDR_MAX];
	memset(sa, 0, sizeof(sa));
	long r = sock_recv(f, kb, len, flags, uaddr ? sa : 0, &full);
	if (r > 0 && copy_to_user(ubuf, kb, (size_t)r))
		r = -EFAULT;
	if (r >= 0 && uaddr && put_addr(uaddr, ulen, room, sa, full))
		r = -EFAULT;
	kfree(kb);
	return r;
}

/* struct msghdr, i386 */
struct kmsghdr {
	uint32_t name, namelen, iov, iovlen, control, controllen;
	int32_t flags;
};
struct kiov {
	uint32_t base, len;
};

/* Reads msg and its iovec; the total length (clamped to IO_MAX). */
static long get_msg(uint32_t umsg, struct kmsghdr *m, struct kiov **iov)
{
	if (copy_from_user(m, umsg, sizeof(*m)))
		return -EFAULT;
	if (m->iovlen > 1024)
		return -EMSGSIZE;
	*iov = kmalloc((m->iovlen ? m->iovlen : 1) * sizeof(struct kiov));
	if (!*iov)
		return -ENOMEM;
	if (m->iovlen && copy_from_user(*iov, m->iov, m->iovlen * sizeof(struct kiov))) {
		kfree(*iov);
		return -EFAULT;
	}
	uint64_t total = 0;
	for (uint32_t i = 0; i < m->iovlen; i++) {
		if ((int32_t)(*iov)[i].len < 0) {
			kfree(*iov);
			return -EINVAL;
		}
		total += (*iov)[i].len;
	}
	return total > IO_MAX ? (long)IO_MAX : (long)total;
}

static long do_sendmsg(int fd, uint32_t umsg, int flags)
{
	SOCKF(fd);
	struct kmsghdr m;
	struct kiov *iov;
	long total = get_msg(umsg, &m, &iov);
	if (total < 0)
		return total;
	char sa[SOCKADDR_MAX];
	long r = m.name ? get_addr(m.name, m.namelen, sa) : 0;
	char *kb = r ? 0 : kmalloc(total ? (size_t)total : 1);
	if (!r && !kb)
		r = -ENOMEM;
	for (uint32_t i = 0, off = 0; !r && i < m.iovlen && off < (uint32_t)total; i++) {
		uint32_t k = iov[i].len < total - off ? iov[i].len : (uint32_t)total - off;
		if (copy_from_user(kb + off, iov[i].base, k))
			r = -EFAULT;
		off += k;
	}
	if (!r)
		r = sock_send(f, kb, (size_t)total, flags, m.name ? sa : 0, m.name ? m.namelen : 0);
	kfree(kb);
	kfree(iov);
	return r;
}

static long do_recvmsg(int fd, uint32_t umsg, int flags)
{
	SOCKF(fd);
	struct kmsghdr m;
	struct kiov *iov;
	long total = get_msg(umsg, &m, &iov);
	if (total < 0)
		return total;
	char *kb = kmalloc(total ? (size_t)total : 1);
	char sa[SOCKADDR_MAX];
	uint32_t full = SOCKADDR_MAX;
	memset(sa, 0, sizeof(sa));
	long r = kb ? sock_recv(f, kb, (size_t)total, flags, m.name ? sa : 0, &full) : -ENOMEM;
	for (uint32_t i = 0, off = 0; r > 0 && i < m.iovlen && off < (uint32_t)r; i++) {
		uint32_t k = iov[i].len < r - off ? iov[i].len : (uint32_t)r - off;
		if (copy_to_user(iov[i].base, kb + off, k))
			r = -EFAULT;
		off += k;
	}
	if (r >= 0) {
		uint32_t nl = m.name ? (m.namelen < full ? m.namelen : full) : 0;
		uint32_t zero = 0;
		int32_t fl = 0;
		if ((nl && copy_to_user(m.name, sa, nl)) ||
		    (m.name && copy_to_user(umsg + 4, &full, 4)) ||
		    copy_to_user(umsg + 20, &zero, 4) || copy_to_user(umsg + 24, &fl, 4))
			r = -EFAULT;
	}
	kfree(kb);
	kfree(iov);
	return r;
}

static long do_shutdown(int fd, int how)
{
	SOCKF(fd);
	if (how < 0 || how > 2)
		return -EINVAL;
	long r = sk->ops->shutdown(sk, how);
	file_poll_wake();
	return r;
}

static long do_setsockopt(int fd, int level, int opt, uint32_t uval, uint32_t len)
{
	SOCKF(fd);
	char v[64];
	if ((int32_t)len < 0 || len > sizeof(v))
		return -EINVAL;
	if (len && copy_from_user(v, uval, len))
		return -EFAULT;
	return sk->ops->setsockopt(sk, level, opt, v, len);
}

static long do_getsockopt(int fd, int level, int opt, uint32_t uval, uint32_t ulen)
{
	SOCKF(fd);
	int32_t len;
	if (copy_from_user(&len, ulen, 4))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	char v[64];
	memset(v, 0, sizeof(v));
	uint32_t l = (uint32_t)len < sizeof(v) ? (uint32_t)len : sizeof(v);
	int r = sk->ops->getsockopt(sk, level, opt, v, &l);
	if (r)
		return r;
	if ((l && copy_to_user(uval, v, l)) || copy_to_user(ulen, &l, 4))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(359, socket) { return do_socket((int)A(0), (int)A(1), (int)A(2)); }
SYSCALL_DEFINE(360, socketpair) { return do_socketpair((int)A(0), (int)A(1), (int)A(2), A(3)); }
SYSCALL_DEFINE(361, bind) { return do_bind((int)A(0), A(1), A(2)); }
SYSCALL_DEFINE(362, connect) { return do_connect((int)A(0), A(1), A(2)); }
SYSCALL_DEFINE(363, listen) { return do_listen((int)A(0), (int)A(1)); }
SYSCALL_DEFINE(364, accept4) { return do_accept((int)A(0), A(1), A(2), (int)A(3)); }
SYSCALL_DEFINE(365, getsockopt) { return do_getsockopt((int)A(0), (int)A(1), (int)A(2), A(3), A(4)); }
SYSCALL_DEFINE(366, setsockopt) { return do_setsockopt((int)A(0), (int)A(1), (int)A(2), A(3), A(4)); }
SYSCALL_DEFINE(367, getsockname) { return do_name((int)A(0), A(1), A(2), 0); }
SYSCALL_DEFINE(368, getpeername) { return do_name((int)A(0), A(1), A(2), 1); }
SYSCALL_DEFINE(369, sendto) { return do_sendto((int)A(0), A(1), A(2), (int)A(3), A(4), A(5)); }
SYSCALL_DEFINE(370, sendmsg) { return do_sendmsg((int)A(0), A(1), (int)A(2)); }
SYSCALL_DEFINE(371, recvfrom) { return do_recvfrom((int)A(0), A(1), A(2), (int)A(3), A(4), A(5)); }
SYSCALL_DEFINE(372, recvmsg) { return do_recvmsg((int)A(0), A(1), (int)A(2)); }
SYSCALL_DEFINE(373, shutdown) { return do_shutdown((int)A(0), (int)A(1)); }

/* socketcall(call, args): the arguments are an array in user memory. */
SYSCALL_DEFINE(102, socketcall)
{
	static const uint8_t nargs[19] = { 0, 3, 3, 3, 2, 3, 3, 3, 4, 4, 4, 6, 6, 2, 5, 5, 3, 3, 4 };
	uint32_t call = A(0), v[6] = { 0 };
	if (call < 1 || call > 18)
		return -EINVAL;
	if (copy_from_user(v, A(1), nargs[call] * 4u))
		return -EFAULT;
	switch (call) {
	case 1: return do_socket((int)v[0], (int)v[1], (int)v[2]);
	case 2: return do_bind((int)v[0], v[1], v[2]);
	case 3: return do_connect((int)v[0], v[1], v[2]);
	case 4: return do_listen((int)v[0], (int)v[1]);
	case 5: return do_accept((int)v[0], v[1], v[2], 0);
	case 6: return do_name((int)v[0], v[1], v[2], 0);
	case 7: return do_name((int)v[0], v[1], v[2], 1);
	case 8: return do_socketpair((int)v[0], (int)v[1], (int)v[2], v[3]);
	case 9: return do_sendto((int)v[0], v[1], v[2], (int)v[3], 0, 0);
	case 10: return do_recvfrom((int)v[0], v[1], v[2], (int)v[3], 0, 0);
	case 11: return do_sendto((int)v[0], v[1], v[2], (int)v[3], v[4], v[5]);
	case 12: return do_recvfrom((int)v[0], v[1], v[2], (int)v[3], v[4], v[5]);
	case 13: return do_shutdown((int)v[0], (int)v[1]);
	case 14: return do_setsockopt((int)v[0], (int)v[1], (int)v[2], v[3], v[4]);
	case 15: return do_getsockopt((int)v[0], (int)v[1], (int)v[2], v[3], v[4]);
	case 16: return do_sendmsg((int)v[0], v[1], (int)v[2]);
	case 17: return do_recvmsg((int)v[0], v[1], (int)v[2]);
	default: return do_accept((int)v[0], v[1], v[2], (int)v[3]);
	}
}
