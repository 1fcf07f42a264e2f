/* Kernel command line parsing (pure; host-tested).  Words are separated by
 * spaces; a value may be quoted: key="a b". */
#ifndef AMPHI_CMDLINE_H
#define AMPHI_CMDLINE_H
#include <stddef.h>
#include <stdbool.h>

/* Copies the value of key=value into out (truncated to outlen-1) and returns
 * out; returns NULL when the key is absent.  A bare "key" yields "". */
const char *cmdline_get(const char *cmdline, const char *key, char *out, size_t outlen);
bool cmdline_has(const char *cmdline, const char *key);
#endif
