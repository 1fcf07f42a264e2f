/*
 * amphi.test=disk: the block layer on a real (QEMU) disk, without any
 * process.  The host (tests/disk/run) fills sectors 2048..4095 of the disk
 * with "%07d\n" lines of the sector number and checks afterwards what this
 * test wrote.
 *
 *   amphi.test_disk=NAME   the disk (default vda)
 *   amphi.test_parts=N     it must have N partitions (NAME1..NAMEN); part 1 at 2048
 *
 * Checks: the pattern through blk_rw (several requests in flight), through
 * a partition and through the buffer cache; writes sectors 8192..8447
 * ("amphi-bcache %07d\n") through bget/bdirty/bsync and 12288..14335
 * ("amphi-rawblk %07d\n") through blk_rw; the /dev node's read and write
 * agree with the cache (sectors 16384..16391); a request past the disk's end
 * reaches the device and comes back -EIO; blk_rw refuses it with -EINVAL.
 *
 * amphi.test=disk-cache: reads more 4 KiB blocks through the buffer cache
 * than its bound (LRU reclaim keeps it there), then takes every free frame:
 * frame_alloc's reclaim hook must get the cache's clean frames back.
 */
#include <amphi/test.h>
#include <amphi/blkdev.h>
#include <amphi/boot.h>
#include <amphi/cmdline.h>
#include <amphi/errno.h>
#include <amphi/frame.h>
#include <amphi/heap.h>
#include <amphi/layout.h>
#include <amphi/sched.h>
#include <amphi/string.h>
#include <amphi/wait.h>
#include "../../drivers/block/blk_internal.h"
#include "../../fs/file.h"
#include <amphi/vfs.h>

static int check_sector(const uint8_t *s, uint64_t lba, const char *prefix)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "%s%07llu\n", prefix, (unsigned long long)lba);
	for (int off = 0; off + n <= 512; off += n)
		if (memcmp(s + off, line, (size_t)n))
			return 0;
	return 1;
}

static void fill_sector(uint8_t *s, uint64_t lba, const char *prefix)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "%s%07llu\n", prefix, (unsigned long long)lba);
	memset(s, '\n', 512);
	for (int off = 0; off + n <= 512; off += n)
		memcpy(s + off, line, (size_t)n);
}

/* The node (/dev/NAME, read and write as a program's would go after the
 * system call) and the buffer cache agree: a raw read of a block that is
 * dirty in the cache sees the cached bytes (written first), and a raw
 * write replaces the cached copy.  Sectors 16384..16391. */
#define COHERENT_SECTOR 16384u
static int node_coherence(struct blkdev *d, uint8_t *buf)
{
	struct file f = { .refs = 1, .flags = O_RDWR };
	int err = blk_file_open(&f, d->rdev);
	if (err)
		return err;
	struct buf *b = bget(d, COHERENT_SECTOR / 8, 4096, &err);
	if (!b)
		return err;
	for (unsigned s = 0; s < 8; s++)
		fill_sector((uint8_t *)b->data + s * 512, COHERENT_SECTOR + s, "amphi-dirty ");
	bdirty(b);
	brelse(b);
	f.off = (int64_t)COHERENT_SECTOR * 512;
	if (f.ops->read(&f, buf, 4096) != 4096 || !check_sector(buf, COHERENT_SECTOR, "amphi-dirty ") ||
	    !check_sector(buf + 3584, COHERENT_SECTOR + 7, "amphi-dirty "))
		return -1;
	for (unsigned s = 0; s < 8; s++)
		fill_sector(buf + s * 512, COHERENT_SECTOR + s, "amphi-node ");
	f.off = (int64_t)COHERENT_SECTOR * 512;
	if (f.ops->write(&f, buf, 4096) != 4096)
		return -2;
	b = bread(d, COHERENT_SECTOR / 8, 4096, &err);
	if (!b)
		return err;
	int ok = check_sector(b->data, COHERENT_SECTOR, "amphi-node ") &&
		 check_sector((uint8_t *)b->data + 3584, COHERENT_SECTOR + 7, "amphi-node ");
	brelse(b);
	return ok ? 0 : -3;
}

