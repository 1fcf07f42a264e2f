/* Builds newc archives in memory for the cpio and ramfs tests. */
#ifndef TEST_CPIO_BUILD_H
#define TEST_CPIO_BUILD_H
#include <stdio.h>
#include <string.h>
#include <stdint.h>

struct cpio_buf {
	unsigned char data[1 << 16];
	size_t len;
};

static inline void cb_pad(struct cpio_buf *b)
{
	while (b->len & 3)
		b->data[b->len++] = 0;
}

static inline size_t cb_add_full(struct cpio_buf *b, const char *magic, const char *name,
				 uint32_t mode, uint32_t ino, uint32_t nlink,
				 const void *data, size_t size, uint32_t check)
{
	size_t start = b->len;
	char hdr[111];
	snprintf(hdr, sizeof(hdr), "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 magic, ino, mode, 0u, 0u, nlink, 1700000000u, (unsigned)size, 0u, 1u, 0u, 0u,
		 (unsigned)strlen(name) + 1, check);
	memcpy(b->data + b->len, hdr, 110);
	b->len += 110;
	memcpy(b->data + b->len, name, strlen(name) + 1);
	b->len += strlen(name) + 1;
	cb_pad(b);
	if (size)
		memcpy(b->data + b->len, data, size);
	b->len += size;
	cb_pad(b);
	return start;
}

static inline size_t cb_add(struct cpio_buf *b, const char *name, uint32_t mode, const char *data)
{
	static uint32_t ino = 100;
	return cb_add_full(b, "070701", name, mode, ino++, (mode & 0170000) == 0040000 ? 2 : 1,
			   data, data ? strlen(data) : 0, 0);
}

static inline size_t cb_trailer(struct cpio_buf *b)
{
	return cb_add_full(b, "070701", "TRAILER!!!", 0, 0, 1, 0, 0, 0);
}
#endif
