/* Host tests for fs/procfs_fmt.c: /proc names and Linux's status, stat and
 * cmdline formats from a process snapshot. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <amphi/procfs.h>
#include <amphi/errno.h>

static struct proc_info sample(void)
{
	struct proc_info pi;
	memset(&pi, 0, sizeof(pi));
	pi.pid = 7;
	pi.ppid = 1;
	pi.pgid = 7;
	pi.sid = 1;
	strcpy(pi.name, "sleep");
	pi.state = 'S';
	pi.ring = 3;
	pi.umask = 022;
	pi.start_ticks = 123;
	pi.sig_pending = 0x100000002ull;
	pi.sig_blocked = 1u << 16;
	static const char argv[] = "/bin/sleep\0" "5";
	memcpy(pi.cmdline, argv, sizeof(argv));
	pi.cmdline_len = sizeof(argv);
	return pi;
}

static void test_parse_pid(void **state)
{
	(void)state;
	assert_int_equal(procfs_parse_pid("1", 1), 1);
	assert_int_equal(procfs_parse_pid("123/x", 3), 123);
	assert_int_equal(procfs_parse_pid("", 0), -1);
	assert_int_equal(procfs_parse_pid("0", 1), -1);
	assert_int_equal(procfs_parse_pid("01", 2), -1);
	assert_int_equal(procfs_parse_pid("-1", 2), -1);
	assert_int_equal(procfs_parse_pid("1a", 2), -1);
	assert_int_equal(procfs_parse_pid("9999999999", 10), -1);
}

static void test_parse_paths(void **state)
{
	(void)state;
	struct procfs_ent e;
	assert_int_equal(procfs_parse("", 5, 1, &e), 0);
	assert_int_equal(e.kind, PROCFS_ROOT);
	assert_int_equal(procfs_parse("/self", 5, 0, &e), 0);
	assert_int_equal(e.kind, PROCFS_SELF);
	assert_int_equal(procfs_parse("/self", 5, 1, &e), 0);
	assert_true(e.kind == PROCFS_PID_DIR && e.pid == 5);
	assert_int_equal(procfs_parse("/self/status", 5, 0, &e), 0);
	assert_true(e.kind == PROCFS_STATUS && e.pid == 5);
	assert_int_equal(procfs_parse("/self/status", 0, 0, &e), -ENOENT);
	assert_int_equal(procfs_parse("/42", 5, 0, &e), 0);
	assert_true(e.kind == PROCFS_PID_DIR && e.pid == 42);
	assert_int_equal(procfs_parse("/42/stat", 5, 0, &e), 0);
	assert_true(e.kind == PROCFS_STAT && e.pid == 42);
	assert_int_equal(procfs_parse("/42/cmdline", 5, 0, &e), 0);
	assert_int_equal(e.kind, PROCFS_CMDLINE);
	assert_int_equal(procfs_parse("/42/stat/x", 5, 0, &e), -ENOTDIR);
	assert_int_equal(procfs_parse("/42/statu", 5, 0, &e), -ENOENT);
	assert_int_equal(procfs_parse("/42/environ", 5, 0, &e), -ENOENT);
	assert_int_equal(procfs_parse("/meminfo", 5, 0, &e), 0);
	assert_true(e.kind == PROCFS_MEMINFO && e.pid == 0);
	assert_int_equal(procfs_parse("/stat", 5, 0, &e), 0);
	assert_int_equal(e.kind, PROCFS_SYSSTAT);
	assert_int_equal(procfs_parse("/kmsg", 5, 0, &e), 0);
	assert_int_equal(e.kind, PROCFS_KMSG);
	assert_int_equal(procfs_parse("/meminfo/x", 5, 0, &e), -ENOTDIR);
	assert_int_equal(procfs_parse("/memin", 5, 0, &e), -ENOENT);
	assert_int_equal(procfs_parse("/42/meminfo", 5, 0, &e), -ENOENT);
	assert_int_equal(procfs_parse("/042", 5, 0, &e), -ENOENT);
}

static void test_status(void **state)
{
	(void)state;
	struct proc_info pi = sample();
	char buf[1024];
	size_t n = procfs_format(PROCFS_STATUS, &pi, buf, sizeof(buf));
	assert_int_equal(n, strlen(buf));
	assert_non_null(strstr(buf, "Name:\tsleep\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t7\n"));
	assert_non_null(strstr(buf, "\nPid:\t7\nPPid:\t1\n"));
	assert_non_null(strstr(buf, "\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n"));
	assert_non_null(strstr(buf, "\nSigPnd:\t0000000100000002\n"));
	assert_non_null(strstr(buf, "\nSigBlk:\t0000000000010000\n"));
	assert_non_null(strstr(buf, "\nKmode:\tno\nRing:\t3\n"));
	pi.kmode = 1;
	pi.ring = 0;
	pi.state = 'Z';
	strcpy(pi.name, "a\\b\nc");
	procfs_format(PROCFS_STATUS, &pi, buf, sizeof(buf));
	assert_true(!strncmp(buf, "Name:\ta\\\\b\\nc\n", 14));
	assert_non_null(strstr(buf, "\nState:\tZ (zombie)\n"));
	assert_non_null(strstr(buf, "\nKmode:\tyes\nRing:\t0\n"));
}

static void test_stat(void **state)
{
	(void)state;
	struct proc_info pi = sample();
	char buf[1024];
	procfs_format(PROCFS_STAT, &pi, buf, sizeof(buf));
	assert_true(!strncmp(buf, "7 (sleep) S 1 7 1 0 -1 ", 23));
	/* 52 fields, newline-terminated; field 22 is the start time. */
	assert_int_equal(buf[strlen(buf) - 1], '\n');
	int fields = 0;
	char *save, *tok;
	char copy[1024];
	strcpy(copy, buf);
	for (tok = strtok_r(copy, " \n", &save); tok; tok = strtok_r(0, " \n", &save)) {
		fields++;
		if (fields == 22)
			assert_string_equal(tok, "123");
		if (fields == 31)
			assert_string_equal(tok, "2");      /* signal: the low word */
	}
	assert_int_equal(fields, 52);
	/* What busybox's procps_scan reads, the same way. */
	char st;
	unsigned ppid, pgid, sid;
	int tty;
	unsigned long ut, stt, start, vsz, rss;
	long nice;
	char *cp = strrchr(buf, ')');
	assert_int_equal(sscanf(cp + 2, "%c %u %u %u %d %*s %*s %*s %*s %*s %*s %lu %lu %*s %*s %*s %ld %*s %*s %lu %lu %lu",
				&st, &ppid, &pgid, &sid, &tty, &ut, &stt, &nice, &start, &vsz, &rss), 11);
	assert_true(st == 'S' && ppid == 1 && pgid == 7 && sid == 1 && start == 123);
	/* A name with a space and a ')' still splits at the last ')'. */
	strcpy(pi.name, "a) b");
	procfs_format(PROCFS_STAT, &pi, buf, sizeof(buf));
	assert_true(!strncmp(buf, "7 (a) b) S 1 ", 13));
}

