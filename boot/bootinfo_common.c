/* Helpers the loader converters share (pure: also built for host tests). */
#include <amphi/boot.h>
#include <amphi/string.h>

void bootinfo_init(struct boot_info *bi, enum boot_kind kind)
{
	memset(bi, 0, sizeof(*bi));
	bi->kind = kind;
}

/* Returns -1 when the table is full; the region is then dropped. */
int bootinfo_add_mem(struct boot_info *bi, uint64_t base, uint64_t size, uint32_t type)
{
	if (size == 0)
		return 0;
	if (bi->nr_mem >= BOOT_MEMMAP_MAX)
		return -1;
	if (type < MEM_USABLE || type > MEM_BAD)
		type = MEM_RESERVED;    /* unknown types are never handed out */
	bi->mem[bi->nr_mem].base = base;
	bi->mem[bi->nr_mem].size = size;
	bi->mem[bi->nr_mem].type = type;
	bi->nr_mem++;
	return 0;
}

/* Copies at most maxlen bytes of s, always NUL-terminated, truncated to fit. */
void bootinfo_set_cmdline(struct boot_info *bi, const char *s, size_t maxlen)
{
	size_t n = 0;
	if (s)
		while (n < maxlen && n < BOOT_CMDLINE_MAX - 1 && s[n])
			n++;
	if (n)
		memcpy(bi->cmdline, s, n);
	bi->cmdline[n] = 0;
}

const char *boot_kind_name(enum boot_kind k)
{
	switch (k) {
	case BOOT_BIOS: return "bios";
	case BOOT_MULTIBOOT: return "multiboot";
	case BOOT_PVH: return "pvh";
	case BOOT_XEN_PV: return "xen-pv";
	}
	return "unknown";
}

/* Copies a NUL-terminated string from physical memory, truncating to fit. */
void bootinfo_copy_cstr(char *dst, size_t dstlen, uint64_t pa, phys_reader_t rd)
{
	size_t n = 0;
	dst[0] = 0;
	if (!pa)
		return;
	for (; n + 1 < dstlen; n++) {
		const char *c = rd(pa + n, 1);
		if (!c || !*c)
			break;
		dst[n] = *c;
	}
	dst[n] = 0;
}
