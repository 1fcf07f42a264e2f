/*
 * Process, memory, signal, time and identity system calls (the Linux i386
 * ABI).  File system calls are in fs/syscalls.c.
 */
#include <amphi/random.h>
#include <amphi/syscall.h>
#include <amphi/proc.h>
#include <amphi/vm.h>
#include <amphi/layout.h>
#include <amphi/vfs.h>
#include <amphi/sched.h>
#include <amphi/timer.h>
#include <amphi/uaccess.h>
#include <amphi/platform.h>
#include <amphi/heap.h>
#include <amphi/frame.h>
#include <amphi/procfs.h>
#include <amphi/filepages.h>
#include <amphi/mm.h>
#include <amphi/string.h>
#include <amphi/printk.h>
#include <amphi/errno.h>
#include <asm/cpu.h>
#include <asm/desc.h>


#define CUR() struct process *p = proc_current()
#define A(i) (a->arg[i])

/* ---- random numbers (xorshift64*, seeded from the TSC) ---- */

static uint64_t prng_state;

static uint64_t prng_next(void)
{
	if (!prng_state)
		prng_state = rdtsc() ^ 0x9E3779B97F4A7C15ull;
	prng_state ^= prng_state >> 12;
	prng_state ^= prng_state << 25;
	prng_state ^= prng_state >> 27;
	return prng_state * 0x2545F4914F6CDD1Dull;
}

void prng_fill(void *buf, size_t n)
{
	uint8_t *b = buf;
	while (n) {
		uint64_t v = prng_next() ^ rdtsc();
		size_t k = n < 8 ? n : 8;
		memcpy(b, &v, k);
		b += k;
		n -= k;
	}
}

/* ---- identity ---- */

SYSCALL_DEFINE(__NR_getpid, getpid) { CUR(); return p->pid; }
SYSCALL_DEFINE(__NR_gettid, gettid) { CUR(); return p->pid; }
SYSCALL_DEFINE(__NR_getppid, getppid) { CUR(); return p->parent ? p->parent->pid : 0; }
SYSCALL_DEFINE(__NR_getuid32, getuid32) { return 0; }
SYSCALL_DEFINE(__NR_getgid32, getgid32) { return 0; }
SYSCALL_DEFINE(__NR_geteuid32, geteuid32) { return 0; }
SYSCALL_DEFINE(__NR_getegid32, getegid32) { return 0; }
SYSCALL_DEFINE(24, getuid) { return 0; }
SYSCALL_DEFINE(47, getgid) { return 0; }
SYSCALL_DEFINE(49, geteuid) { return 0; }
SYSCALL_DEFINE(50, getegid) { return 0; }
SYSCALL_DEFINE(213, setuid32) { return A(0) == 0 ? 0 : -EPERM; }
SYSCALL_DEFINE(214, setgid32) { return A(0) == 0 ? 0 : -EPERM; }
SYSCALL_DEFINE(205, getgroups32) { return 0; }

SYSCALL_DEFINE(__NR_umask, umask)
{
	CUR();
	uint32_t old = p->umask;
	p->umask = A(0) & 0777;
	return old;
}

SYSCALL_DEFINE(__NR_getpgrp, getpgrp) { CUR(); return p->pgid; }

SYSCALL_DEFINE(__NR_getpgid, getpgid)
{
	CUR();
	struct process *q = A(0) ? proc_find((int)A(0)) : p;
	return q ? q->pgid : -ESRCH;
}

SYSCALL_DEFINE(147, getsid)
{
	CUR();
	struct process *q = A(0) ? proc_find((int)A(0)) : p;
	return q ? q->sid : -ESRCH;
}

SYSCALL_DEFINE(__NR_setpgid, setpgid)
{
	CUR();
	int pid = (int)A(0), pgid = (int)A(1);
	if (pgid < 0)
		return -EINVAL;
	struct process *q = pid ? proc_find(pid) : p;
	if (!q || (q != p && q->parent != p))
		return -ESRCH;
	if (q->sid != p->sid || q->pid == q->sid)
		return -EPERM;
	q->pgid = pgid ? pgid : q->pid;
	return 0;
}

SYSCALL_DEFINE(__NR_setsid, setsid)
{
	CUR();
	/* Refused when p already leads a process group. */
	if (p->pgid == p->pid)
		return -EPERM;
	p->sid = p->pgid = p->pid;
	return p->pid;
}

/* ---- life cycle ---- */

