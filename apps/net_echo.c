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
 * and one client, for the libc resolver (/etc/resolv.conf, tests/net/wire):
 *
 *   net-echo resolve NAME   prints "net-echo: NAME is ADDR" for each IPv4
 *                           address getaddrinfo gives, or its error
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
#include <sys/wait.h>
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

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: net-echo tcp|udp|source|sink PORT, or net-echo resolve NAME\n");
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
