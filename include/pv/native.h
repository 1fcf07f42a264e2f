/* Native operations that the virtualized platforms reuse (pv/native.c). */
#ifndef PV_NATIVE_H
#define PV_NATIVE_H
#include <stdint.h>
void native_set_pte(uint64_t *ptep, uint64_t val);
void native_flush_page(uintptr_t va);
void native_flush_all(void);
void native_load_root(uint64_t pdpt_phys);
void native_pin_table(uint64_t table_phys, int level);
void native_idle(void);
void native_power_off(void) __attribute__((noreturn));
void native_reboot(void) __attribute__((noreturn));
void native_test_exit(unsigned status);
#endif
