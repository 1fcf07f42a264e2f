/* Xen front ends as a domU (drivers/xenfront/): started by the platform
 * with the xenstore ring it found (HVM param or PV start_info). */
#ifndef XENFRONT_XENFRONT_H
#define XENFRONT_XENFRONT_H
#include <stdint.h>
/* xenstore, then the control node (xl shutdown / reboot / sysrq). */
void xenfront_start(void *store_page, uint32_t store_port);
#endif
