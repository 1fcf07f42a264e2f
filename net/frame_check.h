/*
 * A received Ethernet frame's headers, checked before lwIP sees it (pure;
 * host-tested in tests/unit/test_frame_check.c).  lwIP drops malformed
 * packets too, but silently; checking here lets /proc/net/dev count them
 * as the device's receive errors ("errs" and "frame"), which is where a
 * hostile or broken peer shows.  Only the fixed headers are looked at: the
 * IPv4 header (version, length fields, header checksum) and the length
 * fields of TCP, UDP and ICMP; payload checksums stay lwIP's (they would
 * cost a second pass over every byte).
 */
#ifndef NET_FRAME_CHECK_H
#define NET_FRAME_CHECK_H
#include <stddef.h>
#include <stdint.h>

enum frame_verdict {
	FRAME_OK = 0,
	FRAME_RUNT,             /* shorter than an Ethernet header */
	FRAME_IP_SHORT,         /* IPv4 ethertype, no room for a 20-byte header */
	FRAME_IP_VERSION,       /* not version 4 */
	FRAME_IP_HLEN,          /* header length < 20 or past the packet */
	FRAME_IP_LEN,           /* total length < header, or past the frame */
	FRAME_IP_CSUM,          /* header checksum wrong */
	FRAME_L4_LEN,           /* a TCP/UDP/ICMP header that cannot be there */
	FRAME_ARP_SHORT,        /* ARP shorter than its 28 bytes */
};

/* Checks frame (len bytes, from the destination MAC on; no FCS). */
enum frame_verdict frame_check(const uint8_t *frame, size_t len);
/* A short name of a verdict, for logs. */
const char *frame_verdict_name(enum frame_verdict v);
#endif
