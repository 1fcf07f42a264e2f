/* The boot path delivered what the host asked for: boot kind, command line,
 * memory size and modules. */
#include <amphi/test.h>
#include <amphi/memmap.h>
#include <amphi/string.h>
#include "expect.h"

DEFINE_TEST(test_boot_info, "boot", "boot_info matches what the loader was given")
{
	char want[32];
	if (cmdline_get(boot_info.cmdline, "amphi.expect_boot", want, sizeof(want)))
		CHECK(!strcmp(want, boot_kind_name(boot_info.kind)),
		      "booted via %s, expected %s", boot_kind_name(boot_info.kind), want);
	char marker[64];
	if (cmdline_get(boot_info.cmdline, "amphi.marker", marker, sizeof(marker)))
		CHECK(!strcmp(marker, "quoted words"), "command line marker arrived as '%s'", marker);
	long mods = expect_num("amphi.expect_modules");
	if (mods >= 0)
		CHECK(boot_info.nr_modules == (unsigned long)mods, "%u modules, expected %ld",
		      boot_info.nr_modules, mods);
	CHECK(boot_info.nr_mem > 0, "empty memory map");
	printk("  boot=%s, %u memory regions, %u modules, cmdline %zu bytes\n",
	       boot_kind_name(boot_info.kind), boot_info.nr_mem, boot_info.nr_modules,
	       strlen(boot_info.cmdline));
	return TEST_SUCCESS;
}
