/*
 * The kernel log (kernel/printk.c, kernel/klog_ring.c): every printk line
 * goes into a ring buffer, and to the console only when its level is more
 * urgent than the console log level, as on Linux.
 *
 * Levels: a message starts with KERN_ERR etc. (Linux's "\001" + digit), or
 * gets KLOG_DEFAULT_LEVEL.  The ring keeps the text as syslog(2) returns it,
 * one line per message: "<level>[seconds.micros] text\n".
 *
 * Console level: while the kernel boots everything but KERN_DEBUG reaches
 * the console (KLOG_BOOT_CONSOLE_LEVEL); once PID 1 runs (klog_boot_done)
 * only KERN_NOTICE and more urgent (KLOG_RUN_CONSOLE_LEVEL), so routine
 * messages (unknown system calls, driver chatter: KERN_INFO, the default)
 * stay out of the user's session and are read with dmesg.  `loglevel=N` on
 * the command line fixes the console level at N from the start; `quiet`
 * means loglevel=4 (Linux's meanings).  syslog(2) CONSOLE_LEVEL/OFF/ON
 * change it at run time.
 */
#ifndef AMPHI_KLOG_H
#define AMPHI_KLOG_H
#include <stddef.h>
#include <stdint.h>

#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"

#define KLOG_DEFAULT_LEVEL 6            /* a message without a level: KERN_INFO */
#define KLOG_BOOT_CONSOLE_LEVEL 7       /* a level is shown when it is below the console level */
#define KLOG_RUN_CONSOLE_LEVEL 6        /* after boot: NOTICE and more urgent */
#define KLOG_MIN_CONSOLE_LEVEL 1        /* CONSOLE_OFF: only KERN_EMERG */
#define KLOG_BUF_SIZE (64 * 1024)

/* ---- the ring and the level prefix (kernel/klog_ring.c, pure, host-tested) ----
 * Positions count every byte ever written; the ring holds the last `size`
 * of them.  The reader (syslog READ, /proc/kmsg) consumes; READ_ALL copies
 * without consuming, from no earlier than the last CLEAR. */
struct klog_ring {
	char *buf;
	uint32_t size;                  /* a power of two */
	uint64_t head;                  /* bytes written so far */
	uint64_t read_pos;              /* the destructive reader */
	uint64_t clear_pos;             /* READ_ALL starts here at the earliest */
};
void klog_ring_init(struct klog_ring *r, char *buf, uint32_t size);
void klog_ring_put(struct klog_ring *r, const char *s, size_t n);
/* Consumes up to n bytes (oldest first); a reader that was overtaken by the
 * writer resumes at the first whole line still held. */
size_t klog_ring_read(struct klog_ring *r, char *dst, size_t n);
/* Copies the newest whole lines that fit in n bytes (oldest first), since
 * the last clear; consumes nothing. */
size_t klog_ring_read_all(const struct klog_ring *r, char *dst, size_t n);
void klog_ring_clear(struct klog_ring *r);
/* Bytes the destructive reader has not read yet. */
uint32_t klog_ring_unread(const struct klog_ring *r);
/* Parses a leading KERN_* prefix: the level (0-7, KLOG_DEFAULT_LEVEL when
 * there is none) and the text after it. */
int klog_parse_level(const char *s, const char **text);

/* ---- the kernel's log (kernel/printk.c) ---- */
/* Reads loglevel= and quiet from the command line. */
void klog_init(const char *cmdline);
/* printk lines get timestamps from now on (the clock is up). */
void klog_clock_ready(void);
/* PID 1 runs: lower the console level unless the command line set it. */
void klog_boot_done(void);
/* kernel/sys_klog.c: consumes up to n bytes of the log (syslog READ,
 * /proc/kmsg), waiting while it is empty: the count, -EINTR on a signal,
 * -EAGAIN if nonblock and empty.  klog_readable: 1 when that would not wait. */
long klog_read_wait(char *kbuf, size_t n, int nonblock);
int klog_readable(void);
int klog_console_level(void);
void klog_set_console_level(int level);     /* at least KLOG_MIN_CONSOLE_LEVEL */
extern struct klog_ring klog;               /* under irq_save() */

#endif
