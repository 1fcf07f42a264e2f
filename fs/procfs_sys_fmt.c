/*
 * /proc's system files, the pure half (host-tested in
 * tests/unit/test_procfs.c): a struct procfs_sys snapshot formatted as
 * Linux formats meminfo, mounts, uptime, loadavg, cpuinfo, version and stat
 * (proc(5)), so that busybox free, df, mount, uptime and top read them
 * unchanged.  fs/procfs_sys.c gathers the values.
 */
#include <amphi/procfs.h>
#include <amphi/printk.h>
#include <amphi/string.h>
#include <stdarg.h>

const struct procfs_sys_file procfs_sys_files[] = {
	{ "cpuinfo", PROCFS_CPUINFO }, { "kmsg", PROCFS_KMSG }, { "loadavg", PROCFS_LOADAVG },
	{ "meminfo", PROCFS_MEMINFO },
	{ "mounts", PROCFS_MOUNTS }, { "net", PROCFS_NET_DIR }, { "stat", PROCFS_SYSSTAT },
	{ "uptime", PROCFS_UPTIME },
	{ "version", PROCFS_VERSION }, { 0, PROCFS_ROOT },
};

const struct procfs_sys_file procfs_net_files[] = {
	{ "dev", PROCFS_NET_DEV }, { "route", PROCFS_NET_ROUTE }, { 0, PROCFS_ROOT },
};
_Static_assert(sizeof(procfs_net_files) / sizeof(procfs_net_files[0]) == PROCFS_NET_FILES + 1,
	       "PROCFS_NET_FILES counts procfs_net_files");

uint32_t procfs_calc_load(uint32_t load, uint32_t exp, unsigned active)
{
	uint64_t a = (uint64_t)active * LOAD_FIXED_1;
	uint64_t v = (uint64_t)load * exp + a * (LOAD_FIXED_1 - exp);
	if (a >= load)
		v += LOAD_FIXED_1 - 1;          /* round up while rising, as Linux */
	return (uint32_t)(v / LOAD_FIXED_1);
}

struct out {
	char *buf;
	size_t n, len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = o->len < o->n ? o->n - o->len : 0;
	int k = vsnprintf(room ? o->buf + o->len : 0, room, fmt, ap);
	va_end(ap);
	if (k > 0)
		o->len += (size_t)k;
}

static void kb_line(struct out *o, const char *name, uint64_t kb)
{
	char label[20];
	snprintf(label, sizeof(label), "%s:", name);
	put(o, "%-16s%8llu kB\n", label, (unsigned long long)kb);
}

static void meminfo(struct out *o, const struct procfs_sys *s)
{
	kb_line(o, "MemTotal", s->mem_total_kb);
	kb_line(o, "MemFree", s->mem_free_kb);
	kb_line(o, "MemAvailable", s->mem_available_kb);
	kb_line(o, "Buffers", s->buffers_kb);
	kb_line(o, "Cached", s->cached_kb);
	kb_line(o, "SwapCached", 0);
	kb_line(o, "SwapTotal", 0);
	kb_line(o, "SwapFree", 0);
	kb_line(o, "Shmem", s->shmem_kb);
	kb_line(o, "Slab", s->slab_kb);
	kb_line(o, "SReclaimable", 0);
	kb_line(o, "SUnreclaim", s->slab_kb);
}

/* seconds.hundredths of a nanosecond count */
static void put_centi(struct out *o, uint64_t ns, const char *after)
{
	uint64_t cs = ns / 10000000ull;
	put(o, "%llu.%02llu%s", (unsigned long long)(cs / 100), (unsigned long long)(cs % 100), after);
}

static void loadavg(struct out *o, const struct procfs_sys *s)
{
	for (int i = 0; i < 3; i++) {
		uint32_t l = s->load[i] + LOAD_FIXED_1 / 200;        /* rounded to 1/100 */
		put(o, "%u.%02u ", l >> LOAD_FSHIFT, ((l & (LOAD_FIXED_1 - 1)) * 100) >> LOAD_FSHIFT);
	}
	put(o, "%u/%u %d\n", s->nr_runnable, s->nr_threads, s->last_pid);
}

