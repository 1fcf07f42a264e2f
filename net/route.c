/*
 * Routes for busybox route(8): SIOCADDRT/SIOCDELRT and /proc/net/route.
 * The default route is lwIP's own (the default netif and its gateway, as
 * DHCP and amphi.ip= set them); routes to other networks are the table of
 * net/route_table.c, which two lwIP hooks read (lwipopts.h): which netif a
 * destination leaves by, and which neighbour's MAC it is sent to.  All of
 * it runs in the tcpip thread, which owns lwIP's state.
 */
#include "lwip/tcpip.h"
#include "lwip/netif.h"
#include "lwip/priv/tcpip_priv.h"
#include "ifconf.h"
#include "route.h"
#include "route_table.h"
#include <amphi/errno.h>
#include <amphi/net.h>
#include <amphi/string.h>
#include <stdio.h>

#define L_AF_INET 2

static struct rt_table table;

static uint32_t sin_addr(const uint8_t *sa)
{
	uint32_t a;
	memcpy(&a, sa + 4, 4);
	return lwip_ntohl(a);
}

/* lwIP asks after its on-link check and before the default netif. */
struct netif *amphi_route_netif(const ip4_addr_t *dest)
{
	const struct rt_entry *e = rt_lookup(&table, lwip_ntohl(ip4_addr_get_u32(dest)));
	struct netif *n = e ? netif_get_by_index((u8_t)e->ifindex) : 0;
	return n && netif_is_up(n) && netif_is_link_up(n) ? n : 0;
}

/* etharp_output for an off-link destination: the route's gateway, or the
 * destination itself for an on-link route (route add -net ... dev ethN). */
const ip4_addr_t *amphi_route_gw(struct netif *netif, const ip4_addr_t *dest)
{
	static ip4_addr_t gw;            /* used at once by etharp_output */
	const struct rt_entry *e = rt_lookup(&table, lwip_ntohl(ip4_addr_get_u32(dest)));
	if (!e || e->ifindex != netif_get_index(netif))
		return 0;
	if (!e->gw)
		return dest;
	ip4_addr_set_u32(&gw, lwip_htonl(e->gw));
	return &gw;
}

/* n's gateway (lwIP's default route when n is the default netif), host order. */
static uint32_t gw_of(const struct netif *n)
{
	return lwip_ntohl(ip4_addr_get_u32(netif_ip4_gw(n)));
}

static int on_link(struct netif *n, uint32_t host_addr)
{
	ip4_addr_t a;
	ip4_addr_set_u32(&a, lwip_htonl(host_addr));
	return !ip4_addr_isany(netif_ip4_addr(n)) && ip4_addr_net_eq(&a, netif_ip4_addr(n), netif_ip4_netmask(n));
}

struct rtcall {
	struct tcpip_api_call_data call;
	uint32_t cmd;
	const struct linux_rtentry *rt;
	const char *dev;
	char *buf;
	size_t n, len;
	int result;
};

/* gw 0: none given (route del default), or none there (an add: refused). */
static int default_route(uint32_t cmd, struct netif *n, uint32_t gw)
{
	struct netif *d = netif_default;
	if (cmd == L_SIOCDELRT) {
		if (!d || !gw_of(d) || (gw && gw_of(d) != gw))
			return -ESRCH;
		netif_set_gw(d, IP4_ADDR_ANY4);
		return 0;
	}
	if (!gw)
		return -EINVAL;             /* lwIP's default route needs a gateway */
	if (d == n && gw_of(d) == gw)
		return -EEXIST;
	ip4_addr_t a;
	ip4_addr_set_u32(&a, lwip_htonl(gw));
	netif_set_gw(n, &a);
	netif_set_default(n);
	return 0;
}

