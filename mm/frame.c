/* The kernel's frame allocator instance, with messages for every failure. */
#include <amphi/frame.h>
#include <amphi/printk.h>
#include <amphi/klog.h>

struct frame_alloc frames;
unsigned (*frame_reclaim_hook)(unsigned nr);

pfn_t frame_alloc(enum frame_zone zone)
{
	pfn_t p = fa_alloc(&frames, zone);
	/* Out: ask the caches to give clean frames back, then try again. */
	while (p == PFN_NONE && frame_reclaim_hook && frame_reclaim_hook(16))
		p = fa_alloc(&frames, zone);
	if (p == PFN_NONE)
		printk(KERN_ERR "frames: out of memory (%s zone; %u frames free, %u of them low)\n",
		       zone == FRAME_LOW ? "low" : "any", frames.nr_free, frames.nr_free_low);
	return p;
}

void frame_free(pfn_t pfn)
{
	if (fa_free(&frames, pfn) != 0)
		printk(KERN_ERR "frames: refused to free pfn %#x: %s\n", pfn,
		       pfn >= frames.max_pfn ? "out of range" : "already free (double free)");
}
