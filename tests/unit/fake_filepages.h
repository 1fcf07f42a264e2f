/* tests/unit/fake_filepages.c: the file-page calls over a host memory. */
#ifndef FAKE_FILEPAGES_H
#define FAKE_FILEPAGES_H
#include <stdint.h>
extern int fake_frames_fail_after;      /* make the Nth frame from now fail (-1: never) */
uint32_t fake_frames_in_use(void);      /* data and index frames held */
struct pidx_mem;
extern const struct pidx_mem fake_pidx_mem;  /* index nodes in that memory */
#endif