/* CPUID feature bits by the names Linux gives them in "flags". */
static const char *const flags_1_edx[32] = {
	"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", 0, "sep", "mtrr", "pge",
	"mca", "cmov", "pat", "pse36", "pn", "clflush", 0, "dts", "acpi", "mmx", "fxsr", "sse", "sse2",
	"ss", "ht", "tm", "ia64", "pbe",
};
static const char *const flags_1_ecx[32] = {
	"pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2", "ssse3", "cid",
	"sdbg", "fma", "cx16", "xtpr", "pdcm", 0, "pcid", "dca", "sse4_1", "sse4_2", "x2apic", "movbe",
	"popcnt", "tsc_deadline_timer", "aes", "xsave", 0, "avx", "f16c", "rdrand", "hypervisor",
};
static const char *const flags_81_edx[32] = {
	[11] = "syscall", [20] = "nx", [22] = "mmxext", [25] = "fxsr_opt", [26] = "pdpe1gb",
	[27] = "rdtscp", [29] = "lm", [30] = "3dnowext", [31] = "3dnow",
};
static const char *const flags_81_ecx[32] = {
	[0] = "lahf_lm", [1] = "cmp_legacy", [2] = "svm", [4] = "cr8_legacy", [5] = "abm",
	[6] = "sse4a", [7] = "misalignsse", [8] = "3dnowprefetch",
};

static void put_flags(struct out *o, const char *const names[32], uint32_t bits)
{
	for (int i = 0; i < 32; i++)
		if ((bits & (1u << i)) && names[i])
			put(o, " %s", names[i]);
}

static void cpuinfo(struct out *o, const struct procfs_sys *s)
{
	put(o, "processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n"
	       "model name\t: %s\nstepping\t: %u\ncpu MHz\t\t: %u.%03u\n",
	    s->vendor, s->family, s->model, s->model_name[0] ? s->model_name : "unknown",
	    s->stepping, s->tsc_khz / 1000, s->tsc_khz % 1000);
	put(o, "physical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\n"
	       "fpu\t\t: %s\nfpu_exception\t: %s\nwp\t\t: yes\nflags\t\t:",
	    (s->cpuid1_edx & 1) ? "yes" : "no", (s->cpuid1_edx & 1) ? "yes" : "no");
	put_flags(o, flags_1_edx, s->cpuid1_edx);
	put_flags(o, flags_81_edx, s->cpuid81_edx);
	put_flags(o, flags_1_ecx, s->cpuid1_ecx);
	put_flags(o, flags_81_ecx, s->cpuid81_ecx);
	/* bogomips as Linux derives it from the TSC calibration: 2 loops per cycle */
	put(o, "\nbogomips\t: %u.%02u\n\n", s->tsc_khz / 500, (s->tsc_khz / 5) % 100);
}

/* /proc/stat.  amphi does not split busy time into user and system: all of
 * it is counted as system, the idle thread's time as idle (in USER_HZ). */
static void sysstat(struct out *o, const struct procfs_sys *s)
{
	uint64_t up = s->uptime_ns / 10000000ull, idle = s->idle_ns / 10000000ull;
	uint64_t sys = up > idle ? up - idle : 0;
	for (int cpu = -1; cpu < 1; cpu++) {
		if (cpu < 0)
			put(o, "cpu ");
		else
			put(o, "cpu%d", cpu);
		put(o, " 0 0 %llu %llu 0 0 0 0 0 0\n", (unsigned long long)sys, (unsigned long long)idle);
	}
	put(o, "intr 0\nctxt %llu\nbtime %llu\nprocesses %llu\nprocs_running %u\nprocs_blocked 0\n",
	    (unsigned long long)s->ctxt, (unsigned long long)s->boot_time_s,
	    (unsigned long long)s->processes, s->nr_runnable);
}

size_t procfs_format_sys(enum procfs_kind kind, const struct procfs_sys *s, char *buf, size_t n)
{
	struct out o = { buf, n, 0 };
	if (n)
		buf[0] = '\0';
	switch (kind) {
	case PROCFS_MEMINFO:
		meminfo(&o, s);
		break;
	case PROCFS_MOUNTS:
		put(&o, "%s", s->mounts ? s->mounts : "");
		break;
	case PROCFS_NET_DEV:
	case PROCFS_NET_ROUTE:
		put(&o, "%s", s->net_text ? s->net_text : "");
		break;
	case PROCFS_UPTIME:
		put_centi(&o, s->uptime_ns, " ");
		put_centi(&o, s->idle_ns, "\n");
		break;
	case PROCFS_LOADAVG:
		loadavg(&o, s);
		break;
	case PROCFS_CPUINFO:
		cpuinfo(&o, s);
		break;
	case PROCFS_VERSION:
		put(&o, "%s version %s (%s) %s\n", s->sysname, s->release, s->compiler, s->version);
		break;
	case PROCFS_SYSSTAT:
		sysstat(&o, s);
		break;
	default:
		break;
	}
	return o.len;
}
