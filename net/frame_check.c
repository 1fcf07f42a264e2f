/* Header checks of received frames (net/frame_check.h). */
#include "frame_check.h"

static unsigned be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static int ip_header_sum_ok(const uint8_t *h, unsigned hlen)
{
	uint32_t sum = 0;
	for (unsigned i = 0; i < hlen; i += 2)
		sum += be16(h + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

/* Fragments other than the first carry no transport header. */
static enum frame_verdict check_l4(const uint8_t *ip, unsigned hlen, unsigned total)
{
	unsigned frag = be16(ip + 6);
	if (frag & 0x1fff)
		return FRAME_OK;
	int more = !!(frag & 0x2000);
	const uint8_t *l4 = ip + hlen;
	unsigned room = total - hlen;
	switch (ip[9]) {
	case 6:                 /* TCP: data offset 5..15 words, inside the segment */
		if (room < 20)
			return more ? FRAME_OK : FRAME_L4_LEN;
		if ((l4[12] >> 4) < 5 || (!more && (unsigned)(l4[12] >> 4) * 4 > room))
			return FRAME_L4_LEN;
		return FRAME_OK;
	case 17:                /* UDP: its length covers the header and fits */
		if (room < 8)
			return more ? FRAME_OK : FRAME_L4_LEN;
		if (be16(l4 + 4) < 8 || (!more && be16(l4 + 4) > room))
			return FRAME_L4_LEN;
		return FRAME_OK;
	case 1:                 /* ICMP: type, code, checksum at least */
		return room < 4 && !more ? FRAME_L4_LEN : FRAME_OK;
	}
	return FRAME_OK;
}

enum frame_verdict frame_check(const uint8_t *f, size_t len)
{
	if (len < 14)
		return FRAME_RUNT;
	unsigned type = be16(f + 12);
	const uint8_t *ip = f + 14;
	size_t room = len - 14;
	if (type == 0x0806)
		return room < 28 ? FRAME_ARP_SHORT : FRAME_OK;
	if (type != 0x0800)
		return FRAME_OK;        /* not ours to judge: lwIP ignores it */
	if (room < 20)
		return FRAME_IP_SHORT;
	if (ip[0] >> 4 != 4)
		return FRAME_IP_VERSION;
	unsigned hlen = (ip[0] & 0xfu) * 4;
	if (hlen < 20 || hlen > room)
		return FRAME_IP_HLEN;
	unsigned total = be16(ip + 2);
	if (total < hlen || total > room)
		return FRAME_IP_LEN;    /* shorter is padding (60-byte minimum frames) */
	if (!ip_header_sum_ok(ip, hlen))
		return FRAME_IP_CSUM;
	return check_l4(ip, hlen, total);
}

const char *frame_verdict_name(enum frame_verdict v)
{
	static const char *const names[] = {
		"ok", "runt", "ip-short", "ip-version", "ip-hlen", "ip-len", "ip-csum", "l4-len", "arp-short",
	};
	return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v] : "?";
}
