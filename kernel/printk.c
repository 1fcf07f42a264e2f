/*
 * printk: format into a line buffer, keep every line in the kernel log
 * (include/amphi/klog.h) and hand it to the console sinks when its level is
 * more urgent than the console log level.
 *
 * The log and the level state are touched with interrupts off only: amphi
 * runs on one CPU, and printk must work from any context (interrupt
 * handlers, the scheduler, a panic), so it takes no lock and wakes nobody
 * (a syslog reader polls: kernel/sys_klog.c).  An interrupt's printk may
 * land between two lines of another message, in the log as on the console.
 */
#include <amphi/printk.h>
#include <amphi/klog.h>
#include <amphi/console.h>
#include <amphi/cmdline.h>
#include <amphi/platform.h>
#include <amphi/timer.h>
#include <asm/irqflags.h>

static char log_buf[KLOG_BUF_SIZE];
struct klog_ring klog = { log_buf, KLOG_BUF_SIZE, 0, 0, 0 };

static int console_level = KLOG_BOOT_CONSOLE_LEVEL;
static int level_from_cmdline;          /* loglevel=/quiet: boot_done leaves it alone */
static int clock_ok;
static int line_open;                   /* the last message did not end its line */
static int line_level;

void klog_init(const char *cmdline)
{
	char v[8];
	if (cmdline_has(cmdline, "quiet")) {
		console_level = 4;
		level_from_cmdline = 1;
	}
	if (cmdline_get(cmdline, "loglevel", v, sizeof(v)) && v[0] >= '0' && v[0] <= '8' && !v[1]) {
		console_level = v[0] - '0';
		level_from_cmdline = 1;
	}
	if (console_level < KLOG_MIN_CONSOLE_LEVEL)
		console_level = KLOG_MIN_CONSOLE_LEVEL;   /* as Linux: KERN_EMERG always shows */
}

void klog_clock_ready(void)
{
	clock_ok = 1;
}

void klog_boot_done(void)
{
	if (!level_from_cmdline)
		console_level = KLOG_RUN_CONSOLE_LEVEL;
}

int klog_console_level(void)
{
	return console_level;
}

void klog_set_console_level(int level)
{
	console_level = level < KLOG_MIN_CONSOLE_LEVEL ? KLOG_MIN_CONSOLE_LEVEL : level;
}

static void open_line(int level)
{
	char pre[40];
	uint64_t ns = clock_ok ? now_ns() : 0;
	uint64_t us = ns / 1000;
	int n = snprintf(pre, sizeof(pre), "<%d>[%5llu.%06llu] ", level,
			 (unsigned long long)(us / 1000000), (unsigned long long)(us % 1000000));
	klog_ring_put(&klog, pre, (size_t)n);
	line_open = 1;
	line_level = level;
}

/* text: one message, possibly several lines or a piece of one (a message
 * that does not end in a newline is continued by the next).  Interrupts are
 * off only while the log is updated: the console (a UART, a hypercall) is
 * written with them as the caller had them, as before the log existed. */
static void emit(int level, const char *text, size_t len)
{
	while (len) {
		size_t k = 0;
		while (k < len && text[k] != '\n')
			k++;
		if (k < len)
			k++;                    /* the newline ends the line */
		uint32_t f = irq_save();
		if (!line_open)
			open_line(level);
		klog_ring_put(&klog, text, k);
		int show = line_level < console_level;
		if (text[k - 1] == '\n')
			line_open = 0;
		irq_restore(f);
		if (show)
			console_write(text, k);
		text += k;
		len -= k;
	}
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t len = n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1;
	const char *text;
	int level = klog_parse_level(buf, &text);
	emit(level, text, len - (size_t)(text - buf));
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
