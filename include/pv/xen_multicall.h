/*
 * A multicall queue (pure; host-tested): hypercalls collected while a batch
 * is open go to Xen in one __HYPERVISOR_multicall, in order.  Entries have
 * the 32-bit layout of Xen's multicall_entry_t (op, result, args[6]); the
 * issue callback makes the hypercall (or, in the unit tests, records it).
 */
#ifndef PV_XEN_MULTICALL_H
#define PV_XEN_MULTICALL_H
#include <stdint.h>

#define MC_MAX 8

struct mc_entry {
	uint32_t op;
	uint32_t result;
	uint32_t args[6];
};

struct mc_queue {
	struct mc_entry e[MC_MAX];
	unsigned n;
	long (*issue)(struct mc_entry *entries, unsigned n);
	uint64_t multicalls;      /* hypercalls made */
	uint64_t entries;         /* calls carried by them */
	int failed_op;            /* op of the first entry that failed, or -1 */
};

void mc_init(struct mc_queue *q, long (*issue)(struct mc_entry *, unsigned));
/* Queues one call; a full queue is flushed first.  0, or what mc_flush says. */
long mc_add(struct mc_queue *q, uint32_t op, uint32_t a0, uint32_t a1, uint32_t a2,
	    uint32_t a3, uint32_t a4);
/* Issues what is queued as one multicall (nothing when empty).  Returns the
 * multicall's own error, else the first failing entry's result (its op in
 * failed_op), else 0. */
long mc_flush(struct mc_queue *q);
#endif
