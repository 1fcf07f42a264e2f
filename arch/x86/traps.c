/*
 * Exception and interrupt dispatch.  An exception nobody expects is dumped
 * (vector, name, error code, registers, CR2) and stops the kernel; a test
 * may arm a recovery point first (trap_expect in asm/traps.h).
 */
#include <asm/traps.h>
#include <asm/cpu.h>
#include <amphi/printk.h>
#include <amphi/klog.h>
#include <amphi/panic.h>
#include <amphi/sched.h>

static irq_handler_t handlers[256];

/* Xen PV's virtual interrupt flag (asm/irqflags.h); NULL elsewhere. */
volatile uint8_t *irq_pv_mask, *irq_pv_pending;
void (*irq_pv_kick_fn)(void);
void irq_pv_kick(void)
{
	if (irq_pv_kick_fn)
		irq_pv_kick_fn();
}

static struct trap_record *armed;

static const char *const names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved", "#MF x87 error", "#AC alignment check",
	"#MC machine check", "#XM SIMD error", "#VE virtualization",
	"#CP control protection",
};

const char *trap_name(unsigned v)
{
	if (v < 32)
		return names[v] ? names[v] : "reserved";
	return "interrupt";
}

void trap_set_handler(unsigned vector, irq_handler_t h)
{
	handlers[vector & 255] = h;
}

void trap_arm(struct trap_record *rec)
{
	armed = rec;
}

void trap_expect_cancel(void)
{
	armed = 0;
}

void trap_dump(const struct trap_frame *tf)
{
	printk(KERN_EMERG "trap: vector %u (%s) err=%#x\n", tf->vector, trap_name(tf->vector), tf->err);
	printk(KERN_EMERG "  eip=%08x cs=%04x eflags=%08x cr2=%08x cr3=%08x\n",
	       tf->eip, tf->cs & 0xffff, tf->eflags, read_cr2(), read_cr3());
	printk(KERN_EMERG "  eax=%08x ebx=%08x ecx=%08x edx=%08x\n", tf->eax, tf->ebx, tf->ecx, tf->edx);
	printk(KERN_EMERG "  esi=%08x edi=%08x ebp=%08x esp=%08x\n", tf->esi, tf->edi, tf->ebp,
	       tf_user(tf) ? tf->user_esp : (uint32_t)&tf->user_esp);
	printk(KERN_EMERG "  ds=%04x es=%04x fs=%04x gs=%04x\n", tf->ds & 0xffff, tf->es & 0xffff,
	       tf->fs & 0xffff, tf->gs & 0xffff);
}

void trap_dispatch(struct trap_frame *tf)
{
	if (handlers[tf->vector]) {
		handlers[tf->vector](tf);
		/* Interrupts may have made another thread runnable, or ended
		 * this one's slice: switch on the way out (the frame stays on
		 * this thread's stack until it runs again). */
		if (tf->vector >= 32) {
			sched_irq_exit();
			user_irq_return(tf);
		}
		return;
	}
	if (tf->vector < 32 && armed) {
		struct trap_record *r = armed;
		armed = 0;
		r->vector = tf->vector;
		r->err = tf->err;
		r->eip = tf->eip;
		r->cr2 = tf->vector == X86_PF ? read_cr2() : 0;
		printk("trap: caught vector %u (%s) err=%#x eip=%08x cr2=%08x (expected by test)\n",
		       r->vector, trap_name(r->vector), r->err, r->eip, r->cr2);
		klongjmp(&r->jb, 1);
	}
	trap_dump(tf);
	panic("unhandled %s (vector %u) at eip %08x", trap_name(tf->vector), tf->vector, tf->eip);
}
