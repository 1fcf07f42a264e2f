/*
 * Wait queues (kernel/wait.c): threads sleep on a queue until a condition
 * holds; whoever makes it true calls wake_one/wake_all (from any context,
 * interrupt handlers included).
 *
 *     static wait_queue_t wq = WAIT_QUEUE_INIT("items");
 *     wait_event(&wq, count > 0);          consumer
 *     count++; wake_one(&wq);              producer
 *
 * The condition is re-evaluated after every wake-up, with interrupts in
 * the caller's state; wake-ups are never lost (see sched.h).
 */
#ifndef AMPHI_WAIT_H
#define AMPHI_WAIT_H
#include <amphi/spinlock.h>
#include <amphi/sched.h>

struct wait_entry {
	struct thread *thread;
	struct wait_entry *next, *prev;
	int queued;
};

typedef struct wait_queue {
	spinlock_t lock;
	struct wait_entry *head, *tail;
} wait_queue_t;

#define WAIT_QUEUE_INIT(nm) { SPINLOCK_INIT(nm), 0, 0 }

void wait_queue_init(wait_queue_t *wq, const char *name);
/* Queues we for the calling thread (if not queued) and marks it blocked. */
void prepare_to_wait(wait_queue_t *wq, struct wait_entry *we);
/* Marks the caller running and takes we off the queue. */
void finish_wait(wait_queue_t *wq, struct wait_entry *we);
/* Wake the first waiter / every waiter; return how many were woken. */
int wake_one(wait_queue_t *wq);
int wake_all(wait_queue_t *wq);
int wait_queue_empty(wait_queue_t *wq);

#define wait_event(wq, cond) do {                                                 \
	struct wait_entry __we = { 0, 0, 0, 0 };                                    \
	for (;;) {                                                                  \
		prepare_to_wait((wq), &__we);                                       \
		if (cond)                                                           \
			break;                                                      \
		sched_block();                                                      \
	}                                                                           \
	finish_wait((wq), &__we);                                                   \
} while (0)

/* Like wait_event, but gives up at deadline (now_ns() time); evaluates to
 * 1 if cond held, 0 on timeout. */
#define wait_event_until(wq, cond, deadline) ({                                   \
	struct wait_entry __we = { 0, 0, 0, 0 };                                    \
	uint64_t __deadline = (deadline);         /* evaluated once */              \
	int __ok;                                                                   \
	for (;;) {                                                                  \
		prepare_to_wait((wq), &__we);                                       \
		if ((__ok = !!(cond)))                                              \
			break;                                                      \
		if (now_ns() >= __deadline)                                         \
			break;                                                      \
		sched_block_until(__deadline);                                      \
	}                                                                           \
	finish_wait((wq), &__we);                                                   \
	__ok;                                                                       \
})
#endif
