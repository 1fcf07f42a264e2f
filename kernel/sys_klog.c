/*
 * syslog(2) (klogctl in libc): the kernel log for dmesg.  Actions as
 * Linux's do_syslog; every process may use them (amphi has only root).
 *
 *   0 CLOSE, 1 OPEN          nothing to do: 0
 *   2 READ                   consume up to len bytes; waits while the log is empty
 *   3 READ_ALL               the newest whole lines that fit in len bytes
 *   4 READ_CLEAR             READ_ALL, then CLEAR
 *   5 CLEAR                  READ_ALL starts after what is there now
 *   6 CONSOLE_OFF            console level to the minimum (only KERN_EMERG)
 *   7 CONSOLE_ON             back to the level before CONSOLE_OFF
 *   8 CONSOLE_LEVEL          console level = len (1..8)
 *   9 SIZE_UNREAD            bytes READ would return
 *  10 SIZE_BUFFER            the ring's size
 *
 * Also here: the quiet answers for calls libc probes at start-up (rseq).
 */
#include <amphi/syscall.h>
#include <amphi/klog.h>
#include <amphi/uaccess.h>
#include <amphi/heap.h>
#include <amphi/proc.h>
#include <amphi/sched.h>
#include <asm/irqflags.h>

#define __NR_syslog 103
#define __NR_rseq 386

static int saved_level;                 /* CONSOLE_OFF's, for CONSOLE_ON */

/* Copies what fn produces under irq_save into the user's buffer: through a
 * kernel buffer, since a user copy may fault and must not run with
 * interrupts off. */
static long read_out(uint32_t ubuf, uint32_t len, int destructive, int clear)
{
	if (!ubuf)
		return -EINVAL;
	if (len > KLOG_BUF_SIZE)
		len = KLOG_BUF_SIZE;
	char *kb = kmalloc(len ? len : 1);
	if (!kb)
		return -ENOMEM;
	uint32_t f = irq_save();
	size_t k = destructive ? klog_ring_read(&klog, kb, len) : klog_ring_read_all(&klog, kb, len);
	if (clear)
		klog_ring_clear(&klog);
	irq_restore(f);
	long r = copy_to_user(ubuf, kb, k) ? -EFAULT : (long)k;
	kfree(kb);
	return r;
}

static uint32_t unread(void)
{
	uint32_t f = irq_save();
	uint32_t n = klog_ring_unread(&klog);
	irq_restore(f);
	return n;
}

/* READ and /proc/kmsg: printk wakes nobody (it runs anywhere, the
 * scheduler included), so an empty log is polled every 100 ms; a signal
 * ends the wait. */
long klog_read_wait(char *kbuf, size_t n, int nonblock)
{
	struct process *p = proc_current();
	while (!unread()) {
		if (nonblock)
			return -EAGAIN;
		if (p && signal_pending(p))
			return -EINTR;
		sleep_ns(100000000ull);
	}
	uint32_t f = irq_save();
	size_t k = klog_ring_read(&klog, kbuf, n);
	irq_restore(f);
	return (long)k;
}

int klog_readable(void)
{
	return unread() != 0;
}

static long read_wait(uint32_t ubuf, int32_t len)
{
	if (!ubuf || len < 0)
		return -EINVAL;
	if (len == 0)
		return 0;
	if (len > KLOG_BUF_SIZE)
		len = KLOG_BUF_SIZE;
	char *kb = kmalloc((size_t)len);
	if (!kb)
		return -ENOMEM;
	long r = klog_read_wait(kb, (size_t)len, 0);
	if (r > 0 && copy_to_user(ubuf, kb, (size_t)r))
		r = -EFAULT;
	kfree(kb);
	return r;
}

SYSCALL_DEFINE(__NR_syslog, syslog)
{
	int32_t len = (int32_t)a->arg[2];
	switch (a->arg[0]) {
	case 0: case 1:
		return 0;
	case 2:
		return read_wait(a->arg[1], len);
	case 3: case 4:
		if (len < 0)
			return -EINVAL;
		return read_out(a->arg[1], (uint32_t)len, 0, a->arg[0] == 4);
	case 5: {
		uint32_t f = irq_save();
		klog_ring_clear(&klog);
		irq_restore(f);
		return 0;
	}
	case 6:
		if (!saved_level)
			saved_level = klog_console_level();
		klog_set_console_level(KLOG_MIN_CONSOLE_LEVEL);
		return 0;
	case 7:
		if (saved_level) {
			klog_set_console_level(saved_level);
			saved_level = 0;
		}
		return 0;
	case 8:
		if (len < 1 || len > 8)
			return -EINVAL;
		klog_set_console_level(len);
		saved_level = 0;            /* as Linux: a later CONSOLE_ON keeps this level */
		return 0;
	case 9:
		return unread();
	case 10:
		return KLOG_BUF_SIZE;
	}
	return -EINVAL;
}

/* Restartable sequences: not provided.  glibc registers rseq at start-up and
 * carries on without it on ENOSYS, as on a Linux built without it; so
 * answer without the "unknown system call" log line. */
SYSCALL_DEFINE(__NR_rseq, rseq)
{
	(void)a;
	return -ENOSYS;
}
