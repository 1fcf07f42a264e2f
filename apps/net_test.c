/*
 * net-test: the socket system calls over the loopback interface (lwIP's
 * 127.0.0.1 in amphi; checked on the host Linux first by check-apps).
 * TCP echo of several MiB with a checksum (client non-blocking with poll,
 * server blocking), UDP request/response, select timeouts, sequential
 * connections, AF_UNIX (socketpair, a listening socket, datagrams), and
 * bad pointers and lengths (EFAULT, EINVAL, ...).
 * Usage: net-test [MiB [sequential [memcheck|-] [fuzz-calls]]]; memcheck (for amphi,
 * where nothing else runs) compares free memory before and after.
 * Prints one line per check and "net-test: N passed, M failed".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/sysinfo.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

static int passed, failed;

static void check(int ok, const char *what, const char *detail)
{
	printf("%s %s%s%s\n", ok ? "ok  " : "FAIL", what, detail ? ": " : "", detail ? detail : "");
	if (ok)
		passed++;
	else
		failed++;
}

static uint32_t fnv(uint32_t h, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* A listening TCP socket on 127.0.0.1, ephemeral port; the port out. */
static int tcp_listener(uint16_t *port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t l = sizeof(a);
	int one = 1;
	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 16) ||
	    getsockname(s, (struct sockaddr *)&a, &l))
		return -1;
	*port = ntohs(a.sin_port);
	return s;
}

static int tcp_connect(uint16_t port)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a))) {
		if (s >= 0)
			close(s);
		return -1;
	}
	return s;
}

/* Server: echoes every byte back until EOF. */
static void echo_server(int ls, int conns)
{
	static char buf[65536];
	for (int i = 0; i < conns; i++) {
		int c = accept(ls, 0, 0);
		if (c < 0)
			_exit(2);
		ssize_t n;
		while ((n = read(c, buf, sizeof(buf))) > 0)
			for (ssize_t off = 0; off < n;) {
				ssize_t w = write(c, buf + off, (size_t)(n - off));
				if (w <= 0)
					_exit(3);
				off += w;
			}
		close(c);
	}
	_exit(0);
}

static void test_tcp_echo(size_t total)
{
	uint16_t port;
	int ls = tcp_listener(&port);
	check(ls >= 0, "tcp listen on 127.0.0.1", 0);
	if (ls < 0)
		return;
	pid_t pid = fork();
	if (pid == 0)
		echo_server(ls, 1);
	close(ls);
	int s = tcp_connect(port);
	check(s >= 0, "tcp connect", s < 0 ? strerror(errno) : 0);
	if (s < 0)
		return;
	int one = 1;
	check(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0, "TCP_NODELAY", 0);
	check(fcntl(s, F_SETFL, O_NONBLOCK) == 0, "O_NONBLOCK", 0);
	static unsigned char out[65536], in[65536];
	uint32_t hs = 2166136261u, hr = 2166136261u, x = 12345;
	size_t sent = 0, got = 0, chunk_off = sizeof(out);
	int wr_shut = 0, polls = 0, eagain = 0;
	if (total == 0)
		wr_shut = shutdown(s, SHUT_WR) == 0 ? 1 : -1;
	while (got < total) {
		struct pollfd pf = { s, POLLIN | (sent < total ? POLLOUT : 0), 0 };
		if (poll(&pf, 1, 10000) != 1)
			break;
		polls++;
		if ((pf.revents & POLLOUT) && sent < total) {
			if (chunk_off == sizeof(out)) {
				for (size_t i = 0; i < sizeof(out); i++)
					out[i] = (unsigned char)((x = x * 1103515245u + 12345u) >> 16);
				chunk_off = 0;
			}
			size_t want = sizeof(out) - chunk_off;
			if (want > total - sent)
				want = total - sent;
			ssize_t w = write(s, out + chunk_off, want);
			if (w > 0) {
				hs = fnv(hs, out + chunk_off, (size_t)w);
				sent += (size_t)w, chunk_off += (size_t)w;
			} else if (errno == EAGAIN) {
				eagain++;
			} else {
				break;
			}
		}
		if (sent == total && !wr_shut)
			wr_shut = shutdown(s, SHUT_WR) == 0 ? 1 : -1;
		if (pf.revents & (POLLIN | POLLHUP)) {
			ssize_t r = read(s, in, sizeof(in));
			if (r > 0) {
				hr = fnv(hr, in, (size_t)r);
				got += (size_t)r;
			} else if (r == 0 || errno != EAGAIN) {
				break;
			}
		}
	}
	char d[160];
	snprintf(d, sizeof(d), "%zu bytes sent, %zu back, fnv %08x/%08x, %d polls", sent, got, hs, hr, polls);
	check(sent == total && got == total && hs == hr, "tcp echo with checksum", d);
	check(wr_shut == 1, "shutdown(SHUT_WR)", 0);
	char c;
	check(fcntl(s, F_SETFL, 0) == 0 && read(s, &c, 1) == 0, "blocking read: EOF after the server closes", 0);
	close(s);
	int st;
	check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "echo server exit 0", 0);
}

