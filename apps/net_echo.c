/*
 * net-echo: small network servers for the host network tier (tests/net/run)
 * and the network benchmark (tests/bench/net), the same binary under amphi
 * and Linux.  Each listens on 0.0.0.0:PORT, prints "net-echo: MODE PORT
 * ready" once listening, and serves until killed (a connection each, in a
 * child process, so several may run at once):
 *
 *   net-echo tcp PORT       echoes every byte back until the peer shuts down
 *   net-echo udp PORT       sends every datagram back to its sender
 *   net-echo source PORT    writes MiB of a fixed pattern: the peer first sends
 *                           the number of MiB as a decimal line
 *   net-echo sink PORT      reads until end of stream, then answers the byte count
 *
 * and two clients:
 *
 *   net-echo resolve NAME   prints "net-echo: NAME is ADDR" for each IPv4
 *                           address getaddrinfo gives, or its error (the
 *                           libc resolver, /etc/resolv.conf: tests/net/wire)
 *   net-echo bench ADDR MIB the client of tests/bench/net's rows against
 *                           those servers at ADDR (source 7, sink 9, echo
 *                           11, an httpd on 80 serving /index.html "hi"),
 *                           run where no python is (a Xen dom0 measuring
 *                           its domUs: tests/bench/xen-net).  One line per
 *                           row: "net-bench ROW UNIT MEDIAN P99" (tx/rx:
 *                           MiB/s, the one transfer twice), or
 *                           "net-bench ROW failed: WHY"
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <netinet/tcp.h>
#include <time.h>
#include <unistd.h>

#define BUF 65536

static char buf[BUF];

static void die(const char *what)
{
	fprintf(stderr, "net-echo: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static void serve_echo(int c)
{
	ssize_t n;
	while ((n = read(c, buf, sizeof(buf))) > 0)
		if (write_all(c, buf, (size_t)n))
			break;
}

static void serve_source(int c)
{
	char line[32];
	size_t got = 0;
	while (got < sizeof(line) - 1 && read(c, line + got, 1) == 1 && line[got] != '\n')
		got++;
	line[got] = '\0';
	long mib = strtol(line, 0, 10);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)('a' + i % 26);
	for (long i = 0; i < mib * (1024 * 1024 / BUF); i++)
		if (write_all(c, buf, sizeof(buf)))
			return;
}

static void serve_sink(int c)
{
	unsigned long long total = 0;
	ssize_t n;
	while ((n = read(c, buf, sizeof(buf))) > 0)
		total += (unsigned long long)n;
	int k = snprintf(buf, sizeof(buf), "%llu\n", total);
	write_all(c, buf, (size_t)k);
}

static int listen_on(int type, int port)
{
	int s = socket(AF_INET, type, 0);
	if (s < 0)
		die("socket");
	int one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	if (bind(s, (struct sockaddr *)&a, sizeof(a)))
		die("bind");
	if (type == SOCK_STREAM && listen(s, 64))
		die("listen");
	return s;
}

static int resolve(const char *name)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res, *ai;
	int rc = getaddrinfo(name, 0, &hints, &res);
	if (rc) {
		printf("net-echo: %s: %s\n", name, gai_strerror(rc));
		return 1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		char a[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, a, sizeof(a));
		printf("net-echo: %s is %s\n", name, a);
	}
	freeaddrinfo(res);
	return 0;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int connect_to(const char *addr, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	/* A peer that stalls ends the row (after 30 s), not the run. */
	struct timeval limit = { .tv_sec = 30 };
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s >= 0) {
		setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
		setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit));
	}
	if (s < 0 || inet_pton(AF_INET, addr, &a.sin_addr) != 1 || connect(s, (struct sockaddr *)&a, sizeof(a))) {
		if (s >= 0)
			close(s);
		return -1;
	}
	return s;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Median and 99th percentile of n samples (sorted in place). */
static void report(const char *row, const char *unit, double *v, int n, const char *why)
{
	if (n <= 0) {
		printf("net-bench %s failed: %s\n", row, why);
		return;
	}
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	int k = (int)(0.99 * (n - 1) + 0.5);
	printf("net-bench %s %s %.3f %.3f\n", row, unit, v[(n - 1) / 2], v[k]);
	fflush(stdout);
}

static double bench_tx(const char *addr, long mib)
{
	int s = connect_to(addr, 7);
	if (s < 0)
		return -1;
	char line[32];
	int k = snprintf(line, sizeof(line), "%ld\n", mib);
	double t = now_s();
	unsigned long long n = 0;
	ssize_t r;
	if (write_all(s, line, (size_t)k) == 0)
		while ((r = read(s, buf, sizeof(buf))) > 0)
			n += (unsigned long long)r;
	t = now_s() - t;
	close(s);
	return n == (unsigned long long)mib << 20 ? (double)mib / t : -1;
}

