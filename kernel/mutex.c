/*
 * Sleeping mutexes: a waiter sleeps on the mutex's wait queue until it can
 * take the owner field (include/amphi/mutex.h).
 */
#include <amphi/mutex.h>
#include <amphi/panic.h>

void mutex_init(struct mutex *m, const char *name)
{
	m->owner = 0;
	wait_queue_init(&m->wq, name);
	m->name = name;
}

int mutex_trylock(struct mutex *m)
{
	struct thread *none = 0;
	return __atomic_compare_exchange_n(&m->owner, &none, thread_current(), 0,
	                                   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void mutex_lock(struct mutex *m)
{
	if (m->owner == thread_current())
		panic("mutex %s: locked twice by thread %s", m->name, thread_current()->name);
	if (mutex_trylock(m))   /* free: no wait-queue entry to add and take off again */
		return;
	wait_event(&m->wq, mutex_trylock(m));
}

void mutex_unlock(struct mutex *m)
{
	if (m->owner != thread_current())
		panic("mutex %s: unlocked by a thread that does not hold it", m->name);
	__atomic_store_n(&m->owner, (struct thread *)0, __ATOMIC_RELEASE);
	wake_one(&m->wq);
}

int mutex_held(const struct mutex *m)
{
	return m->owner == thread_current();
}
