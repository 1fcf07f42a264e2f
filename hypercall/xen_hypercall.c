/* The generic hypercall trampoline and the calls that need more than a
 * one-line wrapper. */
#include <hypercall/xen.h>
#include <amphi/boot.h>

/* The page Xen fills with hypercall stubs; page-aligned, in .text so it is
 * executable (Xen writes it through guest-physical memory).  Under Xen PV
 * the HYPERCALL_PAGE note names it. */
__asm__(".pushsection .text.hypercall_page, \"ax\"\n"
	".balign 4096\n"
	".globl hypercall_page\n"
	"hypercall_page:\n"
	".fill 4096, 1, 0xc3\n"       /* ret, until Xen writes the stubs */
	".popsection\n");

long xen_hypercall5(unsigned nr, unsigned long a1, unsigned long a2, unsigned long a3,
		    unsigned long a4, unsigned long a5)
{
	long ret;
	unsigned long b, c, d, s, D;
	__asm__ volatile("call *%[entry]"
			 : "=a"(ret), "=b"(b), "=c"(c), "=d"(d), "=S"(s), "=D"(D)
			 : [entry] "a"(hypercall_page + nr * 32), "b"(a1), "c"(a2), "d"(a3),
			   "S"(a4), "D"(a5)
			 : "memory");
	return ret;
}

uint32_t xen_version(void)
{
	return (uint32_t)HYPERVISOR_xen_version(XENVER_version, 0);
}

long hvm_get_param(unsigned idx, uint64_t *val)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = idx };
	long rc = HYPERVISOR_hvm_op(HVMOP_get_param, &p);
	if (rc == 0)
		*val = p.value;
	return rc;
}

/* Xen's e820 entry layout for XENMEM_memory_map. */
struct xen_e820 {
	uint64_t addr, size;
	uint32_t type;
} __attribute__((packed));

int xen_fill_memory_map(struct boot_info *bi)
{
	static struct xen_e820 map[BOOT_MEMMAP_MAX];
	struct xen_memory_map mm = { .nr_entries = BOOT_MEMMAP_MAX };
	set_xen_guest_handle(mm.buffer, map);
	long rc = HYPERVISOR_memory_op(XENMEM_memory_map, &mm);
	if (rc < 0)
		return (int)rc;
	for (unsigned i = 0; i < mm.nr_entries && i < BOOT_MEMMAP_MAX; i++)
		bootinfo_add_mem(bi, map[i].addr, map[i].size, map[i].type);
	return (int)mm.nr_entries;
}
