/*
 * Host tests for the Xen PV pure code: boot/bootinfo_xen_pv.c (start_info
 * -> boot_info) and pv/xen_pv_mmu_core.c (p2m/m2p translation, the batched
 * mmu_update queue).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <amphi/boot.h>
#include <amphi/xen_pv_abi.h>
#include <amphi/xen_pv_mmu.h>

#define VBASE 0xC0000000u
#define SI_PA 0x520000u

static struct xen_pv_start_info32 si;
static struct boot_info bi;

static const void *rd(uint64_t pa, size_t len)
{
	if (pa >= SI_PA && pa + len <= SI_PA + sizeof(si))
		return (const char *)&si + (pa - SI_PA);
	return NULL;
}

static void fixture(void)
{
	memset(&si, 0, sizeof(si));
	strcpy(si.magic, "xen-3.0-x86_32p");
	si.nr_pages = 65536;                     /* 256 MiB */
	si.shared_info = 0x3fd2e000;
	si.flags = XEN_PV_SIF_PRIVILEGED | XEN_PV_SIF_INITDOMAIN;
	si.console.dom0.info_off = 0x4a0;
	si.mod_start = VBASE + 0x400000;
	si.mod_len = 0x100123;
	si.mfn_list = VBASE + 0x501000;          /* 256 KiB of p2m */
	si.pt_base = VBASE + 0x541000;
	si.nr_pt_frames = 5;
	strcpy(si.cmd_line, "amphi.test=boot console=x");
	memset(&bi, 0xCC, sizeof(bi));
}

static void test_dom0_start_info(void **state)
{
	(void)state;
	fixture();
	assert_null(bootinfo_from_xen_pv(&bi, SI_PA, VBASE, rd));
	assert_int_equal(bi.kind, BOOT_XEN_PV);
	assert_string_equal(bi.cmdline, "amphi.test=boot console=x");
	assert_int_equal(bi.nr_mem, 2);
	/* reserved up to the bootstrap tables + their stack page */
	assert_int_equal(bi.mem[0].base, 0);
	assert_int_equal(bi.mem[0].size, 0x541000 + 6 * 4096);
	assert_int_equal(bi.mem[0].type, MEM_RESERVED);
	assert_int_equal(bi.mem[1].base, 0x541000 + 6 * 4096);
	assert_int_equal(bi.mem[1].base + bi.mem[1].size, 256u << 20);
	assert_int_equal(bi.mem[1].type, MEM_USABLE);
	assert_int_equal(bi.nr_modules, 1);
	assert_int_equal(bi.modules[0].base, 0x400000);
	assert_int_equal(bi.modules[0].size, 0x100123);
	assert_int_equal(bi.xen_pv.nr_pages, 65536);
	assert_int_equal(bi.xen_pv.shared_info_ma, 0x3fd2e000);
	assert_int_equal(bi.xen_pv.pt_base, 0x541000);
	assert_int_equal(bi.xen_pv.mfn_list, 0x501000);
	assert_int_equal(bi.xen_pv.console_mfn, 0);       /* dom0: console_io */
	assert_int_equal(bi.xen_pv.bootstrap_end, 0x541000 + 6 * 4096);
	assert_int_equal(bi.loader_info_phys, SI_PA);
}

static void test_domu_console_and_pfn_module(void **state)
{
	(void)state;
	fixture();
	si.flags = XEN_PV_SIF_MOD_START_PFN;
	si.console.domU.mfn = 0x1234;
	si.console.domU.evtchn = 2;
	si.mod_start = 0x400;                    /* a pfn */
	assert_null(bootinfo_from_xen_pv(&bi, SI_PA, VBASE, rd));
	assert_int_equal(bi.xen_pv.console_mfn, 0x1234);
	assert_int_equal(bi.xen_pv.console_evtchn, 2);
	assert_int_equal(bi.modules[0].base, 0x400000);
}

static void test_module_past_tables_moves_reserved_end(void **state)
{
	(void)state;
	fixture();
	si.mod_start = VBASE + 0x600000;
	si.mod_len = 0x1001;
	assert_null(bootinfo_from_xen_pv(&bi, SI_PA, VBASE, rd));
	assert_int_equal(bi.mem[0].size, 0x602000);
}

