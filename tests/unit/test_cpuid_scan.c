/* Host tests for hypercall/cpuid_scan.c: the hypervisor-leaf scan, fed
 * with recorded CPUID tables instead of the CPUID instruction. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <amphi/hvdetect.h>
#include <asm/cpuid_regs.h>

struct leaf { uint32_t leaf, eax, ebx, ecx, edx; };

struct table {
	const struct leaf *leaves;
	size_t n;
	uint32_t reads[64];     /* every leaf asked for, in order */
	size_t nreads;
};

/* Packs a 12-character signature the way CPUID returns it (EBX, ECX, EDX). */
#define SIG(s) ((uint32_t)(s)[0] | (uint32_t)(s)[1] << 8 | (uint32_t)(s)[2] << 16 | (uint32_t)(s)[3] << 24), \
	       ((uint32_t)(s)[4] | (uint32_t)(s)[5] << 8 | (uint32_t)(s)[6] << 16 | (uint32_t)(s)[7] << 24), \
	       ((uint32_t)(s)[8] | (uint32_t)(s)[9] << 8 | (uint32_t)(s)[10] << 16 | (uint32_t)(s)[11] << 24)

#define HV_BIT 0x80000000u

static void fake_cpuid(uint32_t leaf, uint32_t sub, struct cpuid_regs *r, void *ctx)
{
	struct table *t = ctx;
	(void)sub;
	if (t->nreads < 64)
		t->reads[t->nreads++] = leaf;
	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < t->n; i++)
		if (t->leaves[i].leaf == leaf) {
			r->eax = t->leaves[i].eax;
			r->ebx = t->leaves[i].ebx;
			r->ecx = t->leaves[i].ecx;
			r->edx = t->leaves[i].edx;
		}
}

static int was_read(const struct table *t, uint32_t leaf)
{
	for (size_t i = 0; i < t->nreads; i++)
		if (t->reads[i] == leaf)
			return 1;
	return 0;
}

#define RUN(hv, tbl) do { struct table *t_ = (tbl); t_->nreads = 0; hv_detect((hv), fake_cpuid, t_); } while (0)

static void test_no_hypervisor_bit_scans_nothing(void **state)
{
	(void)state;
	/* A real CPU may answer 0x40000000 with garbage; without the bit it is not read. */
	static const struct leaf l[] = {
		{ 1, 0, 0, 0, 0 },
		{ 0x40000000, 0x40000001, SIG("KVMKVMKVM\0\0\0") },
	};
	struct table t = { l, 2, {0}, 0 };
	struct hv_info hv;
	RUN(&hv, &t);
	assert_int_equal(hv.hypervisor_bit, 0);
	assert_int_equal(hv.kind, HV_NONE);
	assert_false(was_read(&t, 0x40000000));
}

static void test_bit_without_signature_is_unknown(void **state)
{
	(void)state;
	static const struct leaf l[] = { { 1, 0, 0, HV_BIT, 0 } };
	struct table t = { l, 1, {0}, 0 };
	struct hv_info hv;
	RUN(&hv, &t);
	assert_int_equal(hv.hypervisor_bit, 1);
	assert_int_equal(hv.kind, HV_UNKNOWN);
	assert_int_equal(hv.nr_found, 0);
	assert_string_equal(hv.sig, "");
}

static void test_plain_xen(void **state)
{
	(void)state;
	static const struct leaf l[] = {
		{ 1, 0, 0, HV_BIT, 0 },
		{ 0x40000000, 0x40000005, SIG("XenVMMXenVMM") },
		{ 0x40000001, 0x00040011, 0, 0, 0 },                 /* 4.17 */
		{ 0x40000002, 1, 0x40000000, 0, 0 },                 /* 1 page, MSR 0x40000000 */
		{ 0x40000004, 0x1c, 0, 0, 0 },
	};
	struct table t = { l, 5, {0}, 0 };
	struct hv_info hv;
	RUN(&hv, &t);
	assert_int_equal(hv.kind, HV_XEN);
	assert_int_equal(hv.base, 0x40000000);
	assert_string_equal(hv.sig, "XenVMMXenVMM");
	assert_int_equal(hv.xen_major, 4);
	assert_int_equal(hv.xen_minor, 17);
	assert_int_equal(hv.xen_hypercall_pages, 1);
	assert_int_equal(hv.xen_hypercall_msr, 0x40000000);
	assert_int_equal(hv.xen_hvm_features, 0x1c);
}