static void test_udp(void)
{
	int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) }, sb = sa, from;
	socklen_t l = sizeof(sa);
	check(a >= 0 && b >= 0 && bind(a, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	      getsockname(a, (struct sockaddr *)&sa, &l) == 0 && bind(b, (struct sockaddr *)&sb, sizeof(sb)) == 0 &&
	      (l = sizeof(sb), getsockname(b, (struct sockaddr *)&sb, &l)) == 0, "udp sockets bound", 0);
	int ok = 1;
	for (int i = 0; i < 100 && ok; i++) {
		char q[64], r[64];
		int n = snprintf(q, sizeof(q), "request %d", i);
		ok = sendto(b, q, (size_t)n, 0, (struct sockaddr *)&sa, sizeof(sa)) == n;
		l = sizeof(from);
		ok = ok && recvfrom(a, r, sizeof(r), 0, (struct sockaddr *)&from, &l) == n && !memcmp(q, r, (size_t)n) &&
		     from.sin_port == sb.sin_port;
		r[0] = 'R';
		ok = ok && sendto(a, r, (size_t)n, 0, (struct sockaddr *)&from, l) == n;
		ok = ok && recv(b, q, sizeof(q), 0) == n && q[0] == 'R';
	}
	check(ok, "udp request/response x100, peer address", 0);
	char c;
	errno = 0;
	check(recv(a, &c, 1, MSG_DONTWAIT) == -1 && errno == EAGAIN, "udp recv MSG_DONTWAIT empty: EAGAIN", 0);
	close(a);
	close(b);
}

static void test_select(void)
{
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t l = sizeof(sa);
	bind(u, (struct sockaddr *)&sa, sizeof(sa));
	getsockname(u, (struct sockaddr *)&sa, &l);
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(u, &rd);
	struct timeval tv = { 0, 200000 }, t0, t1;
	gettimeofday(&t0, 0);
	int r = select(u + 1, &rd, 0, 0, &tv);
	gettimeofday(&t1, 0);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_usec - t0.tv_usec) / 1000;
	char d[64];
	snprintf(d, sizeof(d), "%ld ms", ms);
	check(r == 0 && ms >= 150, "select times out on an idle socket", d);
	sendto(u, "x", 1, 0, (struct sockaddr *)&sa, sizeof(sa));
	FD_ZERO(&rd);
	FD_SET(u, &rd);
	tv.tv_sec = 5, tv.tv_usec = 0;
	check(select(u + 1, &rd, 0, 0, &tv) == 1 && FD_ISSET(u, &rd), "select sees a datagram", 0);
	close(u);
}

static void test_sequential(int n)
{
	uint16_t port;
	int ls = tcp_listener(&port);
	pid_t pid = fork();
	if (pid == 0)
		echo_server(ls, n);
	close(ls);
	int ok = 0;
	for (int i = 0; i < n; i++) {
		int s = tcp_connect(port);
		char q[16], r[16];
		int k = snprintf(q, sizeof(q), "c%d", i);
		if (s >= 0 && write(s, q, (size_t)k) == k && shutdown(s, SHUT_WR) == 0 &&
		    read(s, r, sizeof(r)) == k && !memcmp(q, r, (size_t)k))
			ok++;
		if (s >= 0)
			close(s);
	}
	int st;
	waitpid(pid, &st, 0);
	char d[64];
	snprintf(d, sizeof(d), "%d of %d", ok, n);
	check(ok == n, "sequential connections", d);
}

