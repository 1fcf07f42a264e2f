/* amphi.ip= parsing (net/ipconfig_parse.h); no kernel dependencies. */
#include "ipconfig_parse.h"
#include <stddef.h>

static int str_is(const char *s, const char *word)
{
	while (*word && *s == *word)
		s++, word++;
	return !*word && !*s;
}

int ipconf_parse_addr(const char *s, const char *end, uint32_t *out)
{
	uint32_t a = 0;
	for (int part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;
		while (s < end && *s >= '0' && *s <= '9') {
			v = v * 10 + (unsigned)(*s++ - '0');
			if (++digits > 3 || v > 255)
				return -1;
		}
		if (!digits)
			return -1;
		a = a << 8 | v;
		if (part < 3) {
			if (s >= end || *s != '.')
				return -1;
			s++;
		}
	}
	if (s != end)
		return -1;
	*out = a;
	return 0;
}

static const char *find(const char *s, char c)
{
	while (*s && *s != c)
		s++;
	return s;
}

int ipconf_parse(const char *s, struct ipconf *c)
{
	c->mode = IPCONF_DHCP;
	c->addr = c->netmask = c->gateway = 0;
	if (str_is(s, "dhcp"))
		return 0;
	if (str_is(s, "off") || str_is(s, "none")) {
		c->mode = IPCONF_OFF;
		return 0;
	}
	const char *slash = find(s, '/');
	if (!*slash)
		return -1;
	uint32_t addr, gw = 0;
	if (ipconf_parse_addr(s, slash, &addr))
		return -1;
	const char *p = slash + 1, *comma = find(p, ',');
	unsigned prefix = 0, digits = 0;
	for (; p < comma; p++) {
		if (*p < '0' || *p > '9' || ++digits > 2)
			return -1;
		prefix = prefix * 10 + (unsigned)(*p - '0');
	}
	if (!digits || prefix < 1 || prefix > 32)
		return -1;
	if (*comma) {
		const char *g = comma + 1, *end = find(g, '\0');
		if (ipconf_parse_addr(g, end, &gw))
			return -1;
	}
	uint32_t mask = prefix == 32 ? 0xffffffffu : ~(0xffffffffu >> prefix);
	if (gw && (gw & mask) != (addr & mask))
		return -1;              /* a gateway must be on the device's subnet */
	c->mode = IPCONF_STATIC;
	c->addr = addr;
	c->netmask = mask;
	c->gateway = gw;
	return 0;
}