SYSCALL_DEFINE(__NR_exit, exit)
{
	CUR();
	proc_exit(p, (A(0) & 0xff) << 8);
}

SYSCALL_DEFINE(__NR_exit_group, exit_group)
{
	CUR();
	proc_exit(p, (A(0) & 0xff) << 8);
}

#define CLONE_VM 0x100
#define CLONE_FS 0x200
#define CLONE_FILES 0x400
#define CLONE_SIGHAND 0x800
#define CLONE_VFORK 0x4000
#define CLONE_THREAD 0x10000
#define CLONE_SETTLS 0x80000
#define CLONE_PARENT_SETTID 0x100000
#define CLONE_CHILD_CLEARTID 0x200000
#define CLONE_CHILD_SETTID 0x1000000

static int user_desc_to_gdt(uint32_t uinfo, uint64_t *desc, int32_t *entry);

/* fork, vfork and clone without threads: a copy-on-write child.  With
 * CLONE_VM (posix_spawn's clone) the child still gets a copy: it runs on
 * the new stack and execs or exits, which is all callers do. */
static long do_fork(uint32_t flags, uint32_t stack, uint32_t ptid, uint32_t tls, uint32_t ctid)
{
	CUR();
	if (flags & CLONE_THREAD)
		return -EINVAL;
	struct process *c = proc_alloc(p);
	if (!c)
		return -ENOMEM;
	c->vm = vm_clone(p->vm);
	c->fds = p->fds ? fdtable_clone(p->fds) : 0;
	if (!c->vm || (p->fds && !c->fds)) {
		c->state = PROC_ZOMBIE;
		proc_free(c);
		return -ENOMEM;
	}
	strlcpy(c->name, p->name, sizeof(c->name));
	memcpy(c->cmdline, p->cmdline, sizeof(c->cmdline));
	c->cmdline_len = p->cmdline_len;
	memcpy(c->sigact, p->sigact, sizeof(c->sigact));
	c->sig_blocked = p->sig_blocked;
	c->tls_desc = p->tls_desc;
	c->kmode = p->kmode;
	fpu_save(c->fpu);
	c->start_frame = *p->tf;
	c->start_frame.eax = 0;
	if (stack)
		c->start_frame.user_esp = stack;
	if (flags & CLONE_SETTLS) {
		int32_t e;
		if (user_desc_to_gdt(tls, &c->tls_desc, &e) != 0)
			c->tls_desc = p->tls_desc;
	}
	if (flags & CLONE_CHILD_CLEARTID)
		c->clear_child_tid = ctid;
	if (flags & CLONE_PARENT_SETTID)
		copy_to_user(ptid, &c->pid, 4);
	int pid = c->pid;
	if (flags & CLONE_CHILD_SETTID)
		vm_write(c->vm, ctid, &pid, 4);
	if (proc_start(c) != 0) {
		c->state = PROC_ZOMBIE;
		proc_free(c);
		return -ENOMEM;
	}
	return pid;
}

SYSCALL_DEFINE(__NR_fork, fork) { return do_fork(0, 0, 0, 0, 0); }
SYSCALL_DEFINE(__NR_vfork, vfork) { return do_fork(0, 0, 0, 0, 0); }
SYSCALL_DEFINE(__NR_clone, clone) { return do_fork(A(0), A(1), A(2), A(3), A(4)); }

SYSCALL_DEFINE(__NR_execve, execve)
{
	CUR();
	char *path = kmalloc(PATH_MAX_AMPHI), *tmp = kmalloc(PAGE_SIZE);
	struct exec_args ea;
	long r = -ENOMEM;
	ea.buf = 0;
	if (!path || !tmp || exec_args_init(&ea) != 0)
		goto out;
	r = strncpy_from_user(path, A(0), PATH_MAX_AMPHI);
	if (r < 0)
		goto out;
	for (int env = 0; env < 2; env++) {
		uint32_t vec = A(1 + env);
		for (unsigned i = 0; vec; i++) {
			uint32_t ptr;
			if ((r = copy_from_user(&ptr, vec + 4 * i, 4)) != 0)
				goto out;
			if (!ptr)
				break;
			if ((r = strncpy_from_user(tmp, ptr, PAGE_SIZE)) < 0)
				goto out;
			if ((r = exec_args_add(&ea, tmp, env)) != 0)
				goto out;
		}
	}
	r = exec_load(p, path, &ea, p->tf);
	if (r == 0) {
		if (p->fds)
			fdtable_close_on_exec(p->fds);
		for (int s = 1; s <= NSIG_AMPHI; s++)
			if (p->sigact[s].handler != SIG_IGN)
				memset(&p->sigact[s], 0, sizeof(p->sigact[s]));
		p->tls_desc = 0;
		tls_load(0);
		p->clear_child_tid = 0;
		fpu_init_state(p->fpu);
		fpu_restore(p->fpu);
	}
out:
	exec_args_free(&ea);
	kfree(tmp);
	kfree(path);
	return r;
}

