/*
 * /bin/syscall-fuzz [N [SEED]]: N (default 100000) system calls with random
 * numbers (0..450) and random arguments, through int $0x80.  The point is
 * that the KERNEL survives, so:
 *  - the calls run in forked children of CHUNK calls each; when a child dies
 *    (a signal, a stuck call past the watchdog), the parent reports it and
 *    continues with the next seed;
 *  - calls that would end, replace, block or stop the fuzzer, touch its
 *    parent or other processes, or change the machine (clock, mounts,
 *    modules, reboot, host-wide limits) are never made (see excluded[]);
 *  - memory calls (munmap, mprotect, mremap, madvise, MAP_FIXED mmap, ...)
 *    never touch the fuzzer's own image, stack, vDSO or shared page;
 *  - path arguments are only names under /tmp/amphi-fuzz, a few harmless
 *    ones, or bad pointers; buffers are refilled with bytes that hold no
 *    '/' or '.' so a buffer read as a path cannot leave the sandbox;
 *  - fds 0-2 are /dev/null (or closed) in the children; RLIMIT_AS and
 *    RLIMIT_FSIZE bound what a child can allocate.
 * At the end: "syscall-fuzz: N calls, kernel still answering: getpid=P", exit 0.
 * Options: -v prints every call (number and arguments) before it is made.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_NR 450
#define CHUNK 5000
#define WATCHDOG_S 30
#define SANDBOX "/tmp/amphi-fuzz"

/* i386 numbers, spelled out: the point is the kernel's ABI, not libc's headers */
static const unsigned short excluded[] = {
	1, 252,				/* exit, exit_group */
	2, 190, 120, 435,		/* fork, vfork, clone, clone3 */
	11, 358,			/* execve, execveat */
	37, 238, 270, 178, 335,		/* kill, tkill, tgkill, rt_(tg)sigqueueinfo */
	424, 434, 438,			/* pidfd_send_signal, pidfd_open, pidfd_getfd */
	29, 72, 179, 177, 421,		/* pause, sigsuspend, rt_sigsuspend, rt_sigtimedwait(_time64) */
	162, 267, 407,			/* nanosleep, clock_nanosleep(_time64) */
	82, 142, 308, 413,		/* select, _newselect, pselect6(_time64) */
	168, 309, 414,			/* poll, ppoll(_time64) */
	256, 319, 441,			/* epoll_wait, epoll_pwait, epoll_pwait2 */
	7, 114, 284,			/* waitpid, wait4, waitid */
	119, 173,			/* sigreturn, rt_sigreturn */
	88, 283,			/* reboot, kexec_load */
	243,				/* set_thread_area */
	26,				/* ptrace */
	240, 422, 449,			/* futex, futex_time64, futex_waitv: FUTEX_WAIT blocks */
	27, 104, 260, 409,		/* alarm, setitimer, timer_settime(64): signals later */
	386, 354,			/* rseq, seccomp */
	42, 331,			/* pipe, pipe2: a read on an empty pipe blocks */
	102, 359, 360,			/* socketcall, socket, socketpair */
	323, 328, 321, 327, 322,	/* eventfd(2), signalfd(4), timerfd_create: reads block */
	291, 332, 338, 374,		/* inotify_init(1), fanotify_init, userfaultfd */
	14, 297,			/* mknod, mknodat: a FIFO blocks on open */
	117, 393, 394, 395, 396, 397,	/* ipc, semget, semctl, shmget, shmctl, shmat */
	398, 399, 400, 401, 402, 420,	/* shmdt, msgget, msgsnd, msgrcv, msgctl, semtimedop_time64 */
	277, 278, 279, 280, 281, 282,	/* mq_*: persistent queues, mq_timedreceive blocks */
	418, 419,			/* mq_timed{send,receive}_time64 */
	245, 246, 247, 248, 249, 385, 416, /* io_setup .. io_getevents, io_pgetevents(_time64) */
	425, 426, 427,			/* io_uring_* */
	21, 22, 52, 217, 61,		/* mount, umount, umount2, pivot_root, chroot */
	428, 429, 430, 431, 432, 433, 442, /* fsopen .. fspick, open_tree, mount_setattr */
	87, 115,			/* swapon, swapoff */
	74, 121,			/* sethostname, setdomainname */
	25, 79, 124, 264, 343, 404, 405, /* stime, settimeofday, adjtimex, clock_settime(64), clock_adjtime(64) */
	128, 129, 350,			/* init_module, delete_module, finit_module */
	51, 131, 443, 103,		/* acct, quotactl, quotactl_fd, syslog */
	101, 110, 111, 112,		/* ioperm, iopl, vhangup, idle */
	86, 149,			/* uselib, _sysctl */
	36, 344, 324,			/* sync, syncfs (slow, machine-wide), fallocate (fills the disk) */
	336, 357,			/* perf_event_open, bpf */
	286, 287, 288,			/* add_key, request_key, keyctl */
	310, 346,			/* unshare, setns */
	342,				/* open_by_handle_at: opens any file */
	347, 348, 294, 317, 440, 448,	/* process_vm_*, migrate_pages, move_pages, process_madvise, process_mrelease */
	154, 156, 351, 241, 97, 289,	/* sched_set{param,scheduler,attr,affinity}, setpriority, ioprio_set */
	75, 340,			/* setrlimit, prlimit64 (also of other processes) */
	150, 152, 376,			/* mlock, mlockall, mlock2: pin memory */
};

