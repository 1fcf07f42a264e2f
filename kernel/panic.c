/* panic: report and stop.  Under a test the run ends with an ERROR result. */
#include <amphi/panic.h>
#include <amphi/printk.h>
#include <amphi/klog.h>
#include <amphi/test.h>
#include <amphi/platform.h>

void panic(const char *fmt, ...)
{
	static int nested;
	char msg[200];
	va_list ap;

	__asm__ volatile("cli");
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "\nKERNEL PANIC: %s\n", msg);
	if (test_running && !nested++) {
		char why[220];
		snprintf(why, sizeof(why), "panic: %s", msg);
		test_finish(TEST_ERROR, why);
	}
	printk(KERN_EMERG "System halted.\n");
	if (platform && platform->halt)
		platform->halt();
	for (;;)
		__asm__ volatile("cli; hlt");
}
