/*
 * Processes (kernel/proc*.c): one thread, one address space, one descriptor
 * table each.  This header holds what other subsystems may use; the
 * process core owns the rest of the structure.
 */
#ifndef AMPHI_PROC_H
#define AMPHI_PROC_H
#include <stdint.h>
#include <amphi/vfs.h>

#define PATH_MAX_AMPHI 256

struct process;
/* The calling process, or NULL in a kernel thread. */
struct process *proc_current(void);
/* Its descriptor table and working directory (for fs/ system calls). */
struct fdtable *proc_fds(struct process *p);
const char *proc_cwd(struct process *p);
int proc_set_cwd(struct process *p, const char *abs_path);
#endif
