/* Host tests for drivers/virtio/virtq.c: descriptor chains, the free list,
 * and the 16-bit ring indices wrapping around (with a simulated device). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../drivers/virtio/virtq.h"

#define QSIZE 8
static struct vring_desc desc[QSIZE];
static union { struct vring_avail a; uint8_t raw[64]; } avail;
static union { struct vring_used u; uint8_t raw[128]; } used;
static uint16_t dev_last_avail;

/* The device: takes every available chain and returns it as used. */
static unsigned device_consume(unsigned max)
{
	unsigned n = 0;
	while (dev_last_avail != avail.a.idx && n < max) {
		uint16_t head = avail.a.ring[dev_last_avail % QSIZE];
		used.u.ring[used.u.idx % QSIZE].id = head;
		used.u.ring[used.u.idx % QSIZE].len = 512;
		used.u.idx++;
		dev_last_avail++;
		n++;
	}
	return n;
}

static void init(struct virtq *q)
{
	memset(desc, 0xee, sizeof(desc));
	dev_last_avail = 0;
	virtq_init(q, QSIZE, desc, &avail, &used);
}

static void test_arith(void **state)
{
	(void)state;
	assert_int_equal(virtq_slot(65535, 8), 7);
	assert_int_equal(virtq_slot(0, 8), 0);
	assert_int_equal(virtq_used_pending(2, 65534), 4);          /* wrapped */
	assert_int_equal(virtq_used_pending(5, 5), 0);
	assert_int_equal(virtq_desc_bytes(256), 4096);
	assert_int_equal(virtq_avail_bytes(128), 262);
	assert_int_equal(virtq_used_bytes(128), 1030);
}

static void test_chain(void **state)
{
	(void)state;
	struct virtq q;
	init(&q);
	struct virtq_buf b[3] = { { 0x1000, 16, 0 }, { 0x2000, 4096, 1 }, { 0x3000, 1, 1 } };
	int head = virtq_add(&q, b, 3);
	assert_true(head >= 0);
	assert_int_equal(q.num_free, QSIZE - 3);
	assert_int_equal(avail.a.idx, 1);
	/* Walk the chain as a device would. */
	int i = head;
	assert_int_equal(desc[i].addr, 0x1000);
	assert_int_equal(desc[i].flags, VRING_DESC_F_NEXT);
	i = desc[i].next;
	assert_int_equal(desc[i].addr, 0x2000);
	assert_int_equal(desc[i].flags, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE);
	i = desc[i].next;
	assert_int_equal(desc[i].len, 1);
	assert_int_equal(desc[i].flags, VRING_DESC_F_WRITE);
	/* Nothing used yet. */
	assert_int_equal(virtq_get_used(&q, 0), -1);
	device_consume(1);
	uint32_t len = 0;
	assert_int_equal(virtq_get_used(&q, &len), head);
	assert_int_equal(len, 512);
	assert_int_equal(q.num_free, QSIZE);
}

static void test_full(void **state)
{
	(void)state;
	struct virtq q;
	init(&q);
	struct virtq_buf b[3] = { { 1, 1, 0 }, { 2, 2, 0 }, { 3, 3, 1 } };
	assert_true(virtq_add(&q, b, 3) >= 0);
	assert_true(virtq_add(&q, b, 3) >= 0);
	assert_int_equal(virtq_add(&q, b, 3), -1);                  /* 2 left */
	assert_true(virtq_add(&q, b, 2) >= 0);
	assert_int_equal(virtq_add(&q, b, 1), -1);
	assert_int_equal(virtq_add(&q, b, 0), -1);
	device_consume(8);
	int n = 0;
	while (virtq_get_used(&q, 0) >= 0)
		n++;
	assert_int_equal(n, 3);
	assert_int_equal(q.num_free, QSIZE);
}

/* An indirect chain: one ring descriptor pointing at a table linked in a
 * row; it comes back used as one descriptor. */
static void test_indirect(void **state)
{
	(void)state;
	struct virtq q;
	init(&q);
	struct vring_desc table[3];
	memset(table, 0xee, sizeof(table));
	struct virtq_buf b[3] = { { 0x1000, 16, 0 }, { 0x2000, 4096, 1 }, { 0x3000, 1, 1 } };
	int head = virtq_add_indirect(&q, table, 0x9000, b, 3);
	assert_true(head >= 0);
	assert_int_equal(q.num_free, QSIZE - 1);
	assert_int_equal(desc[head].addr, 0x9000);
	assert_int_equal(desc[head].len, 3 * sizeof(struct vring_desc));
	assert_int_equal(desc[head].flags, VRING_DESC_F_INDIRECT);
	assert_int_equal(table[0].flags, VRING_DESC_F_NEXT);
	assert_int_equal(table[0].next, 1);
	assert_int_equal(table[1].addr, 0x2000);
	assert_int_equal(table[1].flags, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE);
	assert_int_equal(table[1].next, 2);
	assert_int_equal(table[2].flags, VRING_DESC_F_WRITE);
	assert_int_equal(virtq_add_indirect(&q, table, 0x9000, b, 0), -1);
	device_consume(1);
	assert_int_equal(virtq_get_used(&q, 0), head);
	assert_int_equal(q.num_free, QSIZE);
	assert_int_equal(desc[head].flags, 0);
}

/* 200000 requests of varying length, completed out of step with their
 * submission: the 16-bit indices wrap three times; every id comes back
 * exactly once and no descriptor is lost. */
static void test_wraparound(void **state)
{
	(void)state;
	struct virtq q;
	init(&q);
	int inflight[QSIZE];
	memset(inflight, 0, sizeof(inflight));
	unsigned submitted = 0, completed = 0, outstanding_descs = 0;
	unsigned lens[QSIZE];
	srand(1);
	while (completed < 200000) {
		unsigned n = 1 + (unsigned)rand() % 3;
		struct virtq_buf b[3] = { { 1, 1, 0 }, { 2, 2, 1 }, { 3, 3, 1 } };
		int head = virtq_add(&q, b, n);
		if (head >= 0) {
			assert_false(inflight[head]);
			inflight[head] = 1;
			lens[head] = n;
			outstanding_descs += n;
			submitted++;
		}
		if (head < 0 || rand() % 2)
			device_consume(1 + (unsigned)rand() % 3);
		int id;
		while ((id = virtq_get_used(&q, 0)) >= 0) {
			assert_true(inflight[id]);
			inflight[id] = 0;
			outstanding_descs -= lens[id];
			completed++;
		}
		assert_int_equal(q.num_free + outstanding_descs, QSIZE);
	}
	assert_true(submitted >= completed);
	assert_true(q.avail_idx == (uint16_t)submitted);
}

static void test_bad_device_id(void **state)
{
	(void)state;
	struct virtq q;
	init(&q);
	used.u.ring[0].id = 999;                                     /* a broken device */
	used.u.idx = 1;
	assert_int_equal(virtq_get_used(&q, 0), -2);
	assert_int_equal(virtq_get_used(&q, 0), -1);
	assert_int_equal(q.num_free, QSIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arith),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_indirect),
		cmocka_unit_test(test_wraparound),
		cmocka_unit_test(test_bad_device_id),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