/* calls whose arguments get a sanitiser (see sanitise()) */
enum {
	NR_read = 3, NR_readv = 145, NR_pread64 = 180, NR_preadv = 333, NR_preadv2 = 378,
	NR_brk = 45, NR_mmap_old = 90, NR_munmap = 91, NR_mprotect = 125, NR_msync = 144,
	NR_mremap = 163, NR_mmap2 = 192, NR_madvise = 219, NR_remap_file_pages = 257,
	NR_mbind = 274, NR_pkey_mprotect = 380, NR_prctl = 172, NR_getpid = 20,
	NR_flock = 143, NR_fcntl = 55, NR_fcntl64 = 221,
};

static unsigned char is_excluded[MAX_NR + 1];
static int verbose;

/* ---- the random source: xorshift64*, seeded per chunk ---- */
static uint64_t rng;

static uint32_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 2685821657736338717ULL) >> 32);
}

/* ---- what the children must not touch ---- */
struct range {
	uintptr_t lo, hi; /* [lo, hi) */
};
static struct range protect[8];
static int nprotect;

extern char __executable_start[], _end[];

static void add_protect(uintptr_t lo, uintptr_t hi)
{
	if (nprotect < (int)(sizeof(protect) / sizeof(protect[0])) && hi > lo) {
		protect[nprotect].lo = lo & ~(uintptr_t)4095;
		protect[nprotect].hi = hi;
		nprotect++;
	}
}

static int overlaps(uint32_t addr, uint32_t len)
{
	uint64_t a = addr, b = (uint64_t)addr + (len ? len : 1);
	int i;

	/* the kernel rounds len up to pages; so does this */
	b = (b + 4095) & ~4095ULL;
	a &= ~4095ULL;
	for (i = 0; i < nprotect; i++)
		if (a < protect[i].hi && b > protect[i].lo)
			return 1;
	return 0;
}

/* ---- argument pools ---- */
static char scratch[3 * 4096] __attribute__((aligned(4096)));
static char *guard_str; /* unterminated string running into a PROT_NONE page */
static const char *paths[] = {
	SANDBOX, SANDBOX "/f", SANDBOX "/g", SANDBOX "/d", SANDBOX "/d/h", SANDBOX "/d/e/f",
	"f", "d", "g", "d/h", "", "/dev/null", "/nonexistent/x",
	/* 300 bytes of 'a': ENAMETOOLONG for one component */
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
};
static const uint32_t bad_ptrs[] = {
	0, 1, 4095, 4096, 0x08048000, 0x7fffffff, 0x80000000, 0xa0000000, 0xbfff0000, 0xbffffffc,
	0xc0000000, 0xc0001000, 0xc0100000, 0xd0000000, 0xf0000000, 0xfffff000, 0xfffffffc, 0xffffffff,
};
static const uint32_t lengths[] = {
	0, 1, 2, 3, 4, 7, 8, 16, 64, 255, 256, 4095, 4096, 4097, 8192, 65536, 0x100000,
	0x7fff, 0xffff, 0x10000000, 0x3fffffff, 0x7fffffff, 0x80000000, 0xfffff000, 0xfffffffe, 0xffffffff,
};

