/*
 * User mode without an initrd: small hand-written programs (assembled
 * into the kernel's .rodata, position-independent) copied into a fresh
 * address space and run in ring 3.  And `init`: runs PID 1 from the
 * initrd and reports its exit status.
 */
#include <amphi/test.h>
#include <amphi/proc.h>
#include <amphi/rootfs.h>
#include "../../fs/mount.h"
#include <amphi/vm.h>
#include <amphi/syscall.h>
#include <amphi/string.h>
#include <amphi/boot.h>
#include <amphi/errno.h>
#include <amphi/frame.h>
#include <amphi/cmdline.h>
#include <amphi/vfs.h>

#pragma weak vfs_open

#define PROG_BASE 0x08048000u

#define PROG(name, body)                                                          \
	extern const char name[], name##_end[];                                     \
	__asm__(".pushsection .rodata\n" #name ":\n" body "\n" #name "_end:\n.popsection\n")

/* exit(getpid()) */
PROG(prog_getpid,
     "movl $20, %eax\n int $0x80\n movl %eax, %ebx\n movl $1, %eax\n int $0x80\n ud2");
/* exit(-uname(kernel pointer)), and the same for an unmapped user pointer */
PROG(prog_efault,
     "movl $122, %eax\n movl $0xC0001000, %ebx\n int $0x80\n"
     "movl %eax, %esi\n"
     "movl $122, %eax\n movl $0x10, %ebx\n int $0x80\n"
     "cmpl %eax, %esi\n jne 1f\n"
     "movl $265, %eax\n movl $1, %ebx\n movl $0xBFFFF000, %ecx\n int $0x80\n"   /* read-only entry page */
     "cmpl %eax, %esi\n jne 1f\n"
     "negl %eax\n movl %eax, %ebx\n movl $1, %eax\n int $0x80\n"
     "1: movl $1, %eax\n movl $99, %ebx\n int $0x80");
/* write(1, bad, 5) -> exit(-result) */
PROG(prog_write_efault,
     "movl $4, %eax\n movl $1, %ebx\n movl $0xC0000000, %ecx\n movl $5, %edx\n int $0x80\n"
     "negl %eax\n movl %eax, %ebx\n movl $1, %eax\n int $0x80");
PROG(prog_null, "movl 0, %eax\n ud2");
PROG(prog_ud2, "ud2");
PROG(prog_div0, "xorl %ecx, %ecx\n movl $1, %eax\n cltd\n idivl %ecx\n ud2");
PROG(prog_kernel_write, "movl $0xC0100000, %eax\n movl $1, (%eax)\n ud2");
/* Stack growth: touch 1 MiB below the stack pointer, then exit(3). */
PROG(prog_stack,
     "movl %esp, %eax\n subl $0x100000, %eax\n movl $5, (%eax)\n"
     "movl $1, %eax\n movl $3, %ebx\n int $0x80");
/* fork; the child overwrites a stack word (copy-on-write) and exits 7;
 * the parent waits, checks its word and exits with the child's code. */
PROG(prog_fork,
     "pushl $0x1234\n"
     "movl $2, %eax\n int $0x80\n"
     "testl %eax, %eax\n jnz 1f\n"
     "movl $0x5678, (%esp)\n movl $1, %eax\n movl $7, %ebx\n int $0x80\n"
     "1: js 2f\n movl %eax, %ebx\n subl $4, %esp\n movl %esp, %ecx\n xorl %edx, %edx\n xorl %esi, %esi\n"
     "movl $114, %eax\n int $0x80\n"
     "cmpl $0x1234, 4(%esp)\n jne 2f\n"
     "movl (%esp), %ebx\n shrl $8, %ebx\n movl $1, %eax\n int $0x80\n"
     "2: movl $1, %eax\n movl $99, %ebx\n int $0x80");
/* brk grows; the new memory is zero and writable; mmap anonymous too. */
PROG(prog_mem,
     "movl $45, %eax\n xorl %ebx, %ebx\n int $0x80\n movl %eax, %esi\n"
     "leal 0x3000(%esi), %ebx\n movl $45, %eax\n int $0x80\n"
     "leal 0x3000(%esi), %ecx\n cmpl %ecx, %eax\n jne 9f\n"
     "cmpl $0, 0x2000(%esi)\n jne 9f\n movl $42, 0x2000(%esi)\n"
     "movl $192, %eax\n xorl %ebx, %ebx\n movl $0x10000, %ecx\n movl $3, %edx\n movl $0x22, %esi\n"
     "movl $-1, %edi\n xorl %ebp, %ebp\n int $0x80\n"
     "cmpl $-4096, %eax\n ja 9f\n movl $7, 0xfffc(%eax)\n"
     "movl %eax, %ebx\n movl $91, %eax\n movl $0x10000, %ecx\n int $0x80\n"
     "testl %eax, %eax\n jnz 9f\n"
     "movl $1, %eax\n movl $5, %ebx\n int $0x80\n"
     "9: movl $1, %eax\n movl $99, %ebx\n int $0x80");
/* Null-syscall cost: 10000 getpid via int $0x80, then via the entry page;
 * each total goes to the test-only system call 449. */
PROG(prog_bench,
     "movl $10000, %edi\n rdtsc\n movl %eax, %esi\n"
     "1: movl $20, %eax\n int $0x80\n decl %edi\n jnz 1b\n"
     "rdtsc\n subl %esi, %eax\n movl %eax, %ebx\n xorl %ecx, %ecx\n movl $449, %eax\n int $0x80\n"
     "movl $10000, %edi\n rdtsc\n movl %eax, %esi\n"
     "2: movl $20, %eax\n movl $0xBFFFF000, %edx\n call *%edx\n decl %edi\n jnz 2b\n"
     "rdtsc\n subl %esi, %eax\n movl %eax, %ebx\n movl $1, %ecx\n movl $449, %eax\n int $0x80\n"
     "movl $1, %eax\n xorl %ebx, %ebx\n int $0x80");

static uint32_t bench_cycles[2];
SYSCALL_DEFINE(449, amphi_test_report)
{
	bench_cycles[a->arg[1] & 1] = a->arg[0];
	return 0;
}

/* Runs a program; its wait status, or -1 if it could not start. */
static int run_prog(const char *name, const char *code, const char *end, int with_fds)
{
	struct process *p = proc_alloc(0);
	if (!p)
		return -1;
	p->kernel_waits = 1;
	strlcpy(p->name, name, sizeof(p->name));
	p->vm = vm_new();
	if (!p->vm || vm_map(p->vm, PROG_BASE, (uint32_t)(end - code), VM_READ | VM_EXEC, 0) ||
	    vm_write(p->vm, PROG_BASE, code, (size_t)(end - code)) ||
	    vm_map(p->vm, USER_STACK_TOP - USER_STACK_INIT, USER_STACK_INIT, VM_READ | VM_WRITE,
		   VM_GROWSDOWN)) {
		proc_free(p);
		return -1;
	}
	if (with_fds && proc_open_console(p) != 0) {
		proc_free(p);
		return -2;               /* no /dev/console (no initrd): skipped */
	}
	p->vm->brk_start = p->vm->brk = PROG_BASE + 0x10000;
	user_frame_init(&p->start_frame, PROG_BASE, USER_STACK_TOP - 16, 0);
	if (proc_start(p)) {
		proc_free(p);
		return -1;
	}
	return proc_wait_detached(p);
}

#define EXPECT_STATUS(name, prog, want, fds) do {                                          \
	int st_ = run_prog(name, prog, prog##_end, fds);                                    \
	if (st_ == -2) {                                                                    \
		printk("  %-12s skipped: no /dev/console\n", name);                          \
		break;                                                                      \
	}                                                                                   \
	printk("  %-12s wait status %#x (expected %#x)\n", name, st_, (unsigned)(want));     \
	CHECK(st_ == (int)(want), "%s: wait status %#x, expected %#x", name, st_, (unsigned)(want)); \
} while (0)

DEFINE_TEST(test_user, "user", "ring 3: syscalls, -EFAULT, faults kill only the process, fork/COW, brk/mmap, stack growth")
{
	uint32_t frames_before = vm_frames_in_use();
	int st = run_prog("getpid", prog_getpid, prog_getpid_end, 0);
	CHECK(st >= 0 && !(st & 0x7f), "getpid program: wait status %#x", st);
	printk("  getpid       exited with its pid %d\n", (st >> 8) & 0xff);
	EXPECT_STATUS("efault", prog_efault, EFAULT << 8, 0);
	if (vfs_open)
		EXPECT_STATUS("write-efault", prog_write_efault, EFAULT << 8, 1);
	EXPECT_STATUS("null", prog_null, SIGSEGV, 0);
	EXPECT_STATUS("ud2", prog_ud2, SIGILL, 0);
	EXPECT_STATUS("div0", prog_div0, SIGFPE, 0);
	EXPECT_STATUS("kwrite", prog_kernel_write, SIGSEGV, 0);
	EXPECT_STATUS("stack", prog_stack, 3 << 8, 0);
	EXPECT_STATUS("fork", prog_fork, 7 << 8, 0);
	EXPECT_STATUS("mem", prog_mem, 5 << 8, 0);
	EXPECT_STATUS("bench", prog_bench, 0, 0);
	printk("  null syscall (getpid): int $0x80 %u cycles, entry page (%s) %u cycles\n",
	       bench_cycles[0] / 10000, user_have_sysenter() ? "sysenter" : "int $0x80",
	       bench_cycles[1] / 10000);
	uint32_t frames_after = vm_frames_in_use();
	CHECK(frames_after == frames_before, "frames leaked: %u before, %u after",
	      frames_before, frames_after);
	return TEST_SUCCESS;
}

DEFINE_TEST(test_init, "init", "runs PID 1 (amphi.init=, default /init) from the initrd or amphi.root=; its exit status is the result")
{
	char list[128];
	int named = 0;
	if (cmdline_get(boot_info.cmdline, "amphi.test", list, sizeof(list)))
		for (char *w = list; *w;) {
			size_t n = strchr(w, ',') ? (size_t)(strchr(w, ',') - w) : strlen(w);
			if (n == 4 && !strncmp(w, "init", 4))
				named = 1;
			w += n + (w[n] == ',');
		}
	if (!named)      /* PID 1 may be an interactive shell: not part of "all" */
		return test_report(TEST_SKIP, "init runs only when named (amphi.test=init)");
	if (!boot_info.nr_modules && !mount_root_on_disk())
		return test_report(TEST_SKIP, "no initrd and no amphi.root=");
	int err = 0;
	struct process *p = proc_launch_init(boot_info.cmdline, &err);
	if (!p)
		return test_report(TEST_FAILURE, "init could not start: error %d%s%s", err,
				   exec_last_error[0] ? ": " : "", exec_last_error);
	int st = proc_wait_detached(p);
	rootfs_shutdown();      /* the host checks the disk root afterwards */
	if (st & 0x7f)
		return test_report(TEST_FAILURE, "init killed by signal %d", st & 0x7f);
	if (st >> 8)
		return test_report(TEST_FAILURE, "init exited with status %d", (st >> 8) & 0xff);
	return TEST_SUCCESS;
}
