/*
 * Character devices: /dev/console and /dev/tty (5,1 / 5,0) on the kernel
 * console, /dev/null (1,3), /dev/zero (1,5), /dev/random and /dev/urandom
 * (1,8 / 1,9: the kernel's pseudo-random bytes, include/amphi/random.h).
 *
 * The console is a minimal terminal: output goes to console_write (the
 * UART sink adds the CR); input is polled from console_getc() every 10 ms
 * (no receive interrupt is wired up yet).  In canonical mode (ICANON, the
 * default) read returns a line at a time with erase (DEL/^H), kill (^U) and
 * end-of-file (^D) handled and echoed (ECHO); otherwise it returns whatever
 * has arrived, at least one byte.  CR becomes NL under ICRNL.
 */
#include <amphi/uaccess.h>
#include <amphi/random.h>
#include "file.h"
#include <amphi/ioctl.h>
#include <amphi/errno.h>
#include <amphi/console.h>
#include <amphi/string.h>
#include <amphi/sched.h>
#include <amphi/proc.h>

#define POLL_NS 10000000ull

/* struct termios as the i386 ioctls see it (36 bytes). */
struct kernel_termios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[19];
} __attribute__((packed));

#define ICRNL 0000400
#define IXON 0002000
#define OPOST 0000001
#define ONLCR 0000004
#define ISIG 0000001
#define ICANON 0000002
#define ECHO 0000010
#define ECHOE 0000020
#define ECHOK 0000040
#define ECHOCTL 0001000
#define ECHOKE 0004000
#define IEXTEN 0100000
#define VINTR 0
#define VQUIT 1
#define VERASE 2
#define VKILL 3
#define VEOF 4
#define VTIME 5
#define VMIN 6

static struct kernel_termios tio = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = 0000017 | 0000060 | 0000200 | 0002000,   /* B38400 CS8 CREAD HUPCL */
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
	.c_line = 0,
	.c_cc = { 3, 034, 0177, 025, 4, 0, 1, 0, 021, 023, 032, 0, 022, 017, 027, 026, 0, 0, 0 },
};
static uint16_t winsz[4] = { 25, 80, 0, 0 };
static int32_t fg_pgrp;                 /* 0: not set (the caller's pid) */

/* The line being edited, and the part of a finished line not yet read. */
static char line[1024];
static size_t line_len, line_off;
static int line_done, line_eof;

static void echo(const char *s, size_t n)
{
	if (tio.c_lflag & ECHO)
		console_write(s, n);
}

/*
 * Console input is taken by a kernel thread (started on the first read),
 * so that ^C is seen even while nobody reads: it becomes SIGINT for the
 * foreground process group (TIOCSPGRP), or, when none was set, the group
 * of the last reader (a shell without job control).  Readers take bytes
 * from the buffer.
 */
static char inbuf[256];
static volatile unsigned in_head, in_tail;     /* one producer: the input thread */
static int last_reader_pgid;
static int input_thread_started;

static void console_interrupt(void)
{
	echo("^C\n", 3);
	line_len = line_off = 0;
	line_done = line_eof = 0;
	int pg = fg_pgrp ? fg_pgrp : last_reader_pgid;
	proc_signal_group(pg, SIGINT);
}

static void console_input_thread(void *arg)
{
	(void)arg;
	for (;;) {
		int c;
		while ((c = console_getc()) >= 0) {
			if ((tio.c_lflag & ISIG) && c == tio.c_cc[VINTR]) {
				console_interrupt();
				continue;
			}
			if (in_head - in_tail < sizeof(inbuf)) {
				inbuf[in_head++ % sizeof(inbuf)] = (char)c;
				file_poll_wake();        /* poll/select on the console */
			}
		}
		sleep_ns(POLL_NS);
	}
}

/* A byte of input: the byte, -EAGAIN when none and nonblock, -EINTR when a
 * signal arrived for the reader while it waited. */
static int con_getc(int nonblock)
{
	struct process *me = proc_current();
	if (!input_thread_started) {
		input_thread_started = 1;
		if (!thread_create("console-in", console_input_thread, 0))
			input_thread_started = 0;
	}
	if (me)
		last_reader_pgid = me->pgid;
	for (;;) {
		if (in_tail != in_head) {
			int c = (unsigned char)inbuf[in_tail++ % sizeof(inbuf)];
			if (c == '\r' && (tio.c_iflag & ICRNL))
				c = '\n';
			return c;
		}
		if (nonblock)
			return -EAGAIN;
		if (me && signal_pending(me))
			return -EINTR;
		sleep_ns(POLL_NS);
	}
}

static void canon_input(int c)
{
	if (c == tio.c_cc[VERASE] || c == '\b') {
		if (line_len) {
			line_len--;
			echo("\b \b", 3);
		}
	} else if (c == tio.c_cc[VKILL]) {
		while (line_len) {
			line_len--;
			echo("\b \b", 3);
		}
	} else if (c == tio.c_cc[VEOF]) {
		line_done = 1;
		line_eof = line_len == 0;
	} else if (c == '\n') {
		line[line_len++] = '\n';
		echo("\n", 1);
		line_done = 1;
	} else if (line_len < sizeof(line) - 1) {
		char ch = (char)c;
		line[line_len++] = ch;
		echo(&ch, 1);
	}
}

