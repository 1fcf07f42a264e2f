/* Segment selectors, GDT/IDT/TSS. */
#ifndef ASM_DESC_H
#define ASM_DESC_H
#define SEL_KCODE   0x08
#define SEL_KDATA   0x10
#define SEL_UCODE   0x1b     /* ring 3, later issues */
#define SEL_UDATA   0x23
#define SEL_TSS     0x28
#define SEL_DFTSS   0x30     /* double-fault task (kernel-mode applications) */
#define SEL_NMITSS  0x40     /* NMI task */
#define GDT_ENTRIES 9

#ifndef __ASSEMBLER__
#include <stdint.h>

struct tss {
	uint16_t link, _r0;
	uint32_t esp0;
	uint16_t ss0, _r1;
	uint32_t esp1;
	uint16_t ss1, _r2;
	uint32_t esp2;
	uint16_t ss2, _r3;
	uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint16_t es, _r4, cs, _r5, ss, _r6, ds, _r7, fs, _r8, gs, _r9, ldt, _r10;
	uint16_t trap, iomap_base;
} __attribute__((packed));

extern struct tss kernel_tss;
extern struct tss df_tss;       /* the double-fault task (kmode/README) */
extern struct tss nmi_tss;      /* the NMI task */
/* The selectors in use: SEL_* natively, Xen's flat ones under PV
 * (FLAT_RING1_CS/DS for the kernel, FLAT_RING3_CS/DS for programs). */
extern uint16_t kernel_cs_sel, kernel_ds_sel, user_cs_sel, user_ds_sel;

/* The selectors a user program runs with: the kernel's for a trusted
 * (kernel-mode) program, ring 0 or, under Xen PV, ring 1; else the user
 * ones of the platform. */
static inline uint16_t prog_cs_sel(int kmode) { return kmode ? kernel_cs_sel : user_cs_sel; }
static inline uint16_t prog_ds_sel(int kmode) { return kmode ? kernel_ds_sel : user_ds_sel; }
/* A frame's cs is in the kernel's ring (0, or 1 under Xen PV): ring 3 is
 * the only user ring. */
static inline int cs_kernel_ring(uint32_t cs) { return (cs & 3) != 3; }
void gdt_init(void);
void idt_init(void);
#endif
#endif
