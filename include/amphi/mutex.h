/*
 * Sleeping mutexes (kernel/mutex.c) for code that may block while holding
 * a lock: disk I/O, file systems.  Never from interrupt context.  Not
 * recursive: locking a mutex the caller already holds panics (a deadlock
 * on one CPU is a bug, not a wait).
 *
 *     static struct mutex m = MUTEX_INIT("ext2");
 *     mutex_lock(&m); ... mutex_unlock(&m);
 */
#ifndef AMPHI_MUTEX_H
#define AMPHI_MUTEX_H
#include <amphi/wait.h>

struct mutex {
	struct thread *owner;        /* NULL when free */
	wait_queue_t wq;
	const char *name;
};

#define MUTEX_INIT(nm) { 0, WAIT_QUEUE_INIT(nm), nm }

void mutex_init(struct mutex *m, const char *name);
void mutex_lock(struct mutex *m);
int mutex_trylock(struct mutex *m);          /* 1 if taken */
void mutex_unlock(struct mutex *m);
int mutex_held(const struct mutex *m);       /* by the calling thread */
#endif
