/*
 * The paravirtual clock shared by Xen (struct vcpu_time_info in the shared
 * info page) and KVM (kvmclock, MSR_KVM_SYSTEM_TIME_NEW): the hypervisor
 * publishes (tsc_timestamp, system_time, mul, shift) under a version
 * counter that is odd while it writes; the guest extrapolates
 *     ns = system_time + scale(rdtsc() - tsc_timestamp)
 * Pure (host-tested); the layout is the ABI both hypervisors use.
 */
#ifndef AMPHI_PVCLOCK_H
#define AMPHI_PVCLOCK_H
#include <stdint.h>

struct pvclock_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;   /* 32.32 fixed point, after the shift */
	int8_t tsc_shift;
	uint8_t flags;                /* bit 0: TSC stable across vCPUs */
	uint8_t pad[2];
} __attribute__((packed));

#define PVCLOCK_TSC_STABLE 0x01

/* (delta << shift or >> -shift) * mul / 2^32, without overflow. */
uint64_t pvclock_scale_delta(uint64_t delta, uint32_t mul, int8_t shift);

/* Reads the clock consistently: retries while the version is odd or
 * changed during the read.  tsc: the TSC reader (rdtsc in the kernel). */
uint64_t pvclock_read(const volatile struct pvclock_time_info *ti, uint64_t (*tsc)(void));

/* Wall clock: seconds since 1970 from a (version, sec, nsec) triple plus
 * the system time, also read under its version counter. */
struct pvclock_wall {
	uint32_t version;
	uint32_t sec;
	uint32_t nsec;
};
uint64_t pvclock_wall_ns(const volatile struct pvclock_wall *w, uint32_t sec_hi, uint64_t system_ns);
#endif
