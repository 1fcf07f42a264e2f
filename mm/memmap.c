/* Memory map sanitising: the boundary sweep over an unsorted, possibly
 * overlapping map from any loader (pure; host-tested). */
#include <amphi/memmap.h>

static uint64_t region_end(const struct mem_region *r)
{
	uint64_t e = r->base + r->size;
	return e < r->base ? UINT64_MAX : e;   /* clamp wrap-around */
}

/* Priority of a type when regions overlap: usable is weakest. */
static unsigned prio(uint32_t type)
{
	return type == MEM_USABLE ? 0 : type;
}

int memmap_sanitize(struct mem_region *r, unsigned n, unsigned max)
{
	uint64_t pts[2 * BOOT_MEMMAP_MAX];
	struct mem_region out[BOOT_MEMMAP_MAX];
	unsigned np = 0, no = 0;

	if (n > BOOT_MEMMAP_MAX)
		n = BOOT_MEMMAP_MAX;
	for (unsigned i = 0; i < n; i++) {
		if (!r[i].size)
			continue;
		pts[np++] = r[i].base;
		pts[np++] = region_end(&r[i]);
	}
	/* Insertion sort of the boundaries; n is small. */
	for (unsigned i = 1; i < np; i++) {
		uint64_t v = pts[i];
		unsigned j = i;
		for (; j > 0 && pts[j - 1] > v; j--)
			pts[j] = pts[j - 1];
		pts[j] = v;
	}
	for (unsigned i = 0; i + 1 < np; i++) {
		uint64_t a = pts[i], b = pts[i + 1];
		if (a == b)
			continue;
		uint32_t type = 0;
		for (unsigned k = 0; k < n; k++)
			if (r[k].size && r[k].base <= a && region_end(&r[k]) >= b &&
			    (type == 0 || prio(r[k].type) > prio(type)))
				type = r[k].type;
		if (!type)
			continue;    /* a hole */
		if (no && out[no - 1].type == type && region_end(&out[no - 1]) == a) {
			out[no - 1].size += b - a;
			continue;
		}
		if (no == max || no == BOOT_MEMMAP_MAX)
			return -1;
		out[no].base = a;
		out[no].size = b - a;
		out[no].type = type;
		no++;
	}
	for (unsigned i = 0; i < no; i++)
		r[i] = out[i];
	return (int)no;
}

uint64_t memmap_usable_bytes(const struct mem_region *r, unsigned n)
{
	uint64_t sum = 0;
	for (unsigned i = 0; i < n; i++)
		if (r[i].type == MEM_USABLE)
			sum += r[i].size;
	return sum;
}

uint64_t memmap_usable_end(const struct mem_region *r, unsigned n)
{
	uint64_t end = 0;
	for (unsigned i = 0; i < n; i++)
		if (r[i].type == MEM_USABLE && region_end(&r[i]) > end)
			end = region_end(&r[i]);
	return end;
}

const char *memmap_type_name(uint32_t type)
{
	switch (type) {
	case MEM_USABLE: return "usable";
	case MEM_RESERVED: return "reserved";
	case MEM_ACPI: return "ACPI data";
	case MEM_NVS: return "ACPI NVS";
	case MEM_BAD: return "unusable";
	}
	return "unknown";
}
