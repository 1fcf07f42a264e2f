/* Formatted output: printk to the kernel log and the console, the snprintf family to memory.
 * Formats: %d %i %u %x %X %o %p %s %c %% with flags -, 0, +, space, #,
 * width, precision (also *), and length modifiers hh h l ll z t j. */
#ifndef AMPHI_PRINTK_H
#define AMPHI_PRINTK_H
#include <stdarg.h>
#include <stddef.h>
#include <amphi/klog.h>          /* KERN_* levels */

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap);
#endif
