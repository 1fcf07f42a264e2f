/*
 * /proc's system files, the kernel half: gathers what the kernel knows
 * (frame allocator, heap, clock, scheduler, CPUID, mount table) into a
 * struct procfs_sys and formats one file from it (fs/procfs_sys_fmt.c).
 * Called at open; fs/procfs.c keeps the text as the file's snapshot.
 * /proc/kmsg is the exception: a live file that consumes the kernel log as
 * syslog(2) READ does (kernel/sys_klog.c).
 *
 * Memory: MemTotal is the RAM the frame allocator was given (its free
 * frames right after boot), MemFree its free frames now.  File data lives
 * in the kernel heap today (ramfs pages), so Cached is 0, MemAvailable is
 * MemFree and the heap in use shows as Slab; when file data moves to page
 * frames, meminfo_fill is the one place to add the file-page counts.
 */
#include <amphi/procfs.h>
#include <amphi/vfs.h>
#include <amphi/frame.h>
#include <amphi/mm.h>
#include <amphi/heap.h>
#include <amphi/filepages.h>
#include <amphi/sched.h>
#include <amphi/timer.h>
#include <amphi/platform.h>
#include <amphi/string.h>
#include <amphi/errno.h>
#include <amphi/klog.h>
#include "file.h"
#include "../net/netdev.h"
#include "../net/route.h"
#include <asm/cpu.h>
#include <asm/tsc.h>

#define MOUNTS_MAX 4096

static void meminfo_fill(struct procfs_sys *s)
{
	s->mem_total_kb = (uint64_t)mm_summary.frames_total * 4;
	s->mem_free_kb = (uint64_t)frames.nr_free * 4;
	s->mem_available_kb = s->mem_free_kb;
	s->slab_kb = kheap_bytes_in_use() / 1024;
	/* File data lives in page frames (mm/filepages.c) and, with no swap,
	 * cannot be dropped: Linux shows tmpfs pages as Shmem, counted in
	 * Cached, and not as available. */
	s->shmem_kb = s->cached_kb = (uint64_t)filepages_in_use() * 4;
}

static void cpu_fill(struct procfs_sys *s)
{
	struct cpuid_regs r;
	cpuid(0, 0, &r);
	uint32_t max = r.eax;
	memcpy(s->vendor, &r.ebx, 4);
	memcpy(s->vendor + 4, &r.edx, 4);
	memcpy(s->vendor + 8, &r.ecx, 4);
	s->vendor[12] = '\0';
	if (max >= 1) {
		cpuid(1, 0, &r);
		unsigned fam = (r.eax >> 8) & 0xf, model = (r.eax >> 4) & 0xf;
		if (fam == 0xf)
			fam += (r.eax >> 20) & 0xff;
		if (fam >= 6)
			model |= ((r.eax >> 16) & 0xf) << 4;
		s->family = fam;
		s->model = model;
		s->stepping = r.eax & 0xf;
		s->cpuid1_edx = r.edx;
		s->cpuid1_ecx = r.ecx;
	}
	cpuid(0x80000000u, 0, &r);
	uint32_t ext = r.eax;
	if (ext >= 0x80000001u && ext < 0x8000ffffu) {
		cpuid(0x80000001u, 0, &r);
		s->cpuid81_edx = r.edx;
		s->cpuid81_ecx = r.ecx;
	}
	if (ext >= 0x80000004u && ext < 0x8000ffffu) {
		uint32_t *w = (uint32_t *)s->model_name;
		for (uint32_t leaf = 0; leaf < 3; leaf++) {
			cpuid(0x80000002u + leaf, 0, &r);
			w[leaf * 4] = r.eax;
			w[leaf * 4 + 1] = r.ebx;
			w[leaf * 4 + 2] = r.ecx;
			w[leaf * 4 + 3] = r.edx;
		}
		s->model_name[48] = '\0';
		char *p = s->model_name;            /* the brand string may start with spaces */
		while (*p == ' ')
			p++;
		memmove(s->model_name, p, strlen(p) + 1);
	}
	s->tsc_khz = tsc_khz();
}

