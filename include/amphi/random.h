/*
 * The kernel's pseudo-random bytes (kernel/sys_proc.c): xorshift64* mixed
 * with the TSC.  Enough for AT_RANDOM, getrandom(2), /dev/urandom and
 * address choices; not a cryptographic generator.
 */
#ifndef AMPHI_RANDOM_H
#define AMPHI_RANDOM_H
#include <stddef.h>
void prng_fill(void *buf, size_t n);
#endif
