/*
 * A file's page index: a radix tree of frame numbers (pure; host-tested).
 * See include/amphi/filepages.h.  Level 1 nodes (leaves) hold data pages,
 * higher levels hold nodes; entries are pfn + 1 so that a zeroed node is
 * all holes.  The tree only grows upward (a new root over the old one) when
 * an index beyond its reach is set.
 */
#include <amphi/filepages.h>
#include <amphi/errno.h>

uint32_t pidx_height_for(uint32_t index)
{
	uint32_t h = 1;
	while (h < PIDX_MAX_HEIGHT && (index >> (PIDX_BITS * h)) != 0)
		h++;
	return h;
}

uint32_t pidx_slot(uint32_t index, uint32_t level)
{
	return (index >> (PIDX_BITS * (level - 1))) & (PIDX_FANOUT - 1);
}

/* Indices one entry of a level-`level` node covers. */
static uint64_t span_of(uint32_t level)
{
	return 1ull << (PIDX_BITS * (level - 1));
}

pfn_t pidx_get(const struct page_index *pi, uint32_t index, const struct pidx_mem *m)
{
	if (!pi->root || pidx_height_for(index) > pi->height)
		return PFN_NONE;
	pfn_t node = pi->root - 1;
	for (uint32_t level = pi->height;; level--) {
		uint32_t e = m->node(m->ctx, node)[pidx_slot(index, level)];
		if (!e)
			return PFN_NONE;
		if (level == 1)
			return e - 1;
		node = e - 1;
	}
}

static pfn_t new_node(struct page_index *pi, const struct pidx_mem *m)
{
	pfn_t p = m->alloc_node(m->ctx);
	if (p != PFN_NONE)
		pi->nr_nodes++;
	return p;
}

int pidx_set(struct page_index *pi, uint32_t index, pfn_t pfn, const struct pidx_mem *m)
{
	uint32_t need = pidx_height_for(index);
	if (!pi->root) {
		pfn_t r = new_node(pi, m);
		if (r == PFN_NONE)
			return -ENOMEM;
		pi->root = r + 1;
		pi->height = need;
	}
	/* Taller: a new root whose first entry is the old root. */
	while (pi->height < need) {
		pfn_t r = new_node(pi, m);
		if (r == PFN_NONE)
			return -ENOMEM;
		m->node(m->ctx, r)[0] = pi->root;
		pi->root = r + 1;
		pi->height++;
	}
	pfn_t node = pi->root - 1;
	for (uint32_t level = pi->height; level > 1; level--) {
		uint32_t *e = &m->node(m->ctx, node)[pidx_slot(index, level)];
		if (!*e) {
			/* A node made here and left empty by a later failure is
			 * harmless: truncate frees it. */
			pfn_t c = new_node(pi, m);
			if (c == PFN_NONE)
				return -ENOMEM;
			*e = c + 1;
		}
		node = *e - 1;
	}
	uint32_t *leaf = &m->node(m->ctx, node)[pidx_slot(index, 1)];
	if (!*leaf)
		pi->nr_pages++;
	*leaf = pfn + 1;
	return 0;
}

/* Frees what entry e of a level-`level` node points to, subtree and all. */
static void free_entry(struct page_index *pi, uint32_t e, uint32_t level, const struct pidx_mem *m)
{
	if (level == 1) {
		m->free_page(m->ctx, e - 1);
		pi->nr_pages--;
		return;
	}
	uint32_t *n = m->node(m->ctx, e - 1);
	for (uint32_t i = 0; i < PIDX_FANOUT; i++)
		if (n[i]) {
			free_entry(pi, n[i], level - 1, m);
			n = m->node(m->ctx, e - 1);     /* free_page may have remapped */
		}
	m->free_node(m->ctx, e - 1);
	pi->nr_nodes--;
}

/* Drops entries at index >= first under a node covering [base, ...);
 * returns 1 when the node is left with no entries at all. */
static int trunc_node(struct page_index *pi, pfn_t node, uint32_t level, uint64_t base,
		      uint64_t first, const struct pidx_mem *m)
{
	uint64_t span = span_of(level);
	int empty = 1;
	for (uint32_t i = 0; i < PIDX_FANOUT; i++) {
		uint32_t *n = m->node(m->ctx, node);
		if (!n[i])
			continue;
		uint64_t start = base + i * span;
		if (start + span <= first) {
			empty = 0;                      /* kept whole */
		} else if (start >= first) {
			uint32_t e = n[i];
			n[i] = 0;
			free_entry(pi, e, level, m);
		} else if (trunc_node(pi, n[i] - 1, level - 1, start, first, m)) {
			uint32_t e = m->node(m->ctx, node)[i];
			m->node(m->ctx, node)[i] = 0;
			m->free_node(m->ctx, e - 1);
			pi->nr_nodes--;
		} else {
			empty = 0;
		}
	}
	return empty;
}

void pidx_truncate(struct page_index *pi, uint32_t first, const struct pidx_mem *m)
{
	if (!pi->root)
		return;
	if (first == 0) {
		free_entry(pi, pi->root, pi->height + 1, m);
	} else {
		if ((uint64_t)first >= span_of(pi->height + 1))
			return;                         /* beyond the tree's reach */
		if (!trunc_node(pi, pi->root - 1, pi->height, 0, first, m))
			return;
		m->free_node(m->ctx, pi->root - 1);
		pi->nr_nodes--;
	}
	pi->root = 0;
	pi->height = 0;
}

static pfn_t next_in(pfn_t node, uint32_t level, uint64_t base, uint64_t from, uint64_t *found,
		     const struct pidx_mem *m)
{
	uint64_t span = span_of(level);
	for (uint64_t i = from > base ? (from - base) / span : 0; i < PIDX_FANOUT; i++) {
		uint32_t e = m->node(m->ctx, node)[i];
		if (!e)
			continue;
		uint64_t start = base + i * span;
		if (level == 1) {
			*found = start;
			return e - 1;
		}
		pfn_t r = next_in(e - 1, level - 1, start, from > start ? from : start, found, m);
		if (r != PFN_NONE)
			return r;
	}
	return PFN_NONE;
}

pfn_t pidx_next(const struct page_index *pi, uint32_t *index, const struct pidx_mem *m)
{
	if (!pi->root || pidx_height_for(*index) > pi->height)
		return PFN_NONE;
	uint64_t found = 0;
	pfn_t r = next_in(pi->root - 1, pi->height, 0, *index, &found, m);
	if (r != PFN_NONE)
		*index = (uint32_t)found;
	return r;
}