static double bench_rx(const char *addr, long mib)
{
	int s = connect_to(addr, 9);
	if (s < 0)
		return -1;
	memset(buf, 'x', sizeof(buf));
	double t = now_s();
	long i;
	for (i = 0; i < mib * (1024 * 1024 / BUF); i++)
		if (write_all(s, buf, sizeof(buf)))
			break;
	shutdown(s, SHUT_WR);
	char ans[32] = "";
	ssize_t r = read(s, ans, sizeof(ans) - 1);
	t = now_s() - t;
	close(s);
	if (r <= 0)
		return -1;
	ans[r] = 0;
	return strtoull(ans, 0, 10) == (unsigned long long)mib << 20 ? (double)mib / t : -1;
}

static int bench_rr(const char *addr, double *us, int n)
{
	int s = connect_to(addr, 11), one = 1, got = 0;
	if (s < 0)
		return 0;
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	for (; got < n; got++) {
		char c = 'x';
		double t = now_s();
		if (write(s, &c, 1) != 1 || read(s, &c, 1) != 1 || c != 'x')
			break;
		us[got] = (now_s() - t) * 1e6;
	}
	close(s);
	return got;
}

/* One GET of /index.html on a new connection; ms, or -1. */
static double http_get(const char *addr)
{
	static const char req[] = "GET /index.html HTTP/1.0\r\n\r\n";
	double t = now_s();
	int s = connect_to(addr, 80);
	if (s < 0)
		return -1;
	size_t got = 0;
	ssize_t r;
	if (write_all(s, req, sizeof(req) - 1) == 0)
		while (got < sizeof(buf) - 1 && (r = read(s, buf + got, sizeof(buf) - 1 - got)) > 0)
			got += (size_t)r;
	close(s);
	buf[got] = 0;
	char *body = strstr(buf, "\r\n\r\n");
	return body && !strcmp(body + 4, "hi\n") ? (now_s() - t) * 1e3 : -1;
}

static int bench(const char *addr, long mib)
{
	static double v[1000];
	int n = 0;
	signal(SIGPIPE, SIG_IGN);
	for (int i = 0; i < 2; i++)
		if ((v[n] = bench_tx(addr, mib)) > 0)
			n++;
	report("tx", "MiB/s", v, n, "no whole transfer from port 7");
	n = 0;
	for (int i = 0; i < 2; i++)
		if ((v[n] = bench_rx(addr, mib)) > 0)
			n++;
	report("rx", "MiB/s", v, n, "port 9 did not count every byte");
	n = bench_rr(addr, v, 1000);
	report("tcp-rr", "us", v, n, "no echo from port 11");
	n = 0;
	for (int i = 0; i < 200; i++)
		if ((v[n] = http_get(addr)) > 0)
			n++;
	report("http", "ms", v, n, "no GET of /index.html answered hi");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "bench"))
		return bench(argv[2], atol(argv[3]));
	if (argc != 3) {
		fprintf(stderr, "usage: net-echo tcp|udp|source|sink PORT, net-echo resolve NAME, "
			"or net-echo bench ADDR MIB\n");
		return 2;
	}
	if (!strcmp(argv[1], "resolve"))
		return resolve(argv[2]);
	const char *mode = argv[1];
	int port = atoi(argv[2]);
	signal(SIGCHLD, SIG_IGN);       /* children reaped by the kernel */
	if (!strcmp(mode, "udp")) {
		int s = listen_on(SOCK_DGRAM, port);
		printf("net-echo: udp %d ready\n", port);
		fflush(stdout);
		for (;;) {
			struct sockaddr_in from;
			socklen_t fl = sizeof(from);
			ssize_t n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
			if (n < 0 && errno != EINTR)
				die("recvfrom");
			if (n >= 0)
				sendto(s, buf, (size_t)n, 0, (struct sockaddr *)&from, fl);
		}
	}
	void (*serve)(int) = !strcmp(mode, "tcp") ? serve_echo : !strcmp(mode, "source") ? serve_source
			   : !strcmp(mode, "sink") ? serve_sink : 0;
	if (!serve) {
		fprintf(stderr, "net-echo: unknown mode '%s'\n", mode);
		return 2;
	}
	int s = listen_on(SOCK_STREAM, port);
	printf("net-echo: %s %d ready\n", mode, port);
	fflush(stdout);
	for (;;) {
		int c = accept(s, 0, 0);
		if (c < 0) {
			if (errno == EINTR)
				continue;
			die("accept");
		}
		pid_t pid = fork();
		if (pid == 0) {
			close(s);
			serve(c);
			close(c);
			_exit(0);
		}
		close(c);
	}
}
