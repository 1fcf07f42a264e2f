/*
 * The routes beside lwIP's own (net/route_table.c, pure; host-tested).
 * lwIP routes on-link subnets and one default gateway per stack; routes to
 * other networks (`route add -net ... gw ...`) live here, and two lwIP
 * hooks consult them (net/route.c).  Addresses and masks in host byte
 * order; a device is its lwIP netif index.
 */
#ifndef NET_ROUTE_TABLE_H
#define NET_ROUTE_TABLE_H
#include <stdint.h>

#define RT_MAX 16
#define RT_F_UP      0x0001           /* Linux's RTF_* values */
#define RT_F_GATEWAY 0x0002
#define RT_F_HOST    0x0004

struct rt_entry {
	uint32_t dst, mask, gw;       /* gw 0: on-link (no RT_F_GATEWAY) */
	int ifindex;
	uint16_t flags;
	int16_t metric;
};

struct rt_table {
	struct rt_entry e[RT_MAX];
	int n;
};

/* 1 when mask is contiguous ones from the top (0 and ~0 included). */
int rt_mask_ok(uint32_t mask);
/* Checks r (dst inside mask, contiguous mask, a gateway when flagged) and
 * adds it: 0, -EINVAL, -EEXIST (same dst, mask and metric), -ENOSPC. */
int rt_add(struct rt_table *t, const struct rt_entry *r);
/* Deletes the route with r's dst and mask (and gateway, when flagged):
 * 0 or -ESRCH. */
int rt_del(struct rt_table *t, const struct rt_entry *r);
/* The longest-prefix match for dst (lowest metric among equals); NULL if none. */
const struct rt_entry *rt_lookup(const struct rt_table *t, uint32_t dst);
/* Drops every route through device ifindex (it went away). */
void rt_forget_if(struct rt_table *t, int ifindex);
#endif
