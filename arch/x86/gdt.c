/* The GDT (flat kernel and user segments) and the kernel TSS. */
#include <asm/desc.h>
#include <amphi/string.h>

struct tss kernel_tss;
/* The double-fault task: #DF is a task gate (idt.c), so a fault whose frame
 * cannot be pushed (a kernel-mode application's stack ran out) still runs
 * on a stack of its own (arch/x86/kmode.c). */
struct tss df_tss;
static uint32_t df_stack[1024] __attribute__((aligned(16)));
void df_task_entry(void);                 /* arch/x86/kmode_entry.S */
/* NMI is a task gate too: it may arrive while a kernel-mode application's
 * stack page is missing, where an interrupt gate would double-fault. */
struct tss nmi_tss;
static uint32_t nmi_stack[1024] __attribute__((aligned(16)));
void nmi_task_entry(void);
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
	memset(&df_tss, 0, sizeof(df_tss));
	df_tss.esp0 = df_tss.esp = (uint32_t)&df_stack[1024];
	df_tss.ss0 = df_tss.ss = df_tss.ds = df_tss.es = df_tss.fs = df_tss.gs = SEL_KDATA;
	df_tss.cs = SEL_KCODE;
	df_tss.eip = (uint32_t)df_task_entry;
	df_tss.eflags = 0x2;                      /* interrupts off */
	df_tss.iomap_base = sizeof(df_tss);
	/* df_tss.cr3 is set once the kernel's page tables are up (kmode_init). */
	gdt[SEL_DFTSS >> 3] = seg((uint32_t)&df_tss, sizeof(df_tss) - 1, 0x89, 0);
	nmi_tss = df_tss;
	nmi_tss.esp0 = nmi_tss.esp = (uint32_t)&nmi_stack[1024];
	nmi_tss.eip = (uint32_t)nmi_task_entry;
	gdt[SEL_NMITSS >> 3] = seg((uint32_t)&nmi_tss, sizeof(nmi_tss) - 1, 0x89, 0);

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
