/* panic: report and stop.  Under a test the run ends with an ERROR result. */
#include <amphi/panic.h>
#include <amphi/printk.h>
#include <amphi/klog.h>
#include <amphi/test.h>
#include <amphi/platform.h>
#include <amphi/sched.h>
#include <asm/backtrace.h>

/* Which thread, and how it got here. */
static void report_context(void)
{
	static int reported;
	if (reported++)
		return;                 /* a panic inside the report */
	struct thread *t = sched_running_thread();
	uint32_t ebp;
	__asm__ volatile("movl %%ebp, %0" : "=r"(ebp));
	if (t && t->stack) {
		printk(KERN_EMERG "  thread %u (%s)\n", t->id, t->name);
		backtrace_print(ebp, (uint32_t)t->stack, (uint32_t)t->stack + t->stack_size);
	} else {
		/* Before the scheduler: the boot stack, inside the kernel image. */
		printk(KERN_EMERG "  thread: none yet (boot stack)\n");
		backtrace_print(ebp, ebp, ebp + 8192);
	}
}

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
	report_context();
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