static uint32_t pick(const uint32_t *a, size_t n)
{
	return a[rnd() % n];
}
#define PICK(a) pick(a, sizeof(a) / sizeof(a[0]))

static uint32_t rand_ptr(void)
{
	uint32_t p;

	switch (rnd() % 8) {
	case 0: case 1:
		p = PICK(bad_ptrs);
		break;
	case 2: case 3: case 4:	/* the scratch buffer is fair game */
		return (uint32_t)(uintptr_t)(scratch + rnd() % (2 * 4096));
	case 5:			/* read-only strings */
		return (uint32_t)(uintptr_t)paths[rnd() % (sizeof(paths) / sizeof(paths[0]))];
	case 6:
		return (uint32_t)(uintptr_t)(guard_str ? guard_str : scratch);
	default:
		p = rnd();
		break;
	}
	/* bad and random pointers must not land in the fuzzer's own stack,
	 * image or shared page (the kernel may write there) */
	if (overlaps(p, 1))
		p = 0xc0000000u + (rnd() & 0x3fffffffu);
	if (overlaps(p, 1))
		p = 0;
	return p;
}

static uint32_t rand_int(void)
{
	switch (rnd() % 10) {
	case 0: return 0;
	case 1: return 1;
	case 2: return (uint32_t)-1;
	case 3: return rnd() % 16;
	case 4: return rnd() % 1024;
	case 5: return (uint32_t)-(int32_t)(rnd() % 4096);	/* -errno-like and negative */
	case 6: return 1u << (rnd() % 32);			/* single flag bits */
	case 7: return PICK(lengths);
	case 8: return rnd() & rnd();
	default: return rnd();
	}
}

static uint32_t rand_fd(void)
{
	switch (rnd() % 6) {
	case 0: return (uint32_t)-1;
	case 1: return (uint32_t)-100;		/* AT_FDCWD */
	case 2: return 1000 + rnd() % 100000;
	case 3: return 0x7fffffff;
	default: return 3 + rnd() % 12;		/* the fds the fuzzer itself opened */
	}
}

static uint32_t rand_arg(void)
{
	switch (rnd() % 4) {
	case 0: return rand_ptr();
	case 1: return rand_fd();
	default: return rand_int();
	}
}

/* an address for munmap/mprotect/... that is not the fuzzer's own */
static uint32_t free_addr(uint32_t len)
{
	int i;

	for (i = 0; i < 16; i++) {
		uint32_t a;

		switch (rnd() % 4) {
		case 0: a = 0xa0000000u + (rnd() & 0x1ffff000u); break;
		case 1: a = 0xc0000000u + (rnd() & 0x3ffff000u); break;
		case 2: a = PICK(bad_ptrs); break;
		default: a = rnd(); break;
		}
		if (!overlaps(a, len))
			return a;
	}
	return 0xfffff000u;
}

