/*
 * /proc (fs/procfs.c, fs/procfs_fmt.c): a read-only view of the processes,
 * synthesised from the process list, not stored in ramfs.
 *
 * The process core (kernel/proc.c) fills a struct proc_info snapshot under
 * its lock; procfs formats it (fs/procfs_fmt.c, pure, host-tested in
 * tests/unit/test_procfs.c) into Linux's text formats at open.
 */
#ifndef AMPHI_PROCFS_H
#define AMPHI_PROCFS_H
#include <stddef.h>
#include <stdint.h>

#define PROC_CMDLINE_MAX 256        /* bytes of argv kept per process */

struct proc_info {
	int pid, ppid, pgid, sid;
	char name[16];                  /* NUL-terminated */
	char state;                     /* 'R' running or runnable, 'S' sleeping, 'Z' zombie */
	int kmode;                      /* a trusted program (kmode/README) */
	int ring;                       /* the ring its code runs in: 0, 1 (Xen PV) or 3 */
	uint32_t umask;
	uint64_t start_ticks;           /* start time since boot, in 1/100 s (AT_CLKTCK) */
	uint64_t sig_pending, sig_blocked;
	uint32_t cmdline_len;           /* argv, NUL-separated (0: none kept) */
	char cmdline[PROC_CMDLINE_MAX];
};

/* kernel/proc.c: a consistent snapshot of process pid (zombies included):
 * 0 or -ENOENT. */
int proc_info_get(int pid, struct proc_info *out);
/* The smallest pid >= min among existing processes, or -1. */
int proc_next_pid(int min);
/* The pid given last (pids are not reused: also the number of processes
 * made since boot). */
int proc_last_pid(void);
/* The calling process's pid, 0 in a kernel thread. */
int proc_current_pid(void);

/* ---- fs/procfs_fmt.c (pure) ---- */

/* What a path under /proc names (rest: the path after "/proc", normalized
 * as path_normalize leaves it: "" or "/a/b"). */
enum procfs_kind {
	PROCFS_ROOT,                    /* /proc */
	PROCFS_SELF,                    /* /proc/self (a symlink to the caller's pid) */
	PROCFS_PID_DIR,                 /* /proc/<pid> */
	PROCFS_STATUS,                  /* /proc/<pid>/status */
	PROCFS_STAT,                    /* /proc/<pid>/stat */
	PROCFS_CMDLINE,                 /* /proc/<pid>/cmdline */
	/* files about the whole system (fs/procfs_sys.c), in /proc itself */
	PROCFS_MEMINFO, PROCFS_MOUNTS, PROCFS_UPTIME, PROCFS_LOADAVG,
	PROCFS_CPUINFO, PROCFS_VERSION, PROCFS_SYSSTAT,         /* /proc/stat */
	PROCFS_NET_DIR,                 /* /proc/net */
	PROCFS_KMSG,                    /* the kernel log, read as syslog READ does */
	/* below /proc/net (not listed in /proc itself) */
	PROCFS_NET_DEV,                 /* /proc/net/dev: the interfaces' counters (net/netdev.c) */
	PROCFS_NET_ROUTE,               /* /proc/net/route: the IPv4 routes (net/route.c) */
};
struct procfs_ent {
	enum procfs_kind kind;
	int pid;                        /* 0 for ROOT and SELF */
};
/* Parses rest; self_pid replaces "self" when it is followed by more
 * components, or when follow is set.  0 or -ENOENT (no such name: a pid
 * that does not exist is only found out by the caller) or -ENOTDIR. */
int procfs_parse(const char *rest, int self_pid, int follow, struct procfs_ent *out);
/* "123" -> 123; anything else (empty, sign, leading zero, overflow) -> -1. */
int procfs_parse_pid(const char *s, size_t len);
/* The file names of a pid directory, in readdir order (NULL-terminated). */
extern const char *const procfs_pid_files[];
/* Formats a file into buf (at most n bytes, NUL-terminated when n > 0);
 * returns the length it needs (as snprintf, without the NUL). */
size_t procfs_format(enum procfs_kind kind, const struct proc_info *pi, char *buf, size_t n);

/* ---- the system files (fs/procfs_sys_fmt.c, pure) ---- */

/* /proc's system files in readdir order, each with its kind (NULL-ended). */
struct procfs_sys_file {
	const char *name;
	enum procfs_kind kind;
};
extern const struct procfs_sys_file procfs_sys_files[];
/* The PROCFS_NET_FILES files of /proc/net, the same way. */
#define PROCFS_NET_FILES 2
extern const struct procfs_sys_file procfs_net_files[];

/* What the kernel knows about itself, gathered at open (fs/procfs_sys.c). */
struct procfs_sys {
	/* memory, in KiB */
	uint64_t mem_total_kb, mem_free_kb, mem_available_kb;
	uint64_t buffers_kb, cached_kb, shmem_kb, slab_kb;
	/* time and load */
	uint64_t uptime_ns, idle_ns;
	uint64_t boot_time_s;           /* wall clock at boot (/proc/stat btime) */
	uint32_t load[3];               /* 1, 5, 15 minute averages, fixed point (LOAD_FIXED_1) */
	unsigned nr_runnable, nr_threads;
	int last_pid;
	uint64_t ctxt, processes;       /* context switches, forks since boot */
	/* the CPU */
	char vendor[13], model_name[49];
	unsigned family, model, stepping;
	unsigned tsc_khz;
	uint32_t cpuid1_edx, cpuid1_ecx, cpuid81_edx, cpuid81_ecx;
	/* the kernel */
	const char *sysname, *release, *version, *compiler;
	const char *mounts;             /* vfs_mounts_show's text */
	const char *net_text;           /* /proc/net/dev or route: net/'s text */
};
/* fs/procfs_sys.c: a system file's text, kmalloc'd (the caller frees it);
 * 0 or -ENOMEM. */
int procfs_sys_text(enum procfs_kind kind, char **text, size_t *len);
/* fs/procfs_sys.c: opens /proc/kmsg (struct file: fs/file.h). */
struct file;
int procfs_kmsg_open(struct file *f, const struct procfs_ent *e);
/* kernel/loadavg.c: the three load averages (LOAD_FIXED_1 fixed point);
 * sampling starts with PID 1 (loadavg_start). */
void loadavg_get(uint32_t load[3]);
void loadavg_start(void);
/* Formats a system file (PROCFS_MEMINFO..PROCFS_SYSSTAT), as procfs_format. */
size_t procfs_format_sys(enum procfs_kind kind, const struct procfs_sys *s, char *buf, size_t n);

/* Load averages as Linux computes them (kernel/sched/loadavg.c): fixed
 * point with 11 bits of fraction, updated every 5 s from the number of
 * runnable threads. */
#define LOAD_FSHIFT 11
#define LOAD_FIXED_1 (1u << LOAD_FSHIFT)
#define LOAD_EXP_1 1884u                /* 1/exp(5s/1min) */
#define LOAD_EXP_5 2014u
#define LOAD_EXP_15 2037u
uint32_t procfs_calc_load(uint32_t load, uint32_t exp, unsigned active);
#endif
