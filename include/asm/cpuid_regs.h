/* CPUID output registers, shared by kernel and host-tested code. */
#ifndef ASM_CPUID_REGS_H
#define ASM_CPUID_REGS_H
#include <stdint.h>
struct cpuid_regs { uint32_t eax, ebx, ecx, edx; };
#endif
