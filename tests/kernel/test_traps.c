/* Exceptions reach the handler with the right vector; an unexpected one is
 * dumped and ends the run (the "unhandled_trap" test must end in ERROR). */
#include <amphi/test.h>
#include <asm/traps.h>

static enum test_status expect_vector(unsigned want, const char *what, void (*fn)(void))
{
	struct trap_record r;
	if (trap_expect(&r) == 0) {
		fn();
		trap_expect_cancel();
		return test_report(TEST_FAILURE, "%s raised no exception", what);
	}
	CHECK(r.vector == want, "%s: vector %u, expected %u", what, r.vector, want);
	printk("  %s -> vector %u (%s)\n", what, r.vector, trap_name(r.vector));
	return TEST_SUCCESS;
}

static void divide_by_zero(void)
{
	uint32_t a = 1, d = 0, z = 0;
	__asm__ volatile("divl %2" : "+a"(a), "+d"(d) : "r"(z));
}
static void invalid_opcode(void) { __asm__ volatile("ud2"); }
static void page_fault(void) { (void)*(volatile uint32_t *)0x1000; }
static void breakpoint(void) { __asm__ volatile("int3"); }
static void general_protection(void) { __asm__ volatile("movw %w0, %%ds" :: "r"(0x7f8)); }

DEFINE_TEST(test_traps, "traps", "#DE, #UD, #PF, #BP, #GP caught with the right vector")
{
	enum test_status st;
	if ((st = expect_vector(X86_DE, "divide by zero", divide_by_zero)) ||
	    (st = expect_vector(X86_UD, "ud2", invalid_opcode)) ||
	    (st = expect_vector(X86_PF, "read at 0x1000", page_fault)) ||
	    (st = expect_vector(X86_BP, "int3", breakpoint)) ||
	    (st = expect_vector(X86_GP, "bad segment load", general_protection)))
		return st;
	return TEST_SUCCESS;
}

DEFINE_NEGATIVE_TEST(test_unhandled_trap, "unhandled_trap",
	    "an unexpected #UD is dumped and ends the run in ERROR (negative test)")
{
	invalid_opcode();
	return test_report(TEST_FAILURE, "execution continued after ud2");
}
