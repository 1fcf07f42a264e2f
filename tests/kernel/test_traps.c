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

/* NMI goes to its own task (kmode/README): a self-NMI through the LAPIC is
 * counted by the NMI task and execution carries on here; the FPU still
 * works afterwards (the task switch's CR0.TS is cleared by #NM). */
#include <amphi/kmode.h>
#include <asm/lapic.h>
DEFINE_TEST(test_nmi, "nmi", "a self-NMI runs the NMI task and returns; FPU usable after")
{
	if (!lapic_present())
		return test_report(TEST_SKIP, "no local APIC");
	unsigned before = kmode_nmi_count(0);
	lapic_write(0x310, lapic_id() << 24);                /* ICR high: destination */
	lapic_write(0x300, (4u << 8) | (1u << 14));          /* ICR low: NMI, assert */
	for (int i = 0; i < 1000000 && kmode_nmi_count(0) == before; i++)
		__asm__ volatile("pause");
	uint32_t eip;
	unsigned after = kmode_nmi_count(&eip);
	CHECK(after == before + 1, "NMI task ran %u times, expected 1", after - before);
	__asm__ volatile("fnop");                            /* #NM once, then fine */
	printk("  NMI task ran once (interrupted eip %#x) and returned; fnop after it ok\n", eip);
	return TEST_SUCCESS;
}
