/*
 * Split virtqueues (virtio 1.x, 2.7): the descriptor table, the available
 * ring the driver fills and the used ring the device fills.  This part is
 * pure (no locks, no I/O; host-tested in tests/unit/test_virtq.c): the
 * caller serialises, allocates the rings in DMA-able memory, and notifies
 * the device.  Indices are free-running 16-bit counters that wrap; a ring
 * slot is the index modulo the queue size.
 */
#ifndef DRIVERS_VIRTQ_H
#define DRIVERS_VIRTQ_H
#include <stdint.h>
#include <stddef.h>

#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2            /* the device writes this buffer */
#define VRING_DESC_F_INDIRECT 4         /* the buffer is a table of descriptors */
#define VIRTIO_RING_F_INDIRECT_DESC 28  /* feature bit: the device reads such tables */
#define VIRTQ_MAX_SIZE 256              /* what the driver asks for at most */

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct vring_used_elem {
	uint32_t id;
	uint32_t len;
};

struct vring_used {
	uint16_t flags;
	uint16_t idx;
	struct vring_used_elem ring[];
};

struct virtq_buf {
	uint64_t phys;
	uint32_t len;
	int device_writes;
};

struct virtq {
	uint16_t size;                  /* entries (the device's size, <= VIRTQ_MAX_SIZE) */
	uint16_t free_head, num_free;
	uint16_t avail_idx;             /* our copy of avail->idx */
	uint16_t last_used;             /* used entries consumed so far */
	volatile struct vring_desc *desc;
	volatile struct vring_avail *avail;
	volatile struct vring_used *used;
};

/* Bytes each part needs for a queue of size entries. */
static inline size_t virtq_desc_bytes(unsigned size) { return 16u * size; }
static inline size_t virtq_avail_bytes(unsigned size) { return 6u + 2u * size; }
static inline size_t virtq_used_bytes(unsigned size) { return 6u + 8u * size; }
/* The ring slot of a free-running index. */
static inline uint16_t virtq_slot(uint16_t idx, uint16_t size) { return (uint16_t)(idx % size); }
/* Entries the device has used that we have not consumed (wraps at 65536). */
static inline uint16_t virtq_used_pending(uint16_t used_idx, uint16_t last_used)
{
	return (uint16_t)(used_idx - last_used);
}

/* Links every descriptor into the free list and zeroes the rings' indices. */
void virtq_init(struct virtq *q, uint16_t size, void *desc, void *avail, void *used);
/* Puts a chain of n buffers in the available ring; returns its head id,
 * or -1 when fewer than n descriptors are free (n == 0 or n > size: -1). */
int virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n);
/* The same chain written into table (n entries, linked in a row; at
 * table_phys for the device) and made available as one descriptor that
 * points to it (VIRTIO_RING_F_INDIRECT_DESC): a request of 34 buffers
 * takes one ring entry instead of 34.  The table belongs to the device
 * until the head comes back used.  Head id, or -1 when no descriptor is
 * free (or n == 0). */
int virtq_add_indirect(struct virtq *q, volatile struct vring_desc *table, uint64_t table_phys,
		       const struct virtq_buf *bufs, unsigned n);
/* Takes the next used chain: its head id (and *len, bytes written by the
 * device), freeing its descriptors; -1 when nothing is pending.  A head id
 * out of range (a broken device) is reported as -2 and skipped. */
int virtq_get_used(struct virtq *q, uint32_t *len);
#endif
