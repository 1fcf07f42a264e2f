/*
 * amphi.ip= (pure; host-tested in tests/unit/test_ipconfig.c): how an
 * Ethernet device gets its IPv4 address.
 *
 *   amphi.ip=dhcp                        lwIP's DHCP client (the default)
 *   amphi.ip=off                         the device comes up with no address
 *   amphi.ip=ADDR/PREFIX[,GATEWAY]       static, e.g. 10.0.2.15/24,10.0.2.2
 *
 * The key amphi.ip is eth0's; amphi.ip.ethN= sets device N.
 */
#ifndef NET_IPCONFIG_PARSE_H
#define NET_IPCONFIG_PARSE_H
#include <stdint.h>

enum ipconf_mode { IPCONF_DHCP, IPCONF_OFF, IPCONF_STATIC };

struct ipconf {
	enum ipconf_mode mode;
	uint32_t addr, netmask, gateway;        /* host order; gateway 0: none */
};

/* 0, or -1 when s is not one of the forms above (c is then DHCP). */
int ipconf_parse(const char *s, struct ipconf *c);
/* "a.b.c.d" (each 0-255, nothing after) into host order; 0 or -1. */
int ipconf_parse_addr(const char *s, const char *end, uint32_t *out);
#endif
