/*
 * Addresses for Ethernet devices (amphi.ip=, net/ipconfig_parse.h): runs in
 * the tcpip thread right after a device's netif is added.  Static
 * addresses are set at once; DHCP is lwIP's client, and the status
 * callback logs the address when the lease arrives.  The first device is
 * the default route.
 */
#include "lwip/netif.h"
#include "lwip/dhcp.h"
#include "lwip/ip4_addr.h"
#include "ipconfig_parse.h"
#include "netdev.h"
#include "resolv_conf.h"
#include <amphi/net.h>
#include <amphi/boot.h>
#include <amphi/cmdline.h>
#include <amphi/printk.h>
#include <stdio.h>

void ipconfig_start(struct netif *netif, struct netdev *dev, int index);

static void show(const char *name, const ip4_addr_t *a, const ip4_addr_t *m, const ip4_addr_t *g,
		 const char *how)
{
	uint32_t mask = lwip_ntohl(ip4_addr_get_u32(m));
	int prefix = 0;
	while (prefix < 32 && (mask & (0x80000000u >> prefix)))
		prefix++;
	char ab[16], gb[16];
	ip4addr_ntoa_r(a, ab, sizeof(ab));
	ip4addr_ntoa_r(g, gb, sizeof(gb));
	printk("net: %s %s/%d gateway %s (%s)\n", name, ab, prefix,
	       ip4_addr_isany_val(*g) ? "none" : gb, how);
}

static void status_changed(struct netif *netif)
{
	struct netdev *dev = netif->state;
	if (dhcp_supplied_address(netif)) {
		show(dev->name, netif_ip4_addr(netif), netif_ip4_netmask(netif), netif_ip4_gw(netif), "dhcp");
		char why[32];
		snprintf(why, sizeof(why), "DHCP on %s", dev->name);
		net_write_resolv_conf(why);
	}
}

void ipconfig_start(struct netif *netif, struct netdev *dev, int index)
{
	char key[24], val[64];
	struct ipconf c;
	snprintf(key, sizeof(key), "amphi.ip.%s", dev->name);
	const char *arg = cmdline_get(boot_info.cmdline, key, val, sizeof(val));
	if (!arg && index == 0) {
		snprintf(key, sizeof(key), "amphi.ip");        /* eth0's short form */
		arg = cmdline_get(boot_info.cmdline, key, val, sizeof(val));
	}
	if (arg && ipconf_parse(arg, &c)) {
		printk("net: %s: %s=%s is not dhcp, off or ADDR/PREFIX[,GATEWAY] "
		       "(the gateway on the subnet): using DHCP\n", dev->name, key, arg);
		c.mode = IPCONF_DHCP;
	} else if (!arg)
		c.mode = IPCONF_DHCP;
	if (index == 0) {
		netif_set_default(netif);
		resolv_conf_static();          /* amphi.dns=; a lease replaces them */
	}
	netif_set_status_callback(netif, status_changed);
	netif_set_up(netif);
	if (c.mode == IPCONF_STATIC) {
		ip4_addr_t a, m, g;
		ip4_addr_set_u32(&a, lwip_htonl(c.addr));
		ip4_addr_set_u32(&m, lwip_htonl(c.netmask));
		ip4_addr_set_u32(&g, lwip_htonl(c.gateway));
		netif_set_addr(netif, &a, &m, &g);
		show(dev->name, &a, &m, &g, "static");
	} else if (c.mode == IPCONF_DHCP) {
		if (dhcp_start(netif) != ERR_OK)
			printk("net: %s: DHCP client not started (out of memory)\n", dev->name);
		else
			printk("net: %s: asking DHCP for an address\n", dev->name);
	} else
		printk("net: %s up with no address (amphi.ip=off)\n", dev->name);
}