static err_t do_request(struct tcpip_api_call_data *c)
{
	struct rtcall *rc = (struct rtcall *)c;
	const struct linux_rtentry *rt = rc->rt;
	struct rt_entry r = { .dst = sin_addr(rt->dst), .gw = sin_addr(rt->gateway),
			      .flags = rt->flags, .metric = rt->metric };
	r.mask = (rt->flags & RT_F_HOST) ? 0xffffffffu : sin_addr(rt->genmask);
	if (rt->dst[0] != L_AF_INET || ((rt->flags & RT_F_GATEWAY) && rt->gateway[0] != L_AF_INET)) {
		rc->result = -EAFNOSUPPORT;
		return ERR_OK;
	}
	if (!(rt->flags & RT_F_GATEWAY))
		r.gw = 0;
	struct netif *n = 0;
	if (rc->dev[0]) {
		if (!(n = ifconf_find(rc->dev))) {
			rc->result = -ENODEV;
			return ERR_OK;
		}
	} else if (r.gw) {
		NETIF_FOREACH(n)
			if (on_link(n, r.gw))
				break;
	} else if (rc->cmd == L_SIOCADDRT) {
		rc->result = -EINVAL;       /* neither a gateway nor a device */
		return ERR_OK;
	}
	if (rc->cmd == L_SIOCADDRT && (!n || (r.gw && !on_link(n, r.gw)))) {
		rc->result = -ENETUNREACH;  /* the gateway is no neighbour */
		return ERR_OK;
	}
	r.ifindex = n ? netif_get_index(n) : 0;
	if (r.dst == 0 && r.mask == 0)
		rc->result = default_route(rc->cmd, n, r.gw);
	else
		rc->result = rc->cmd == L_SIOCADDRT ? rt_add(&table, &r) : rt_del(&table, &r);
	return ERR_OK;
}

int route_request(uint32_t cmd, const struct linux_rtentry *rt, const char *dev)
{
	struct rtcall c = { .cmd = cmd, .rt = rt, .dev = dev };
	if (tcpip_api_call(do_request, &c.call) != ERR_OK)
		return -EIO;
	return c.result;
}

/* ---- /proc/net/route: addresses as Linux prints them, the network-order
 * word in hex (so 10.0.2.2 reads 0202000A on x86). ---- */

static void line(struct rtcall *c, struct netif *n, uint32_t dst, uint32_t gw, uint16_t flags,
		 int metric, uint32_t mask)
{
	char name[IFNAMSIZ_L];
	ifconf_name(n, name);
	size_t room = c->len < c->n ? c->n - c->len : 0;
	int k = snprintf(c->buf ? c->buf + c->len : 0, room,
			 "%s\t%08X\t%08X\t%04X\t0\t0\t%d\t%08X\t0\t0\t0\n",
			 name, lwip_htonl(dst), lwip_htonl(gw), flags, metric, lwip_htonl(mask));
	c->len += k > 0 ? (size_t)k : 0;
}

static err_t do_format(struct tcpip_api_call_data *call)
{
	struct rtcall *c = (struct rtcall *)call;
	static const char head[] = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";
	c->len = (size_t)snprintf(c->buf, c->n, "%s", head);
	struct netif *n;
	if (netif_default && gw_of(netif_default))
		line(c, netif_default, 0, gw_of(netif_default), RT_F_UP | RT_F_GATEWAY, 0, 0);
	NETIF_FOREACH(n) {
		if (ifconf_is_lo(n))
			continue;               /* Linux keeps lo in the local table */
		if (ip4_addr_isany(netif_ip4_addr(n)))
			continue;
		uint32_t mask = lwip_ntohl(ip4_addr_get_u32(netif_ip4_netmask(n)));
		line(c, n, lwip_ntohl(ip4_addr_get_u32(netif_ip4_addr(n))) & mask, 0, RT_F_UP, 0, mask);
	}
	for (int i = 0; i < table.n; i++) {
		const struct rt_entry *e = &table.e[i];
		struct netif *via = netif_get_by_index((u8_t)e->ifindex);
		if (via)
			line(c, via, e->dst, e->gw, e->flags | RT_F_UP, e->metric, e->mask);
	}
	return ERR_OK;
}

size_t route_proc_format(char *buf, size_t n)
{
	struct rtcall c = { .buf = n ? buf : 0, .n = n };
	if (!net_running())
		do_format(&c.call);         /* no tcpip thread yet: nothing else touches lwIP */
	else if (tcpip_api_call(do_format, &c.call) != ERR_OK)
		return 0;
	return c.len;
}
