/* Memory bring-up: frames, kernel page tables, heap (mm/mm_init.c). */
#ifndef AMPHI_MM_H
#define AMPHI_MM_H
#include <amphi/boot.h>

struct mm_summary {
	uint64_t usable_bytes;      /* all usable RAM in the map */
	uint64_t above_4g_bytes;    /* of which above 4 GiB */
	uint64_t lowmem_end;        /* end of the direct map */
	uint32_t bitmap_pa;         /* where the frame bitmap lives */
	uint32_t frames_total;      /* free frames right after init */
};
extern struct mm_summary mm_summary;

void mm_init(struct boot_info *bi);
#endif
