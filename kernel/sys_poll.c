/*
 * poll, ppoll, select and pselect6 over file_poll(), and the one readiness
 * wait queue they sleep on.  Whatever can make a file readable or writable
 * (pipes, console input, sockets) calls file_poll_wake(): that bumps a
 * sequence number and wakes every poller, which then re-checks its own
 * descriptors.  One queue for all files keeps each file type's code to one
 * call; the price is a spurious re-check now and then.  Blocking sockets
 * wait here too (file_poll_sleep), which makes them interruptible by
 * signals.
 */
#include <amphi/syscall.h>
#include <amphi/proc.h>
#include <amphi/vfs.h>
#include <amphi/sched.h>
#include <amphi/timer.h>
#include <amphi/uaccess.h>
#include <amphi/heap.h>
#include <amphi/string.h>
#include <amphi/wait.h>
#include <amphi/errno.h>

#define A(i) (a->arg[i])
#define POLLPRI 0x002
#define POLLNVAL 0x020
#define POLLRDNORM 0x040
#define POLLWRNORM 0x100

static wait_queue_t poll_wq = WAIT_QUEUE_INIT("poll");
static volatile uint32_t poll_seq;

uint32_t file_poll_seq(void)
{
	return poll_seq;
}

void file_poll_wake(void)
{
	__atomic_add_fetch(&poll_seq, 1, __ATOMIC_SEQ_CST);
	wake_all(&poll_wq);
}

int file_poll_sleep(uint32_t seq, uint64_t deadline)
{
	struct process *p = proc_current();
	struct wait_entry we = { 0, 0, 0, 0 };
	int r = 0;
	for (;;) {
		prepare_to_wait(&poll_wq, &we);
		if (poll_seq != seq)
			break;
		if (p && signal_pending(p)) {
			r = -EINTR;
			break;
		}
		if (deadline && now_ns() >= deadline) {
			r = -ETIMEDOUT;
			break;
		}
		sched_block_until(deadline);
	}
	finish_wait(&poll_wq, &we);
	return r;
}

/* The readiness of one descriptor, Linux bits (RDNORM/WRNORM follow IN/OUT). */
static int fd_revents(struct process *p, int fd, int events)
{
	struct file *f = fd_get(p->fds, fd);
	if (!f)
		return POLLNVAL;
	int want = events | ((events & POLLRDNORM) ? POLLIN : 0) | ((events & POLLWRNORM) ? POLLOUT : 0);
	int r = file_poll(f, want & (POLLIN | POLLOUT));
	if (r & POLLIN)
		r |= events & POLLRDNORM;
	if (r & POLLOUT)
		r |= events & POLLWRNORM;
	return r & (events | POLLERR | POLLHUP | POLLNVAL);
}

struct kpollfd {
	int32_t fd;
	int16_t events, revents;
};

/* timeout_ns < 0: no timeout. */
static long do_poll(uint32_t ufds, uint32_t nfds, int64_t timeout_ns)
{
	struct process *p = proc_current();
	if (nfds > FD_MAX * 4)
		return -EINVAL;
	struct kpollfd *pf = nfds ? kmalloc(nfds * sizeof(*pf)) : 0;
	if (nfds && !pf)
		return -ENOMEM;
	long r;
	if (nfds && copy_from_user(pf, ufds, nfds * sizeof(*pf))) {
		r = -EFAULT;
		goto out;
	}
	uint64_t deadline = timeout_ns > 0 ? now_ns() + (uint64_t)timeout_ns : 0;
	for (;;) {
		uint32_t seq = file_poll_seq();
		int ready = 0;
		for (uint32_t i = 0; i < nfds; i++) {
			pf[i].revents = pf[i].fd < 0 ? 0 : (int16_t)fd_revents(p, pf[i].fd, (uint16_t)pf[i].events);
			if (pf[i].revents)
				ready++;
		}
		if (ready || timeout_ns == 0) {
			r = ready;
			break;
		}
		int s = file_poll_sleep(seq, deadline);
		if (s == -EINTR) {
			r = -EINTR;
			goto out;
		}
		if (s == -ETIMEDOUT) {
			r = 0;
			break;
		}
	}
	for (uint32_t i = 0; i < nfds; i++)
		if (copy_to_user(ufds + 8 * i + 6, &pf[i].revents, 2)) {
			r = -EFAULT;
			break;
		}
out:
	kfree(pf);
	return r;
}

