/*
 * Networking (net/): lwIP with a tcpip thread, the loopback interface, and
 * the Linux socket system calls (net/socket.c: AF_INET over lwIP,
 * net/unix.c: AF_UNIX).  The stack starts on first use (the first socket,
 * or a network device appearing), so machines that never network run no
 * tcpip thread and no protocol timers.
 */
#ifndef AMPHI_NET_H
#define AMPHI_NET_H
#include <stdint.h>
/* Brings lwIP up once (tcpip thread, lo 127.0.0.1/8); later calls return
 * at once.  0, or -ENOMEM. */
int net_up(void);
/* 1 once net_up has brought the stack up. */
int net_running(void);
/* ioctl requests 0x89xx (SIOCGIFCONF, SIOCGIFFLAGS, ...) on a socket
 * file, arg a user pointer; -ENOTTY for anything else. */
struct file;
long net_sock_ioctl(struct file *f, uint32_t cmd, uint32_t uarg);
/* Readiness of some socket changed: poll/select sleepers re-check. */
void net_poll_wake(void);
/* /etc/resolv.conf from the name servers lwIP knows (a DHCP lease or
 * amphi.dns=), unless the file there is the user's (net/resolv_conf.c);
 * why goes into its first line.  Called once "/" is final, and on leases. */
void net_write_resolv_conf(const char *why);
#endif
