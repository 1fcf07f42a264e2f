/*
 * File pages (include/amphi/filepages.h) through the VFS: a file written
 * with a pattern that depends on each word's offset (a page in the wrong
 * place shows), read back, cut in half, removed; the file-page and frame
 * counts must come back exactly.  Above 4 GiB (amphi.expect_high=1) the
 * data must sit in frames above 4 GiB, which file pages take first.  On
 * machines up to 640 MiB a second file fills what files may hold: the
 * write must end in ENOSPC with the kernel's reserve still free.
 */
#include <amphi/test.h>
#include <amphi/vfs.h>
#include <amphi/errno.h>
#include <amphi/heap.h>
#include <amphi/string.h>
#include <amphi/frame.h>
#include <amphi/filepages.h>
#include <amphi/mm.h>
#include "expect.h"

#define CHUNK 65536u

static uint32_t word_at(uint64_t off)
{
	uint32_t w = (uint32_t)(off >> 2);
	return (w * 2654435761u) ^ (uint32_t)(off >> 32) ^ 0x5bd1e995u;
}

static void fill(uint32_t *buf, uint64_t off)
{
	for (uint32_t i = 0; i < CHUNK / 4; i++)
		buf[i] = word_at(off + 4ull * i);
}

static int write_file(struct file *f, uint32_t *buf, uint64_t size, uint64_t *written)
{
	for (*written = 0; *written < size;) {
		fill(buf, *written);
		ssize32_t k = file_write(f, buf, CHUNK);
		if (k < 0)
			return k;
		*written += (uint64_t)k;
		if ((uint32_t)k < CHUNK)
			return -ENOSPC;                 /* short: the next one must say why */
	}
	return 0;
}

static enum test_status check_file(struct file *f, uint32_t *buf, uint64_t size)
{
	for (uint64_t off = 0; off < size; off += CHUNK) {
		ssize32_t k = vfs_pread(f, buf, CHUNK, off);
		CHECK(k == (ssize32_t)CHUNK, "read at %llu: %d", (unsigned long long)off, k);
		for (uint32_t i = 0; i < CHUNK / 4; i++)
			CHECK(buf[i] == word_at(off + 4ull * i), "wrong data at offset %llu",
			      (unsigned long long)(off + 4ull * i));
	}
	return TEST_SUCCESS;
}

static enum test_status fill_to_enospc(uint32_t *buf)
{
	int err;
	struct file *f = vfs_open("/", "/tmp/filepages-fill", O_RDWR | O_CREAT | O_TRUNC, 0644, &err);
	CHECK(f, "open for the fill: %d", err);
	uint64_t written;
	int r = write_file(f, buf, 1ull << 40, &written);
	if (r == -ENOSPC) {
		/* After a short write the next write says why. */
		ssize32_t k = file_write(f, buf, CHUNK);
		r = k < 0 ? k : 0;
	}
	struct filepages_stats st;
	filepages_stats(&st);
	printk("filepages: filled %llu MiB, then %d; %u frames free, reserve %u\n",
	       (unsigned long long)(written >> 20), r, frames.nr_free, st.reserve_pages);
	CHECK(r == -ENOSPC, "the fill ended with %d, not ENOSPC", r);
	CHECK(frames.nr_free >= st.reserve_pages, "files took the reserve: %u frames free",
	      frames.nr_free);
	file_put(f);
	CHECK(vfs_unlink("/", "/tmp/filepages-fill", 0) == 0, "unlink the fill");
	return TEST_SUCCESS;
}

DEFINE_TEST(test_filepages, "filepages", "file data in page frames: pattern, truncate, rm, ENOSPC")
{
	int r = vfs_init_from_boot();
	CHECK(r == 0, "vfs_init_from_boot: %d", r);
	uint32_t *buf = kmalloc(CHUNK);
	CHECK(buf, "kmalloc");
	struct filepages_stats st0, st;
	filepages_stats(&st0);
	uint32_t free0 = frames.nr_free, use0 = filepages_in_use();

	/* 64 MiB, or a quarter of what is free on a small machine. */
	uint64_t size = 64ull << 20;
	if ((uint64_t)free0 * 4096 / 4 < size)
		size = ((uint64_t)free0 * 4096 / 4) & ~(uint64_t)(2 * CHUNK - 1);   /* halves in chunks */
	uint32_t pages = (uint32_t)(size >> 12);
	int err;
	struct file *f = vfs_open("/", "/tmp/filepages-test", O_RDWR | O_CREAT | O_TRUNC, 0644, &err);
	CHECK(f, "open: %d", err);
	uint64_t written;
	r = write_file(f, buf, size, &written);
	CHECK(r == 0, "writing %llu bytes: %d after %llu", (unsigned long long)size, r,
	      (unsigned long long)written);
	filepages_stats(&st);
	uint32_t nodes = pages > PIDX_FANOUT ? (pages + PIDX_FANOUT - 1) / PIDX_FANOUT + 1 : 1;
	printk("filepages: %llu MiB written: %u data pages (%u above 4 GiB, %u outside the direct map), "
	       "%u index pages\n", (unsigned long long)(size >> 20), st.data_pages - st0.data_pages,
	       st.above_4g_pages - st0.above_4g_pages, st.high_pages - st0.high_pages,
	       st.index_pages - st0.index_pages);
	CHECK(st.data_pages - st0.data_pages == pages, "%u data pages for %u pages of file",
	      st.data_pages - st0.data_pages, pages);
	CHECK(st.index_pages - st0.index_pages == nodes, "%u index pages, expected %u",
	      st.index_pages - st0.index_pages, nodes);
	CHECK(free0 - frames.nr_free == pages + nodes, "%u frames used, expected %u",
	      free0 - frames.nr_free, pages + nodes);
	if (expect_num("amphi.expect_high") == 1)
		CHECK(st.above_4g_pages - st0.above_4g_pages == pages,
		      "only %u of %u pages above 4 GiB", st.above_4g_pages - st0.above_4g_pages, pages);
	enum test_status s = check_file(f, buf, size);
	if (s != TEST_SUCCESS)
		return s;

	/* Half of it: the pages past the new end go back. */
	CHECK(vfs_truncate(f, size / 2) == 0, "truncate");
	filepages_stats(&st);
	CHECK(st.data_pages - st0.data_pages == pages / 2, "%u data pages after truncating to half",
	      st.data_pages - st0.data_pages);
	s = check_file(f, buf, size / 2);
	if (s != TEST_SUCCESS)
		return s;
	file_put(f);
	CHECK(vfs_unlink("/", "/tmp/filepages-test", 0) == 0, "unlink");
	CHECK(filepages_in_use() == use0, "file pages in use: %u, before %u", filepages_in_use(), use0);
	CHECK(frames.nr_free == free0, "free frames: %u, before %u", frames.nr_free, free0);

	if (mm_summary.frames_total <= (640u << 8)) {
		s = fill_to_enospc(buf);
		if (s != TEST_SUCCESS)
			return s;
		CHECK(filepages_in_use() == use0, "after the fill: %u file pages, before %u",
		      filepages_in_use(), use0);
		CHECK(frames.nr_free == free0, "after the fill: %u frames free, before %u",
		      frames.nr_free, free0);
	}
	kfree(buf);
	printk("filepages: all frames back (%u free)\n", frames.nr_free);
	return TEST_SUCCESS;
}
