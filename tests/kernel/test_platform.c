/* Hypervisor detection and the chosen platform match what the host set up
 * (amphi.expect_platform=, amphi.expect_hv=), and the platform's own
 * paravirtual set-up checks out (hypercall page, hypercalls). */
#include <amphi/test.h>
#include <amphi/platform.h>
#include <amphi/hvdetect.h>
#include <amphi/string.h>
#include "expect.h"

DEFINE_TEST(test_platform, "platform", "detected platform and its hypercalls")
{
	char want[24];
	if (cmdline_get(boot_info.cmdline, "amphi.expect_platform", want, sizeof(want)))
		CHECK(!strcmp(want, platform->name), "platform is %s, expected %s", platform->name, want);
	if (cmdline_get(boot_info.cmdline, "amphi.expect_hv", want, sizeof(want)))
		CHECK(!strcmp(want, hv_kind_name(hv_info.kind)), "hypervisor detected as %s, expected %s",
		      hv_kind_name(hv_info.kind), want);
	long bit = expect_num("amphi.expect_hvbit");
	if (bit >= 0)
		CHECK(hv_info.hypervisor_bit == bit, "CPUID hypervisor bit is %d, expected %ld",
		      hv_info.hypervisor_bit, bit);
	char msg[160];
	CHECK(platform->self_test(msg, sizeof(msg)) == 0, "%s", msg);
	printk("  platform=%s hypervisor=%s (bit %d, %u signature blocks)\n", platform->name,
	       hv_kind_name(hv_info.kind), hv_info.hypervisor_bit, hv_info.nr_found);
	return TEST_SUCCESS;
}
