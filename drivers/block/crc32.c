/* CRC-32 (IEEE 802.3, reflected, as GPT uses it), bitwise: small and pure. */
#include "partition.h"

uint32_t crc32_le(uint32_t crc, const void *buf, uint64_t len)
{
	const uint8_t *p = buf;
	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}
