/* The xenstore wire protocol, pure (see xenfront/xs_wire.h). */
#include <xenfront/xs_wire.h>
#include <amphi/errno.h>
#include <amphi/string.h>

int xsw_ring_used(uint32_t cons, uint32_t prod)
{
	uint32_t n = prod - cons;      /* unsigned: right across the 2^32 wrap */
	return n > XSW_RING_SIZE ? -1 : (int)n;
}

int xsw_ring_free(uint32_t cons, uint32_t prod)
{
	int used = xsw_ring_used(cons, prod);
	return used < 0 ? -1 : (int)XSW_RING_SIZE - used;
}

void xsw_ring_get(const char *ring, uint32_t idx, void *dst, size_t n)
{
	char *d = dst;
	while (n) {
		uint32_t off = idx & (XSW_RING_SIZE - 1);
		size_t chunk = XSW_RING_SIZE - off < n ? XSW_RING_SIZE - off : n;
		memcpy(d, ring + off, chunk);
		d += chunk; idx += (uint32_t)chunk; n -= chunk;
	}
}

void xsw_ring_put(char *ring, uint32_t idx, const void *src, size_t n)
{
	const char *s = src;
	while (n) {
		uint32_t off = idx & (XSW_RING_SIZE - 1);
		size_t chunk = XSW_RING_SIZE - off < n ? XSW_RING_SIZE - off : n;
		memcpy(ring + off, s, chunk);
		s += chunk; idx += (uint32_t)chunk; n -= chunk;
	}
}

int xsw_build(char *buf, size_t cap, uint32_t type, uint32_t req_id, uint32_t tx_id,
	      const char *const *parts, int nparts, int last_raw)
{
	size_t len = 0;
	for (int i = 0; i < nparts; i++)
		len += strlen(parts[i]) + (last_raw && i == nparts - 1 ? 0 : 1);
	if (len > XSW_PAYLOAD_MAX || sizeof(struct xsw_header) + len > cap)
		return -E2BIG;
	struct xsw_header h = { type, req_id, tx_id, (uint32_t)len };
	memcpy(buf, &h, sizeof(h));
	char *p = buf + sizeof(h);
	for (int i = 0; i < nparts; i++) {
		size_t n = strlen(parts[i]) + (last_raw && i == nparts - 1 ? 0 : 1);
		memcpy(p, parts[i], n);
		p += n;
	}
	return (int)(sizeof(h) + len);
}

void xsw_rx_reset(struct xsw_rx *rx)
{
	rx->got = 0;
}

int xsw_rx_feed(struct xsw_rx *rx, const char *ring, uint32_t *cons, uint32_t prod)
{
	int avail = xsw_ring_used(*cons, prod);
	if (avail < 0)
		return -EPROTO;
	const size_t hsz = sizeof(rx->hdr);
	if (rx->got < hsz) {
		size_t n = hsz - rx->got < (size_t)avail ? hsz - rx->got : (size_t)avail;
		xsw_ring_get(ring, *cons, (char *)&rx->hdr + rx->got, n);
		*cons += (uint32_t)n; rx->got += n; avail -= (int)n;
		if (rx->got < hsz)
			return 0;
		if (rx->hdr.len > XSW_PAYLOAD_MAX)
			return -EPROTO;
	}
	size_t want = hsz + rx->hdr.len - rx->got;
	size_t n = want < (size_t)avail ? want : (size_t)avail;
	xsw_ring_get(ring, *cons, rx->body + (rx->got - hsz), n);
	*cons += (uint32_t)n; rx->got += n;
	if (rx->got < hsz + rx->hdr.len)
		return 0;
	rx->body[rx->hdr.len] = 0;
	return 1;
}

static const struct { const char *name; int err; } xs_errors[] = {
	{ "EINVAL", EINVAL }, { "EACCES", EACCES }, { "EEXIST", EEXIST }, { "EISDIR", EISDIR },
	{ "ENOENT", ENOENT }, { "ENOMEM", ENOMEM }, { "ENOSPC", ENOSPC }, { "EIO", EIO },
	{ "ENOTEMPTY", ENOTEMPTY }, { "ENOSYS", ENOSYS }, { "EROFS", EROFS }, { "EBUSY", EBUSY },
	{ "EAGAIN", EAGAIN }, { "EISCONN", EISCONN }, { "E2BIG", E2BIG }, { "EPERM", EPERM },
	{ "EQUOTA", ENOSPC },
};

int xsw_error_errno(const char *body, size_t len)
{
	size_t n = 0;
	while (n < len && body[n])
		n++;
	for (size_t i = 0; i < sizeof(xs_errors) / sizeof(xs_errors[0]); i++)
		if (strlen(xs_errors[i].name) == n && !memcmp(xs_errors[i].name, body, n))
			return -xs_errors[i].err;
	return -EIO;
}

int xsw_split(const char *body, size_t len, const char **out, int max)
{
	int count = 0;
	size_t i = 0;
	while (i < len) {
		const char *s = body + i;
		size_t n = 0;
		while (i + n < len && s[n])
			n++;
		if (i + n == len)
			return -EPROTO;        /* no NUL before the end */
		if (count == max)
			return -E2BIG;
		out[count++] = s;
		i += n + 1;
	}
	return count;
}
