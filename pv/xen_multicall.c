/* The multicall queue (pure; host-tested).  See pv/xen_multicall.h. */
#include <pv/xen_multicall.h>

void mc_init(struct mc_queue *q, long (*issue)(struct mc_entry *, unsigned))
{
	q->n = 0;
	q->issue = issue;
	q->multicalls = q->entries = 0;
	q->failed_op = -1;
}

long mc_flush(struct mc_queue *q)
{
	unsigned n = q->n;
	if (!n)
		return 0;
	q->n = 0;
	long rc = q->issue(q->e, n);
	q->multicalls++;
	q->entries += n;
	if (rc)
		return rc;
	for (unsigned i = 0; i < n; i++)
		if (q->e[i].result) {
			q->failed_op = (int)q->e[i].op;
			return (long)(int32_t)q->e[i].result;
		}
	return 0;
}

long mc_add(struct mc_queue *q, uint32_t op, uint32_t a0, uint32_t a1, uint32_t a2,
	    uint32_t a3, uint32_t a4)
{
	long rc = 0;
	if (q->n == MC_MAX)
		rc = mc_flush(q);
	struct mc_entry *e = &q->e[q->n++];
	e->op = op;
	e->result = 0;
	e->args[0] = a0;
	e->args[1] = a1;
	e->args[2] = a2;
	e->args[3] = a3;
	e->args[4] = a4;
	e->args[5] = 0;
	return rc;
}
