/*
 * Load averages (/proc/loadavg, sysinfo): every 5 s a timer samples the
 * number of runnable threads and folds it into the 1, 5 and 15 minute
 * exponential averages, as Linux does (procfs_calc_load, fs/procfs_sys_fmt.c).
 * The timer starts with the first process (loadavg_start, from the process
 * core) so that a kernel idling without processes is not woken for it.
 */
#include <amphi/procfs.h>
#include <amphi/timer.h>
#include <amphi/sched.h>
#include <asm/irqflags.h>

#define LOAD_FREQ_NS 5000000000ull

static uint32_t avenrun[3];
static struct timer load_timer;
static int started;

static void load_tick(struct timer *t)
{
	struct sched_stats st;
	sched_get_stats(&st);
	/* the thread that runs this interrupt's caller counts; kernel threads
	 * waiting for the CPU count too, as on Linux */
	avenrun[0] = procfs_calc_load(avenrun[0], LOAD_EXP_1, st.nr_runnable);
	avenrun[1] = procfs_calc_load(avenrun[1], LOAD_EXP_5, st.nr_runnable);
	avenrun[2] = procfs_calc_load(avenrun[2], LOAD_EXP_15, st.nr_runnable);
	timer_add(t, now_ns() + LOAD_FREQ_NS, load_tick);
}

void loadavg_start(void)
{
	uint32_t f = irq_save();
	if (!started && sched_have_timer()) {
		started = 1;
		timer_add(&load_timer, now_ns() + LOAD_FREQ_NS, load_tick);
	}
	irq_restore(f);
}

void loadavg_get(uint32_t load[3])
{
	uint32_t f = irq_save();
	for (int i = 0; i < 3; i++)
		load[i] = avenrun[i];
	irq_restore(f);
}
