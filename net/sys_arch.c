/*
 * lwIP's operating-system layer (NO_SYS=0) on amphi: semaphores and
 * mailboxes are counters and rings guarded by interrupt masking, their
 * sleepers wait on wait queues (include/amphi/wait.h); mutexes are amphi's
 * sleeping mutexes; threads are kernel threads; time is now_ns().
 * sys_arch_protect masks interrupts (one CPU: that makes it atomic).
 */
#include "lwip/opt.h"
#include "lwip/sys.h"
#include "lwip/err.h"
#include <amphi/heap.h>
#include <amphi/mutex.h>
#include <amphi/panic.h>
#include <amphi/sched.h>
#include <amphi/timer.h>
#include <amphi/wait.h>

struct amphi_sem {
	volatile uint32_t count;
	wait_queue_t wq;
};

struct amphi_mbox {
	void **slots;
	uint32_t size, head, count;
	wait_queue_t not_empty, not_full;
};

void sys_init(void)
{
}

u32_t sys_now(void)
{
	return (u32_t)(now_ns() / 1000000u);
}

sys_prot_t sys_arch_protect(void)
{
	return irq_save();
}

void sys_arch_unprotect(sys_prot_t pval)
{
	irq_restore(pval);
}

/* Waits until take() succeeds or timeout_ms passes (0: forever); the
 * milliseconds waited, or SYS_ARCH_TIMEOUT. */
#define WAIT_TAKE(wq, take, timeout_ms) ({                                        \
	uint64_t __start = now_ns();                                                \
	int __ok = 1;                                                               \
	if ((timeout_ms) == 0)                                                      \
		wait_event((wq), (take));                                           \
	else                                                                        \
		__ok = wait_event_until((wq), (take),                               \
					__start + (uint64_t)(timeout_ms) * 1000000u); \
	__ok ? (u32_t)((now_ns() - __start) / 1000000u) : SYS_ARCH_TIMEOUT;          \
})

/* ---- semaphores ---- */

err_t sys_sem_new(sys_sem_t *sem, u8_t count)
{
	struct amphi_sem *s = kzalloc(sizeof(*s));
	if (!s)
		return ERR_MEM;
	s->count = count;
	wait_queue_init(&s->wq, "lwip-sem");
	*sem = s;
	return ERR_OK;
}

void sys_sem_free(sys_sem_t *sem)
{
	kfree(*sem);
	*sem = 0;
}

void sys_sem_signal(sys_sem_t *sem)
{
	struct amphi_sem *s = *sem;
	irqflags_t f = irq_save();
	s->count++;
	irq_restore(f);
	wake_one(&s->wq);
}

static int sem_take(struct amphi_sem *s)
{
	irqflags_t f = irq_save();
	int ok = s->count > 0;
	if (ok)
		s->count--;
	irq_restore(f);
	return ok;
}

u32_t sys_arch_sem_wait(sys_sem_t *sem, u32_t timeout)
{
	struct amphi_sem *s = *sem;
	return WAIT_TAKE(&s->wq, sem_take(s), timeout);
}

/* ---- mutexes ---- */

err_t sys_mutex_new(sys_mutex_t *mutex)
{
	struct mutex *m = kmalloc(sizeof(*m));
	if (!m)
		return ERR_MEM;
	mutex_init(m, "lwip");
	*mutex = m;
	return ERR_OK;
}

void sys_mutex_free(sys_mutex_t *mutex)
{
	kfree(*mutex);
	*mutex = 0;
}

void sys_mutex_lock(sys_mutex_t *mutex)
{
	mutex_lock(*mutex);
}

void sys_mutex_unlock(sys_mutex_t *mutex)
{
	mutex_unlock(*mutex);
}

/* ---- mailboxes ---- */

err_t sys_mbox_new(sys_mbox_t *mbox, int size)
{
	struct amphi_mbox *b = kzalloc(sizeof(*b));
	if (size <= 0)
		size = 64;
	if (b)
		b->slots = kmalloc((size_t)size * sizeof(void *));
	if (!b || !b->slots) {
		kfree(b);
		return ERR_MEM;
	}
	b->size = (uint32_t)size;
	wait_queue_init(&b->not_empty, "lwip-mbox");
	wait_queue_init(&b->not_full, "lwip-mbox");
	*mbox = b;
	return ERR_OK;
}

void sys_mbox_free(sys_mbox_t *mbox)
{
	struct amphi_mbox *b = *mbox;
	if (b->count)
		printk("lwip: mailbox freed with %u messages in it\n", b->count);
	kfree(b->slots);
	kfree(b);
	*mbox = 0;
}

static int mbox_put(struct amphi_mbox *b, void *msg)
{
	irqflags_t f = irq_save();
	int ok = b->count < b->size;
	if (ok) {
		b->slots[(b->head + b->count) % b->size] = msg;
		b->count++;
	}
	irq_restore(f);
	if (ok)
		wake_one(&b->not_empty);
	return ok;
}

static int mbox_get(struct amphi_mbox *b, void **msg)
{
	irqflags_t f = irq_save();
	int ok = b->count > 0;
	if (ok) {
		void *m = b->slots[b->head];
		if (msg)
			*msg = m;
		b->head = (b->head + 1) % b->size;
		b->count--;
	}
	irq_restore(f);
	if (ok)
		wake_one(&b->not_full);
	return ok;
}

void sys_mbox_post(sys_mbox_t *mbox, void *msg)
{
	struct amphi_mbox *b = *mbox;
	wait_event(&b->not_full, mbox_put(b, msg));
}

err_t sys_mbox_trypost(sys_mbox_t *mbox, void *msg)
{
	return mbox_put(*mbox, msg) ? ERR_OK : ERR_MEM;
}

err_t sys_mbox_trypost_fromisr(sys_mbox_t *mbox, void *msg)
{
	return sys_mbox_trypost(mbox, msg);
}

u32_t sys_arch_mbox_fetch(sys_mbox_t *mbox, void **msg, u32_t timeout)
{
	struct amphi_mbox *b = *mbox;
	return WAIT_TAKE(&b->not_empty, mbox_get(b, msg), timeout);
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *mbox, void **msg)
{
	return mbox_get(*mbox, msg) ? 0 : SYS_MBOX_EMPTY;
}

/* ---- threads ---- */

sys_thread_t sys_thread_new(const char *name, lwip_thread_fn fn, void *arg, int stacksize, int prio)
{
	if (stacksize > (int)THREAD_STACK_SIZE)
		printk("lwip: thread %s wants a %d-byte stack, gets %u\n", name, stacksize, THREAD_STACK_SIZE);
	struct thread *t = thread_create(name, fn, arg);
	if (!t)
		panic("lwip: cannot create thread %s", name);
	return t;
}

/* ---- cc.h's hooks ---- */

void amphi_lwip_assert(const char *msg, const char *file, int line)
{
	panic("lwip: assertion \"%s\" failed at %s:%d", msg, file, line);
}

uint32_t amphi_lwip_rand(void)
{
	/* xorshift32 stirred with the clock: TCP ports and ISNs, DHCP xids. */
	static uint32_t x = 0x9e3779b9u;
	x ^= (uint32_t)now_ns();
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

int *amphi_lwip_errno(void)
{
	return &thread_current()->net_errno;
}

void *amphi_lwip_calloc(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		return 0;
	return kzalloc(n * size);
}
