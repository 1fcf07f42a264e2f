/* The console sink list and printk. */
#include <amphi/console.h>
#include <amphi/printk.h>
#include <amphi/platform.h>

static struct console_sink *sinks;

void console_register(struct console_sink *c)
{
	for (struct console_sink *s = sinks; s; s = s->next)
		if (s == c)
			return;
	c->next = sinks;
	sinks = c;
}

void console_unregister(struct console_sink *c)
{
	for (struct console_sink **p = &sinks; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			return;
		}
}

void console_write(const char *s, size_t n)
{
	for (struct console_sink *c = sinks; c; c = c->next)
		c->write(s, n);
}

int console_getc(void)
{
	if (platform && platform->console_getc)
		return platform->console_getc();
	return uart_getc();
}

static struct console_sink uart_sink = { "com1", uart_write, 0 };
static struct console_sink debugcon_sink = { "debugcon", debugcon_write, 0 };

void console_early_init(void)
{
	if (uart_present()) {
		uart_init(CONFIG_SERIAL_BAUD);
		console_register(&uart_sink);
	}
#ifdef CONFIG_DEBUGCON
	console_register(&debugcon_sink);
#endif
}

void console_drop_early(void)
{
	console_unregister(&uart_sink);
	console_unregister(&debugcon_sink);
}
