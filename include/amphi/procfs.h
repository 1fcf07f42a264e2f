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
#endif
