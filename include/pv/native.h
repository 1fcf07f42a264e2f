/* Native operations that the virtualized platforms reuse (pv/native.c). */
#ifndef PV_NATIVE_H
#define PV_NATIVE_H
#include <stdint.h>
#include <stddef.h>
#include <amphi/boot.h>
void native_set_pte(uint64_t *ptep, uint64_t val);
void native_flush_page(uintptr_t va);
void native_flush_all(void);
void native_load_root(uint64_t pdpt_phys);
void native_pin_table(uint64_t table_phys, int level);
void native_idle(void);
void native_power_off(void) __attribute__((noreturn));
void native_reboot(void) __attribute__((noreturn));
void native_test_exit(unsigned status);
void native_init(struct boot_info *bi);
void native_late_init(void);
int native_self_test(char *msg, size_t len);

/* The MMU as on bare metal: also right under hardware-assisted paging. */
#define NATIVE_MMU_OPS {                                                          \
	.mode = "direct",                                                           \
	.set_pte = native_set_pte,                                                  \
	.flush_page = native_flush_page,                                            \
	.flush_all = native_flush_all,                                              \
	.load_root = native_load_root,                                              \
	.pin_table = native_pin_table,                                              \
}
#endif