#define WNOHANG 1

static long do_wait(int pid, uint32_t ustatus, int options, uint32_t rusage)
{
	CUR();
	for (;;) {
		unsigned events = p->child_events;
		struct process *z = 0;
		int any = 0;
		irqflags_t f = irq_save();
		for (struct process *c = p->children; c; c = c->sibling) {
			if (pid > 0 ? c->pid != pid : pid == 0 ? c->pgid != p->pgid :
			    pid < -1 ? c->pgid != -pid : 0)
				continue;
			any = 1;
			if (c->state == PROC_ZOMBIE) {
				z = c;
				break;
			}
		}
		irq_restore(f);
		if (!any)
			return -ECHILD;
		if (z) {
			int st = z->wstatus, zpid = z->pid;
			if (ustatus && copy_to_user(ustatus, &st, 4))
				return -EFAULT;
			if (rusage) {
				static const uint8_t zero[72];
				copy_to_user(rusage, zero, sizeof(zero));
			}
			proc_free(z);
			return zpid;
		}
		if (options & WNOHANG)
			return 0;
		if (signal_pending(p))
			return -EINTR;
		wait_event(&p->child_wait, p->child_events != events || signal_pending(p));
	}
}

SYSCALL_DEFINE(__NR_wait4, wait4) { return do_wait((int)A(0), A(1), (int)A(2), A(3)); }
SYSCALL_DEFINE(__NR_waitpid, waitpid) { return do_wait((int)A(0), A(1), (int)A(2), 0); }

/* ---- signals ---- */

struct kill_ctx { int sig, pgid, self, count; };

static int kill_one(struct process *q, void *arg)
{
	struct kill_ctx *k = arg;
	if (q->state != PROC_ALIVE || (q->pid == 1 && k->pgid == -1))
		return 0;
	if (k->pgid == -1 ? q->pid == k->self : q->pgid != k->pgid)
		return 0;
	proc_send_signal(q, k->sig);
	k->count++;
	return 0;
}

/* Signals every live process of a group (the console's ^C); how many. */
int proc_signal_group(int pgid, int sig)
{
	struct kill_ctx k = { sig, pgid, 0, 0 };
	if (pgid <= 0)
		return 0;
	proc_for_each(kill_one, &k);
	return k.count;
}

static long do_kill(int pid, int sig)
{
	CUR();
	if (sig < 0 || sig > NSIG_AMPHI)
		return -EINVAL;
	if (pid > 0) {
		struct process *q = proc_find(pid);
		if (!q || q->state != PROC_ALIVE)
			return -ESRCH;
		return proc_send_signal(q, sig);
	}
	struct kill_ctx k = { sig, pid == 0 ? p->pgid : pid == -1 ? -1 : -pid, p->pid, 0 };
	proc_for_each(kill_one, &k);
	if (pid == -1 && sig)
		proc_send_signal(p, sig);
	return k.count || pid == -1 ? 0 : -ESRCH;
}

SYSCALL_DEFINE(__NR_kill, kill) { return do_kill((int)A(0), (int)A(1)); }
SYSCALL_DEFINE(238, tkill) { return do_kill((int)A(0), (int)A(1)); }
SYSCALL_DEFINE(270, tgkill) { return do_kill((int)A(1), (int)A(2)); }

