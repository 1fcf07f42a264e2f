/*
 * Wait queues.  A waiter queues a struct wait_entry (on its own stack, see
 * wait_event) and marks itself blocked before testing its condition, so a
 * wake-up between the test and the switch is never lost: it only turns the
 * waiter back to running (sched.h).  wake_one/wake_all take entries off the
 * queue; a waiter whose condition is still false queues itself again.
 */
#include <amphi/wait.h>

void wait_queue_init(wait_queue_t *wq, const char *name)
{
	spin_lock_init(&wq->lock, name);
	wq->head = wq->tail = 0;
}

static void dequeue(wait_queue_t *wq, struct wait_entry *we)
{
	if (we->prev)
		we->prev->next = we->next;
	else
		wq->head = we->next;
	if (we->next)
		we->next->prev = we->prev;
	else
		wq->tail = we->prev;
	we->next = we->prev = 0;
	we->queued = 0;
}

void prepare_to_wait(wait_queue_t *wq, struct wait_entry *we)
{
	irqflags_t f = spin_lock_irqsave(&wq->lock);
	if (!we->queued) {
		we->thread = thread_current();
		we->next = 0;
		we->prev = wq->tail;
		if (wq->tail)
			wq->tail->next = we;
		else
			wq->head = we;
		wq->tail = we;
		we->queued = 1;
	}
	sched_set_blocked();
	spin_unlock_irqrestore(&wq->lock, f);
}

void finish_wait(wait_queue_t *wq, struct wait_entry *we)
{
	irqflags_t f = spin_lock_irqsave(&wq->lock);
	sched_set_running();
	if (we->queued)
		dequeue(wq, we);
	spin_unlock_irqrestore(&wq->lock, f);
}

static int wake(wait_queue_t *wq, int all)
{
	int n = 0;
	irqflags_t f = spin_lock_irqsave(&wq->lock);
	while (wq->head) {
		struct wait_entry *we = wq->head;
		dequeue(wq, we);
		n += thread_wake(we->thread);
		if (!all)
			break;
	}
	spin_unlock_irqrestore(&wq->lock, f);
	return n;
}

int wake_one(wait_queue_t *wq) { return wake(wq, 0); }
int wake_all(wait_queue_t *wq) { return wake(wq, 1); }

int wait_queue_empty(wait_queue_t *wq)
{
	return wq->head == 0;
}
