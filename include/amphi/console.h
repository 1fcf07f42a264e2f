/*
 * The console: a list of output sinks (COM1, the debug port, later the
 * platform's own console such as Xen's console_io).  printk writes every
 * line to each registered sink.
 */
#ifndef AMPHI_CONSOLE_H
#define AMPHI_CONSOLE_H
#include <stddef.h>

struct console_sink {
	const char *name;
	void (*write)(const char *s, size_t n);
	struct console_sink *next;
};

void console_register(struct console_sink *c);
void console_unregister(struct console_sink *c);
void console_write(const char *s, size_t n);
int console_getc(void);           /* -1 when no input is waiting */
/* COM1 (when a UART answers) and the debug port, before the platform is known. */
void console_early_init(void);
/* Drops the early sinks, e.g. when the platform has a console of its own. */
void console_drop_early(void);
int uart_present(void);

/* The 16550 UART on COM1, usable before anything else is set up. */
void uart_init(unsigned baud);
void uart_write(const char *s, size_t n);
int uart_getc(void);
void debugcon_write(const char *s, size_t n);
#endif