static void test_cmdline(void **state)
{
	(void)state;
	struct proc_info pi = sample();
	char buf[512];
	size_t n = procfs_format(PROCFS_CMDLINE, &pi, buf, sizeof(buf));
	assert_int_equal(n, 13);
	assert_memory_equal(buf, "/bin/sleep\0" "5\0", 13);
	pi.cmdline_len = 0;                 /* none kept: the name */
	n = procfs_format(PROCFS_CMDLINE, &pi, buf, sizeof(buf));
	assert_int_equal(n, 6);
	assert_memory_equal(buf, "sleep\0", 6);
	memset(pi.name, 'n', sizeof(pi.name));   /* not NUL-terminated: cut at 16 */
	n = procfs_format(PROCFS_CMDLINE, &pi, buf, sizeof(buf));
	assert_int_equal(n, 17);
	assert_int_equal(buf[16], '\0');
}

static void test_truncation(void **state)
{
	(void)state;
	struct proc_info pi = sample();
	char full[1024], small[16];
	size_t n = procfs_format(PROCFS_STATUS, &pi, full, sizeof(full));
	memset(small, 'Z', sizeof(small));
	/* As snprintf: the length it needs, a NUL-terminated prefix. */
	assert_int_equal(procfs_format(PROCFS_STATUS, &pi, small, sizeof(small)), n);
	assert_int_equal(small[15], '\0');
	assert_memory_equal(small, full, 15);
	n = procfs_format(PROCFS_STAT, &pi, full, sizeof(full));
	assert_int_equal(procfs_format(PROCFS_STAT, &pi, 0, 0), n);   /* only the length */
	assert_int_equal(procfs_format(PROCFS_CMDLINE, &pi, small, 4), 13);
	assert_memory_equal(small, "/bi", 4);
}