SYSCALL_DEFINE(__NR_rt_sigaction, rt_sigaction)
{
	CUR();
	int sig = (int)A(0);
	if (sig < 1 || sig > NSIG_AMPHI || A(3) != 8)
		return -EINVAL;
	struct k_sigaction old = p->sigact[sig], nw;
	if (A(1)) {
		if (sig == SIGKILL || sig == SIGSTOP)
			return -EINVAL;
		if (copy_from_user(&nw, A(1), 20))
			return -EFAULT;
		nw.mask &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
		p->sigact[sig] = nw;
		if (nw.handler == SIG_IGN || (nw.handler == SIG_DFL && sig == SIGCHLD))
			p->sig_pending &= ~sigbit(sig);
	}
	if (A(2) && copy_to_user(A(2), &old, 20))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(__NR_rt_sigprocmask, rt_sigprocmask)
{
	CUR();
	if (A(3) != 8)
		return -EINVAL;
	uint64_t old = p->sig_blocked, set;
	if (A(1)) {
		if (copy_from_user(&set, A(1), 8))
			return -EFAULT;
		switch (A(0)) {
		case 0: p->sig_blocked |= set; break;
		case 1: p->sig_blocked &= ~set; break;
		case 2: p->sig_blocked = set; break;
		default: return -EINVAL;
		}
		p->sig_blocked &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
	}
	if (A(2) && copy_to_user(A(2), &old, 8))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE(176, rt_sigpending)
{
	CUR();
	uint64_t v = p->sig_pending & p->sig_blocked;
	return copy_to_user(A(0), &v, 8);
}

SYSCALL_DEFINE(__NR_rt_sigreturn, rt_sigreturn) { CUR(); return proc_sigreturn(p, p->tf, 1); }
SYSCALL_DEFINE(__NR_sigreturn, sigreturn) { CUR(); return proc_sigreturn(p, p->tf, 0); }

/* Sleeps until a signal arrives (or the deadline, if any); -EINTR then. */
static long sleep_interruptible(struct process *p, uint64_t deadline)
{
	for (;;) {
		sched_set_blocked();
		if (signal_pending(p)) {
			sched_set_running();
			return -EINTR;
		}
		if (deadline && now_ns() >= deadline) {
			sched_set_running();
			return 0;
		}
		sched_block_until(deadline);
	}
}

SYSCALL_DEFINE(29, pause) { CUR(); return sleep_interruptible(p, 0); }

SYSCALL_DEFINE(179, rt_sigsuspend)
{
	CUR();
	uint64_t mask;
	if (A(1) != 8)
		return -EINVAL;
	if (copy_from_user(&mask, A(0), 8))
		return -EFAULT;
	p->saved_mask = p->sig_blocked;
	p->restore_mask = 1;
	p->sig_blocked = mask & ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
	return sleep_interruptible(p, 0);
}

SYSCALL_DEFINE(186, sigaltstack)
{
	if (A(1)) {
		static const uint32_t none[3] = { 0, 2 /* SS_DISABLE */, 0 };
		if (copy_to_user(A(1), none, sizeof(none)))
			return -EFAULT;
	}
	return 0;
}

/* ---- memory ---- */

SYSCALL_DEFINE(__NR_brk, brk)
{
	CUR();
	return vm_brk(p->vm, A(0));
}

#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_FIXED_NOREPLACE 0x100000

static uint32_t prot_to_vm(uint32_t prot)
{
	return (prot & 1 ? VM_READ : 0) | (prot & 2 ? VM_WRITE : 0) | (prot & 4 ? VM_EXEC : 0);
}

static long do_mmap(uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags, int fd, uint64_t off)
{
	CUR();
	struct file *f = 0;
	if (!len)
		return -EINVAL;
	if (!(flags & (MAP_SHARED | MAP_PRIVATE)))
		return -EINVAL;
	uint32_t alen = (len + PAGE_SIZE - 1) & PAGE_MASK;
	if (!alen || alen > MMAP_TOP)
		return -ENOMEM;
	if (!(flags & MAP_ANONYMOUS)) {
		f = fd_get(p->fds, fd);
		if (!f)
			return -EBADF;
	}
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if ((flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED))
			for (uint32_t a = addr; a < addr + alen; a += PAGE_SIZE)
				if (vm_find(p->vm, a))
					return -EEXIST;
	} else {
		addr &= PAGE_MASK;
		int ok = addr >= MMAP_BOTTOM && addr + alen > addr && addr + alen <= MMAP_TOP;
		for (uint32_t a = addr; ok && a < addr + alen; a += PAGE_SIZE)
			if (vm_find(p->vm, a))
				ok = 0;
		if (!ok)
			addr = vm_find_free(p->vm, alen);
		if (!addr)
			return -ENOMEM;
	}
	/* Anonymous shared memory is shared with children: populated now and
	 * never copied on write.  A shared file mapping is a private copy. */
	int shared = (flags & MAP_SHARED) && !f;
	int r = vm_map(p->vm, addr, alen, prot_to_vm(prot), shared ? VM_SHARED : 0);
	if (r)
		return r;
	if (shared && (r = vm_populate(p->vm, addr, alen)) != 0) {
		vm_unmap(p->vm, addr, alen);
		return r;
	}
	if (f) {
		/* Private copy of the file's bytes; the rest of the last page is zero. */
		uint8_t *buf = kmalloc(PAGE_SIZE);
		if (!buf) {
			vm_unmap(p->vm, addr, alen);
			return -ENOMEM;
		}
		for (uint32_t done = 0; done < len; done += PAGE_SIZE) {
			ssize32_t n = vfs_pread(f, buf, PAGE_SIZE, off + done);
			if (n < 0) {
				kfree(buf);
				vm_unmap(p->vm, addr, alen);
				return n;
			}
			if (n == 0)
				break;
			if ((r = vm_write(p->vm, addr + done, buf, (uint32_t)n)) != 0) {
				kfree(buf);
				vm_unmap(p->vm, addr, alen);
				return r;
			}
			if ((uint32_t)n < PAGE_SIZE)
				break;
		}
		kfree(buf);
	}
	return addr;
}

SYSCALL_DEFINE(__NR_mmap2, mmap2)
{
	return do_mmap(A(0), A(1), A(2), A(3), (int)A(4), (uint64_t)A(5) << PAGE_SHIFT);
}

SYSCALL_DEFINE(90, old_mmap)
{
	uint32_t v[6];
	if (copy_from_user(v, A(0), sizeof(v)))
		return -EFAULT;
	if (v[5] & (PAGE_SIZE - 1))
		return -EINVAL;
	return do_mmap(v[0], v[1], v[2], v[3], (int)v[4], v[5]);
}

SYSCALL_DEFINE(__NR_munmap, munmap) { CUR(); return vm_unmap(p->vm, A(0), A(1)); }

SYSCALL_DEFINE(__NR_mprotect, mprotect)
{
	CUR();
	if (A(0) & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!A(1))
		return 0;
	return vm_protect(p->vm, A(0), A(1), prot_to_vm(A(2)));
}

SYSCALL_DEFINE(219, madvise) { return 0; }

/* ---- TLS ---- */

struct user_desc {
	uint32_t entry_number, base_addr, limit, flags;
};

static int user_desc_to_gdt(uint32_t uinfo, uint64_t *desc, int32_t *entry)
{
	struct user_desc u;
	if (copy_from_user(&u, uinfo, sizeof(u)))
		return -EFAULT;
	*entry = (int32_t)u.entry_number;
	if (u.entry_number != (uint32_t)-1 && u.entry_number != TLS_GDT_INDEX)
		return -EINVAL;
	uint32_t seg32 = u.flags & 1, contents = (u.flags >> 1) & 3, ro = (u.flags >> 3) & 1,
		 pages = (u.flags >> 4) & 1, notp = (u.flags >> 5) & 1, usable = (u.flags >> 6) & 1;
	if (!u.base_addr && !u.limit && !contents && ro && !seg32 && !pages && notp && !usable) {
		*desc = 0;
		return 0;
	}
	if (contents == 3)
		return -EINVAL;                      /* no code segments */
	uint32_t type = ((ro ^ 1) << 1) | (contents << 2);
	uint32_t lo = (u.limit & 0xffff) | (u.base_addr << 16);
	uint32_t hi = ((u.base_addr >> 16) & 0xff) | (type << 8) | (1u << 12) | (3u << 13) |
		      ((notp ^ 1) << 15) | (u.limit & 0xf0000) | (usable << 20) | (seg32 << 22) |
		      (pages << 23) | (u.base_addr & 0xff000000u);
	*desc = ((uint64_t)hi << 32) | lo;
	return 0;
}

SYSCALL_DEFINE(__NR_set_thread_area, set_thread_area)
{
	CUR();
	uint64_t d;
	int32_t e;
	int r = user_desc_to_gdt(A(0), &d, &e);
	if (r)
		return r;
	if (e == -1) {
		uint32_t idx = TLS_GDT_INDEX;
		if (copy_to_user(A(0), &idx, 4))
			return -EFAULT;
	}
	irqflags_t f = irq_save();
	p->tls_desc = d;
	tls_load(d);
	irq_restore(f);
	return 0;
}

SYSCALL_DEFINE(__NR_set_tid_address, set_tid_address)
{
	CUR();
	p->clear_child_tid = A(0);
	return p->pid;
}

SYSCALL_DEFINE(311, set_robust_list) { return 0; }

SYSCALL_DEFINE(240, futex)
{
	uint32_t op = A(1) & 0x7f;
	if (op == 1)                        /* FUTEX_WAKE: nobody waits (no threads) */
		return 0;
	if (op == 0) {                      /* FUTEX_WAIT */
		uint32_t v;
		if (copy_from_user(&v, A(0), 4))
			return -EFAULT;
		return v != A(2) ? -EAGAIN : -EINTR;
	}
	return -ENOSYS;
}

/* ---- system information ---- */

SYSCALL_DEFINE(__NR_uname, uname)
{
	static char u[6][65];
	strlcpy(u[0], "Linux", 65);
	strlcpy(u[1], "amphi", 65);
	strlcpy(u[2], "6.1.0-amphi", 65);
	strlcpy(u[3], "#1 amphi " AMPHI_VERSION, 65);
	strlcpy(u[4], "i686", 65);
	strlcpy(u[5], "(none)", 65);
	return copy_to_user(A(0), u, sizeof(u));
}

#define RLIM_INF 0xFFFFFFFFFFFFFFFFull

static void rlimit_of(unsigned res, uint64_t *cur, uint64_t *max)
{
	*cur = *max = RLIM_INF;
	if (res == 3) {                     /* RLIMIT_STACK */
		*cur = USER_STACK_LIMIT;
	} else if (res == 7) {              /* RLIMIT_NOFILE */
		*cur = *max = FD_MAX;
	} else if (res == 4) {              /* RLIMIT_CORE */
		*cur = 0;
	} else if (res == 6) {              /* RLIMIT_NPROC */
		*cur = *max = 1024;
	}
}

#define RLIMIT_AS 9

/* New limits are accepted; only RLIMIT_AS (of the caller) is enforced. */
static int set_limit(struct process *q, uint32_t res, uint64_t cur)
{
	if (res == RLIMIT_AS && q && q->vm)
		q->vm->as_limit = cur == RLIM_INF ? 0 : cur;
	return 0;
}

SYSCALL_DEFINE(__NR_prlimit64, prlimit64)
{
	struct process *q = A(0) ? proc_find((int)A(0)) : proc_current();
	if (!q)
		return -ESRCH;
	if (A(1) > 15)
		return -EINVAL;
	uint64_t nv[2];
	if (A(2) && copy_from_user(nv, A(2), sizeof(nv)))
		return -EFAULT;
	if (A(3)) {
		uint64_t v[2];
		rlimit_of(A(1), &v[0], &v[1]);
		if (A(1) == RLIMIT_AS && q->vm && q->vm->as_limit)
			v[0] = q->vm->as_limit;
		if (copy_to_user(A(3), v, sizeof(v)))
			return -EFAULT;
	}
	if (A(2))
		set_limit(q, A(1), nv[0]);
	return 0;
}

static long getrlimit32(uint32_t res, uint32_t uptr)
{
	if (res > 15)
		return -EINVAL;
	uint64_t c, m;
	rlimit_of(res, &c, &m);
	uint32_t v[2] = { c > 0xFFFFFFFFull ? 0xFFFFFFFFu : (uint32_t)c,
			  m > 0xFFFFFFFFull ? 0xFFFFFFFFu : (uint32_t)m };
	return copy_to_user(uptr, v, sizeof(v));
}

SYSCALL_DEFINE(76, getrlimit) { return getrlimit32(A(0), A(1)); }
SYSCALL_DEFINE(191, ugetrlimit) { return getrlimit32(A(0), A(1)); }
SYSCALL_DEFINE(75, setrlimit)
{
	uint32_t v[2];
	if (copy_from_user(v, A(1), sizeof(v)))
		return -EFAULT;
	return set_limit(proc_current(), A(0), v[0] == 0xFFFFFFFFu ? RLIM_INF : v[0]);
}

SYSCALL_DEFINE(77, getrusage)
{
	static const uint8_t zero[72];
	return copy_to_user(A(1), zero, sizeof(zero));
}

SYSCALL_DEFINE(43, times)
{
	uint64_t t = now_ns() / 10000000ull;
	if (A(0)) {
		CUR();
		uint32_t v[4] = { (uint32_t)((now_ns() - p->start_ns) / 10000000ull), 0, 0, 0 };
		if (copy_to_user(A(0), v, sizeof(v)))
			return -EFAULT;
	}
	return (long)(uint32_t)t;
}

SYSCALL_DEFINE(116, sysinfo)
{
	/* struct sysinfo (i386): uptime, loads[3], totalram, freeram,
	 * sharedram, bufferram, totalswap, freeswap, procs (u16), totalhigh,
	 * freehigh, mem_unit; the memory counts in pages (mem_unit 4096: more
	 * than 4 GiB fits), the loads as /proc/loadavg's with 16 bits of
	 * fraction (SI_LOAD_SHIFT). */
	uint32_t v[16], load[3];
	memset(v, 0, sizeof(v));
	v[0] = (uint32_t)(now_ns() / 1000000000ull);
	loadavg_get(load);
	for (int i = 0; i < 3; i++)
		v[1 + i] = load[i] << (16 - LOAD_FSHIFT);
	v[4] = mm_summary.frames_total;
	v[5] = frames.nr_free;
	v[6] = filepages_in_use();               /* sharedram: Linux counts tmpfs pages here */
	struct sched_stats st;
	sched_get_stats(&st);
	v[10] = st.nr_threads & 0xffff;          /* procs */
	v[13] = 4096;                            /* mem_unit */
	return copy_to_user(A(0), v, 64);
}

/* ---- time ---- */

static uint64_t wall_base_ns;

uint64_t realtime_ns(void)
{
	if (!wall_base_ns) {
		uint64_t w = platform->wallclock_s ? platform->wallclock_s() : 0;
		wall_base_ns = w * 1000000000ull - now_ns() + 1;
	}
	return wall_base_ns + now_ns();
}

static int clock_read(uint32_t clk, uint64_t *ns)
{
	switch (clk) {
	case 0: case 5: *ns = realtime_ns(); return 0;                  /* REALTIME(_COARSE) */
	case 1: case 4: case 6: case 7: *ns = now_ns(); return 0;        /* MONOTONIC, RAW, COARSE, BOOTTIME */
	case 2: case 3: {                                                /* process/thread CPU time */
		struct process *p = proc_current();
		*ns = now_ns() - (p ? p->start_ns : 0);
		return 0;
	}
	default: return -EINVAL;
	}
}

SYSCALL_DEFINE(__NR_clock_gettime, clock_gettime)
{
	uint64_t ns;
	int r = clock_read(A(0), &ns);
	if (r)
		return r;
	uint32_t ts[2] = { (uint32_t)(ns / 1000000000ull), (uint32_t)(ns % 1000000000ull) };
	return copy_to_user(A(1), ts, sizeof(ts));
}

SYSCALL_DEFINE(__NR_clock_gettime64, clock_gettime64)
{
	uint64_t ns;
	int r = clock_read(A(0), &ns);
	if (r)
		return r;
	uint64_t ts[2] = { ns / 1000000000ull, ns % 1000000000ull };
	return copy_to_user(A(1), ts, sizeof(ts));
}

SYSCALL_DEFINE(266, clock_getres)
{
	uint32_t ts[2] = { 0, 1 };
	if (A(0) > 7)
		return -EINVAL;
	return A(1) ? copy_to_user(A(1), ts, sizeof(ts)) : 0;
}

SYSCALL_DEFINE(406, clock_getres_time64)
{
	uint64_t ts[2] = { 0, 1 };
	if (A(0) > 7)
		return -EINVAL;
	return A(1) ? copy_to_user(A(1), ts, sizeof(ts)) : 0;
}

SYSCALL_DEFINE(__NR_gettimeofday, gettimeofday)
{
	uint64_t ns = realtime_ns();
	uint32_t tv[2] = { (uint32_t)(ns / 1000000000ull), (uint32_t)(ns % 1000000000ull / 1000) };
	if (A(0) && copy_to_user(A(0), tv, sizeof(tv)))
		return -EFAULT;
	if (A(1)) {
		static const uint32_t tz[2];
		if (copy_to_user(A(1), tz, sizeof(tz)))
			return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE(13, time)
{
	uint32_t t = (uint32_t)(realtime_ns() / 1000000000ull);
	if (A(0) && copy_to_user(A(0), &t, 4))
		return -EFAULT;
	return (long)t;
}

static long do_sleep(uint64_t ns, int abs_clock, uint32_t rem_ptr, int rem64)
{
	CUR();
	uint64_t deadline;
	if (abs_clock >= 0) {
		uint64_t now = 0;
		clock_read((uint32_t)abs_clock, &now);
		deadline = now_ns() + (ns > now ? ns - now : 0);
	} else {
		deadline = now_ns() + ns;
	}
	if (deadline <= now_ns())
		return 0;
	long r = sleep_interruptible(p, deadline);
	if (r == -EINTR && rem_ptr) {
		uint64_t left = deadline > now_ns() ? deadline - now_ns() : 0;
		if (rem64) {
			uint64_t ts[2] = { left / 1000000000ull, left % 1000000000ull };
			copy_to_user(rem_ptr, ts, sizeof(ts));
		} else {
			uint32_t ts[2] = { (uint32_t)(left / 1000000000ull), (uint32_t)(left % 1000000000ull) };
			copy_to_user(rem_ptr, ts, sizeof(ts));
		}
	}
	return r;
}

static int ts32_ns(uint32_t u, uint64_t *ns)
{
	int32_t ts[2];
	if (copy_from_user(ts, u, sizeof(ts)))
		return -EFAULT;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
		return -EINVAL;
	*ns = (uint64_t)ts[0] * 1000000000ull + (uint64_t)ts[1];
	return 0;
}

static int ts64_ns(uint32_t u, uint64_t *ns)
{
	int64_t ts[2];
	if (copy_from_user(ts, u, sizeof(ts)))
		return -EFAULT;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
		return -EINVAL;
	*ns = (uint64_t)ts[0] * 1000000000ull + (uint64_t)ts[1];
	return 0;
}

SYSCALL_DEFINE(__NR_nanosleep, nanosleep)
{
	uint64_t ns;
	int r = ts32_ns(A(0), &ns);
	return r ? r : do_sleep(ns, -1, A(1), 0);
}

#define TIMER_ABSTIME 1
SYSCALL_DEFINE(267, clock_nanosleep)
{
	uint64_t ns;
	if (A(0) > 7)
		return -EINVAL;
	int r = ts32_ns(A(2), &ns);
	return r ? r : do_sleep(ns, (A(1) & TIMER_ABSTIME) ? (int)A(0) : -1, A(3), 0);
}

SYSCALL_DEFINE(407, clock_nanosleep_time64)
{
	uint64_t ns;
	if (A(0) > 7)
		return -EINVAL;
	int r = ts64_ns(A(2), &ns);
	return r ? r : do_sleep(ns, (A(1) & TIMER_ABSTIME) ? (int)A(0) : -1, A(3), 1);
}

SYSCALL_DEFINE(__NR_getrandom, getrandom)
{
	uint8_t buf[256];
	uint32_t len = A(1), done = 0;
	while (done < len) {
		uint32_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);
		prng_fill(buf, n);
		if (copy_to_user(A(0) + done, buf, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}

SYSCALL_DEFINE(158, sched_yield)
{
	thread_yield();
	return 0;
}

/* poll, ppoll, select: kernel/sys_poll.c */

/* ---- prctl ---- */

#define __NR_prctl 172
#define PR_SET_NAME 15
#define PR_GET_NAME 16

/* The thread name ("comm", 16 bytes with the NUL) that /proc/<pid>/stat,
 * status and ps show; other options are not provided (-EINVAL, as Linux
 * answers an option it does not know). */
SYSCALL_DEFINE(__NR_prctl, prctl)
{
	CUR();
	if (!p)
		return -EINVAL;
	char name[sizeof(p->name)];
	switch (A(0)) {
	case PR_SET_NAME: {
		/* Byte by byte: a longer name is cut at 15 bytes, as on Linux,
		 * and the bytes after the cut need not be readable. */
		memset(name, 0, sizeof(name));
		for (size_t i = 0; i + 1 < sizeof(name); i++) {
			if (copy_from_user(&name[i], A(1) + i, 1))
				return -EFAULT;
			if (!name[i])
				break;
		}
		irqflags_t f = irq_save();
		memcpy(p->name, name, sizeof(name));
		irq_restore(f);
		return 0;
	}
	case PR_GET_NAME: {
		irqflags_t f = irq_save();
		memcpy(name, p->name, sizeof(name));
		irq_restore(f);
		name[sizeof(name) - 1] = '\0';
		return copy_to_user(A(1), name, sizeof(name)) ? -EFAULT : 0;
	}
	}
	return -EINVAL;
}