DEFINE_TEST(test_disk, "disk", "block layer on a QEMU disk: pattern, partitions, cache, EIO")
{
	char name[16] = "vda", parts[8] = "";
	cmdline_get(boot_info.cmdline, "amphi.test_disk", name, sizeof(name));
	cmdline_get(boot_info.cmdline, "amphi.test_parts", parts, sizeof(parts));
	struct blkdev *d = blkdev_lookup(name);
	if (!d)
		return test_report(TEST_FAILURE, "no disk %s", name);
	CHECK(d->nr_sectors >= 16384, "%s: only %llu sectors", name, (unsigned long long)d->nr_sectors);

	/* 1 MiB in one call: several requests in flight. */
	uint8_t *buf = kmalloc(2048 * 512);
	CHECK(buf, "no memory");
	int r = blk_rw(d, BLK_READ, 2048, buf, 2048);
	CHECK(r == 0, "reading sectors 2048..4095: %d", r);
	for (unsigned i = 0; i < 2048; i++)
		CHECK(check_sector(buf + i * 512, 2048 + i, ""), "sector %u holds the wrong bytes", 2048 + i);
	printk("disk-test: %s: sectors 2048..4095 read and checked\n", name);

	/* Unaligned buffer: the layer bounces. */
	r = blk_rw(d, BLK_READ, 3000, buf + 1, 3);
	CHECK(r == 0 && check_sector(buf + 1, 3000, "") && check_sector(buf + 1025, 3002, ""),
	      "unaligned read: %d", r);

	if (parts[0]) {
		int want = parts[0] - '0';
		for (int i = 1; i <= want; i++) {
			char pn[20];
			snprintf(pn, sizeof(pn), "%s%d", name, i);
			CHECK(blkdev_lookup(pn), "partition %s missing", pn);
		}
		char extra[20];
		snprintf(extra, sizeof(extra), "%s%d", name, want + 1);
		CHECK(!blkdev_lookup(extra), "unexpected partition %s", extra);
		snprintf(extra, sizeof(extra), "%s1", name);
		struct blkdev *p1 = blkdev_lookup(extra);
		if (p1) {
			r = blk_rw(p1, BLK_READ, 5, buf, 1);
			CHECK(r == 0 && check_sector(buf, 2048 + 5, ""),
			      "partition 1 sector 5 is not disk sector 2053");
		}
		printk("disk-test: %d partition(s) as expected\n", want);
	}

	/* Buffer cache: read through it, write through it. */
	int err;
	struct buf *b = bread(d, 2048 / 8 + 1, 4096, &err);       /* sectors 2056..2063 */
	CHECK(b, "bread: %d", err);
	CHECK(check_sector(b->data, 2056, "") && check_sector((uint8_t *)b->data + 3584, 2063, ""),
	      "bread returned the wrong block");
	brelse(b);
	for (unsigned blk = 0; blk < 32; blk++) {            /* sectors 8192..8447 */
		b = bget(d, 8192 / 8 + blk, 4096, &err);
		CHECK(b, "bget: %d", err);
		for (unsigned s = 0; s < 8; s++)
			fill_sector((uint8_t *)b->data + s * 512, 8192 + blk * 8 + s, "amphi-bcache ");
		bdirty(b);
		brelse(b);
	}
	r = bsync(d);
	CHECK(r == 0, "bsync: %d", r);
	binvalidate(d);
	r = blk_rw(d, BLK_READ, 8192, buf, 256);
	CHECK(r == 0 && check_sector(buf, 8192, "amphi-bcache ") &&
	      check_sector(buf + 255 * 512, 8447, "amphi-bcache "), "bcache writes did not reach the disk");
	printk("disk-test: 32 dirty 4 KiB buffers written back by bsync and read back\n");
	r = node_coherence(d, buf);
	CHECK(r == 0, "the node and the buffer cache disagree (%d)", r);
	printk("disk-test: a raw read saw a dirty cached block; a raw write replaced a cached one\n");

	for (unsigned i = 0; i < 2048; i++)
		fill_sector(buf + i * 512, 12288 + i, "amphi-rawblk ");
	r = blk_rw(d, BLK_WRITE, 12288, buf, 2048);
	CHECK(r == 0, "writing 1 MiB: %d", r);
	r = blk_flush(d);
	CHECK(r == 0, "flush: %d", r);
	printk("disk-test: 1 MiB written at sector 12288 and flushed\n");

	/* Past the end: the layer refuses, the device fails it. */
	r = blk_rw(d, BLK_READ, d->nr_sectors, buf, 1);
	CHECK(r == -EINVAL, "blk_rw past the end gave %d, not -EINVAL", r);
	struct blk_request *q = kzalloc(sizeof(*q));
	CHECK(q, "no memory");
	pfn_t pfn = frame_alloc(FRAME_LOW);
	CHECK(pfn != PFN_NONE, "no frame");
	q->dev = blk_whole(d);
	q->op = BLK_READ;
	q->sector = blk_whole(d)->nr_sectors + 8;
	q->nr_segs = 1;
	q->segs[0] = (struct blk_seg){ (uint64_t)pfn << PAGE_SHIFT, 512 };
	r = blk_submit_sync(q);
	CHECK(r == -EIO, "the device answered a read past the end with %d, not -EIO", r);
	printk("disk-test: a read past the end reached the device and failed with EIO\n");
	/* The disk still works after the error. */
	r = blk_rw(d, BLK_READ, 2048, buf, 8);
	CHECK(r == 0 && check_sector(buf, 2048, ""), "disk unusable after the error: %d", r);
	frame_free(pfn);
	kfree(q);
	kfree(buf);
	return TEST_SUCCESS;
}

