/*
 * The interface ioctls that busybox ifconfig and route use (SIOCGIFCONF,
 * SIOCGIF{FLAGS,ADDR,NETMASK,BRDADDR,MTU,HWADDR,INDEX,NAME},
 * SIOCSIF{FLAGS,ADDR,NETMASK}) on lwIP's netifs.  They run in the tcpip
 * thread (tcpip_api_call), which owns lwIP's state.  Names as Linux
 * spells them: lwIP's "lo" is lo, an Ethernet device ("et", net/netdev.c)
 * is the ethN its driver registered.
 */
#include "lwip/tcpip.h"
#include "lwip/netif.h"
#include "lwip/priv/tcpip_priv.h"
#include <amphi/printk.h>
#include <amphi/string.h>
#include "ifconf.h"
#include "netdev.h"

#define L_EINVAL 22
#define L_ENODEV 19
#define L_EADDRNOTAVAIL 99
#define L_IFF_UP 0x1
#define L_IFF_BROADCAST 0x2
#define L_IFF_LOOPBACK 0x8
#define L_IFF_RUNNING 0x40
#define L_IFF_MULTICAST 0x1000
#define L_AF_INET 2
#define L_ARPHRD_ETHER 1
#define L_ARPHRD_LOOPBACK 772

int ifconf_is_lo(const struct netif *n)
{
	return n->name[0] == 'l' && n->name[1] == 'o';
}

void ifconf_name(struct netif *n, char out[IFNAMSIZ_L])
{
	memset(out, 0, IFNAMSIZ_L);
	if (ifconf_is_lo(n))
		snprintf(out, IFNAMSIZ_L, "lo");
	else if (n->name[0] == 'e' && n->name[1] == 't')
		snprintf(out, IFNAMSIZ_L, "%s", ((struct netdev *)n->state)->name);
	else
		snprintf(out, IFNAMSIZ_L, "%c%c%u", n->name[0], n->name[1], n->num);
}

struct netif *ifconf_find(const char *name)
{
	struct netif *n;
	char nm[IFNAMSIZ_L];
	NETIF_FOREACH(n) {
		ifconf_name(n, nm);
		if (!strncmp(nm, name, IFNAMSIZ_L))
			return n;
	}
	return 0;
}

static void put_in(struct linux_ifreq *r, uint32_t addr)
{
	memset(r->u, 0, sizeof(r->u));
	r->u[0] = L_AF_INET;
	memcpy(r->u + 4, &addr, 4);
}

struct ifcall {
	struct tcpip_api_call_data call;
	uint32_t cmd;
	struct linux_ifreq *req;
	int max, count, result;
};

static err_t do_ifconf(struct tcpip_api_call_data *c)
{
	struct ifcall *ic = (struct ifcall *)c;
	struct netif *n;
	ic->count = 0;
	NETIF_FOREACH(n) {
		if (ic->req && ic->count < ic->max) {
			struct linux_ifreq *r = &ic->req[ic->count];
			ifconf_name(n, r->name);
			put_in(r, ip4_addr_get_u32(netif_ip4_addr(n)));
		}
		ic->count++;
	}
	return ERR_OK;
}

static err_t do_ifreq(struct tcpip_api_call_data *c)
{
	struct ifcall *ic = (struct ifcall *)c;
	struct linux_ifreq *r = ic->req;
	r->name[IFNAMSIZ_L - 1] = 0;
	struct netif *n;
	int32_t v;
	int16_t fl;
	ic->result = 0;
	if (ic->cmd == L_SIOCGIFNAME) {
		memcpy(&v, r->u, 4);
		NETIF_FOREACH(n)
			if (netif_get_index(n) == v) {
				ifconf_name(n, r->name);
				return ERR_OK;
			}
		ic->result = -L_ENODEV;
		return ERR_OK;
	}
	n = ifconf_find(r->name);
	if (!n) {
		ic->result = -L_ENODEV;
		return ERR_OK;
	}
	int loop = ifconf_is_lo(n);
	ip4_addr_t a;
	switch (ic->cmd) {
	case L_SIOCGIFFLAGS:
		fl = (int16_t)((netif_is_up(n) ? L_IFF_UP : 0) | (netif_is_link_up(n) && netif_is_up(n) ? L_IFF_RUNNING : 0) |
			       (loop ? L_IFF_LOOPBACK : 0) | ((n->flags & NETIF_FLAG_BROADCAST) ? L_IFF_BROADCAST : 0) |
			       ((n->flags & NETIF_FLAG_IGMP) ? L_IFF_MULTICAST : 0));
		memset(r->u, 0, sizeof(r->u));
		memcpy(r->u, &fl, 2);
		break;
	case L_SIOCSIFFLAGS:
		memcpy(&fl, r->u, 2);
		if ((fl & L_IFF_UP) && !netif_is_up(n))
			netif_set_up(n);
		else if (!(fl & L_IFF_UP) && netif_is_up(n))
			netif_set_down(n);
		break;
	case L_SIOCGIFADDR:
		if (ip4_addr_isany(netif_ip4_addr(n))) {
			ic->result = -L_EADDRNOTAVAIL;  /* as Linux: no address yet (DHCP) */
			return ERR_OK;
		}
		put_in(r, ip4_addr_get_u32(netif_ip4_addr(n)));
		break;
	case L_SIOCGIFNETMASK:
		put_in(r, ip4_addr_get_u32(netif_ip4_netmask(n)));
		break;
	case L_SIOCGIFBRDADDR:
		put_in(r, ip4_addr_get_u32(netif_ip4_addr(n)) | ~ip4_addr_get_u32(netif_ip4_netmask(n)));
		break;
	case L_SIOCSIFADDR:
	case L_SIOCSIFNETMASK:
		if (r->u[0] != L_AF_INET) {
			ic->result = -L_EINVAL;
			break;
		}
		memcpy(&a.addr, r->u + 4, 4);
		if (ic->cmd == L_SIOCSIFADDR)
			netif_set_ipaddr(n, &a);
		else
			netif_set_netmask(n, &a);
		break;
	case L_SIOCGIFMTU:
		v = n->mtu;
		memset(r->u, 0, sizeof(r->u));
		memcpy(r->u, &v, 4);
		break;
	case L_SIOCGIFHWADDR: {
		uint16_t fam = loop ? L_ARPHRD_LOOPBACK : L_ARPHRD_ETHER;
		memset(r->u, 0, sizeof(r->u));
		memcpy(r->u, &fam, 2);
		memcpy(r->u + 2, n->hwaddr, n->hwaddr_len < 14 ? n->hwaddr_len : 14);
		break;
	}
	case L_SIOCGIFINDEX:
		v = netif_get_index(n);
		memset(r->u, 0, sizeof(r->u));
		memcpy(r->u, &v, 4);
		break;
	default:
		ic->result = -L_EINVAL;
	}
	return ERR_OK;
}

int ifconf_list(struct linux_ifreq *out, int max)
{
	struct ifcall ic = { .req = out, .max = max };
	tcpip_api_call(do_ifconf, &ic.call);
	return ic.count;
}

int ifconf_request(uint32_t cmd, struct linux_ifreq *req)
{
	struct ifcall ic = { .cmd = cmd, .req = req };
	tcpip_api_call(do_ifreq, &ic.call);
	return ic.result;
}
