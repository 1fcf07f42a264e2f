/* COM1 (16550 UART at 0x3F8): polled output and input, and the Bochs/QEMU
 * debug console port 0xe9.  Present on bare metal, KVM and Xen HVM; under
 * Xen PVH dom0 the port is Xen's, and the Xen platform uses console_io. */
#include <amphi/console.h>
#include <asm/io.h>

#define COM1 0x3F8
enum { THR = 0, RBR = 0, DLL = 0, IER = 1, DLM = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5 };
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY  0x20

void uart_init(unsigned baud)
{
	unsigned div = 115200 / (baud ? baud : 115200);
	outb(COM1 + IER, 0);           /* polled: no interrupts yet */
	outb(COM1 + LCR, 0x80);        /* DLAB on to set the divisor */
	outb(COM1 + DLL, div & 0xff);
	outb(COM1 + DLM, div >> 8);
	outb(COM1 + LCR, 0x03);        /* 8N1 */
	outb(COM1 + FCR, 0x07);        /* FIFOs on and cleared */
	outb(COM1 + MCR, 0x03);        /* DTR, RTS */
}

static void uart_putc(char c)
{
	/* Bounded wait: a missing UART (some Xen guests) must not hang boot. */
	for (int i = 0; i < 100000 && !(inb(COM1 + LSR) & LSR_THR_EMPTY); i++)
		;
	outb(COM1 + THR, (uint8_t)c);
}

void uart_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}

int uart_getc(void)
{
	if (!(inb(COM1 + LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + RBR);
}

void debugcon_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		outb(0xe9, (uint8_t)s[i]);
}

/* A UART answers through its scratch register; where the port is not
 * ours (e.g. Xen's own serial under a PVH dom0) reads return 0xff. */
int uart_present(void)
{
	outb(COM1 + 7, 0x5a);
	if (inb(COM1 + 7) != 0x5a)
		return 0;
	outb(COM1 + 7, 0xa5);
	return inb(COM1 + 7) == 0xa5;
}
