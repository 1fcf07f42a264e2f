/* ext2 block-map index arithmetic (pure): which pointers lead to a
 * logical block through the direct, single, double and triple indirect
 * trees. */
#include "ext2_pure.h"

uint64_t ext2_bmap_span(uint32_t ppb, int level)
{
	uint64_t s = 1;
	while (level-- > 0)
		s *= ppb;
	return s;
}

int ext2_bmap_path(uint32_t ppb, uint64_t lblk, uint32_t idx[3])
{
	if (lblk < EXT2_NDIR) {
		idx[0] = (uint32_t)lblk;
		return 0;
	}
	lblk -= EXT2_NDIR;
	for (int depth = 1; depth <= 3; depth++) {
		uint64_t span = ext2_bmap_span(ppb, depth);
		if (lblk < span) {
			for (int i = depth - 1; i >= 0; i--) {
				idx[i] = (uint32_t)(lblk % ppb);
				lblk /= ppb;
			}
			return depth;
		}
		lblk -= span;
	}
	return -1;
}
