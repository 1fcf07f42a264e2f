/* The IDT: every vector goes to its stub in trap_entry.S. */
#include <asm/desc.h>
#include <stdint.h>

#define STUB_SIZE 16
extern char trap_stubs[];
static uint64_t idt[256];

static uint64_t gate(uint32_t off, uint16_t sel, uint8_t type_attr)
{
	return (uint64_t)(off & 0xffff) | ((uint64_t)sel << 16) |
	       ((uint64_t)type_attr << 40) | ((uint64_t)(off >> 16) << 48);
}

void idt_init(void)
{
	for (unsigned v = 0; v < 256; v++) {
		/* Interrupt gates (IF cleared on entry); int3 reachable from ring 3. */
		uint8_t attr = (v == 3 || v == 0x80) ? 0xee : 0x8e;   /* int3 and int $0x80 from ring 3 */
		idt[v] = gate((uint32_t)trap_stubs + v * STUB_SIZE, SEL_KCODE, attr);
	}
	/* #DF: a task gate to the double-fault task (gdt.c). */
	idt[8] = gate(0, SEL_DFTSS, 0x85);
	idt[2] = gate(0, SEL_NMITSS, 0x85);          /* NMI: its own task as well */
	struct { uint16_t limit; uint32_t base; } __attribute__((packed)) d = {
		sizeof(idt) - 1, (uint32_t)idt };
	__asm__ volatile("lidt %0" :: "m"(d));
}