/* Xen with Viridian: Hyper-V's block first, Xen's at 0x40000100.  Xen must
 * win, and Hyper-V's other leaves must never be read. */
static void test_xen_behind_hyperv_leaf(void **state)
{
	(void)state;
	static const struct leaf l[] = {
		{ 1, 0, 0, HV_BIT, 0 },
		{ 0x40000000, 0x40000005, SIG("Microsoft Hv") },
		{ 0x40000001, 0x31237648, 0, 0, 0 },                 /* "Hv#1" */
		{ 0x40000100, 0x40000105, SIG("XenVMMXenVMM") },
		{ 0x40000101, 0x00040014, 0, 0, 0 },                 /* 4.20 */
		{ 0x40000102, 1, 0x40000200, 0, 0 },
	};
	struct table t = { l, 6, {0}, 0 };
	struct hv_info hv;
	RUN(&hv, &t);
	assert_int_equal(hv.kind, HV_XEN);
	assert_int_equal(hv.base, 0x40000100);
	assert_int_equal(hv.xen_major, 4);
	assert_int_equal(hv.xen_minor, 20);
	assert_int_equal(hv.xen_hypercall_msr, 0x40000200);
	assert_int_equal(hv.nr_found, 2);
	assert_int_equal(hv.found[0].kind, HV_HYPERV);
	assert_string_equal(hv.found[0].sig, "Microsoft Hv");
	for (uint32_t leaf = 0x40000001; leaf <= 0x40000005; leaf++)
		assert_false(was_read(&t, leaf));
	/* The scan went on past the first match, in steps of 0x100. */
	assert_true(was_read(&t, 0x40000200));
	assert_false(was_read(&t, 0x40000180));
}

static void test_kvm_features_and_zero_max_leaf(void **state)
{
	(void)state;
	/* Old KVMs report EAX = 0 at the base, meaning base + 1. */
	static const struct leaf l[] = {
		{ 1, 0, 0, HV_BIT, 0 },
		{ 0x40000000, 0, SIG("KVMKVMKVM\0\0\0") },
		{ 0x40000001, 0x01007afb, 0, 0, 0x1 },
	};
	struct table t = { l, 3, {0}, 0 };
	struct hv_info hv;
	RUN(&hv, &t);
	assert_int_equal(hv.kind, HV_KVM);
	assert_string_equal(hv.sig, "KVMKVMKVM");
	assert_int_equal(hv.kvm_features, 0x01007afb);
	assert_int_equal(hv.kvm_hints, 1);
}

static void test_kvm_preferred_over_hyperv_enlightenments(void **state)
{
	(void)state;
	static const struct leaf l[] = {
		{ 1, 0, 0, HV_BIT, 0 },
		{ 0x40000000, 0x4000000a, SIG("Microsoft Hv") },
		{ 0x40000100, 0x40000101, SIG("KVMKVMKVM\0\0\0") },
		{ 0x40000101, 0x7, 0, 0, 0 },
	};
	struct table t = { l, 4, {0}, 0 };
	struct hv_info hv;
	RUN(&hv, &t);
	assert_int_equal(hv.kind, HV_KVM);
	assert_int_equal(hv.base, 0x40000100);
	assert_int_equal(hv.kvm_features, 7);
}

static void test_garbage_signatures_are_ignored(void **state)
{
	(void)state;
	static const struct leaf l[] = {
		{ 1, 0, 0, HV_BIT, 0 },
		{ 0x40000000, 0x40000001, 0x01020304, 0xfffefdfc, 0x80818283 },  /* not text */
		{ 0x40000100, 0x40000101, 0x00000041, 0, 0 },                      /* one letter */
	};
	struct table t = { l, 3, {0}, 0 };
	struct hv_info hv;
	RUN(&hv, &t);
	assert_int_equal(hv.kind, HV_UNKNOWN);
	assert_int_equal(hv.nr_found, 0);
}

