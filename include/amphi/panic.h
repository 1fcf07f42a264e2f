#ifndef AMPHI_PANIC_H
#define AMPHI_PANIC_H
/* Stops the kernel with a message.  Under a test (amphi.test=) the run ends
 * with "Test result: ERROR <message>" and a failing exit status. */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
#define BUG_ON(c) do { if (c) panic("BUG_ON(%s) at %s:%d", #c, __FILE__, __LINE__); } while (0)
#endif
