/* cpio "newc" (070701) and "crc" (070702) archives: a pure parser. */
#ifndef FS_CPIO_H
#define FS_CPIO_H
#include <stddef.h>
#include <stdint.h>

#define CPIO_HDR_LEN 110
#define CPIO_NAME_MAX 4096          /* namesize bound, NUL included */

struct cpio_entry {
	const char *name;               /* NUL-terminated, inside the archive */
	size_t namelen;                 /* without the NUL */
	uint32_t ino, mode, uid, gid, nlink, mtime;
	uint32_t devmajor, devminor, rdevmajor, rdevminor;
	const uint8_t *data;            /* filesize bytes, inside the archive */
	uint32_t filesize;
	size_t offset;                  /* of the header in the archive */
};

struct cpio_error {
	size_t offset;                  /* where the bad header starts */
	const char *msg;                /* static text, NULL when all went well */
};

/* Called for every entry before the trailer; a negative return stops the
 * walk and becomes cpio_parse's result. */
typedef int (*cpio_fn)(void *ctx, const struct cpio_entry *e);

/*
 * Walks buf[0..len): every header is checked (magic, hex fields, name size
 * and termination, data within the archive, the 070702 checksum) before fn
 * sees it; the walk stops at "TRAILER!!!".  Zero padding after a trailer is
 * skipped and a following archive (concatenated initramfs) is walked too.
 * Returns the number of entries, -EINVAL for a malformed archive (err says
 * where and why; entries before it were already passed to fn), or fn's
 * negative result.
 */
int cpio_parse(const void *buf, size_t len, cpio_fn fn, void *ctx, struct cpio_error *err);
#endif
