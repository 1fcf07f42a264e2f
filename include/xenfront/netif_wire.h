/*
 * netfront's pure checks (drivers/xenfront/netif_wire.c, unit-tested in
 * tests/unit/test_netif_wire.c): the MAC the toolstack writes into the
 * front end's directory, and each receive response a back end puts on the
 * ring (xen/io/netif.h), judged before a byte of it is trusted.
 */
#ifndef XENFRONT_NETIF_WIRE_H
#define XENFRONT_NETIF_WIRE_H
#include <stdint.h>

/* "00:16:3e:12:34:56" (hex, either case, exactly six bytes) into mac;
 * 0, or -1 for anything else and for an all-zero or multicast address
 * (no unicast frame could reach it). */
int netif_parse_mac(const char *s, uint8_t mac[6]);

enum netif_rx_verdict {
	NETIF_RX_FRAME,         /* a whole frame of *len bytes at offset */
	NETIF_RX_ERROR,         /* the back end's error status (dropped by it) */
	NETIF_RX_BAD,           /* breaks the rules: offset or length outside the page, a runt */
	NETIF_RX_MULTI,         /* more_data: a frame over several slots, never asked for (no feature-sg) */
};
/* One response's fields (status: length or error, offset, NETRXF_* flags)
 * for a buffer of page bytes. */
enum netif_rx_verdict netif_rx_check(int16_t status, uint16_t offset, uint16_t flags, uint32_t page,
				     uint32_t *len);
#endif
