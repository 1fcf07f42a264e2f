/*
 * Copying between the kernel and the current process's memory (see
 * include/amphi/uaccess.h).  The range check keeps every access below the
 * kernel half; the copy itself runs in arch/x86/user_entry.S, whose
 * faulting instructions are listed in an exception table: the page-fault
 * handler first tries to resolve the fault (demand paging, copy-on-write,
 * stack growth) and, when that fails, resumes at the instruction's fixup,
 * which returns the error to us.
 */
#include <amphi/uaccess.h>
#include <amphi/errno.h>
#include <amphi/vm.h>

uint32_t __copy_user(void *dst, const void *src, uint32_t n);
int32_t __strncpy_user(char *dst, const char *src, uint32_t max);
uint32_t uaccess_fixup(uint32_t eip);

extern const uint32_t __uaccess_ex_table[], __uaccess_ex_table_end[];

uint32_t uaccess_fixup(uint32_t eip)
{
	for (const uint32_t *e = __uaccess_ex_table; e < __uaccess_ex_table_end; e += 2)
		if (e[0] == eip)
			return e[1];
	return 0;
}

static int user_range_ok(uint32_t a, size_t n)
{
	return a + n >= a && a + n <= USER_TOP;
}

int copy_from_user(void *kdst, uint32_t usrc, size_t n)
{
	if (!n)
		return 0;
	if (!user_range_ok(usrc, n) || !vm_active())
		return -EFAULT;
	return __copy_user(kdst, (const void *)usrc, n) ? -EFAULT : 0;
}

int copy_to_user(uint32_t udst, const void *ksrc, size_t n)
{
	if (!n)
		return 0;
	if (!user_range_ok(udst, n) || !vm_active())
		return -EFAULT;
	return __copy_user((void *)udst, ksrc, n) ? -EFAULT : 0;
}

long strncpy_from_user(char *kdst, uint32_t usrc, size_t max)
{
	if (!max)
		return -ENAMETOOLONG;
	if (usrc >= USER_TOP || !vm_active())
		return -EFAULT;
	/* Never read past the end of user space. */
	size_t lim = USER_TOP - usrc < max ? USER_TOP - usrc : max;
	int32_t r = __strncpy_user(kdst, (const char *)usrc, lim);
	if (r < 0)
		return -EFAULT;
	if ((size_t)r == lim) {
		kdst[max - 1] = 0;
		return lim < max ? -EFAULT : -ENAMETOOLONG;
	}
	return r;
}