static void test_no_module_no_cmdline_nul(void **state)
{
	(void)state;
	fixture();
	si.mod_len = 0;
	memset(si.cmd_line, 'a', sizeof(si.cmd_line));   /* no NUL at all */
	assert_null(bootinfo_from_xen_pv(&bi, SI_PA, VBASE, rd));
	assert_int_equal(bi.nr_modules, 0);
	assert_int_equal(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
}

static void test_errors(void **state)
{
	(void)state;
	fixture();
	assert_non_null(bootinfo_from_xen_pv(&bi, SI_PA + 0x10000, VBASE, rd));
	assert_int_equal(bi.kind, BOOT_XEN_PV);
	fixture();
	strcpy(si.magic, "xen-3.0-x86_32");      /* non-PAE */
	assert_non_null(bootinfo_from_xen_pv(&bi, SI_PA, VBASE, rd));
	fixture();
	memset(si.magic, 'x', sizeof(si.magic)); /* unterminated */
	assert_non_null(bootinfo_from_xen_pv(&bi, SI_PA, VBASE, rd));
	fixture();
	si.nr_pages = 0;
	assert_non_null(bootinfo_from_xen_pv(&bi, SI_PA, VBASE, rd));
	fixture();
	si.mod_len = 0x20000000;                 /* beyond memory */
	assert_non_null(bootinfo_from_xen_pv(&bi, SI_PA, VBASE, rd));
	fixture();
	si.pt_base = 0x541000;                   /* physical, not virtual */
	assert_non_null(bootinfo_from_xen_pv(&bi, SI_PA, VBASE, rd));
	fixture();
	si.nr_pages = 0x500;                     /* tables beyond memory */
	assert_non_null(bootinfo_from_xen_pv(&bi, SI_PA, VBASE, rd));
}

/* ---- p2m / m2p ---- */
static const uint32_t p2m[4] = { 0x3f000, 0x3f001, 0x12345, 0x00007 };
static uint32_t m2p[0x40000];

static void test_pte_to_machine(void **state)
{
	(void)state;
	/* flags (incl. NX) kept, address replaced */
	assert_int_equal(xpv_pte_to_machine(0x8000000000002063ull, p2m, 4), 0x8000000012345063ull);
	assert_int_equal(xpv_pte_to_machine(0x0000000000000001ull, p2m, 4), 0x000000003f000001ull);
	/* not present: unchanged */
	assert_int_equal(xpv_pte_to_machine(0x5000ull, p2m, 4), 0x5000ull);
	/* pfn out of range */
	assert_int_equal(xpv_pte_to_machine(0x4003ull, p2m, 4), XPV_BAD);
}

static void test_pte_to_phys(void **state)
{
	(void)state;
	memset(m2p, 0xff, sizeof(m2p));
	for (uint32_t i = 0; i < 4; i++)
		m2p[p2m[i]] = i;
	for (uint32_t i = 0; i < 4; i++) {
		uint64_t ma = xpv_pte_to_machine(((uint64_t)i << 12) | 0x63, p2m, 4);
		assert_int_equal(xpv_pte_to_phys(ma, m2p, 0x40000, 4), (uint64_t)i << 12);
	}
	assert_int_equal(xpv_pte_to_phys(0x40000063ull, m2p, 0x40000, 4), XPV_BAD);   /* beyond table */
	assert_int_equal(xpv_pte_to_phys(0x1000063ull, m2p, 0x40000, 4), XPV_BAD);    /* not ours */
}

/* ---- batching ---- */
static unsigned calls, total;
static uint64_t last_ptr;
static int fail_rc;
static int fake_issue(struct xpv_mmu_update *req, unsigned n)
{
	calls++;
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(req[i].ptr, last_ptr + 8);   /* in order */
		last_ptr = req[i].ptr;
	}
	total += n;
	return fail_rc;
}

static void test_batch_coalesces(void **state)
{
	(void)state;
	static struct xpv_batch b;
	calls = total = 0;
	last_ptr = 0;
	fail_rc = 0;
	xpv_batch_init(&b, fake_issue);
	for (unsigned i = 1; i <= 1000; i++)
		xpv_batch_add(&b, (uint64_t)i * 8, i);
	assert_int_equal(calls, 1000 / XPV_BATCH_MAX);       /* full batches so far */
	assert_int_equal(xpv_batch_flush(&b), 0);
	assert_int_equal(calls, (1000 + XPV_BATCH_MAX - 1) / XPV_BATCH_MAX);
	assert_int_equal(total, 1000);
	assert_int_equal(b.queued, 1000);
	assert_int_equal(b.hypercalls, calls);
	assert_true(b.hypercalls * 100 < b.queued);          /* < 1 per PTE */
	/* empty flush costs nothing */
	assert_int_equal(xpv_batch_flush(&b), 0);
	assert_int_equal(calls, 8);
}

static void test_batch_error_is_sticky(void **state)
{
	(void)state;
	static struct xpv_batch b;
	calls = total = 0;
	last_ptr = 0;
	xpv_batch_init(&b, fake_issue);
	fail_rc = -22;
	xpv_batch_add(&b, 8, 1);
	assert_int_equal(xpv_batch_flush(&b), -22);
	fail_rc = 0;
	xpv_batch_add(&b, 16, 1);
	assert_int_equal(xpv_batch_flush(&b), 0);
	assert_int_equal(b.error, -22);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dom0_start_info),
		cmocka_unit_test(test_domu_console_and_pfn_module),
		cmocka_unit_test(test_module_past_tables_moves_reserved_end),
		cmocka_unit_test(test_no_module_no_cmdline_nul),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_pte_to_machine),
		cmocka_unit_test(test_pte_to_phys),
		cmocka_unit_test(test_batch_coalesces),
		cmocka_unit_test(test_batch_error_is_sticky),
	};
	return cmocka_run_group_tests_name("xen_pv", tests, NULL, NULL);
}
