/* pvclock arithmetic (pure; host-tested).  See amphi/pvclock.h. */
#include <amphi/pvclock.h>

uint64_t pvclock_scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	/* 64 x 32 -> 96 bits, keep bits 32..95: split to stay within 64 bits. */
	uint64_t lo = (delta & 0xffffffffu) * mul;
	uint64_t hi = (delta >> 32) * mul;
	return hi + (lo >> 32);
}

uint64_t pvclock_read(const volatile struct pvclock_time_info *ti, uint64_t (*tsc)(void))
{
	uint32_t v;
	uint64_t ns;
	do {
		v = ti->version;
		__asm__ volatile("" ::: "memory");   /* x86 keeps loads in order */
		uint64_t delta = tsc() - ti->tsc_timestamp;
		ns = ti->system_time + pvclock_scale_delta(delta, ti->tsc_to_system_mul, ti->tsc_shift);
		__asm__ volatile("" ::: "memory");
	} while ((v & 1) || v != ti->version);
	return ns;
}

uint64_t pvclock_wall_ns(const volatile struct pvclock_wall *w, uint32_t sec_hi, uint64_t system_ns)
{
	uint32_t v, sec, nsec;
	do {
		v = w->version;
		__asm__ volatile("" ::: "memory");
		sec = w->sec;
		nsec = w->nsec;
		__asm__ volatile("" ::: "memory");
	} while ((v & 1) || v != w->version);
	return (((uint64_t)sec_hi << 32) | sec) * 1000000000ull + nsec + system_ns;
}
