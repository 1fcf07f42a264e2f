/*
 * lwIP's compiler/platform header for amphi: freestanding i686, no libc.
 * Types come from the compiler's <stdint.h>; printing and assertions go
 * to printk/panic; errno is per kernel thread (lwIP's socket layer sets it
 * while system calls of different processes run in it concurrently).
 */
#ifndef AMPHI_LWIP_ARCH_CC_H
#define AMPHI_LWIP_ARCH_CC_H
#include <stdint.h>
#include <stddef.h>

#define LWIP_NO_INTTYPES_H 1
#define X8_F  "02x"
#define U16_F "u"
#define S16_F "d"
#define X16_F "x"
#define U32_F "u"
#define S32_F "d"
#define X32_F "x"
#define SZT_F "u"
#define LWIP_NO_UNISTD_H 1
#define LWIP_NO_CTYPE_H 1
#define LWIP_NO_LIMITS_H 1          /* the cross compiler's <limits.h> wants libc's */
#define INT_MAX __INT_MAX__

#define BYTE_ORDER LITTLE_ENDIAN
#define LWIP_PROVIDE_ERRNO 1        /* Linux's numbers: the same as amphi/errno.h */

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void amphi_lwip_assert(const char *msg, const char *file, int line) __attribute__((noreturn));
uint32_t amphi_lwip_rand(void);
int *amphi_lwip_errno(void);

#define LWIP_PLATFORM_DIAG(x) do { printk x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) amphi_lwip_assert((x), __FILE__, __LINE__)
#define LWIP_RAND() amphi_lwip_rand()
#define errno (*amphi_lwip_errno())
#endif