DEFINE_TEST(test_disk_cache, "disk-cache", "buffer cache: LRU bound, frames given back under pressure")
{
	char name[16] = "vda";
	cmdline_get(boot_info.cmdline, "amphi.test_disk", name, sizeof(name));
	struct blkdev *d = blkdev_lookup(name);
	if (!d)
		return test_report(TEST_FAILURE, "no disk %s", name);
	unsigned nr, max;
	int err;
	struct buf *b = bread(d, 0, 4096, &err);
	CHECK(b, "bread: %d", err);
	brelse(b);
	bcache_stats(&nr, &max);
	uint64_t blocks = d->nr_sectors / 8;
	uint64_t want = (uint64_t)max + max / 2 < blocks ? (uint64_t)max + max / 2 : blocks;
	for (uint64_t i = 0; i < want; i++) {
		b = bread(d, i, 4096, &err);
		CHECK(b, "bread block %llu: %d", (unsigned long long)i, err);
		if (i >= 256 && i < 512)
			CHECK(check_sector(b->data, i * 8, ""), "block %llu: wrong bytes", (unsigned long long)i);
		brelse(b);
	}
	bcache_stats(&nr, &max);
	printk("disk-test: %llu blocks read through the cache; %u cached, bound %u\n",
	       (unsigned long long)want, nr, max);
	CHECK(nr <= max, "cache holds %u buffers, over its bound %u", nr, max);
	CHECK(want < blocks ? nr == max : 1, "cache did not fill to its bound (%u of %u)", nr, max);
	/* Pressure: take every frame. */
	pfn_t *taken = kmalloc(65536 * sizeof(pfn_t));
	CHECK(taken, "no memory");
	unsigned n = 0;
	pfn_t p;
	while (n < 65536 && (p = frame_alloc(FRAME_LOW)) != PFN_NONE)
		taken[n++] = p;
	unsigned nr_after;
	bcache_stats(&nr_after, &max);
	printk("disk-test: took %u frames; the cache gave back %u of its %u buffers\n", n, nr - nr_after, nr);
	for (unsigned i = 0; i < n; i++)
		frame_free(taken[i]);
	kfree(taken);
	CHECK(nr_after < nr / 4, "the cache kept %u of %u buffers under memory pressure", nr_after, nr);
	b = bread(d, 300, 4096, &err);
	CHECK(b && check_sector(b->data, 2400, ""), "bread after the pressure: %d", err);
	brelse(b);
	return TEST_SUCCESS;
}

