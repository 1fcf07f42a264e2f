/* <stdlib.h> for lwIP's sources (netif.c's atoi, mem.c's allocator
 * includes; memory itself is mem_clib_malloc = kmalloc, lwipopts.h). */
#ifndef AMPHI_LWIP_STDLIB_H
#define AMPHI_LWIP_STDLIB_H
static inline int atoi(const char *s)
{
	int neg = 0, v = 0;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return neg ? -v : v;
}
#endif