/* Keep the fuzzer's own memory and fds out of harm's way. */
static int sanitise(uint32_t nr, uint32_t *a)
{
	switch (nr) {
	case NR_read: case NR_readv: case NR_pread64: case NR_preadv: case NR_preadv2:
		if (a[0] == 0)
			a[0] = 3 + rnd() % 12;	/* never fd 0 */
		break;
	case NR_munmap: case NR_mprotect: case NR_pkey_mprotect: case NR_madvise: case NR_msync:
	case NR_mbind: case NR_remap_file_pages:
		if (overlaps(a[0], a[1]))
			a[0] = free_addr(a[1]);
		if (nr == NR_madvise && (a[2] == 22 || a[2] == 23))	/* MADV_POPULATE_* */
			a[2] = 0;
		break;
	case NR_mremap:
		if (overlaps(a[0], a[1]))
			a[0] = free_addr(a[1]);
		if ((a[3] & 2) && overlaps(a[4], a[2]))	/* MREMAP_FIXED: new address */
			a[4] = free_addr(a[2]);
		break;
	case NR_mmap2:
		a[3] &= ~(0x8000u | 0x2000u);		/* no MAP_POPULATE, MAP_LOCKED */
		if ((a[3] & 0x10) && overlaps(a[0], a[1]))	/* MAP_FIXED */
			a[0] = free_addr(a[1]);
		break;
	case NR_mmap_old: {
		/* old_mmap takes a pointer to its six arguments */
		uint32_t *s = (uint32_t *)(void *)(scratch + 2 * 4096 - 64);

		if (rnd() % 2) {
			a[0] = PICK(bad_ptrs);
			if (overlaps(a[0], 24))
				a[0] = 0xc0000000;
			break;
		}
		s[0] = rand_ptr(); s[1] = PICK(lengths); s[2] = rnd() % 8;
		s[3] = rand_int() & ~(0x8000u | 0x2000u); s[4] = rand_fd(); s[5] = rand_int();
		if ((s[3] & 0x10) && overlaps(s[0], s[1]))
			s[0] = free_addr(s[1]);
		a[0] = (uint32_t)(uintptr_t)s;
		break;
	}
	case NR_brk:
		/* growing is harmless, shrinking below the start must be refused;
		 * keep it away from the stack */
		if (overlaps(a[0], 1) && a[0] > (uintptr_t)_end + (64u << 20))
			a[0] = 0xc0000000u;
		break;
	case NR_flock:
		a[1] |= 4;			/* LOCK_NB: a lock held elsewhere must not block */
		break;
	case NR_fcntl: case NR_fcntl64:
		if (a[1] == 7 || a[1] == 14 || a[1] == 38)	/* F_SETLKW, F_SETLKW64, F_OFD_SETLKW */
			a[1]--;					/* the non-waiting variant */
		break;
	case NR_prctl:
		if (a[0] == 22 || a[0] == 35)	/* PR_SET_SECCOMP, PR_SET_MM */
			a[0] = 16;		/* PR_GET_NAME... harmless */
		break;
	}
	return 1;
}

/* int $0x80 with all six argument registers loaded from a[] (cdecl, so the
 * compiler's register use does not matter) */
uint32_t fuzz_sys6(uint32_t nr, const uint32_t *a);
__asm__(".text\n"
	".globl fuzz_sys6\n"
	".type fuzz_sys6, @function\n"
	"fuzz_sys6:\n\t"
	"push %ebp\n\t"
	"push %ebx\n\t"
	"push %esi\n\t"
	"push %edi\n\t"
	"mov 20(%esp), %eax\n\t"	/* nr */
	"mov 24(%esp), %ecx\n\t"	/* a */
	"mov 0(%ecx), %ebx\n\t"
	"mov 8(%ecx), %edx\n\t"
	"mov 12(%ecx), %esi\n\t"
	"mov 16(%ecx), %edi\n\t"
	"mov 20(%ecx), %ebp\n\t"
	"mov 4(%ecx), %ecx\n\t"
	"int $0x80\n\t"
	"pop %edi\n\t"
	"pop %esi\n\t"
	"pop %ebx\n\t"
	"pop %ebp\n\t"
	"ret\n\t"
	".size fuzz_sys6, .-fuzz_sys6\n");

/* Refill the buffers with bytes that are never '/' or '.' */
static void refill(void)
{
	uint32_t *w = (uint32_t *)(void *)scratch;
	size_t i;

	for (i = 0; i < 2 * 4096 / 4; i++) {
		uint32_t v = rnd();

		if (((v & 0xff) | 1) == 0x2f) v ^= 0x40;
		if ((((v >> 8) & 0xff) | 1) == 0x2f) v ^= 0x4000;
		if ((((v >> 16) & 0xff) | 1) == 0x2f) v ^= 0x400000;
		if ((((v >> 24) & 0xff) | 1) == 0x2f) v ^= 0x40000000;
		w[i] = v;
	}
	/* a few NULs, so that some strings end */
	for (i = 0; i < 32; i++)
		scratch[rnd() % (2 * 4096)] = 0;
}

