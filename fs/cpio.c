/* cpio newc parser (pure; host-tested in tests/unit/test_cpio.c). */
#include "cpio.h"
#include <amphi/errno.h>
#include <amphi/string.h>

static int parse_hex8(const char *p, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 8; i++) {
		int d = hex_digit(p[i]);
		if (d < 0)
			return -1;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

static size_t align4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

static int fail(struct cpio_error *err, size_t off, const char *msg)
{
	if (err) {
		err->offset = off;
		err->msg = msg;
	}
	return -EINVAL;
}

/* Field order after the magic: ino mode uid gid nlink mtime filesize
 * devmajor devminor rdevmajor rdevminor namesize check. */
static const char *const field_names[13] = {
	"bad hex in c_ino", "bad hex in c_mode", "bad hex in c_uid", "bad hex in c_gid",
	"bad hex in c_nlink", "bad hex in c_mtime", "bad hex in c_filesize",
	"bad hex in c_devmajor", "bad hex in c_devminor", "bad hex in c_rdevmajor",
	"bad hex in c_rdevminor", "bad hex in c_namesize", "bad hex in c_check",
};

int cpio_parse(const void *buf, size_t len, cpio_fn fn, void *ctx, struct cpio_error *err)
{
	const uint8_t *a = buf;
	size_t off = 0;
	int count = 0;

	if (err) {
		err->offset = 0;
		err->msg = 0;
	}
	if (!a && len)
		return fail(err, 0, "no archive");
	for (;;) {
		if (off >= len || len - off < CPIO_HDR_LEN)
			return fail(err, off, off >= len ? "truncated: no TRAILER!!!"
						      : "truncated header");
		const char *h = (const char *)a + off;
		int crc;
		if (!memcmp(h, "070701", 6))
			crc = 0;
		else if (!memcmp(h, "070702", 6))
			crc = 1;
		else
			return fail(err, off, "bad magic (not a newc cpio archive)");
		uint32_t f[13];
		for (int i = 0; i < 13; i++)
			if (parse_hex8(h + 6 + 8 * i, &f[i]))
				return fail(err, off, field_names[i]);
		struct cpio_entry e;
		e.ino = f[0];
		e.mode = f[1];
		e.uid = f[2];
		e.gid = f[3];
		e.nlink = f[4];
		e.mtime = f[5];
		e.filesize = f[6];
		e.devmajor = f[7];
		e.devminor = f[8];
		e.rdevmajor = f[9];
		e.rdevminor = f[10];
		uint32_t namesize = f[11], check = f[12];
		e.offset = off;

		if (namesize < 2 || namesize > CPIO_NAME_MAX)
			return fail(err, off, "bad name size");
		size_t name_off = off + CPIO_HDR_LEN;
		if (namesize > len - name_off)
			return fail(err, off, "truncated name");
		e.name = (const char *)a + name_off;
		e.namelen = namesize - 1;
		if (e.name[e.namelen] != '\0' || strnlen(e.name, e.namelen) != e.namelen)
			return fail(err, off, "name not NUL-terminated at its size");
		size_t data_off = align4(name_off + namesize);
		int trailer = e.namelen == 10 && !memcmp(e.name, "TRAILER!!!", 10);
		if (trailer && e.filesize == 0 && data_off > len)
			data_off = len;             /* a last trailer without its padding */
		if (data_off > len || e.filesize > len - data_off)
			return fail(err, off, "file data beyond the end of the archive");
		e.data = a + data_off;

		if (trailer) {
			/* Zero padding, then maybe another archive. */
			off = align4(data_off + e.filesize);
			while (off < len && a[off] == 0)
				off++;
			if (off < len && len - off >= 6 && !memcmp(a + off, "0707", 4))
				continue;
			return count;
		}
		if (crc) {
			uint32_t sum = 0;
			for (uint32_t i = 0; i < e.filesize; i++)
				sum += e.data[i];
			if (sum != check)
				return fail(err, off, "checksum mismatch (070702)");
		}
		if (fn) {
			int r = fn(ctx, &e);
			if (r < 0) {
				if (err) {
					err->offset = off;
					err->msg = "could not create an entry";
				}
				return r;
			}
		}
		count++;
		off = align4(data_off + e.filesize);
	}
}
