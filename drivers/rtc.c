/*
 * The CMOS real-time clock as the wall clock: wait until no update is in
 * progress (status A bit 7), read the time, and read again until two reads
 * agree (an update may start between the check and the reads); then decode
 * BCD or binary (status B bit 2) and 12- or 24-hour (status B bit 1, PM in
 * bit 7 of the hour).  The century comes from the FADT's century register
 * when it names one, else years are taken as 20xx.
 */
#include <asm/rtc.h>
#include <asm/io.h>
#include <asm/irqflags.h>
#include <amphi/acpi.h>
#include <amphi/kmap.h>
#include <amphi/string.h>

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71
#define NMI_OFF    0x80                 /* keep NMIs masked as firmware does while indexing */
#define FADT_CENTURY 108

static uint8_t cmos(uint8_t reg)
{
	outb(CMOS_INDEX, NMI_OFF | reg);
	return inb(CMOS_DATA);
}

struct raw { uint8_t sec, min, hour, day, mon, year, century; };

static int read_raw(struct raw *r, uint8_t century_reg)
{
	for (unsigned spin = 0; cmos(0x0a) & 0x80; spin++)
		if (spin > 1000000)            /* an update takes < 2 ms; no RTC reads 0xff */
			return -1;
	r->sec = cmos(0x00);
	r->min = cmos(0x02);
	r->hour = cmos(0x04);
	r->day = cmos(0x07);
	r->mon = cmos(0x08);
	r->year = cmos(0x09);
	r->century = century_reg ? cmos(century_reg) : 0;
	return 0;
}

static unsigned bcd(uint8_t v) { return (v & 0x0f) + (v >> 4) * 10; }

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t days_from_civil(unsigned y, unsigned m, unsigned d)
{
	y -= m <= 2;
	unsigned era = y / 400, yoe = y - era * 400;
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (uint64_t)era * 146097 + doe - 719468;
}

int rtc_read(struct rtc_time *t)
{
	static int century_reg = -1;
	if (century_reg < 0) {
		uint64_t fadt = acpi_find_table("FACP");
		uint8_t c = 0;
		if (fadt)
			phys_read(&c, fadt + FADT_CENTURY, 1);
		century_reg = c >= 0x0e && c < 0x80 ? c : 0;   /* only an extended CMOS byte */
	}
	struct raw a, b;
	uint32_t f = irq_save();
	int rc = read_raw(&a, (uint8_t)century_reg);
	for (int tries = 0; rc == 0; tries++) {
		rc = read_raw(&b, (uint8_t)century_reg);
		if (rc || !memcmp(&a, &b, sizeof(a)))
			break;
		if (tries > 5) {
			rc = -1;
			break;
		}
		a = b;
	}
	uint8_t stb = cmos(0x0b);
	irq_restore(f);
	if (rc)
		return -1;

	int binary = stb & 0x04, h24 = stb & 0x02;
	int pm = !h24 && (a.hour & 0x80);
	uint8_t hour = a.hour & (h24 ? 0xff : 0x7f);
	if (!binary) {
		t->sec = bcd(a.sec); t->min = bcd(a.min); t->hour = bcd(hour);
		t->day = bcd(a.day); t->mon = bcd(a.mon); t->year = bcd(a.year);
		a.century = (uint8_t)bcd(a.century);
	} else {
		t->sec = a.sec; t->min = a.min; t->hour = hour;
		t->day = a.day; t->mon = a.mon; t->year = a.year;
	}
	if (!h24)                              /* 12 AM is 0 h, 12 PM is 12 h */
		t->hour = t->hour % 12 + (pm ? 12 : 0);
	t->year += (a.century >= 19 && a.century <= 30 ? a.century : 20) * 100;
	if (t->sec > 59 || t->min > 59 || t->hour > 23 || t->day < 1 || t->day > 31 ||
	    t->mon < 1 || t->mon > 12)
		return -1;
	return 0;
}

uint64_t rtc_wallclock_s(void)
{
	struct rtc_time t;
	if (rtc_read(&t) != 0)
		return 0;
	return days_from_civil(t.year, t.mon, t.day) * 86400 + t.hour * 3600u + t.min * 60u + t.sec;
}