static volatile uint32_t *shared; /* [0] calls done, [1] last nr, [2..7] last args */

static void run_calls(uint64_t seed, long n)
{
	struct rlimit rl;
	int fd, i;
	long k;

	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	/* fds: 0-2 on /dev/null, nothing else inherited */
	for (i = 3; i < 256; i++)
		close(i);
	fd = open("/dev/null", O_RDWR);
	for (i = 0; i < 3; i++) {
		close(i);
		if (fd >= 0 && fd != i)
			dup2(fd, i);
	}
	if (fd > 2)
		close(fd);
	/* a few fds of its own for the calls to use */
	mkdir(SANDBOX, 0755);
	mkdir(SANDBOX "/d", 0755);
	if (chdir(SANDBOX) < 0)
		_exit(100);
	open(SANDBOX "/f", O_RDWR | O_CREAT, 0644);
	open(SANDBOX, O_RDONLY | O_DIRECTORY);
	open("/dev/null", O_RDONLY);
	open(SANDBOX "/g", O_WRONLY | O_CREAT | O_APPEND, 0600);
	/* bounds on what the children can take from the machine (errors ignored:
	 * a kernel without setrlimit still gets fuzzed) */
	rl.rlim_cur = rl.rlim_max = 256u << 20;
	setrlimit(RLIMIT_AS, &rl);
	rl.rlim_cur = rl.rlim_max = 64u << 20;
	setrlimit(RLIMIT_FSIZE, &rl);
	signal(SIGXFSZ, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);

	for (k = 0; k < n; k++) {
		uint32_t a[6], nr;

		do
			nr = rnd() % (MAX_NR + 1);
		while (is_excluded[nr]);
		for (i = 0; i < 6; i++)
			a[i] = rand_arg();
		if (rnd() % 4 == 0)
			refill();
		if (!sanitise(nr, a))
			continue;
		if (shared) {
			shared[1] = nr;
			for (i = 0; i < 6; i++)
				shared[2 + i] = a[i];
		}
		if (verbose) {
			char line[128];
			int len = snprintf(line, sizeof(line), "fuzz: %u(%#x, %#x, %#x, %#x, %#x, %#x)\n", nr,
					   a[0], a[1], a[2], a[3], a[4], a[5]);

			/* fd 2 is /dev/null in here: use the saved console fd */
			if (write(1023, line, (size_t)len) < 0)
				verbose = 0;
		}
		fuzz_sys6(nr, a);
		if (shared)
			shared[0]++;
	}
}

