/*
 * lo, 127.0.0.1/8: amphi's own loopback interface instead of lwIP's
 * (LWIP_HAVE_LOOPIF).  lwIP's netif_poll delivers looped packets in one
 * loop until the queue is empty; when both ends of a connection have a
 * zero receive window they answer each other's ACKs for ever inside that
 * loop and nothing else runs in the tcpip thread.  Here every packet is
 * its own tcpip message, so the socket calls' messages (reads that open
 * the windows) interleave with the packets.
 */
#include "lwip/tcpip.h"
#include "lwip/netif.h"
#include "lwip/ip.h"
#include "lwip/pbuf.h"
#include "loopif.h"

static struct netif lo;
struct netdev_stats loopif_stats;     /* /proc/net/dev; counted in the tcpip thread */

static void lo_deliver(void *arg)
{
	struct pbuf *p = arg;
	loopif_stats.rx_packets++;
	loopif_stats.rx_bytes += p->tot_len;
	if (lo.input(p, &lo) != ERR_OK)
		pbuf_free(p);
}

static err_t lo_output(struct netif *netif, struct pbuf *p, const ip4_addr_t *dst)
{
	struct pbuf *q = pbuf_clone(PBUF_LINK, PBUF_RAM, p);
	if (!q) {
		loopif_stats.tx_dropped++;
		return ERR_MEM;
	}
	if (tcpip_try_callback(lo_deliver, q) != ERR_OK) {
		pbuf_free(q);           /* the tcpip mailbox is full: dropped, as a NIC would */
		loopif_stats.tx_dropped++;
		return ERR_MEM;
	}
	loopif_stats.tx_packets++;
	loopif_stats.tx_bytes += p->tot_len;
	return ERR_OK;
}

static err_t lo_init(struct netif *netif)
{
	netif->name[0] = 'l';
	netif->name[1] = 'o';
	netif->output = lo_output;
	netif->mtu = 65535 - 20;
	return ERR_OK;
}

void loopif_add(void)
{
	ip4_addr_t addr, mask, gw;
	IP4_ADDR(&addr, 127, 0, 0, 1);
	IP4_ADDR(&mask, 255, 0, 0, 0);
	IP4_ADDR(&gw, 127, 0, 0, 1);
	netif_add(&lo, &addr, &mask, &gw, 0, lo_init, ip_input);
	netif_set_link_up(&lo);
	netif_set_up(&lo);
}
