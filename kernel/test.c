/* The in-kernel test runner and result protocol (see amphi/test.h). */
#include <amphi/test.h>
#include <amphi/platform.h>
#include <amphi/string.h>
#include <amphi/cmdline.h>
#include <amphi/boot.h>

extern const struct kernel_test __kernel_tests_start[], __kernel_tests_end[];
int test_running;
static char reason[200];
static enum test_status reason_status;

static const char *const status_names[] = { "SUCCESS", "SKIP", "FAILURE", "ERROR" };

enum test_status test_report(enum test_status st, const char *fmt, ...)
{
	if (!reason[0] || st > reason_status) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(reason, sizeof(reason), fmt, ap);
		va_end(ap);
		reason_status = st;
	}
	printk(KERN_NOTICE "  %s: %s\n", status_names[st], reason);
	return st;
}

void test_finish(enum test_status st, const char *why)
{
	/* The runners read this line: KERN_ALERT reaches the console under
	 * `quiet` and any loglevel= but 1 (only syslog's CONSOLE_OFF hides it). */
	if (st == TEST_SUCCESS)
		printk(KERN_ALERT "Test result: SUCCESS\n");
	else
		printk(KERN_ALERT "Test result: %s %s\n", status_names[st], why && *why ? why : "(no reason given)");
	if (!platform)       /* failed before a platform was chosen */
		for (;;)
			__asm__ volatile("cli; hlt");
	/* amphi.test_exit=poweroff skips the harness port, so that the
	 * platform's own power-off (ACPI, SCHEDOP_shutdown) is what ends the run. */
	char how[16];
	if (!cmdline_get(boot_info.cmdline, "amphi.test_exit", how, sizeof(how)) || strcmp(how, "poweroff"))
		platform->test_exit(st);
	platform->power_off();
}

static const struct kernel_test *find(const char *name, size_t len)
{
	for (const struct kernel_test *t = __kernel_tests_start; t < __kernel_tests_end; t++)
		if (strlen(t->name) == len && !strncmp(t->name, name, len))
			return t;
	return 0;
}

static enum test_status run_one(const struct kernel_test *t)
{
	printk(KERN_NOTICE "Test: %s (%s)\n", t->name, t->desc);
	enum test_status st = t->fn();
	printk(KERN_NOTICE "Test %s: %s\n", t->name, status_names[st]);
	return st;
}

void test_run(const char *list)
{
	enum test_status worst = TEST_SUCCESS;
	unsigned ran = 0;
	test_running = 1;

	if (!strcmp(list, "list")) {
		for (const struct kernel_test *t = __kernel_tests_start; t < __kernel_tests_end; t++)
			printk("  %-16s %s%s\n", t->name, t->desc, t->negative ? " [negative]" : "");
		test_finish(TEST_SKIP, "listed the tests, ran none");
	}
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == 3 && !strncmp(p, "all", 3)) {
			for (const struct kernel_test *t = __kernel_tests_start; t < __kernel_tests_end; t++) {
				if (t->negative)
					continue;
				enum test_status st = run_one(t);
				worst = st > worst ? st : worst;
				ran++;
			}
		} else if (len) {
			const struct kernel_test *t = find(p, len);
			if (!t) {
				test_report(TEST_ERROR, "no test named '%.*s' (amphi.test=list shows them)",
					    (int)len, p);
				worst = TEST_ERROR;
			} else {
				enum test_status st = run_one(t);
				worst = st > worst ? st : worst;
				ran++;
			}
		}
		p += len;
		if (*p == ',')
			p++;
	}
	if (!ran && worst == TEST_SUCCESS)
		test_report(worst = TEST_ERROR, "no test named in amphi.test=");
	test_finish(worst, reason);
}
