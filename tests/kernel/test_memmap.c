/* The sanitised memory map is sorted, disjoint, and holds the RAM QEMU was
 * started with (amphi.expect_mem=MiB; amphi.expect_high=1 when RAM above
 * 4 GiB must be present). */
#include <amphi/test.h>
#include <amphi/memmap.h>
#include <amphi/mm.h>
#include "expect.h"

DEFINE_TEST(test_memmap, "memmap", "memory map sorted, disjoint, right size")
{
	const struct mem_region *m = boot_info.mem;
	for (unsigned i = 0; i + 1 < boot_info.nr_mem; i++)
		CHECK(m[i].base + m[i].size <= m[i + 1].base,
		      "regions %u and %u overlap or are unsorted", i, i + 1);
	uint64_t usable = memmap_usable_bytes(m, boot_info.nr_mem);
	uint64_t mib = usable >> 20;
	long want = expect_num("amphi.expect_mem");
	if (want > 0)
		/* Firmware keeps a little (BIOS area, ACPI tables): allow 1%+2 MiB. */
		CHECK(mib <= (uint64_t)want && mib + 2 + want / 100 >= (uint64_t)want,
		      "usable RAM %llu MiB, expected about %ld MiB", (unsigned long long)mib, want);
	if (expect_num("amphi.expect_high") == 1)
		CHECK(mm_summary.above_4g_bytes > 0, "no RAM above 4 GiB in the map");
	printk("  usable %llu MiB, above 4 GiB %llu MiB\n", (unsigned long long)mib,
	       (unsigned long long)(mm_summary.above_4g_bytes >> 20));
	return TEST_SUCCESS;
}
