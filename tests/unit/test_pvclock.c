/* Host tests for lib/pvclock.c: scaling, shifts, wrap-around and the
 * version protocol of the Xen/KVM paravirtual clock. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <amphi/pvclock.h>

/* mul for a TSC of f kHz with shift s: ns per tick = 1e6/f = mul*2^s/2^32. */
static uint32_t mul_for(uint64_t khz, int shift)
{
	long double m = 1e6L / khz * 4294967296.0L;
	return (uint32_t)(shift >= 0 ? m / (1 << shift) : m * (1 << -shift));
}

static void test_scale_identity_and_halves(void **state)
{
	(void)state;
	/* mul = 2^31 is 0.5 ns per (shifted) tick. */
	assert_int_equal(pvclock_scale_delta(1000, 0x80000000u, 0), 500);
	assert_int_equal(pvclock_scale_delta(1000, 0x80000000u, 1), 1000);
	assert_int_equal(pvclock_scale_delta(1000, 0x80000000u, -1), 250);
	assert_int_equal(pvclock_scale_delta(0, 0xffffffffu, 5), 0);
}

static void test_scale_real_rates(void **state)
{
	(void)state;
	/* One second of a 2.596 GHz TSC, as Xen encodes it (shift -1). */
	uint64_t khz = 2596123;
	uint64_t ns = pvclock_scale_delta(khz * 1000, mul_for(khz, -1), -1);
	assert_true(ns > 999999000 && ns < 1000001000);
	/* A 1 GHz TSC with shift +1. */
	ns = pvclock_scale_delta(1000000000ull, mul_for(1000000, 1), 1);
	assert_true(ns > 999999000 && ns <= 1000000000);
}

/* Deltas whose product needs more than 64 bits must not overflow. */
static void test_scale_large_delta_no_overflow(void **state)
{
	(void)state;
	uint64_t delta = 1ull << 40;                      /* ~7 minutes at 2.6 GHz */
	uint64_t ns = pvclock_scale_delta(delta, 0xffffffffu, 0);
	assert_int_equal(ns, delta - 256);                /* delta * (2^32-1) / 2^32 */
	ns = pvclock_scale_delta(~0ull, 0x80000000u, 0);
	assert_int_equal(ns, ~0ull >> 1);
}

/* The clock published by a fake hypervisor, and a fake TSC. */
static struct pvclock_time_info ti;
static uint64_t tsc_now;
static int reads, bump_after, finish_after;

static uint64_t fake_tsc(void)
{
	reads++;
	/* The hypervisor updates the record during our read (version +2). */
	if (bump_after && reads == bump_after) {
		ti.version++;                  /* odd: update in progress */
		ti.system_time += 1000;
		ti.tsc_timestamp += 1000;
		ti.version++;
	}
	/* An update that was in progress (odd version) completes. */
	if (finish_after && reads == finish_after)
		ti.version++;
	return tsc_now;
}

static void test_read_extrapolates_from_timestamp(void **state)
{
	(void)state;
	memset(&ti, 0, sizeof(ti));
	ti.version = 2;
	ti.tsc_timestamp = 1000000;
	ti.system_time = 5000000000ull;
	ti.tsc_to_system_mul = 0x80000000u;   /* 0.5 ns/tick */
	ti.tsc_shift = 1;                     /* -> 1 ns/tick */
	tsc_now = 1000000 + 12345;
	reads = 0;
	bump_after = 0;
	assert_int_equal(pvclock_read(&ti, fake_tsc), 5000000000ull + 12345);
	assert_int_equal(reads, 1);
}

static void test_read_retries_when_version_changes(void **state)
{
	(void)state;
	memset(&ti, 0, sizeof(ti));
	ti.version = 4;
	ti.tsc_timestamp = 0;
	ti.system_time = 0;
	ti.tsc_to_system_mul = 0x80000000u;
	ti.tsc_shift = 1;
	tsc_now = 5000;
	reads = 0;
	bump_after = 1;              /* the first read sees a record that changes under it */
	uint64_t ns = pvclock_read(&ti, fake_tsc);
	assert_int_equal(reads, 2);
	/* The second, consistent read: system_time 1000 at tsc 1000, now 5000. */
	assert_int_equal(ns, 1000 + 4000);
}

static void test_read_waits_out_odd_version(void **state)
{
	(void)state;
	memset(&ti, 0, sizeof(ti));
	ti.version = 7;              /* odd: the hypervisor is writing */
	ti.tsc_to_system_mul = 0x80000000u;
	ti.tsc_shift = 1;
	tsc_now = 10;
	reads = 0;
	bump_after = 0;
	finish_after = 3;            /* ...and finishes (7 -> 8) during our third read */
	pvclock_read(&ti, fake_tsc);
	finish_after = 0;
	assert_int_equal(reads, 4);  /* three reads of an odd record, one good one */
	assert_int_equal(ti.version, 8);
}

static void test_tsc_before_timestamp_wraps_like_hardware(void **state)
{
	(void)state;
	/* A TSC read just behind the timestamp (another vCPU's record): the
	 * unsigned delta is huge; callers must use per-vCPU records.  The
	 * arithmetic itself must not trap. */
	memset(&ti, 0, sizeof(ti));
	ti.version = 2;
	ti.tsc_timestamp = 100;
	ti.tsc_to_system_mul = 1;
	ti.tsc_shift = 0;
	tsc_now = 99;
	reads = 0;
	bump_after = 0;
	assert_int_equal(pvclock_read(&ti, fake_tsc), (~0ull) >> 32);
}

static void test_wall_clock(void **state)
{
	(void)state;
	struct pvclock_wall w = { .version = 2, .sec = 1700000000u, .nsec = 500000000u };
	assert_int_equal(pvclock_wall_ns(&w, 0, 1500000000ull), 1700000002ull * 1000000000ull);
	/* sec_hi extends past 2106. */
	assert_int_equal(pvclock_wall_ns(&w, 1, 0) / 1000000000ull, (1ull << 32) + 1700000000ull);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scale_identity_and_halves),
		cmocka_unit_test(test_scale_real_rates),
		cmocka_unit_test(test_scale_large_delta_no_overflow),
		cmocka_unit_test(test_read_extrapolates_from_timestamp),
		cmocka_unit_test(test_read_retries_when_version_changes),
		cmocka_unit_test(test_read_waits_out_odd_version),
		cmocka_unit_test(test_tsc_before_timestamp_wraps_like_hardware),
		cmocka_unit_test(test_wall_clock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
