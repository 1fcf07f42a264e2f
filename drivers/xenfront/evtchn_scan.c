/* 2-level event-channel scan (pure; host-tested). */
#include <xenfront/evtchn_scan.h>

static unsigned lowest_bit(unsigned long v)
{
	return (unsigned)__builtin_ctzl(v);
}

unsigned evtchn_scan(unsigned long *sel, volatile unsigned long *pending,
		     const volatile unsigned long *mask,
		     void (*handle)(unsigned port, void *ctx), void *ctx)
{
	unsigned handled = 0;
	unsigned long words = __atomic_exchange_n(sel, 0, __ATOMIC_SEQ_CST);
	while (words) {
		unsigned w = lowest_bit(words);
		words &= words - 1;
		/* One snapshot per word: a port that fires again while being
		 * handled is seen on the next upcall (Xen sets its selector bit
		 * again), so no port can starve the others. */
		unsigned long ready = pending[w] & ~mask[w];
		while (ready) {
			unsigned b = lowest_bit(ready);
			ready &= ready - 1;
			__atomic_fetch_and(&pending[w], ~(1ul << b), __ATOMIC_SEQ_CST);
			handle(w * EVTCHN_WORD_BITS + b, ctx);
			handled++;
		}
	}
	return handled;
}
