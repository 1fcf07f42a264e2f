/*
 * Pipes: a 16 KiB ring between a read end and a write end.  A reader
 * blocks while the pipe is empty and a writer is left (0 = end of file
 * once the writers are gone); a writer blocks while the pipe is full and a
 * reader is left, and gets -EPIPE once the readers are gone (sending
 * SIGPIPE is the system call layer's business).  Writes of at most
 * PIPE_BUF bytes are atomic.  O_NONBLOCK gives -EAGAIN instead of blocking.
 */
#include "file.h"
#include <amphi/errno.h>
#include <amphi/heap.h>
#include <amphi/string.h>
#include <amphi/spinlock.h>
#include <amphi/wait.h>

#define PIPE_SIZE 16384u
#define PIPE_BUF 4096u

struct pipe {
	spinlock_t lock;
	uint8_t *buf;
	uint32_t head, count;        /* read position, bytes held */
	int readers, writers;
	uint32_t ino;
	wait_queue_t rwq, wwq;
};

static uint32_t pipe_ino = 1;

static ssize32_t pipe_read(struct file *f, void *buf, size_t n)
{
	struct pipe *p = f->priv;
	if (n == 0)
		return 0;
	for (;;) {
		irqflags_t fl = spin_lock_irqsave(&p->lock);
		if (p->count) {
			size_t k = n < p->count ? n : p->count;
			size_t first = PIPE_SIZE - p->head;
			if (first > k)
				first = k;
			memcpy(buf, p->buf + p->head, first);
			memcpy((uint8_t *)buf + first, p->buf, k - first);
			p->head = (uint32_t)((p->head + k) % PIPE_SIZE);
			p->count -= (uint32_t)k;
			spin_unlock_irqrestore(&p->lock, fl);
			wake_all(&p->wwq);
			file_poll_wake();
			return (ssize32_t)k;
		}
		int eof = p->writers == 0;
		spin_unlock_irqrestore(&p->lock, fl);
		if (eof)
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		wait_event(&p->rwq, p->count > 0 || p->writers == 0);
	}
}

static ssize32_t pipe_write(struct file *f, const void *buf, size_t n)
{
	struct pipe *p = f->priv;
	size_t done = 0;
	while (done < n) {
		size_t need = n <= PIPE_BUF ? n : 1;   /* small writes go in whole */
		irqflags_t fl = spin_lock_irqsave(&p->lock);
		if (p->readers == 0) {
			spin_unlock_irqrestore(&p->lock, fl);
			return done ? (ssize32_t)done : -EPIPE;
		}
		size_t space = PIPE_SIZE - p->count;
		if (space >= need) {
			size_t k = n - done < space ? n - done : space;
			size_t tail = (p->head + p->count) % PIPE_SIZE;
			size_t first = PIPE_SIZE - tail;
			if (first > k)
				first = k;
			memcpy(p->buf + tail, (const uint8_t *)buf + done, first);
			memcpy(p->buf, (const uint8_t *)buf + done + first, k - first);
			p->count += (uint32_t)k;
			done += k;
			spin_unlock_irqrestore(&p->lock, fl);
			wake_all(&p->rwq);
			file_poll_wake();
			continue;
		}
		spin_unlock_irqrestore(&p->lock, fl);
		if (f->flags & O_NONBLOCK)
			return done ? (ssize32_t)done : -EAGAIN;
		wait_event(&p->wwq, PIPE_SIZE - p->count >= need || p->readers == 0);
	}
	return (ssize32_t)done;
}

static void pipe_release(struct file *f)
{
	struct pipe *p = f->priv;
	irqflags_t fl = spin_lock_irqsave(&p->lock);
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		p->readers--;
	else
		p->writers--;
	int gone = p->readers == 0 && p->writers == 0;
	spin_unlock_irqrestore(&p->lock, fl);
	if (gone) {
		kfree(p->buf);
		kfree(p);
		return;
	}
	wake_all(&p->rwq);
	wake_all(&p->wwq);
	file_poll_wake();
}

static int pipe_stat(struct file *f, struct kstat64 *st)
{
	struct pipe *p = f->priv;
	memset(st, 0, sizeof(*st));
	st->st_dev = 2;               /* pipefs */
	st->__st_ino = st->st_ino = p->ino;
	st->st_mode = S_IFIFO | 0600;
	st->st_nlink = 1;
	st->st_blksize = PIPE_BUF;
	st->st_size = p->count;
	return 0;
}

static int pipe_poll(struct file *f, int events)
{
	struct pipe *p = f->priv;
	int r = 0;
	irqflags_t fl = spin_lock_irqsave(&p->lock);
	if ((f->flags & O_ACCMODE) == O_RDONLY) {
		if (p->count)
			r |= events & POLLIN;
		if (!p->writers)
			r |= POLLHUP;
	} else {
		if (PIPE_SIZE - p->count >= PIPE_BUF)
			r |= events & POLLOUT;
		if (!p->readers)
			r |= POLLERR;
	}
	spin_unlock_irqrestore(&p->lock, fl);
	return r;
}

#define FIONREAD 0x541B
static int pipe_ioctl(struct file *f, uint32_t cmd, void *arg)
{
	struct pipe *p = f->priv;
	if (cmd != FIONREAD)
		return -ENOTTY;
	int32_t v = (int32_t)p->count;
	memcpy(arg, &v, 4);
	return 0;
}

static const struct file_ops pipe_read_ops = {
	.read = pipe_read, .release = pipe_release, .stat = pipe_stat, .ioctl = pipe_ioctl,
	.poll = pipe_poll,
};
static const struct file_ops pipe_write_ops = {
	.write = pipe_write, .release = pipe_release, .stat = pipe_stat, .ioctl = pipe_ioctl,
	.poll = pipe_poll,
};

int pipe_create(struct file *rd, struct file *wr)
{
	struct pipe *p = kzalloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->buf = kmalloc(PIPE_SIZE);
	if (!p->buf) {
		kfree(p);
		return -ENOMEM;
	}
	spin_lock_init(&p->lock, "pipe");
	wait_queue_init(&p->rwq, "pipe-r");
	wait_queue_init(&p->wwq, "pipe-w");
	p->readers = p->writers = 1;
	p->ino = pipe_ino++;
	rd->priv = wr->priv = p;
	rd->ops = &pipe_read_ops;
	wr->ops = &pipe_write_ops;
	rd->flags = O_RDONLY;
	wr->flags = O_WRONLY;
	return 0;
}
