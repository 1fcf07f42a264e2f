/* Routes to other networks (see route_table.h): a small array, searched in
 * full, because a guest has a handful of routes and lookups are rare next
 * to the on-link and default cases lwIP answers itself. */
#include "route_table.h"

#define R_EINVAL 22
#define R_EEXIST 17
#define R_ENOSPC 28
#define R_ESRCH 3

int rt_mask_ok(uint32_t mask)
{
	uint32_t host = ~mask;              /* must be 2^k - 1 */
	return (host & (host + 1)) == 0;
}

static int same_prefix(const struct rt_entry *a, const struct rt_entry *b)
{
	return a->dst == b->dst && a->mask == b->mask;
}

int rt_add(struct rt_table *t, const struct rt_entry *r)
{
	if (!rt_mask_ok(r->mask) || (r->dst & ~r->mask))
		return -R_EINVAL;
	if (((r->flags & RT_F_GATEWAY) != 0) != (r->gw != 0))
		return -R_EINVAL;
	if ((r->flags & RT_F_HOST) && r->mask != 0xffffffffu)
		return -R_EINVAL;
	for (int i = 0; i < t->n; i++)
		if (same_prefix(&t->e[i], r) && t->e[i].metric == r->metric)
			return -R_EEXIST;
	if (t->n == RT_MAX)
		return -R_ENOSPC;
	t->e[t->n++] = *r;
	return 0;
}

int rt_del(struct rt_table *t, const struct rt_entry *r)
{
	for (int i = 0; i < t->n; i++) {
		const struct rt_entry *e = &t->e[i];
		if (!same_prefix(e, r) || ((r->flags & RT_F_GATEWAY) && e->gw != r->gw))
			continue;
		t->e[i] = t->e[--t->n];
		return 0;
	}
	return -R_ESRCH;
}

const struct rt_entry *rt_lookup(const struct rt_table *t, uint32_t dst)
{
	const struct rt_entry *best = 0;
	for (int i = 0; i < t->n; i++) {
		const struct rt_entry *e = &t->e[i];
		if ((dst & e->mask) != e->dst)
			continue;
		if (!best || e->mask > best->mask || (e->mask == best->mask && e->metric < best->metric))
			best = e;
	}
	return best;
}

void rt_forget_if(struct rt_table *t, int ifindex)
{
	for (int i = 0; i < t->n;)
		if (t->e[i].ifindex == ifindex)
			t->e[i] = t->e[--t->n];
		else
			i++;
}
