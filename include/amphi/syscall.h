/*
 * System calls speak the Linux i386 ABI: number in %eax, arguments in %ebx,
 * %ecx, %edx, %esi, %edi, %ebp, result (or -errno) in %eax.  Every entry
 * path (int $0x80, sysenter, the AT_SYSINFO page, and later the direct call
 * of kernel-mode applications) ends in syscall_dispatch() and the one table.
 *
 * A handler is defined anywhere with
 *     SYSCALL_DEFINE(__NR_write, write) { ... uses a->arg[0..5] ... }
 * and lands in a linker table that syscall_init() turns into the dispatch
 * array.  Unknown numbers return -ENOSYS, logged once per number.
 */
#ifndef AMPHI_SYSCALL_H
#define AMPHI_SYSCALL_H
#include <stdint.h>
#include <amphi/errno.h>

#define NR_SYSCALLS 450

struct syscall_args {
	uint32_t nr;
	uint32_t arg[6];
};

typedef long (*syscall_fn_t)(const struct syscall_args *a);

struct syscall_entry {
	uint32_t nr;
	const char *name;
	syscall_fn_t fn;
};

#define SYSCALL_DEFINE(nr_, name_)                                                \
	static long sys_##name_(const struct syscall_args *a);                       \
	static const struct syscall_entry __syscall_##name_                          \
		__attribute__((section(".syscalls"), used, aligned(4))) =            \
		{ nr_, #name_, sys_##name_ };                                        \
	static long sys_##name_(const struct syscall_args *a)

void syscall_init(void);
long syscall_dispatch(const struct syscall_args *a);
const char *syscall_name(uint32_t nr);

/* i386 numbers used across files (the full list lives with the handlers). */
#define __NR_exit 1
#define __NR_fork 2
#define __NR_read 3
#define __NR_write 4
#define __NR_open 5
#define __NR_close 6
#define __NR_waitpid 7
#define __NR_execve 11
#define __NR_chdir 12
#define __NR_lseek 19
#define __NR_getpid 20
#define __NR_access 33
#define __NR_kill 37
#define __NR_mkdir 39
#define __NR_dup 41
#define __NR_pipe 42
#define __NR_brk 45
#define __NR_ioctl 54
#define __NR_fcntl 55
#define __NR_setpgid 57
#define __NR_umask 60
#define __NR_dup2 63
#define __NR_getppid 64
#define __NR_getpgrp 65
#define __NR_setsid 66
#define __NR_sigaction 67
#define __NR_gettimeofday 78
#define __NR_readlink 85
#define __NR_munmap 91
#define __NR_wait4 114
#define __NR_sigreturn 119
#define __NR_clone 120
#define __NR_uname 122
#define __NR_mprotect 125
#define __NR_getpgid 132
#define __NR__llseek 140
#define __NR_getdents 141
#define __NR_readv 145
#define __NR_writev 146
#define __NR_nanosleep 162
#define __NR_poll 168
#define __NR_rt_sigreturn 173
#define __NR_rt_sigaction 174
#define __NR_rt_sigprocmask 175
#define __NR_getcwd 183
#define __NR_vfork 190
#define __NR_mmap2 192
#define __NR_stat64 195
#define __NR_lstat64 196
#define __NR_fstat64 197
#define __NR_getuid32 199
#define __NR_getgid32 200
#define __NR_geteuid32 201
#define __NR_getegid32 202
#define __NR_getdents64 220
#define __NR_fcntl64 221
#define __NR_gettid 224
#define __NR_set_thread_area 243
#define __NR_exit_group 252
#define __NR_set_tid_address 258
#define __NR_clock_gettime 265
#define __NR_openat 295
#define __NR_mkdirat 296
#define __NR_fstatat64 300
#define __NR_unlinkat 301
#define __NR_faccessat 307
#define __NR_pipe2 331
#define __NR_dup3 330
#define __NR_prlimit64 340
#define __NR_getrandom 355
#define __NR_statx 383
#define __NR_clock_gettime64 403
#endif
