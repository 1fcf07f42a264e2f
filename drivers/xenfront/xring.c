/* Pure Xen shared-ring arithmetic (see xenfront/xring.h). */
#include <xenfront/xring.h>

uint32_t xring_size(uint32_t page_size, uint32_t hdr, uint32_t entry)
{
	if (!entry || hdr >= page_size)
		return 0;
	uint32_t n = (page_size - hdr) / entry, p = 1;
	if (!n)
		return 0;
	while (p <= n / 2)
		p <<= 1;
	return p;
}

uint32_t xring_free(uint32_t req_prod_pvt, uint32_t rsp_cons, uint32_t size)
{
	uint32_t used = req_prod_pvt - rsp_cons;      /* wraps correctly */
	return used >= size ? 0 : size - used;
}

int32_t xring_responses(uint32_t rsp_prod, uint32_t rsp_cons, uint32_t req_prod_pvt)
{
	uint32_t have = rsp_prod - rsp_cons, asked = req_prod_pvt - rsp_cons;
	return have > asked ? -1 : (int32_t)have;
}

int xring_need_notify(uint32_t old_prod, uint32_t new_prod, uint32_t event)
{
	return (uint32_t)(new_prod - event) < (uint32_t)(new_prod - old_prod);
}

int xring_blkif_seg(uint64_t phys, uint32_t len, uint8_t *first, uint8_t *last)
{
	uint32_t off = (uint32_t)(phys & 4095);
	if (!len || (len & 511) || (off & 511) || off + len > 4096)
		return -1;
	*first = (uint8_t)(off / 512);
	*last = (uint8_t)((off + len) / 512 - 1);
	return 0;
}
