/*
 * The system-call table: every SYSCALL_DEFINE lands in the .syscalls
 * linker table (arch/x86/kernel.ld); syscall_init() turns it into an
 * array indexed by number.  Unknown numbers return -ENOSYS and are logged
 * once per number.
 */
#include <amphi/syscall.h>
#include <amphi/proc.h>
#include <amphi/printk.h>
#include <amphi/klog.h>
#include <amphi/errno.h>

extern const struct syscall_entry __syscalls_start[], __syscalls_end[];

static const struct syscall_entry *table[NR_SYSCALLS];
static uint32_t logged[(NR_SYSCALLS + 31) / 32];
static uint32_t logged_high;

void syscall_init(void)
{
	unsigned n = 0;
	for (const struct syscall_entry *e = __syscalls_start; e < __syscalls_end; e++) {
		if (e->nr >= NR_SYSCALLS) {
			printk("syscall: %s: number %u out of range, ignored\n", e->name, e->nr);
			continue;
		}
		if (table[e->nr])
			printk("syscall: %u defined twice (%s, %s); keeping %s\n", e->nr,
			       table[e->nr]->name, e->name, table[e->nr]->name);
		else
			table[e->nr] = e, n++;
	}
	printk("syscall: %u system calls\n", n);
	user_init();
}

const char *syscall_name(uint32_t nr)
{
	return nr < NR_SYSCALLS && table[nr] ? table[nr]->name : "?";
}

long syscall_dispatch(const struct syscall_args *a)
{
	if (a->nr < NR_SYSCALLS && table[a->nr])
		return table[a->nr]->fn(a);
	int first;
	if (a->nr < NR_SYSCALLS) {
		first = !(logged[a->nr / 32] & (1u << (a->nr % 32)));
		logged[a->nr / 32] |= 1u << (a->nr % 32);
	} else {
		first = !logged_high;
		logged_high = 1;
	}
	if (first) {
		struct process *p = proc_current();
		printk(KERN_INFO "syscall: unknown system call %u from pid %d (%s): ENOSYS\n", a->nr,
		       p ? p->pid : 0, p ? p->name : "kernel");
	}
	return -ENOSYS;
}
