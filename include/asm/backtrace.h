/* A frame-pointer walk for panic reports (the kernel is built with
 * -fno-omit-frame-pointer).  Frames are followed only upwards inside
 * [lo, hi), the stack of the thread that panicked, so a corrupt %ebp
 * chain ends the walk instead of faulting inside the panic. */
#ifndef ASM_BACKTRACE_H
#define ASM_BACKTRACE_H
#include <stdint.h>

void backtrace_print(uint32_t ebp, uint32_t lo, uint32_t hi);
#endif