static void expect_err(long r, int e, const char *what)
{
	char d[96];
	snprintf(d, sizeof(d), "got %ld errno %d (%s), want errno %d", r, errno, strerror(errno), e);
	check(r == -1 && errno == e, what, r == -1 && errno == e ? 0 : d);
}

static void test_bad_args(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);
	check(bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0 && getsockname(s, (struct sockaddr *)&sa, &sl) == 0,
	      "udp bind for the bad-argument checks", 0);
	errno = 0; expect_err(syscall(SYS_bind, s, (void *)16, sizeof(sa)), EFAULT, "bind bad address: EFAULT");
	errno = 0; expect_err(syscall(SYS_bind, s, &sa, -1), EINVAL, "bind length -1: EINVAL");
	errno = 0; expect_err(syscall(SYS_connect, s, &sa, 100000), EINVAL, "connect length 100000: EINVAL");
	errno = 0; expect_err(syscall(SYS_sendto, s, (void *)16, 10, 0, &sa, sizeof(sa)), EFAULT, "sendto bad buffer: EFAULT");
	errno = 0; expect_err(syscall(SYS_getsockname, s, &sa, (void *)16), EFAULT, "getsockname bad length pointer: EFAULT");
	socklen_t bad = (socklen_t)-5;
	errno = 0; expect_err(syscall(SYS_getsockname, s, &sa, &bad), EINVAL, "getsockname negative length: EINVAL");
	errno = 0; expect_err(syscall(SYS_socket, 12345, SOCK_STREAM, 0), EAFNOSUPPORT, "socket family 12345: EAFNOSUPPORT");
	errno = 0; expect_err(syscall(SYS_getsockname, 0, &sa, &bad), ENOTSOCK, "getsockname on a non-socket: ENOTSOCK");
	errno = 0; expect_err(syscall(SYS_listen, 999, 1), EBADF, "listen on fd 999: EBADF");
	errno = 0; expect_err(syscall(SYS_socketcall, 1, (void *)16), EFAULT, "socketcall bad argument array: EFAULT");
	errno = 0; expect_err(syscall(SYS_socketcall, 99, (void *)16), EINVAL, "socketcall call 99: EINVAL");
	struct msghdr m = { .msg_iov = (void *)16, .msg_iovlen = 1 };
	errno = 0; expect_err(syscall(SYS_sendmsg, s, &m, 0), EFAULT, "sendmsg bad iovec: EFAULT");
	int v;
	socklen_t vl = sizeof(v);
	errno = 0; expect_err(syscall(SYS_getsockopt, s, SOL_SOCKET, SO_TYPE, &v, (void *)16), EFAULT, "getsockopt bad length: EFAULT");
	check(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &vl) == 0 && v == SOCK_DGRAM, "getsockopt SO_TYPE", 0);
	struct pollfd pf = { s, POLLIN, 0 };
	errno = 0; expect_err(syscall(SYS_poll, (void *)16, 1, 0), EFAULT, "poll bad array: EFAULT");
	check(poll(&pf, 1, 0) == 0, "poll idle udp socket: 0", 0);
	close(s);
}

/* Child writes total pseudo-random bytes into fd, parent reads and compares checksums. */
static void pair_transfer(int wfd, int rfd, size_t total, const char *what)
{
	static unsigned char b[32768];
	pid_t pid = fork();
	if (pid == 0) {
		uint32_t x = 777, h = 2166136261u;
		for (size_t sent = 0; sent < total;) {
			size_t k = total - sent < sizeof(b) ? total - sent : sizeof(b);
			for (size_t i = 0; i < k; i++)
				b[i] = (unsigned char)((x = x * 1103515245u + 12345u) >> 16);
			h = fnv(h, b, k);
			if (write(wfd, b, k) != (ssize_t)k)
				_exit(2);
			sent += k;
		}
		if (write(wfd, &h, 4) != 4)
			_exit(3);
		_exit(0);
	}
	uint32_t h = 2166136261u, theirs = 0;
	size_t got = 0;
	ssize_t n;
	while (got < total && (n = read(rfd, b, total - got < sizeof(b) ? total - got : sizeof(b))) > 0) {
		h = fnv(h, b, (size_t)n);
		got += (size_t)n;
	}
	size_t hb = 0;
	while (hb < 4 && (n = read(rfd, (char *)&theirs + hb, 4 - hb)) > 0)
		hb += (size_t)n;
	int st;
	waitpid(pid, &st, 0);
	char d[96];
	snprintf(d, sizeof(d), "%zu bytes, fnv %08x/%08x", got, h, theirs);
	check(got == total && h == theirs && WIFEXITED(st) && WEXITSTATUS(st) == 0, what, d);
}

