/*
 * Ethernet devices as lwIP netifs (the contract is in net/netdev.h).
 * Transmit: lwIP's linkoutput gives a pbuf chain; it is flattened into one
 * frame buffer so every driver sees a single contiguous frame.  Receive:
 * the driver's frame is copied into a pbuf and queued to the tcpip thread
 * with tcpip_inpkt (lwIP's core runs only there, LWIP_TCPIP_CORE_LOCKING=0).
 */
#include "lwip/tcpip.h"
#include "lwip/priv/tcpip_priv.h"   /* tcpip_api_call: run in the tcpip thread, wait */
#include "lwip/netif.h"
#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "netif/ethernet.h"
#include "netdev.h"
#include "loopif.h"
#include "frame_check.h"
#include <amphi/printk.h>
#include <amphi/string.h>
#include <amphi/errno.h>
#include <amphi/net.h>
#include <stdio.h>

void ipconfig_start(struct netif *netif, struct netdev *dev, int index);   /* net/ipconfig.c */

#define NETDEV_MAX 4
#define FRAME_MAX  1518                 /* 14 header + 1500 + 4 VLAN tag */

static struct netif netifs[NETDEV_MAX];
static struct netdev *devs[NETDEV_MAX];
static int ndevs;
static uint8_t txbuf[NETDEV_MAX][FRAME_MAX];   /* used in the tcpip thread only */

static err_t linkoutput(struct netif *netif, struct pbuf *p)
{
	struct netdev *dev = netif->state;
	int i = (int)(netif - netifs);
	if (p->tot_len > sizeof(txbuf[i])) {
		dev->stats.tx_errors++;
		return ERR_BUF;
	}
	pbuf_copy_partial(p, txbuf[i], p->tot_len, 0);
	if (!dev->link_up || dev->xmit(dev, txbuf[i], p->tot_len) != 0) {
		dev->stats.tx_dropped++;
		return ERR_MEM;
	}
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += p->tot_len;
	return ERR_OK;
}

static err_t dev_init(struct netif *netif)
{
	struct netdev *dev = netif->state;
	netif->name[0] = 'e';
	netif->name[1] = 't';
	netif->output = etharp_output;
	netif->linkoutput = linkoutput;
	netif->mtu = dev->mtu ? dev->mtu : 1500;
	netif->hwaddr_len = 6;
	memcpy(netif->hwaddr, dev->mac, 6);
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	return ERR_OK;
}

struct add_call {
	struct tcpip_api_call_data call;        /* first: lwIP passes this pointer back */
	struct netif *netif;
	struct netdev *dev;
	int index;
};

/* netif_add runs in the tcpip thread (no core locking); the caller waits. */
static err_t add_in_tcpip(struct tcpip_api_call_data *call)
{
	struct add_call *c = (struct add_call *)call;
	if (!netif_add(c->netif, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4,
		       c->dev, dev_init, tcpip_input))
		return ERR_IF;
	ipconfig_start(c->netif, c->dev, c->index);
	return ERR_OK;
}

int netdev_register(struct netdev *dev)
{
	if (ndevs == NETDEV_MAX || !dev->xmit)
		return -ENOSPC;
	int err = net_up();       /* a device starts the stack (the first socket may come later) */
	if (err)
		return err;
	int i = ndevs;
	snprintf(dev->name, sizeof(dev->name), "eth%d", i);
	dev->netif = &netifs[i];
	struct add_call c = { .netif = &netifs[i], .dev = dev, .index = i };
	if (tcpip_api_call(add_in_tcpip, &c.call) != ERR_OK)
		return -EIO;
	devs[i] = dev;
	ndevs++;
	printk("net: %s %02x:%02x:%02x:%02x:%02x:%02x mtu %u\n", dev->name,
	       dev->mac[0], dev->mac[1], dev->mac[2], dev->mac[3], dev->mac[4], dev->mac[5],
	       (unsigned)netifs[i].mtu);
	return 0;
}

void netdev_rx(struct netdev *dev, const void *buf, size_t len)
{
	struct netif *netif = dev->netif;
	if (len < 14 || len > FRAME_MAX) {
		dev->stats.rx_errors++;
		return;
	}
	if (frame_check(buf, len) != FRAME_OK) {
		dev->stats.rx_errors++;         /* malformed headers: see net/frame_check.h */
		dev->stats.rx_frame++;
		return;
	}
	struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
	if (!p) {
		dev->stats.rx_dropped++;
		return;
	}
	pbuf_take(p, buf, (u16_t)len);
	if (netif->input(p, netif) != ERR_OK) {      /* tcpip_input: queued, not run */
		pbuf_free(p);
		dev->stats.rx_dropped++;
		return;
	}
	dev->stats.rx_packets++;
	dev->stats.rx_bytes += len;
}

static void link_msg(void *arg)
{
	struct netdev *dev = arg;
	if (dev->link_up)
		netif_set_link_up(dev->netif);
	else
		netif_set_link_down(dev->netif);
}

void netdev_link(struct netdev *dev, int up)
{
	up = !!up;
	if (dev->link_up == up)
		return;
	dev->link_up = up;
	printk("net: %s link %s\n", dev->name, up ? "up" : "down");
	if (tcpip_try_callback(link_msg, dev) != ERR_OK)
		printk("net: %s link change not delivered (tcpip mailbox full)\n", dev->name);
}

static size_t line(char *buf, size_t n, size_t at, const char *name, const struct netdev_stats *s)
{
	size_t room = at < n ? n - at : 0;
	int k = snprintf(room ? buf + at : 0, room,
			 "%6s:%8llu %7llu %4llu %4llu %4u %5u %10u %9u "
			 "%8llu %7llu %4llu %4llu %4u %5u %7u %10u\n", name,
			 (unsigned long long)s->rx_bytes, (unsigned long long)s->rx_packets,
			 (unsigned long long)s->rx_errors, (unsigned long long)s->rx_dropped,
			 0u, (unsigned)s->rx_frame, 0u, 0u,
			 (unsigned long long)s->tx_bytes, (unsigned long long)s->tx_packets,
			 (unsigned long long)s->tx_errors, (unsigned long long)s->tx_dropped,
			 0u, 0u, 0u, 0u);
	return at + (k > 0 ? (size_t)k : 0);
}

size_t netdev_proc_format(char *buf, size_t n)
{
	static const char head[] =
		"Inter-|   Receive                                                |  Transmit\n"
		" face |bytes    packets errs drop fifo frame compressed multicast|"
		"bytes    packets errs drop fifo colls carrier compressed\n";
	size_t at = 0;
	if (n > 0)
		at = (size_t)snprintf(buf, n, "%s", head);
	else
		at = sizeof(head) - 1;
	at = line(buf, n, at, "lo", &loopif_stats);
	for (int i = 0; i < ndevs; i++)
		at = line(buf, n, at, devs[i]->name, &devs[i]->stats);
	return at;
}
