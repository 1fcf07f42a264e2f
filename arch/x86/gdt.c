/* The GDT (flat kernel and user segments) and the kernel TSS. */
#include <asm/desc.h>
#include <amphi/string.h>

struct tss kernel_tss;
static uint64_t gdt[GDT_ENTRIES];

static uint64_t seg(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
	return (uint64_t)(limit & 0xffff) | ((uint64_t)(base & 0xffffff) << 16) |
	       ((uint64_t)access << 40) | ((uint64_t)((limit >> 16) & 0xf) << 48) |
	       ((uint64_t)(flags & 0xf) << 52) | ((uint64_t)(base >> 24) << 56);
}

extern char kernel_stack_top[];

void gdt_init(void)
{
	gdt[SEL_KCODE >> 3] = seg(0, 0xfffff, 0x9a, 0xc);
	gdt[SEL_KDATA >> 3] = seg(0, 0xfffff, 0x92, 0xc);
	gdt[SEL_UCODE >> 3] = seg(0, 0xfffff, 0xfa, 0xc);
	gdt[SEL_UDATA >> 3] = seg(0, 0xfffff, 0xf2, 0xc);
	memset(&kernel_tss, 0, sizeof(kernel_tss));
	kernel_tss.ss0 = SEL_KDATA;
	kernel_tss.esp0 = (uint32_t)kernel_stack_top;
	kernel_tss.iomap_base = sizeof(kernel_tss);   /* no I/O bitmap */
	gdt[SEL_TSS >> 3] = seg((uint32_t)&kernel_tss, sizeof(kernel_tss) - 1, 0x89, 0);

	struct { uint16_t limit; uint32_t base; } __attribute__((packed)) d = {
		sizeof(gdt) - 1, (uint32_t)gdt };
	__asm__ volatile("lgdt %0\n\t"
			 "ljmp %1, $1f\n1:\n\t"
			 "movw %w2, %%ax\n\t"
			 "movw %%ax, %%ds\n\tmovw %%ax, %%es\n\tmovw %%ax, %%ss\n\t"
			 "movw %%ax, %%fs\n\tmovw %%ax, %%gs\n\t"
			 "ltr %w3"
			 :: "m"(d), "i"(SEL_KCODE), "r"(SEL_KDATA), "r"(SEL_TSS) : "eax", "memory");
}