/* amphi.test=disk-stress: four threads increment counters kept in 16
 * blocks through bread/bdirty/brelse, in a random order and against the
 * flusher and each other's bsync (some called while holding a buffer);
 * every increment must survive (the buffer lock excludes), and after bsync
 * and binvalidate the disk must hold the same totals. */
#define STRESS_THREADS 4
#define STRESS_ROUNDS 300
#define STRESS_BLOCKS 16
#define STRESS_FIRST 4096u               /* 4 KiB blocks 4096.. = sectors 32768.. */

static struct blkdev *stress_dev;
static int stress_left, stress_errors;
static wait_queue_t stress_wq = WAIT_QUEUE_INIT("disk-stress");

static void stress_thread(void *arg)
{
	uint32_t x = (uint32_t)(uintptr_t)arg * 2654435761u + 1;
	for (int i = 0; i < STRESS_ROUNDS; i++) {
		x = x * 1103515245u + 12345u;
		int err;
		struct buf *b = bread(stress_dev, STRESS_FIRST + (x >> 8) % STRESS_BLOCKS, 4096, &err);
		if (!b) {
			stress_errors++;
			continue;
		}
		uint32_t *counter = b->data;
		uint32_t v = *counter;
		if (x & 0x10000)
			thread_yield();         /* let another thread try the same block */
		*counter = v + 1;
		bdirty(b);
		if (i % 64 == 63 && bsync(stress_dev))      /* holding a buffer: written as it is */
			stress_errors++;
		brelse(b);
		if (i % 50 == 49 && bsync(stress_dev))      /* against the others' held buffers */
			stress_errors++;
	}
	__atomic_sub_fetch(&stress_left, 1, __ATOMIC_SEQ_CST);
	wake_all(&stress_wq);
}

DEFINE_TEST(test_disk_stress, "disk-stress", "buffer cache: threads, the same blocks, the flusher")
{
	char name[16] = "vda";
	cmdline_get(boot_info.cmdline, "amphi.test_disk", name, sizeof(name));
	stress_dev = blkdev_lookup(name);
	if (!stress_dev)
		return test_report(TEST_FAILURE, "no disk %s", name);
	int err;
	for (unsigned i = 0; i < STRESS_BLOCKS; i++) {
		struct buf *b = bget(stress_dev, STRESS_FIRST + i, 4096, &err);
		CHECK(b, "bget: %d", err);
		memset(b->data, 0, 4096);
		bdirty(b);
		brelse(b);
	}
	stress_left = STRESS_THREADS;
	for (int t = 0; t < STRESS_THREADS; t++)
		CHECK(thread_create("stress", stress_thread, (void *)(uintptr_t)t), "thread_create");
	wait_event(&stress_wq, __atomic_load_n(&stress_left, __ATOMIC_SEQ_CST) == 0);
	CHECK(stress_errors == 0, "%d breads failed", stress_errors);
	CHECK(bsync(stress_dev) == 0, "bsync failed");
	binvalidate(stress_dev);
	uint32_t total = 0;
	uint8_t *s = kmalloc(4096);
	CHECK(s, "no memory");
	for (unsigned i = 0; i < STRESS_BLOCKS; i++) {
		CHECK(blk_rw(stress_dev, BLK_READ, (STRESS_FIRST + i) * 8ull, s, 8) == 0, "read back");
		uint32_t v;
		memcpy(&v, s, 4);
		total += v;
	}
	kfree(s);
	printk("disk-test: %d threads x %d increments, %u on the disk\n", STRESS_THREADS, STRESS_ROUNDS, total);
	CHECK(total == STRESS_THREADS * STRESS_ROUNDS, "lost updates: %u of %u", total,
	      STRESS_THREADS * STRESS_ROUNDS);
	return TEST_SUCCESS;
}