int main(int argc, char **argv)
{
	long total = 100000, done = 0;
	uint64_t seed = 1;
	int deaths = 0, argi = 1;
	size_t i;

	if (argi < argc && strcmp(argv[argi], "-v") == 0) {
		verbose = 1;
		argi++;
	}
	if (argi < argc)
		total = strtol(argv[argi++], NULL, 0);
	if (argi < argc)
		seed = strtoull(argv[argi++], NULL, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (verbose)
		dup2(2, 1023);

	for (i = 0; i < sizeof(excluded) / sizeof(excluded[0]); i++)
		is_excluded[excluded[i]] = 1;

	/* what the children must leave alone: the image (text, data, bss and the
	 * start of the heap), the stack up to the strings above it, the vDSO */
	{
		int local;
		extern char **environ;
		uintptr_t top = (uintptr_t)&local, sp = (uintptr_t)&local;
		char **e;

		add_protect((uintptr_t)__executable_start, ((uintptr_t)_end + (1u << 20) + 4095) & ~4095u);
		for (e = environ; *e; e++)
			if ((uintptr_t)*e > top)
				top = (uintptr_t)*e + strlen(*e) + 1;
		if (argc > 0 && (uintptr_t)argv[argc - 1] > top)
			top = (uintptr_t)argv[argc - 1] + strlen(argv[argc - 1]) + 1;
		/* the stack: 8 MiB below, everything up to the page after the strings
		 * (AT_EXECFN and the end marker live there) */
		add_protect(sp > (8u << 20) ? sp - (8u << 20) : 0,
			    top >= 0xfffff000u ? 0xffffffffu : ((top + 4095) & ~4095u) + 4096);
		if (getauxval(AT_SYSINFO_EHDR)) {
			uintptr_t v = getauxval(AT_SYSINFO_EHDR);

			/* Linux puts vvar pages before the vDSO */
			add_protect(v > 0x10000 ? v - 0x10000 : 0, v + 0x4000);
		}
	}
	/* a page shared with the children, to report the call that killed one
	 * (optional: a kernel without MAP_SHARED still gets fuzzed) */
	{
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED) {
			shared = p;
			add_protect((uintptr_t)p, (uintptr_t)p + 4096);
		}
	}
	/* a string that runs into an inaccessible page */
	if (mprotect(scratch + 2 * 4096, 4096, PROT_NONE) == 0) {
		guard_str = scratch + 2 * 4096 - 8;
		memset(guard_str, 'x', 8);
	}

	printf("syscall-fuzz: %ld calls, seed %llu, %d protected ranges, %zu calls excluded\n", total,
	       (unsigned long long)seed, nprotect, sizeof(excluded) / sizeof(excluded[0]));
	for (i = 0; i < (size_t)nprotect; i++)
		printf("syscall-fuzz:   protected 0x%08lx-0x%08lx\n", (unsigned long)protect[i].lo,
		       (unsigned long)protect[i].hi);

	while (done < total) {
		long n = total - done < CHUNK ? total - done : CHUNK;
		pid_t pid;
		int st = 0, waited_ms = 0;

		if (shared)
			memset((void *)shared, 0, 32);
		fflush(stdout);
		pid = fork();
		if (pid < 0) {
			/* no fork: fuzz in this process; fds 0-2 go to /dev/null, so the
			 * last line goes through a copy of stdout */
			printf("syscall-fuzz: fork: %s; fuzzing in this process\n", strerror(errno));
			dup2(1, 1022);
			run_calls(seed, total - done);
			dprintf(1022, "syscall-fuzz: %ld calls, %d children died, kernel still answering: getpid=%d\n",
				total, deaths, (int)getpid());
			return 0;
		}
		if (pid == 0) {
			run_calls(seed, n);
			_exit(0);
		}
		/* wait, with a watchdog: a call that blocks for good is a finding too */
		for (;;) {
			pid_t r = waitpid(pid, &st, WNOHANG);
			struct timespec ts = { 0, 10 * 1000 * 1000 };

			if (r == pid)
				break;
			if (r < 0 && errno != EINTR) {
				printf("syscall-fuzz: waitpid: %s\n", strerror(errno));
				break;
			}
			if (waited_ms >= WATCHDOG_S * 1000) {
				printf("syscall-fuzz: seed %llu: child stuck for %d s", (unsigned long long)seed,
				       WATCHDOG_S);
				if (shared)
					printf(" in call %u(%#x, %#x, %#x, %#x, %#x, %#x)", shared[1], shared[2],
					       shared[3], shared[4], shared[5], shared[6], shared[7]);
				printf("; killing it\n");
				kill(pid, SIGKILL);
				waitpid(pid, &st, 0);
				break;
			}
			nanosleep(&ts, NULL);
			waited_ms += 10;
		}
		if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
			deaths++;
			if (WIFSIGNALED(st))
				printf("syscall-fuzz: seed %llu: child killed by signal %d", (unsigned long long)seed,
				       WTERMSIG(st));
			else
				printf("syscall-fuzz: seed %llu: child status 0x%x", (unsigned long long)seed, st);
			if (shared)
				printf(" after %u calls, last %u(%#x, %#x, %#x, %#x, %#x, %#x)", shared[0], shared[1],
				       shared[2], shared[3], shared[4], shared[5], shared[6], shared[7]);
			printf("; continuing with seed %llu\n", (unsigned long long)seed + 1);
		}
		/* calls made; a dead child's remaining calls are made by the next one */
		{
			long did = shared ? (long)shared[0] : n;

			done += did > 0 ? did : 1;
		}
		seed++;
	}
	printf("syscall-fuzz: %ld calls, %d children died, kernel still answering: getpid=%d\n", done,
	       deaths, (int)getpid());
	return 0;
}
