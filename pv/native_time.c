/* Time and interrupt controllers as on bare metal (see pv/native_time.h). */
#include <pv/native_time.h>
#include <asm/ioapic.h>
#include <asm/pic.h>
#include <amphi/printk.h>

void native_irq_init(void)
{
	pic_init();
}

void native_time_setup(struct platform_ops *ops)
{
	if (tsc_init() != 0) {
		printk("time: no TSC rate: the clock stands still and timers never fire\n");
		ops->clock_name = "none";
	}
	if (lapic_init() == 0) {
		ops->timer_name = lapic_timer_name();
		ops->irq_name = ioapic_init() > 0 ? "ioapic" : "lapic";
	} else {
		ops->timer_name = "none";
		ops->irq_name = "8259-masked";
	}
}
