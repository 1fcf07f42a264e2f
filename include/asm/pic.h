/* The legacy 8259 pair: remapped and fully masked at boot (arch/x86/pic.c). */
#ifndef ASM_PIC_H
#define ASM_PIC_H
#define PIC_VECTOR_BASE 0x20
void pic_init(void);
unsigned pic_spurious_count(void);
#endif
