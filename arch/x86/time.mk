# Interrupts and time on x86: LAPIC, I/O APIC, TSC, the CMOS RTC, the
# software timers, and the native platforms' glue.
obj-y += arch/x86/lapic.o arch/x86/ioapic.o arch/x86/tsc.o drivers/rtc.o \
         kernel/timer.o pv/native_time.o
