/*
 * The kernel log's ring of bytes (include/amphi/klog.h), and the parser of
 * printk's level prefix; pure: no locks, no
 * allocation (kernel/printk.c holds interrupts off around it; host-tested in
 * tests/unit/test_klog.c).  Positions are 64-bit byte counts that never wrap;
 * a position p lives at buf[p & (size - 1)] while p >= head - size.
 */
#include <amphi/klog.h>

void klog_ring_init(struct klog_ring *r, char *buf, uint32_t size)
{
	r->buf = buf;
	r->size = size;
	r->head = r->read_pos = r->clear_pos = 0;
}

static uint64_t oldest(const struct klog_ring *r)
{
	return r->head > r->size ? r->head - r->size : 0;
}

static char at(const struct klog_ring *r, uint64_t pos)
{
	return r->buf[pos & (r->size - 1)];
}

void klog_ring_put(struct klog_ring *r, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		r->buf[r->head++ & (r->size - 1)] = s[i];
}

/* The first line start at or after pos: pos itself when the byte before it
 * is a newline (or pos is the very beginning), else just past the next
 * newline; head when there is none. */
static uint64_t line_start(const struct klog_ring *r, uint64_t pos)
{
	if (pos == 0 || (pos > oldest(r) && at(r, pos - 1) == '\n'))
		return pos;
	while (pos < r->head && at(r, pos) != '\n')
		pos++;
	return pos < r->head ? pos + 1 : pos;
}

static void copy_out(const struct klog_ring *r, uint64_t from, char *dst, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = at(r, from + i);
}

size_t klog_ring_read(struct klog_ring *r, char *dst, size_t n)
{
	if (r->read_pos < oldest(r))
		r->read_pos = line_start(r, oldest(r));   /* overtaken: lost lines are lost */
	uint64_t avail = r->head - r->read_pos;
	size_t k = avail < n ? (size_t)avail : n;
	copy_out(r, r->read_pos, dst, k);
	r->read_pos += k;
	return k;
}

size_t klog_ring_read_all(const struct klog_ring *r, char *dst, size_t n)
{
	uint64_t from = r->clear_pos > oldest(r) ? r->clear_pos : oldest(r);
	if (r->head - from > n)
		from = r->head - n;
	from = line_start(r, from);
	size_t k = (size_t)(r->head - from);
	copy_out(r, from, dst, k);
	return k;
}

void klog_ring_clear(struct klog_ring *r)
{
	r->clear_pos = r->head;
}

uint32_t klog_ring_unread(const struct klog_ring *r)
{
	uint64_t from = r->read_pos > oldest(r) ? r->read_pos : oldest(r);
	return (uint32_t)(r->head - from);
}

int klog_parse_level(const char *s, const char **text)
{
	if (s[0] == KERN_SOH[0] && s[1] >= '0' && s[1] <= '7') {
		*text = s + 2;
		return s[1] - '0';
	}
	*text = s;
	return KLOG_DEFAULT_LEVEL;
}
