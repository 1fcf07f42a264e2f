/* The CMOS real-time clock as wall clock (drivers/rtc.c). */
#ifndef ASM_RTC_H
#define ASM_RTC_H
#include <stdint.h>
/* Seconds since 1970-01-01 00:00 UTC (the RTC is assumed to keep UTC, as
 * QEMU's does by default); 0 when no RTC answers. */
uint64_t rtc_wallclock_s(void);
/* The same, broken down, for printing; returns 0 or -1. */
struct rtc_time { unsigned year, mon, day, hour, min, sec; };
int rtc_read(struct rtc_time *t);
#endif
