/* netfront's pure checks (see xenfront/netif_wire.h). */
#include <xenfront/netif_wire.h>
#include <amphi/string.h>

#define RXF_MORE_DATA (1u << 2)         /* NETRXF_more_data */
#define ETH_HEADER 14

int netif_parse_mac(const char *s, uint8_t mac[6])
{
	uint8_t m[6];
	for (int i = 0; i < 6; i++) {
		int hi = hex_digit(s[0]), lo = hi < 0 ? -1 : hex_digit(s[1]);
		if (lo < 0 || s[2] != (i == 5 ? '\0' : ':'))
			return -1;
		m[i] = (uint8_t)(hi << 4 | lo);
		s += 3;
	}
	if ((m[0] & 1) || !(m[0] | m[1] | m[2] | m[3] | m[4] | m[5]))
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = m[i];
	return 0;
}

enum netif_rx_verdict netif_rx_check(int16_t status, uint16_t offset, uint16_t flags, uint32_t page,
				     uint32_t *len)
{
	if (status < 0)
		return NETIF_RX_ERROR;
	if (flags & RXF_MORE_DATA)
		return NETIF_RX_MULTI;
	if (status < ETH_HEADER || (uint32_t)offset + (uint32_t)status > page)
		return NETIF_RX_BAD;
	*len = (uint32_t)status;
	return NETIF_RX_FRAME;
}