static int ts_ns(uint32_t u, int64_t *ns, int wide)
{
	int64_t sec, nsec;
	if (wide) {
		int64_t ts[2];
		if (copy_from_user(ts, u, sizeof(ts)))
			return -EFAULT;
		sec = ts[0], nsec = ts[1];
	} else {
		int32_t ts[2];
		if (copy_from_user(ts, u, sizeof(ts)))
			return -EFAULT;
		sec = ts[0], nsec = ts[1];
	}
	if (sec < 0 || nsec < 0 || nsec >= 1000000000)
		return -EINVAL;
	*ns = sec * 1000000000ll + nsec;
	return 0;
}

SYSCALL_DEFINE(__NR_poll, poll)
{
	int32_t ms = (int32_t)A(2);
	return do_poll(A(0), A(1), ms < 0 ? -1 : (int64_t)ms * 1000000);
}

static long ppoll_common(const struct syscall_args *a, int wide)
{
	int64_t t = -1;
	if (A(2)) {
		int r = ts_ns(A(2), &t, wide);
		if (r)
			return r;
	}
	return do_poll(A(0), A(1), t);
}

SYSCALL_DEFINE(309, ppoll) { return ppoll_common(a, 0); }
SYSCALL_DEFINE(414, ppoll_time64) { return ppoll_common(a, 1); }

/* select: the three fd_set bitmaps become one poll loop. */
static long do_select(int n, uint32_t urd, uint32_t uwr, uint32_t uex, int64_t timeout_ns)
{
	struct process *p = proc_current();
	if (n < 0)
		return -EINVAL;
	if (n > FD_MAX)
		n = FD_MAX;
	uint32_t in[3][2] = { { 0 } }, out[3][2];
	uint32_t u[3] = { urd, uwr, uex };
	size_t bytes = (size_t)((n + 31) / 32) * 4;
	for (int k = 0; k < 3; k++)
		if (u[k] && bytes && copy_from_user(in[k], u[k], bytes))
			return -EFAULT;
	for (int fd = 0; fd < n; fd++)
		if (((in[0][fd / 32] | in[1][fd / 32] | in[2][fd / 32]) >> (fd % 32) & 1) && !fd_get(p->fds, fd))
			return -EBADF;
	uint64_t deadline = timeout_ns > 0 ? now_ns() + (uint64_t)timeout_ns : 0;
	int ready;
	for (;;) {
		uint32_t seq = file_poll_seq();
		ready = 0;
		memset(out, 0, sizeof(out));
		for (int fd = 0; fd < n; fd++) {
			int rd = in[0][fd / 32] >> (fd % 32) & 1, wr = in[1][fd / 32] >> (fd % 32) & 1;
			if (!rd && !wr)
				continue;
			int ev = fd_revents(p, fd, (rd ? POLLIN : 0) | (wr ? POLLOUT : 0));
			if (rd && (ev & (POLLIN | POLLHUP | POLLERR)))
				out[0][fd / 32] |= 1u << (fd % 32), ready++;
			if (wr && (ev & (POLLOUT | POLLERR)))
				out[1][fd / 32] |= 1u << (fd % 32), ready++;
		}
		if (ready || timeout_ns == 0)
			break;
		int s = file_poll_sleep(seq, deadline);
		if (s == -EINTR)
			return -EINTR;
		if (s == -ETIMEDOUT)
			break;
	}
	for (int k = 0; k < 3; k++)
		if (u[k] && bytes && copy_to_user(u[k], out[k], bytes))
			return -EFAULT;
	return ready;
}

SYSCALL_DEFINE(142, _newselect)
{
	int64_t t = -1;
	if (A(4)) {
		int32_t tv[2];
		if (copy_from_user(tv, A(4), sizeof(tv)))
			return -EFAULT;
		if (tv[0] < 0 || tv[1] < 0 || tv[1] >= 1000000)
			return -EINVAL;
		t = (int64_t)tv[0] * 1000000000ll + (int64_t)tv[1] * 1000;
	}
	return do_select((int)A(0), A(1), A(2), A(3), t);
}

static long pselect_common(const struct syscall_args *a, int wide)
{
	int64_t t = -1;
	if (A(4)) {
		int r = ts_ns(A(4), &t, wide);
		if (r)
			return r;
	}
	return do_select((int)A(0), A(1), A(2), A(3), t);
}

SYSCALL_DEFINE(308, pselect6) { return pselect_common(a, 0); }
SYSCALL_DEFINE(413, pselect6_time64) { return pselect_common(a, 1); }
