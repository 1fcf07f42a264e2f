/* The frame bitmap (pure; host-tested).  See include/amphi/frame.h. */
#include <amphi/frame.h>
#include <amphi/string.h>

#define PAGE 4096u

static int bit(const struct frame_alloc *fa, pfn_t p) { return (fa->bitmap[p / 32] >> (p % 32)) & 1; }
/*
 * First fit: each zone's hint is the lowest frame that may be free (none
 * below it is), so a frame just freed is the next one handed out.  Next fit
 * walked all of guest RAM before reusing anything; under QEMU every frame
 * first touched costs the host a fresh (huge) page to zero, and on hardware
 * a recycled frame is more likely still in the cache and the TLB's reach.
 */
static void set_free(struct frame_alloc *fa, pfn_t p)
{
	fa->bitmap[p / 32] |= 1u << (p % 32);
	fa->nr_free++;
	if (p < fa->low_limit) {
		fa->nr_free_low++;
		if (p < fa->hint_low)
			fa->hint_low = p;
	} else if (p < fa->hint_high) {
		fa->hint_high = p;
	}
}
static void set_used(struct frame_alloc *fa, pfn_t p)
{
	fa->bitmap[p / 32] &= ~(1u << (p % 32));
	fa->nr_free--;
	if (p < fa->low_limit)
		fa->nr_free_low--;
}

void fa_init(struct frame_alloc *fa, uint32_t *bitmap, pfn_t max_pfn, pfn_t low_limit)
{
	fa->bitmap = bitmap;
	fa->max_pfn = max_pfn;
	fa->low_limit = low_limit < max_pfn ? low_limit : max_pfn;
	fa->nr_free = fa->nr_free_low = 0;
	fa->hint_low = 0;
	fa->hint_high = fa->low_limit;
	memset(bitmap, 0, frame_bitmap_words(max_pfn) * 4);
}

/* Only whole frames inside [base, base+size) become free. */
void fa_add_range(struct frame_alloc *fa, uint64_t base, uint64_t size)
{
	/* Written so that nothing wraps near the top of the 64-bit space. */
	uint64_t first = base / PAGE + (base % PAGE != 0);
	uint64_t end = (base + size < base) ? UINT64_MAX / PAGE : (base + size) / PAGE;
	if (end > fa->max_pfn)
		end = fa->max_pfn;
	for (uint64_t p = first; p < end; p++)
		if (!bit(fa, (pfn_t)p))
			set_free(fa, (pfn_t)p);
}

/* Every frame touching [base, base+size) becomes used. */
void fa_reserve_range(struct frame_alloc *fa, uint64_t base, uint64_t size)
{
	if (!size)
		return;
	uint64_t first = base / PAGE;
	uint64_t end = (base + size + PAGE - 1) / PAGE;
	if (base + size < base)
		end = UINT64_MAX / PAGE;
	if (end > fa->max_pfn)
		end = fa->max_pfn;
	for (uint64_t p = first; p < end; p++)
		if (bit(fa, (pfn_t)p))
			set_used(fa, (pfn_t)p);
}

/* Scan of [from, hi) word by word for a free frame, wrapping to lo once
 * (fa_alloc's hints make that first fit; fa_alloc_range's is next fit). */
static pfn_t scan(struct frame_alloc *fa, pfn_t from, pfn_t lo, pfn_t hi)
{
	if (lo >= hi)
		return PFN_NONE;
	if (from < lo || from >= hi)
		from = lo;
	pfn_t p = from;
	for (pfn_t n = 0; n < hi - lo;) {
		if ((p % 32) == 0 && p + 32 <= hi && fa->bitmap[p / 32] == 0) {
			n += 32;
			p += 32;
		} else {
			if (bit(fa, p))
				return p;
			n++;
			p++;
		}
		if (p >= hi)
			p = lo;
	}
	return PFN_NONE;
}

pfn_t fa_alloc(struct frame_alloc *fa, enum frame_zone zone)
{
	pfn_t p = PFN_NONE;
	if (zone == FRAME_ANY && fa->nr_free > fa->nr_free_low) {
		p = scan(fa, fa->hint_high, fa->low_limit, fa->max_pfn);
		if (p != PFN_NONE)
			fa->hint_high = p + 1;
	}
	if (p == PFN_NONE && fa->nr_free_low) {
		p = scan(fa, fa->hint_low, 0, fa->low_limit);
		if (p != PFN_NONE)
			fa->hint_low = p + 1;
	}
	if (p != PFN_NONE)
		set_used(fa, p);
	return p;
}

pfn_t fa_alloc_range(struct frame_alloc *fa, pfn_t lo, pfn_t hi, pfn_t *hint)
{
	if (hi > fa->max_pfn)
		hi = fa->max_pfn;
	pfn_t p = scan(fa, *hint, lo, hi);
	if (p != PFN_NONE) {
		*hint = p + 1;
		set_used(fa, p);
	}
	return p;
}

int fa_free(struct frame_alloc *fa, pfn_t pfn)
{
	if (pfn >= fa->max_pfn || bit(fa, pfn))
		return -1;
	set_free(fa, pfn);
	return 0;
}

int fa_is_free(const struct frame_alloc *fa, pfn_t pfn)
{
	return pfn < fa->max_pfn && bit(fa, pfn);
}