static struct procfs_sys sys_sample(void)
{
	struct procfs_sys s;
	memset(&s, 0, sizeof(s));
	s.mem_total_kb = 255124;
	s.mem_free_kb = s.mem_available_kb = 247776;
	s.slab_kb = 1234;
	s.uptime_ns = 12345678901ull;           /* 12.34 s */
	s.idle_ns = 10009999999ull;             /* 10.00 s */
	s.boot_time_s = 1700000000;
	s.load[0] = LOAD_FIXED_1 + LOAD_FIXED_1 / 2;     /* 1.50 */
	s.load[1] = LOAD_FIXED_1 / 4;                     /* 0.25 */
	s.load[2] = 0;
	s.nr_runnable = 1;
	s.nr_threads = 7;
	s.last_pid = 42;
	s.ctxt = 999;
	s.processes = 42;
	strcpy(s.vendor, "GenuineIntel");
	strcpy(s.model_name, "Test CPU");
	s.family = 6;
	s.model = 85;
	s.stepping = 4;
	s.tsc_khz = 2596123;
	s.cpuid1_edx = 1u | (1u << 6);          /* fpu pae */
	s.cpuid1_ecx = 1u << 31;                /* hypervisor */
	s.cpuid81_edx = 1u << 20;               /* nx */
	s.sysname = "Linux";
	s.release = "6.1.0-amphi";
	s.version = "#1 amphi 0.1";
	s.compiler = "gcc 12";
	s.mounts = "ramfs / ramfs rw 0 0\n";
	return s;
}

static const char *fmt_sys(enum procfs_kind k, const struct procfs_sys *s)
{
	static char out[2048];
	size_t need = procfs_format_sys(k, s, 0, 0);
	assert_true(need < sizeof(out));
	assert_int_equal(procfs_format_sys(k, s, out, sizeof(out)), need);
	assert_int_equal(strlen(out), need);
	return out;
}

static void test_sys_formats(void **state)
{
	(void)state;
	struct procfs_sys s = sys_sample();
	const char *m = fmt_sys(PROCFS_MEMINFO, &s);
	assert_non_null(strstr(m, "MemTotal:         255124 kB\nMemFree:          247776 kB\n"
				  "MemAvailable:     247776 kB\nBuffers:               0 kB\n"));
	assert_non_null(strstr(m, "Slab:               1234 kB\n"));
	assert_string_equal(fmt_sys(PROCFS_UPTIME, &s), "12.34 10.00\n");
	assert_string_equal(fmt_sys(PROCFS_LOADAVG, &s), "1.50 0.25 0.00 1/7 42\n");
	assert_string_equal(fmt_sys(PROCFS_MOUNTS, &s), "ramfs / ramfs rw 0 0\n");
	assert_string_equal(fmt_sys(PROCFS_VERSION, &s), "Linux version 6.1.0-amphi (gcc 12) #1 amphi 0.1\n");
	const char *c = fmt_sys(PROCFS_CPUINFO, &s);
	assert_non_null(strstr(c, "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\n"
				  "model name\t: Test CPU\nstepping\t: 4\ncpu MHz\t\t: 2596.123\n"));
	assert_non_null(strstr(c, "flags\t\t: fpu pae nx hypervisor\n"));
	assert_non_null(strstr(c, "bogomips\t: 5192.24\n\n"));
	/* busy = uptime - idle = 234 ticks, counted as system */
	const char *st = fmt_sys(PROCFS_SYSSTAT, &s);
	assert_non_null(strstr(st, "cpu  0 0 234 1000 0 0 0 0 0 0\ncpu0 0 0 234 1000 0 0 0 0 0 0\n"));
	assert_non_null(strstr(st, "ctxt 999\nbtime 1700000000\nprocesses 42\nprocs_running 1\n"));
	/* truncation: the length needed, a NUL-terminated prefix */
	char small[8];
	assert_int_equal(procfs_format_sys(PROCFS_UPTIME, &s, small, sizeof(small)), 12);
	assert_string_equal(small, "12.34 1");
}

static void test_calc_load(void **state)
{
	(void)state;
	/* one runnable thread for a minute (12 samples) brings the 1-minute
	 * average to 1 - 1/e (0.63), as on Linux */
	uint32_t l = 0;
	for (int i = 0; i < 12; i++)
		l = procfs_calc_load(l, LOAD_EXP_1, 1);
	assert_in_range(l, LOAD_FIXED_1 * 62 / 100, LOAD_FIXED_1 * 64 / 100);
	/* and it decays back towards 0 with nothing runnable */
	for (int i = 0; i < 120; i++)
		l = procfs_calc_load(l, LOAD_EXP_1, 0);
	assert_in_range(l, 0, 2);
	/* a steady load stays where it is */
	l = 2 * LOAD_FIXED_1;
	assert_int_equal(procfs_calc_load(l, LOAD_EXP_15, 2), 2 * LOAD_FIXED_1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_pid),
		cmocka_unit_test(test_parse_paths),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_stat),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_sys_formats),
		cmocka_unit_test(test_calc_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
