/*
 * Copying between the kernel and a process's memory.  Every user pointer
 * is checked (below the kernel half, no wrap) and the copy itself recovers
 * from a page fault: a bad pointer gives -EFAULT, never a kernel fault.
 * Implemented by the process core (kernel/uaccess.c).
 */
#ifndef AMPHI_UACCESS_H
#define AMPHI_UACCESS_H
#include <stddef.h>
#include <stdint.h>

int copy_from_user(void *kdst, uint32_t usrc, size_t n);    /* 0 or -EFAULT */
int copy_to_user(uint32_t udst, const void *ksrc, size_t n);  /* 0 or -EFAULT */
/* Copies a NUL-terminated string; its length, -EFAULT, or -ENAMETOOLONG
 * when it does not fit in max bytes. */
long strncpy_from_user(char *kdst, uint32_t usrc, size_t max);
#endif
