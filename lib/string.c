/* Freestanding string and memory functions.  gcc may emit calls to
 * memset/memcpy/memmove/memcmp itself, so these must exist. */
#include <amphi/string.h>
#include <stdint.h>

/*
 * memset and memcpy move four bytes per step with rep stosl / rep movsl and
 * finish with bytes.  Byte loops cost the kernel dearly under emulators
 * (QEMU TCG runs a page zeroing as 4096 loop iterations; rep stosl is 1024
 * steps of one instruction), and these run on every fresh page, every
 * copy-on-write break and every loaded ELF segment.
 */
void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;
	size_t words = n / 4;
	uint32_t v = (unsigned char)c * 0x01010101u;

	__asm__ volatile("cld; rep stosl" : "+D"(p), "+c"(words) : "a"(v) : "memory");
	for (n &= 3; n; n--)
		*p++ = (unsigned char)c;
	return s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	size_t words = n / 4, rest = n & 3;

	__asm__ volatile("cld; rep movsl; movl %3, %%ecx; rep movsb"
			 : "+D"(d), "+S"(s), "+c"(words) : "r"(rest) : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else if (d > s) {
		d += n;
		s += n;
		while (n--)
			*--d = *--s;
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return c ? 0 : (char *)s;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = 0;
	}
	return len;
}
