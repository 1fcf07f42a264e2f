/*
 * The driver contract for Ethernet devices under lwIP (virtio-net, e1000,
 * later netfront).  Kept small on purpose: a driver fills a struct netdev
 * (name prefix, MAC, MTU, one transmit hook) and calls netdev_register();
 * it hands received frames to netdev_rx() from any context that may take
 * a mutex-free path (its interrupt thread or poll loop) and reports link
 * changes with netdev_link().  net/netdev.c owns the lwIP netif, the
 * counters (/proc/net/dev) and the hand-off to lwIP's tcpip thread.
 */
#ifndef NET_NETDEV_H
#define NET_NETDEV_H

#include <stdint.h>
#include <stddef.h>

struct netdev_stats {
	uint64_t rx_packets, rx_bytes, rx_errors, rx_dropped;
	uint32_t rx_frame;              /* of rx_errors: malformed headers (net/frame_check.h) */
	uint64_t tx_packets, tx_bytes, tx_errors, tx_dropped;
};

struct netdev {
	/* filled by the driver before netdev_register() */
	uint8_t mac[6];
	uint16_t mtu;                   /* IP MTU, 1500 for Ethernet */
	void *priv;                     /* the driver's own state */
	/*
	 * Send one flat Ethernet frame of len bytes (no FCS).  Called in the
	 * tcpip thread; the frame is only borrowed: the driver copies it (or
	 * finishes with it) before returning.  Returns 0, or -1 when the
	 * ring is full or the device failed (counted as a tx drop).
	 */
	int (*xmit)(struct netdev *dev, const void *frame, size_t len);

	/* owned by net/netdev.c */
	struct netdev_stats stats;
	void *netif;                    /* struct netif *, opaque to drivers */
	char name[8];                   /* "eth0", ... */
	int link_up;
};

/* Adds dev as the next ethN (lwIP netif, ARP, no address yet).  0 or -errno. */
int netdev_register(struct netdev *dev);

/* One received frame (copied; the caller keeps buf).  Bad lengths count
 * as rx errors; a full tcpip mailbox or no memory counts as a drop. */
void netdev_rx(struct netdev *dev, const void *buf, size_t len);

/* Link state from the device (logged on change). */
void netdev_link(struct netdev *dev, int up);

/* Linux's /proc/net/dev text for lo and every registered device. */
size_t netdev_proc_format(char *buf, size_t n);

#endif
