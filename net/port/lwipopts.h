/*
 * amphi's lwIP configuration: the full OS mode (NO_SYS=0) with a tcpip
 * thread, the netconn and BSD socket layers (the Linux socket system calls
 * in net/socket.c sit on the latter), IPv4 with TCP, UDP, raw (ICMP) and
 * DHCP, and the loopback interface (net/loopif.c).  Memory comes from the kernel heap
 * (kmalloc), so the limits below bound counts, not preallocated pools.
 */
#ifndef AMPHI_LWIPOPTS_H
#define AMPHI_LWIPOPTS_H

#define NO_SYS                     0
#define SYS_LIGHTWEIGHT_PROT       1
#define LWIP_TCPIP_CORE_LOCKING    0     /* every core call is a tcpip message: see net/loopif.c */
#define LWIP_NETCONN               1
#define LWIP_SOCKET                1
#define LWIP_COMPAT_SOCKETS        0     /* lwip_socket() etc. only: no socket() macros */
#define LWIP_POSIX_SOCKETS_IO_NAMES 0
#define LWIP_SOCKET_SELECT         1
#define LWIP_SOCKET_POLL           1
#define LWIP_SO_RCVTIMEO           1
#define LWIP_SO_SNDTIMEO           1
#define LWIP_SO_RCVBUF             1
#define LWIP_SO_LINGER             0
#define SO_REUSE                   1
#define LWIP_TCP_KEEPALIVE         1
#define LWIP_FIONREAD_LINUXMODE    1
#define LWIP_NETCONN_FULLDUPLEX    0

/* Memory: the kernel heap. */
#define MEM_LIBC_MALLOC            0
#define MEMP_MEM_MALLOC            1
#define MEM_ALIGNMENT              4
#define MEM_CUSTOM_ALLOCATOR       1
#define MEM_CUSTOM_MALLOC          kmalloc
#define MEM_CUSTOM_FREE            kfree
#define MEM_CUSTOM_CALLOC          amphi_lwip_calloc
#include <stddef.h>
void *kmalloc(size_t size);
void kfree(void *p);
void *amphi_lwip_calloc(size_t n, size_t size);

#define MEMP_NUM_NETCONN           256   /* = the number of lwIP sockets */
#define MEMP_NUM_TCP_PCB           256
#define MEMP_NUM_TCP_PCB_LISTEN    64
#define MEMP_NUM_UDP_PCB           64
#define MEMP_NUM_RAW_PCB           16
#define MEMP_NUM_TCP_SEG           1024
#define MEMP_NUM_NETBUF            256
#define MEMP_NUM_PBUF              512
#define MEMP_NUM_SYS_TIMEOUT       (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 8)
#define PBUF_POOL_SIZE             512

/* Protocols. */
#define LWIP_IPV4                  1
#define LWIP_IPV6                  0
#define LWIP_ARP                   1
#define LWIP_ETHERNET              1
#define LWIP_ICMP                  1
#define LWIP_RAW                   1
#define LWIP_UDP                   1
#define LWIP_TCP                   1
#define LWIP_DHCP                  1
#define LWIP_DHCP_DOES_ACD_CHECK   0     /* the address-conflict probe costs ~5 s a boot; leases come from one server */
#define LWIP_DNS                   1     /* only as the table of the lease's name servers: names are */
#define DNS_MAX_SERVERS            2     /* the libc resolver's job (net/resolv_conf.c) */
#define LWIP_IGMP                  0
#define IP_FORWARD                 0
#define IP_REASSEMBLY              1
#define IP_FRAG                    1

#define TCP_MSS                    1460
#define TCP_WND                    (32 * TCP_MSS)
#define TCP_SND_BUF                (32 * TCP_MSS)
#define TCP_SND_QUEUELEN           (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_LISTEN_BACKLOG         1
#define TCP_OVERSIZE               TCP_MSS

/* Interfaces. */
#define LWIP_NETIF_LOOPBACK        0     /* lo is net/loopif.c */
#define LWIP_HAVE_LOOPIF           0
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK   1
#define LWIP_NETIF_HOSTNAME        1

/* Threads and mailboxes. */
#define TCPIP_THREAD_NAME          "tcpip"
#define TCPIP_THREAD_STACKSIZE     16384
#define TCPIP_MBOX_SIZE            1024
#define DEFAULT_RAW_RECVMBOX_SIZE  64
#define DEFAULT_UDP_RECVMBOX_SIZE  64
#define DEFAULT_TCP_RECVMBOX_SIZE  128
#define DEFAULT_ACCEPTMBOX_SIZE    64
#define DEFAULT_THREAD_STACKSIZE   16384

/* A SYN for a port in TIME-WAIT opens a new connection, as on Linux (net/tcp_timewait.c). */
struct tcp_pcb;
struct tcp_hdr;
signed char amphi_tcp_inpacket(struct tcp_pcb *pcb, struct tcp_hdr *hdr);
#define LWIP_HOOK_TCP_INPACKET_PCB(pcb, hdr, optlen, opt1len, opt2, p) \
	amphi_tcp_inpacket((struct tcp_pcb *)(pcb), (hdr))

/* Routes to other networks (route add -net ...): net/route.c's table. */
struct netif;
struct ip4_addr;
struct netif *amphi_route_netif(const struct ip4_addr *dest);
const struct ip4_addr *amphi_route_gw(struct netif *netif, const struct ip4_addr *dest);
#define LWIP_HOOK_IP4_ROUTE_SRC(src, dest) amphi_route_netif(dest)
#define LWIP_HOOK_ETHARP_GET_GW(netif, dest) amphi_route_gw((netif), (dest))

#define LWIP_STATS                 0
/* LWIP_DEBUG stays undefined: lwIP tests it with #ifdef (even 0 turns its messages on) */
#define LWIP_CHKSUM_ALGORITHM      3
#endif
