/*
 * The legacy 8259 PICs.  Firmware leaves them delivering IRQ 0-7 on
 * vectors 8-15, on top of the CPU's exceptions (the timer would look like a
 * double fault).  amphi moves them to 0x20-0x2f and masks every line; the
 * local/IO APIC (or event channels under Xen) deliver real interrupts.
 * A masked 8259 can still raise a spurious IRQ 7 or 15: those are ignored.
 */
#include <asm/pic.h>
#include <asm/io.h>
#include <asm/traps.h>

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1

static unsigned spurious;

static void pic_spurious(struct trap_frame *tf)
{
	/* A real IRQ 15 would also need an EOI to the master for the cascade. */
	if (tf->vector == PIC_VECTOR_BASE + 15)
		outb(PIC1_CMD, 0x20);
	spurious++;
}

void pic_init(void)
{
	outb(PIC1_CMD, 0x11);                 /* ICW1: init, expect ICW4 */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, PIC_VECTOR_BASE);     /* ICW2: vector offsets */
	outb(PIC2_DATA, PIC_VECTOR_BASE + 8);
	outb(PIC1_DATA, 4);                   /* ICW3: slave on IRQ2 */
	outb(PIC2_DATA, 2);
	outb(PIC1_DATA, 1);                   /* ICW4: 8086 mode */
	outb(PIC2_DATA, 1);
	outb(PIC1_DATA, 0xff);                /* mask everything */
	outb(PIC2_DATA, 0xff);
	trap_set_handler(PIC_VECTOR_BASE + 7, pic_spurious);
	trap_set_handler(PIC_VECTOR_BASE + 15, pic_spurious);
}

unsigned pic_spurious_count(void)
{
	return spurious;
}
