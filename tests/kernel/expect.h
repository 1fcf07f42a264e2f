/* Reading the amphi.expect_* words the host test runner passes. */
#ifndef TESTS_KERNEL_EXPECT_H
#define TESTS_KERNEL_EXPECT_H
#include <amphi/boot.h>
#include <amphi/cmdline.h>

/* Returns the decimal value of amphi.expect_<what>, or -1 when absent. */
static inline long expect_num(const char *key)
{
	char buf[24];
	if (!cmdline_get(boot_info.cmdline, key, buf, sizeof(buf)) || !buf[0])
		return -1;
	long v = 0;
	for (const char *p = buf; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	return v;
}
#endif
