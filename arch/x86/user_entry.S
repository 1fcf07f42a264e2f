/*
 * Ring 3: entering user mode, the sysenter entry, and the copy routines
 * that touch user memory (with their exception table: a fault at one of
 * the listed instructions resumes at its fixup, see uaccess_fixup).
 *
 * Every way into the kernel from user mode leaves a struct trap_frame
 * (include/asm/traps.h) at the very top of the thread's kernel stack
 * (TSS esp0): the int $0x80 and exception stubs because the CPU switches to
 * esp0, the sysenter entry because it builds the same frame there.
 */
#include <asm/desc.h>
#include <asm/entry.h>

#define TF_SIZE 76              /* sizeof(struct trap_frame) */
#define TF_EIP 56
#define TF_CS 60

	.text

/*
 * void user_enter(const struct trap_frame *tf, struct trap_frame *dst)
 * Copies *tf to dst (the top of this thread's kernel stack; the regions
 * may overlap) and returns to user mode through trap_return.  Never returns.
 */
	.globl user_enter
	.type user_enter, @function
user_enter:
	cli
	movl 4(%esp), %esi
	movl 8(%esp), %edi
	movl %edi, %ebx
	/* A stack below both regions for the rest of the way. */
	movl %esi, %eax
	cmpl %edi, %eax
	jbe 1f
	movl %edi, %eax
1:	leal -64(%eax), %esp
	movl $(TF_SIZE / 4), %ecx
	cmpl %edi, %esi
	jae 2f
	leal (TF_SIZE - 4)(%esi), %esi         /* source below destination: copy backwards */
	leal (TF_SIZE - 4)(%edi), %edi
	std
	rep movsl
	cld
	jmp 3f
2:	cld
	rep movsl
3:	movl %ebx, %esp
	jmp trap_return
	.size user_enter, . - user_enter

/*
 * sysenter, from __kernel_vsyscall in the entry page: the user's %esp is in
 * %ebp (the page pushed %ecx, %edx, %ebp and then moved %esp to %ebp), the
 * sixth argument is the %ebp saved at (%ebp).  Builds the int $0x80 frame
 * at esp0 and runs the same dispatch; returns with sysexit to the page's
 * return point when the frame still goes there, else through iret.
 */
	.globl sysenter_entry
	.type sysenter_entry, @function
sysenter_entry:
	movl %ss:kernel_tss+4, %esp            /* esp0: this thread's stack top */
	pushl $SEL_UDATA                       /* user ss */
	pushl %ebp                             /* user esp */
	pushfl
	orl $0x200, (%esp)                     /* user mode always runs with IF */
	pushl $SEL_UCODE
	pushl $0                               /* eip: sysenter_dispatch fills it in */
	pushl $0                               /* error code */
	pushl $0x80                            /* vector */
	SAVE_FRAME_KERNEL_SEGMENTS
	movl %esp, %eax
	pushl %eax
	cld
	call sysenter_dispatch
	addl $4, %esp
	movl TF_EIP(%esp), %eax
	cmpl vsyscall_ret_eip, %eax
	jne trap_return
	cmpl $SEL_UCODE, TF_CS(%esp)
	jne trap_return
	popl %gs
	popl %fs
	popl %es
	popl %ds
	popal
	movl 8(%esp), %edx                     /* eip */
	movl 20(%esp), %ecx                    /* user esp */
	sti
	sysexit
	.size sysenter_entry, . - sysenter_entry

/*
 * uint32_t __copy_user(void *dst, const void *src, uint32_t n)
 * Returns the number of bytes NOT copied (0 on success).  Four bytes per
 * step, then the rest (as memcpy; a byte-wise rep costs four times the
 * steps under an emulator).  A fault in the dword part leaves %ecx dwords
 * and the %edx tail bytes not copied.
 */
	.globl __copy_user
	.type __copy_user, @function
__copy_user:
	pushl %edi
	pushl %esi
	movl 12(%esp), %edi
	movl 16(%esp), %esi
	movl 20(%esp), %ecx
	cld
	movl %ecx, %edx
	shrl $2, %ecx
	andl $3, %edx
.Lcopy4:
	rep movsl
	movl %edx, %ecx
.Lcopy:
	rep movsb
.Lcopy_fix:
	movl %ecx, %eax
	popl %esi
	popl %edi
	ret
.Lcopy4_fix:
	leal (%edx,%ecx,4), %eax
	popl %esi
	popl %edi
	ret
	.size __copy_user, . - __copy_user

/*
 * int __get_user32(uint32_t *dst, uint32_t uaddr): one word from user
 * memory, 0, or -1 on a fault (the caller checks the range).  sysenter's
 * sixth argument, read on every call: one load, not the copy loop.
 */
	.globl __get_user32
	.type __get_user32, @function
__get_user32:
	movl 8(%esp), %ecx
	movl 4(%esp), %edx
.Lget:
	movl (%ecx), %eax
	movl %eax, (%edx)
	xorl %eax, %eax
	ret
.Lget_fix:
	movl $-1, %eax
	ret
	.size __get_user32, . - __get_user32

/*
 * int32_t __strncpy_user(char *dst, const char *src, uint32_t max)
 * The string's length when its NUL was within max bytes, max when not,
 * -1 on a fault.
 */
	.globl __strncpy_user
	.type __strncpy_user, @function
__strncpy_user:
	pushl %edi
	pushl %esi
	movl 12(%esp), %edi
	movl 16(%esp), %esi
	movl 20(%esp), %ecx
	xorl %edx, %edx
1:	testl %ecx, %ecx
	jz 3f
.Lstr:
	movb (%esi), %al
	movb %al, (%edi)
	incl %esi
	incl %edi
	decl %ecx
	testb %al, %al
	jz 2f
	incl %edx
	jmp 1b
2:	movl %edx, %eax
	popl %esi
	popl %edi
	ret
3:	movl 20(%esp), %eax
	popl %esi
	popl %edi
	ret
.Lstr_fix:
	movl $-1, %eax
	popl %esi
	popl %edi
	ret
	.size __strncpy_user, . - __strncpy_user

/* The exception table: faulting instruction, where to resume. */
	.section .rodata
	.align 4
	.globl __uaccess_ex_table, __uaccess_ex_table_end
__uaccess_ex_table:
	.long .Lcopy4, .Lcopy4_fix
	.long .Lcopy, .Lcopy_fix
	.long .Lstr, .Lstr_fix
	.long .Lget, .Lget_fix
__uaccess_ex_table_end:

	.section .note.GNU-stack, "", @progbits
