/* Split virtqueue bookkeeping (drivers/virtio/virtq.h).  Pure. */
#include "virtq.h"

#define barrier_full() __atomic_thread_fence(__ATOMIC_SEQ_CST)

void virtq_init(struct virtq *q, uint16_t size, void *desc, void *avail, void *used)
{
	q->size = size;
	q->desc = desc;
	q->avail = avail;
	q->used = used;
	for (uint16_t i = 0; i < size; i++) {
		q->desc[i].next = (uint16_t)(i + 1 < size ? i + 1 : 0);
		q->desc[i].flags = 0;
	}
	q->free_head = 0;
	q->num_free = size;
	q->avail_idx = 0;
	q->last_used = 0;
	q->avail->flags = 0;
	q->avail->idx = 0;
	q->used->flags = 0;
	q->used->idx = 0;
}

/* Writes bufs into descriptors of d as one chain from first on: in a row
 * (in_row: an indirect table), else along the free list's next links.
 * Returns the last descriptor's index. */
static uint16_t fill_chain(volatile struct vring_desc *d, uint16_t first, const struct virtq_buf *bufs,
			   unsigned n, int in_row)
{
	uint16_t i = first, last = first;
	for (unsigned k = 0; k < n; k++) {
		if (in_row)
			d[i].next = (uint16_t)(i + 1);
		d[i].addr = bufs[k].phys;
		d[i].len = bufs[k].len;
		d[i].flags = (uint16_t)((bufs[k].device_writes ? VRING_DESC_F_WRITE : 0) |
					(k + 1 < n ? VRING_DESC_F_NEXT : 0));
		last = i;
		i = d[i].next;
	}
	return last;
}

/* Takes n descriptors off the free list for a chain of bufs (head_flags
 * added to its first) and makes the chain available; its head. */
static int add(struct virtq *q, const struct virtq_buf *bufs, unsigned n, uint16_t head_flags)
{
	uint16_t head = q->free_head;
	uint16_t last = fill_chain(q->desc, head, bufs, n, 0);
	q->desc[head].flags |= head_flags;
	q->free_head = q->desc[last].next;
	q->num_free = (uint16_t)(q->num_free - n);
	q->avail->ring[virtq_slot(q->avail_idx, q->size)] = head;
	barrier_full();                 /* descriptors and slot before the index */
	q->avail_idx++;
	q->avail->idx = q->avail_idx;
	barrier_full();                 /* index before the caller's notify */
	return head;
}

int virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n)
{
	if (n == 0 || n > q->num_free)
		return -1;
	return add(q, bufs, n, 0);
}

int virtq_add_indirect(struct virtq *q, volatile struct vring_desc *table, uint64_t table_phys,
		       const struct virtq_buf *bufs, unsigned n)
{
	if (n == 0 || !q->num_free)
		return -1;
	fill_chain(table, 0, bufs, n, 1);
	struct virtq_buf one = { table_phys, (uint32_t)(n * sizeof(struct vring_desc)), 0 };
	return add(q, &one, 1, VRING_DESC_F_INDIRECT);
}

int virtq_get_used(struct virtq *q, uint32_t *len)
{
	if (!virtq_used_pending(q->used->idx, q->last_used))
		return -1;
	barrier_full();                 /* the index before the entry it covers */
	volatile struct vring_used_elem *e = &q->used->ring[virtq_slot(q->last_used, q->size)];
	uint32_t id = e->id;
	if (len)
		*len = e->len;
	q->last_used++;
	if (id >= q->size)
		return -2;
	/* Back onto the free list: walk to the chain's end. */
	uint16_t i = (uint16_t)id, n = 1;
	while ((q->desc[i].flags & VRING_DESC_F_NEXT) && n < q->size) {
		i = q->desc[i].next;
		n++;
	}
	q->desc[i].next = q->free_head;
	q->desc[i].flags = 0;
	q->free_head = (uint16_t)id;
	q->num_free = (uint16_t)(q->num_free + n);
	return (int)id;
}