static void test_unix(void)
{
	int sv[2];
	check(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "unix socketpair(SOCK_STREAM)", 0);
	pair_transfer(sv[1], sv[0], 4u << 20, "unix socketpair 4 MiB with checksum");
	close(sv[1]);
	char c;
	check(read(sv[0], &c, 1) == 0, "unix pair: EOF once the other end is closed", 0);
	errno = 0;
	expect_err(write(sv[0], "x", 1), EPIPE, "unix pair: write after the other end closed: EPIPE");
	close(sv[0]);
	pid_t kid = fork();
	if (kid == 0) {
		signal(SIGPIPE, SIG_DFL);
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0) {
			close(sv[1]);
			if (write(sv[0], "x", 1) < 0)
				_exit(1);
		}
		_exit(2);
	}
	int kst;
	check(waitpid(kid, &kst, 0) == kid && WIFSIGNALED(kst) && WTERMSIG(kst) == SIGPIPE,
	      "unix pair: the writer dies of SIGPIPE by default", 0);

	/* A listening socket on a path name; two clients. */
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/tmp/net-test-%d.sock", (int)getpid());
	unlink(sa.sun_path);
	int ls = socket(AF_UNIX, SOCK_STREAM, 0);
	check(ls >= 0 && bind(ls, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(ls, 4) == 0,
	      "unix bind + listen on a path", strerror(errno));
	int ls2 = socket(AF_UNIX, SOCK_STREAM, 0);
	errno = 0;
	expect_err(bind(ls2, (struct sockaddr *)&sa, sizeof(sa)), EADDRINUSE, "unix bind of a name in use: EADDRINUSE");
	close(ls2);
	pid_t pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 2; i++) {
			int s = socket(AF_UNIX, SOCK_STREAM, 0);
			char m[32];
			int k = snprintf(m, sizeof(m), "hello %d", i);
			if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) || write(s, m, (size_t)k) != k ||
			    read(s, m, sizeof(m)) != k || m[0] != 'H')
				_exit(1);
			close(s);
		}
		_exit(0);
	}
	int ok = 1;
	for (int i = 0; i < 2; i++) {
		struct pollfd pf = { ls, POLLIN, 0 };
		int c2 = poll(&pf, 1, 10000) == 1 ? accept(ls, 0, 0) : -1;
		char m[32];
		ssize_t n = c2 >= 0 ? read(c2, m, sizeof(m)) : -1;
		ok = ok && n > 0 && !memcmp(m, "hello", 5);
		if (n > 0) {
			m[0] = 'H';
			ok = ok && write(c2, m, (size_t)n) == n;
		}
		if (c2 >= 0)
			close(c2);
	}
	int st;
	waitpid(pid, &st, 0);
	check(ok && WIFEXITED(st) && WEXITSTATUS(st) == 0, "unix listener: poll, accept, two clients", 0);
	close(ls);
	unlink(sa.sun_path);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	errno = 0;
	expect_err(connect(s, (struct sockaddr *)&sa, sizeof(sa)), ENOENT,
		   "unix connect to a path nobody listens on: ENOENT");
	close(s);

	/* Datagrams between two bound sockets (abstract names). */
	struct sockaddr_un da = { .sun_family = AF_UNIX }, db = da, from;
	snprintf(da.sun_path + 1, sizeof(da.sun_path) - 1, "net-test-a-%d", (int)getpid());
	snprintf(db.sun_path + 1, sizeof(db.sun_path) - 1, "net-test-b-%d", (int)getpid());
	socklen_t la = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(da.sun_path + 1));
	socklen_t lb = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(db.sun_path + 1));
	int a = socket(AF_UNIX, SOCK_DGRAM, 0), b = socket(AF_UNIX, SOCK_DGRAM, 0);
	check(bind(a, (struct sockaddr *)&da, la) == 0 && bind(b, (struct sockaddr *)&db, lb) == 0,
	      "unix datagram sockets bound (abstract names)", 0);
	ok = 1;
	for (int i = 0; i < 50 && ok; i++) {
		char m[64], r[64];
		int k = snprintf(m, sizeof(m), "dgram %d", i);
		socklen_t fl = sizeof(from);
		ok = sendto(b, m, (size_t)k, 0, (struct sockaddr *)&da, la) == k &&
		     recvfrom(a, r, sizeof(r), 0, (struct sockaddr *)&from, &fl) == k && !memcmp(m, r, (size_t)k) &&
		     fl == lb && !memcmp(from.sun_path, db.sun_path, lb - 2);
	}
	check(ok, "unix datagrams x50, sender's name", 0);
	close(a);
	close(b);
	check(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0 && send(sv[0], "ab", 2, 0) == 2 && send(sv[0], "c", 1, 0) == 1 &&
	      recv(sv[1], &c, 1, 0) == 1 && c == 'a' && recv(sv[1], &c, 1, 0) == 1 && c == 'c',
	      "unix socketpair(SOCK_DGRAM) keeps message boundaries", 0);
	close(sv[0]);
	close(sv[1]);
}