int procfs_sys_text(enum procfs_kind kind, char **text, size_t *len)
{
	struct procfs_sys *s = kzalloc(sizeof(*s));
	char *extra = 0;                /* the mount table or the interface counters */
	if (!s)
		return -ENOMEM;
	meminfo_fill(s);
	struct sched_stats st;
	sched_get_stats(&st);
	s->uptime_ns = now_ns();
	s->idle_ns = st.idle_ns < s->uptime_ns ? st.idle_ns : s->uptime_ns;
	s->nr_runnable = st.nr_runnable;
	s->nr_threads = st.nr_threads;
	s->ctxt = st.switches;
	s->last_pid = proc_last_pid();
	s->processes = (uint64_t)proc_last_pid();
	uint64_t wall = platform->wallclock_s ? platform->wallclock_s() : 0;
	s->boot_time_s = wall > s->uptime_ns / 1000000000ull ? wall - s->uptime_ns / 1000000000ull : 0;
	loadavg_get(s->load);
	s->sysname = "Linux";                   /* as uname(2) says (kernel/sys_proc.c) */
	s->release = "6.1.0-amphi";
	s->version = "#1 amphi " AMPHI_VERSION;
	s->compiler = "gcc " __VERSION__;
	if (kind == PROCFS_CPUINFO)
		cpu_fill(s);
	size_t n = kind == PROCFS_MOUNTS ? MOUNTS_MAX : kind == PROCFS_NET_DEV ? netdev_proc_format(0, 0) + 1
		 : kind == PROCFS_NET_ROUTE ? route_proc_format(0, 0) + 1 : 0;
	if (n) {
		if (!(extra = kmalloc(n))) {
			kfree(s);
			return -ENOMEM;
		}
		if (kind == PROCFS_MOUNTS)
			vfs_mounts_show(extra, n);
		else if (kind == PROCFS_NET_DEV)
			netdev_proc_format(extra, n);
		else
			route_proc_format(extra, n);
		s->mounts = s->net_text = extra;       /* each file formats only its own */
	}
	size_t need = procfs_format_sys(kind, s, 0, 0);
	char *buf = kmalloc(need + 1);
	if (buf)
		procfs_format_sys(kind, s, buf, need + 1);
	kfree(extra);
	kfree(s);
	if (!buf)
		return -ENOMEM;
	*text = buf;
	*len = need;
	return 0;
}

/* ---- /proc/kmsg: the log's destructive reader, as a file ---- */

struct kmsg {
	struct procfs_ent ent;          /* first, as procfs's other files: for fstat */
};

static ssize32_t kmsg_read(struct file *f, void *buf, size_t n)
{
	if (n == 0)
		return 0;
	return (ssize32_t)klog_read_wait(buf, n, !!(f->flags & O_NONBLOCK));
}

static ssize32_t kmsg_write(struct file *f, const void *buf, size_t n)
{
	(void)f; (void)buf; (void)n;
	return -EACCES;                 /* not reached: opens for writing fail */
}

static int kmsg_poll(struct file *f, int events)
{
	(void)f;
	return klog_readable() ? (events & POLLIN) : 0;
}

static int kmsg_stat(struct file *f, struct kstat64 *st)
{
	return procfs_stat((const struct procfs_ent *)f->priv, st);
}

static void kmsg_release(struct file *f)
{
	kfree(f->priv);
}

static const struct file_ops kmsg_ops = {
	.read = kmsg_read, .write = kmsg_write, .poll = kmsg_poll,
	.release = kmsg_release, .stat = kmsg_stat,
};

int procfs_kmsg_open(struct file *f, const struct procfs_ent *e)
{
	struct kmsg *k = kmalloc(sizeof(*k));
	if (!k)
		return -ENOMEM;
	k->ent = *e;
	f->priv = k;
	f->ops = &kmsg_ops;
	return 0;
}
