/* A page mapped through the seam reads back; unmapped, read-only and NULL
 * accesses fault with the right address and error code. */
#include <amphi/test.h>
#include <amphi/paging.h>
#include <amphi/frame.h>
#include <amphi/layout.h>
#include <asm/traps.h>

#define TEST_VA 0xF5700000u
#define PF_PRESENT 1u
#define PF_WRITE   2u

static enum test_status expect_pf(volatile uint32_t *addr, int write, uint32_t want_err,
				  const char *what)
{
	struct trap_record r;
	if (trap_expect(&r) == 0) {
		if (write)
			*addr = 1;
		else
			(void)*addr;
		trap_expect_cancel();
		return test_report(TEST_FAILURE, "%s did not fault", what);
	}
	CHECK(r.vector == X86_PF, "%s: vector %u, expected 14", what, r.vector);
	CHECK(r.cr2 == (uint32_t)(uintptr_t)addr, "%s: cr2=%#x, expected %p", what, r.cr2, addr);
	CHECK((r.err & (PF_PRESENT | PF_WRITE)) == want_err, "%s: error code %#x", what, r.err);
	return TEST_SUCCESS;
}

extern char _text[];

DEFINE_TEST(test_paging, "paging", "map/read back; unmapped, read-only, NULL fault")
{
	pfn_t p = frame_alloc(FRAME_ANY);
	CHECK(p != PFN_NONE, "no frame");
	CHECK(paging_map(TEST_VA, (uint64_t)p << PAGE_SHIFT, PAGE_KERNEL_RW) == 0, "map failed");
	volatile uint32_t *v = (volatile uint32_t *)TEST_VA;
	for (unsigned i = 0; i < 1024; i++)
		v[i] = i * 2654435761u;
	for (unsigned i = 0; i < 1024; i++)
		CHECK(v[i] == i * 2654435761u, "word %u did not read back", i);
	if ((uint64_t)p << PAGE_SHIFT < (uint64_t)CONFIG_LOWMEM_MAX_MB << 20) {
		volatile uint32_t *alias = phys_to_virt((uint64_t)p << PAGE_SHIFT);
		CHECK(alias[7] == 7 * 2654435761u, "direct-map alias disagrees");
	}
	paging_unmap(TEST_VA);
	frame_free(p);

	enum test_status st;
	if ((st = expect_pf(v, 0, 0, "read of an unmapped page")) != TEST_SUCCESS)
		return st;
	if ((st = expect_pf((volatile uint32_t *)_text, 1, PF_PRESENT | PF_WRITE,
			    "write to kernel text")) != TEST_SUCCESS)
		return st;
	if ((st = expect_pf((volatile uint32_t *)0, 0, 0, "NULL read")) != TEST_SUCCESS)
		return st;
	return TEST_SUCCESS;
}