static ssize32_t console_read(struct file *f, void *buf, size_t n)
{
	int nonblock = f->flags & O_NONBLOCK;
	if (n == 0)
		return 0;
	if (!(tio.c_lflag & ICANON)) {
		size_t k = 0;
		/* Left over from canonical mode first. */
		while (line_off < line_len && k < n)
			((char *)buf)[k++] = line[line_off++];
		if (line_off == line_len)
			line_len = line_off = line_done = 0;
		while (k < n) {
			int c = con_getc(nonblock || k > 0);
			if (c < 0)
				return k ? (ssize32_t)k : c;
			char ch = (char)c;
			((char *)buf)[k++] = ch;
			echo(&ch, 1);
		}
		return (ssize32_t)k;
	}
	while (!line_done) {
		int c = con_getc(nonblock);
		if (c < 0)
			return c;
		canon_input(c);
	}
	if (line_eof) {
		line_len = line_off = 0;
		line_done = line_eof = 0;
		return 0;
	}
	size_t k = line_len - line_off;
	if (k > n)
		k = n;
	memcpy(buf, line + line_off, k);
	line_off += k;
	if (line_off == line_len)
		line_len = line_off = line_done = 0;
	return (ssize32_t)k;
}

/* poll: takes in whatever input has arrived (through the line editor in
 * canonical mode, as is in raw mode) and says whether a read would return. */
static int console_poll(struct file *f, int events)
{
	int c;
	while (!line_done && ((tio.c_lflag & ICANON) || line_len < sizeof(line) - 1) &&
	       (c = con_getc(1)) >= 0) {
		if (tio.c_lflag & ICANON) {
			canon_input(c);
		} else {
			char ch = (char)c;
			line[line_len++] = ch;
			echo(&ch, 1);
		}
	}
	int ready = (tio.c_lflag & ICANON) ? line_done : line_off < line_len;
	return (ready ? events & POLLIN : 0) | (events & POLLOUT);
}

static ssize32_t console_write_op(struct file *f, const void *buf, size_t n)
{
	console_write(buf, n);
	return (ssize32_t)n;
}

static int console_ioctl(struct file *f, uint32_t cmd, void *arg)
{
	switch (cmd) {
	case TCGETS:
		memcpy(arg, &tio, sizeof(tio));
		return 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		memcpy(&tio, arg, sizeof(tio));
		if (cmd == TCSETSF)
			line_len = line_off = line_done = line_eof = 0;
		return 0;
	case TIOCGWINSZ:
		memcpy(arg, winsz, sizeof(winsz));
		return 0;
	case TIOCSWINSZ:
		memcpy(winsz, arg, sizeof(winsz));
		return 0;
	case TIOCGPGRP:
		memcpy(arg, &fg_pgrp, 4);      /* 0: the caller substitutes its pid */
		return 0;
	case TIOCSPGRP:
		memcpy(&fg_pgrp, arg, 4);
		return 0;
	case FIONREAD: {
		int32_t v = line_done ? (int32_t)(line_len - line_off) : 0;
		memcpy(arg, &v, 4);
		return 0;
	}
	case TIOCSCTTY:
		return 0;
	}
	return -ENOTTY;
}

static int64_t zero_lseek(struct file *f, int64_t off, int whence)
{
	return 0;
}

static ssize32_t null_read(struct file *f, void *buf, size_t n)
{
	return 0;
}

static ssize32_t null_write(struct file *f, const void *buf, size_t n)
{
	return (ssize32_t)n;
}

static ssize32_t zero_read(struct file *f, void *buf, size_t n)
{
	memset(buf, 0, n);
	return (ssize32_t)n;
}

/* read(2) and write(2) on /dev/null and /dev/zero straight to the
 * caller's memory, as Linux does: no kernel buffer to allocate and copy
 * through (the null I/O rows of the benchmark are these calls). */
static ssize32_t null_direct(struct file *f, uint32_t ubuf, size_t n, int wr)
{
	return wr ? (ssize32_t)n : 0;
}

static ssize32_t zero_direct(struct file *f, uint32_t ubuf, size_t n, int wr)
{
	static const uint8_t zeros[512];
	if (wr)
		return (ssize32_t)n;
	for (size_t done = 0; done < n;) {
		size_t k = n - done < sizeof(zeros) ? n - done : sizeof(zeros);
		if (copy_to_user(ubuf + done, zeros, k))
			return done ? (ssize32_t)done : -EFAULT;
		done += k;
	}
	return (ssize32_t)n;
}

static ssize32_t random_read(struct file *f, void *buf, size_t n)
{
	prng_fill(buf, n);
	return (ssize32_t)n;
}

static const struct file_ops console_ops = {
	.read = console_read, .write = console_write_op, .ioctl = console_ioctl, .tty = 1,
	.poll = console_poll,
};
static const struct file_ops null_ops = {
	.read = null_read, .write = null_write, .lseek = zero_lseek, .direct = null_direct,
};
static const struct file_ops zero_ops = {
	.read = zero_read, .write = null_write, .lseek = zero_lseek, .read_whole = 1,
	.direct = zero_direct,
};
static const struct file_ops random_ops = {
	.read = random_read, .write = null_write, .lseek = zero_lseek, .read_whole = 1,
};

int dev_open(struct file *f, uint32_t rdev)
{
	switch (rdev) {
	case MKDEV(5, 0):
	case MKDEV(5, 1):
	case MKDEV(4, 0):
	case MKDEV(4, 64):     /* ttyS0 */
		f->ops = &console_ops;
		return 0;
	case MKDEV(1, 3):
		f->ops = &null_ops;
		return 0;
	case MKDEV(1, 5):
		f->ops = &zero_ops;
		return 0;
	case MKDEV(1, 8):
	case MKDEV(1, 9):
		f->ops = &random_ops;
		return 0;
	}
	return -ENXIO;
}
