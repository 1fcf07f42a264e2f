/* KVM paravirtual time and EOI (pv/kvm_time.c). */
#ifndef PV_KVM_TIME_H
#define PV_KVM_TIME_H
#include <stdint.h>
int kvm_has(unsigned feature);
int kvmclock_setup(void);
uint64_t kvmclock_ns(void);
uint64_t kvmclock_wallclock_s(void);
int kvm_pv_eoi_setup(void);
#endif