/* n connections open at once; the server child exits without closing its
 * sockets (the kernel must release them). 0 when all n echoed. */
static int concurrent_round(int n)
{
	uint16_t port;
	int ls = tcp_listener(&port), c[64];
	if (ls < 0 || n > 50 || listen(ls, 64))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		int a[64];
		for (int i = 0; i < n; i++)
			if ((a[i] = accept(ls, 0, 0)) < 0)
				_exit(2);
		for (int i = 0; i < n; i++) {
			char m[16];
			ssize_t k = read(a[i], m, sizeof(m));
			if (k <= 0 || write(a[i], m, (size_t)k) != k)
				_exit(3);
		}
		_exit(0);                     /* sockets still open */
	}
	close(ls);
	int ok = 0, opened = 0;
	for (int i = 0; i < n; i++)
		if ((c[i] = tcp_connect(port)) >= 0)
			opened++;
	for (int i = 0; i < n; i++) {
		char m[16], r[16];
		int k = snprintf(m, sizeof(m), "k%d", i);
		if (c[i] >= 0 && write(c[i], m, (size_t)k) == k && read(c[i], r, sizeof(r)) == k && !memcmp(m, r, (size_t)k))
			ok++;
	}
	for (int i = 0; i < n; i++)
		if (c[i] >= 0)
			close(c[i]);
	int st;
	waitpid(pid, &st, 0);
	return ok == n && opened == n && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static unsigned long free_kib(void)
{
	struct sysinfo si;
	return sysinfo(&si) ? 0 : (unsigned long)((unsigned long long)si.freeram * (si.mem_unit ? si.mem_unit : 1) / 1024);
}

static void test_concurrent(int memcheck)
{
	check(concurrent_round(50) == 0, "50 concurrent connections (server exits with them open)", 0);
	if (!memcheck)
		return;
	/* The heap keeps what it grew to: measure after a first round. */
	unsigned long before = free_kib();
	int ok = concurrent_round(50) == 0 && concurrent_round(50) == 0;
	test_sequential(200);
	sleep(1);
	unsigned long after = free_kib();
	char d[96];
	snprintf(d, sizeof(d), "free %lu KiB before, %lu KiB after", before, after);
	check(ok && before > 0 && after + before / 100 >= before, "free memory within 1 % after 100 concurrent + 200 sequential", d);
}

/* Random arguments to the socket calls on a pool of non-blocking sockets
 * (so nothing can block): every call must return (an error or a result)
 * and the kernel keep answering.  Buffers hold 0xa5 bytes, so a random
 * address is never AF_INET or AF_UNIX: nothing leaves this machine (the
 * test also runs on the host); the prepared addresses are loopback ones. */
static uint32_t fz_state = 1;
static uint32_t fz_rand(void)
{
	fz_state ^= fz_state << 13;
	fz_state ^= fz_state >> 17;
	fz_state ^= fz_state << 5;
	return fz_state;
}