static void test_unknown_text_signature_is_reported(void **state)
{
	(void)state;
	static const struct leaf l[] = {
		{ 1, 0, 0, HV_BIT, 0 },
		{ 0x40000000, 0x40000003, SIG("ACRNACRNACRN") },
	};
	struct table t = { l, 2, {0}, 0 };
	struct hv_info hv;
	RUN(&hv, &t);
	assert_int_equal(hv.kind, HV_UNKNOWN);
	assert_string_equal(hv.sig, "ACRNACRNACRN");
	assert_false(was_read(&t, 0x40000001));
}

/* A max-leaf value outside base..base+0xff means the block is not real. */
static void test_max_leaf_out_of_range_is_rejected(void **state)
{
	(void)state;
	static const uint32_t bad_max[] = { 0x3fffffff, 0x40000100, 0xffffffff, 0x400000ff + 1 };
	for (unsigned i = 0; i < sizeof(bad_max) / sizeof(bad_max[0]); i++) {
		struct leaf l[] = {
			{ 1, 0, 0, HV_BIT, 0 },
			{ 0x40000000, bad_max[i], SIG("XenVMMXenVMM") },
			{ 0x40000001, 0x00040011, 0, 0, 0 },
		};
		struct table t = { l, 3, {0}, 0 };
		struct hv_info hv;
		RUN(&hv, &t);
		assert_int_not_equal(hv.kind, HV_XEN);
		assert_false(was_read(&t, 0x40000001));
	}
}

/* Xen's block too short to hold the hypercall leaf: Xen is named, but no
 * version or MSR is taken from leaves that do not exist. */
static void test_short_xen_block_reads_no_missing_leaves(void **state)
{
	(void)state;
	static const struct leaf l[] = {
		{ 1, 0, 0, HV_BIT, 0 },
		{ 0x40000000, 0x40000001, SIG("XenVMMXenVMM") },
		{ 0x40000002, 1, 0x40000000, 0, 0 },
	};
	struct table t = { l, 3, {0}, 0 };
	struct hv_info hv;
	RUN(&hv, &t);
	assert_int_equal(hv.kind, HV_XEN);
	assert_int_equal(hv.xen_hypercall_msr, 0);
	assert_false(was_read(&t, 0x40000002));
}

static void test_whole_range_scanned_in_steps(void **state)
{
	(void)state;
	static const struct leaf l[] = {
		{ 1, 0, 0, HV_BIT, 0 },
		{ 0x4000ff00, 0x4000ff01, SIG("bhyve bhyve ") },
	};
	struct table t = { l, 2, {0}, 0 };
	struct hv_info hv;
	RUN(&hv, &t);
	assert_int_equal(hv.kind, HV_BHYVE);
	assert_int_equal(hv.base, 0x4000ff00);
	assert_false(was_read(&t, 0x40010000));
}

static void test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(hv_kind_name(HV_XEN), "xen");
	assert_string_equal(hv_kind_name(HV_KVM), "kvm");
	assert_string_equal(hv_kind_name(HV_NONE), "none");
	assert_string_equal(hv_kind_name((enum hv_kind)99), "unknown");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_hypervisor_bit_scans_nothing),
		cmocka_unit_test(test_bit_without_signature_is_unknown),
		cmocka_unit_test(test_plain_xen),
		cmocka_unit_test(test_xen_behind_hyperv_leaf),
		cmocka_unit_test(test_kvm_features_and_zero_max_leaf),
		cmocka_unit_test(test_kvm_preferred_over_hyperv_enlightenments),
		cmocka_unit_test(test_garbage_signatures_are_ignored),
		cmocka_unit_test(test_unknown_text_signature_is_reported),
		cmocka_unit_test(test_max_leaf_out_of_range_is_rejected),
		cmocka_unit_test(test_short_xen_block_reads_no_missing_leaves),
		cmocka_unit_test(test_whole_range_scanned_in_steps),
		cmocka_unit_test(test_kind_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
