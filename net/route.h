/* The routing ioctls (SIOCADDRT, SIOCDELRT) and /proc/net/route
 * (net/route.c), on lwIP's netifs and net/route_table.h. */
#ifndef NET_ROUTE_H
#define NET_ROUTE_H
#include <stddef.h>
#include <stdint.h>

#define L_SIOCADDRT 0x890b
#define L_SIOCDELRT 0x890c

/* Linux's struct rtentry on i386 (84 bytes). */
struct linux_rtentry {
	uint32_t pad1;
	uint8_t dst[16], gateway[16], genmask[16];   /* struct sockaddr_in each */
	uint16_t flags;
	int16_t pad2;
	uint32_t pad3, pad4;
	int16_t metric;
	uint16_t pad5;
	uint32_t dev;                                /* user pointer to a name, or 0 */
	uint32_t mtu, window;
	uint16_t irtt, pad6;
};
_Static_assert(sizeof(struct linux_rtentry) == 84, "struct rtentry is 84 bytes on i386");

/* One request; dev is the name rt->dev pointed at ("" for none).  0 or -errno. */
int route_request(uint32_t cmd, const struct linux_rtentry *rt, const char *dev);
/* /proc/net/route's text into buf (n bytes; NUL-terminated when n > 0);
 * returns the length it needs, as snprintf. */
size_t route_proc_format(char *buf, size_t n);
#endif