static void test_socket_fuzz(int iterations)
{
	static unsigned char buf[8192 + 4096];   /* pointers go into the first 8 KiB; the rest is slack */
	uint16_t port;
	int pool[8], np = 0, ls = tcp_listener(&port);
	if (ls < 0)
		return;
	pool[np++] = ls;
	pool[np++] = tcp_connect(port);
	pool[np++] = socket(AF_INET, SOCK_DGRAM, 0);
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0)
		pool[np++] = sv[0], pool[np++] = sv[1];
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0)
		pool[np++] = sv[0], pool[np++] = sv[1];
	pool[np++] = socket(AF_UNIX, SOCK_STREAM, 0);
	for (int i = 0; i < np; i++)
		fcntl(pool[i], F_SETFL, O_NONBLOCK);
	struct sockaddr_in lo4 = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	static const uint32_t bad[] = { 0, 1, 16, 0xbffff000u, 0xc0000000u, 0xc0100000u, 0xfffff000u, 0xffffffffu };
	int returned = 0;
	for (int it = 0; it < iterations; it++) {
		memset(buf, 0xa5, sizeof(buf));
		memcpy(buf + 4096, &lo4, sizeof(lo4));
		uint32_t a[6];
		for (int k = 0; k < 6; k++) {
			switch (fz_rand() % 6) {
			case 0: a[k] = bad[fz_rand() % 8]; break;
			case 1: a[k] = (uint32_t)(uintptr_t)(buf + fz_rand() % 8192); break;
			case 2: a[k] = (uint32_t)(uintptr_t)(buf + 4096); break;     /* 127.0.0.1:port */
			case 3: a[k] = fz_rand() % 64; break;                       /* small: lengths, fds, levels */
			case 4: a[k] = (uint32_t)-(int32_t)(fz_rand() % 8); break;  /* -1 .. -7 */
			default: a[k] = fz_rand(); break;
			}
		}
		a[0] = (uint32_t)pool[fz_rand() % np];
		if (fz_rand() % 4 == 0)
			a[2] = fz_rand() % 200;                                      /* a plausible length */
		int nr = 361 + (int)(fz_rand() % 13);                                /* bind .. shutdown */
		if (nr == 362 && (fz_rand() % 2))
			a[2] = sizeof(lo4), a[1] = (uint32_t)(uintptr_t)(buf + 4096);
		if (nr == 364)
			a[3] |= SOCK_NONBLOCK;
		if (nr == 371 && a[2] > 4096)
			a[2] %= 4096;                /* a received datagram must fit the slack */
		long r;
		if (fz_rand() % 8 == 0) {       /* the same through socketcall */
			static const int call_of[13] = { 2, 3, 4, 18, 15, 14, 6, 7, 11, 16, 12, 17, 13 };
			uint32_t *args = (uint32_t *)(buf + 2048);
			memcpy(args, a, sizeof(a));
			r = syscall(SYS_socketcall, call_of[nr - 361], fz_rand() % 16 ? (uint32_t)(uintptr_t)args : bad[fz_rand() % 8]);
			nr = 364;                        /* for the fd check below (accept4 returns one) */
		} else {
			r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		}
		if (nr == 364 && r >= 0) {
			int keep = 0;
			for (int i = 0; i < np; i++)
				keep |= pool[i] == r;
			if (!keep)
				close((int)r);
		}
		for (int i = 0; i < np; i++)                 /* keep the pool non-blocking */
			if (!(fcntl(pool[i], F_GETFL) & O_NONBLOCK))
				fcntl(pool[i], F_SETFL, O_NONBLOCK);
		returned++;
	}
	for (int i = 0; i < np; i++)
		close(pool[i]);
	char d[96];
	snprintf(d, sizeof(d), "%d calls returned, getpid=%d", returned, (int)getpid());
	check(returned == iterations && getpid() > 0, "socket-call fuzz on non-blocking sockets", d);
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? (size_t)atoi(argv[1]) : 8;
	int seq = argc > 2 ? atoi(argv[2]) : 200;
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, 0, _IOLBF, 0);
	test_tcp_echo(mib << 20);
	test_udp();
	test_select();
	test_sequential(seq);
	test_concurrent(argc > 3 && !strcmp(argv[3], "memcheck"));
	test_bad_args();
	test_unix();
	test_socket_fuzz(argc > 4 ? atoi(argv[4]) : 3000);
	printf("net-test: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
