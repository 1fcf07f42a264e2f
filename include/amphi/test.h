/*
 * Built-in kernel tests, run with amphi.test=NAME[,NAME...] (or "all").  A
 * run ends with exactly one line
 *     Test result: SUCCESS | SKIP <why> | FAILURE <what> | ERROR <what>
 * and the status written to QEMU's isa-debug-exit (0, 1, 2, 3), so that the
 * host harness reads both the transcript and QEMU's exit code (2*status+1).
 */
#ifndef AMPHI_TEST_H
#define AMPHI_TEST_H
#include <amphi/printk.h>

enum test_status { TEST_SUCCESS = 0, TEST_SKIP = 1, TEST_FAILURE = 2, TEST_ERROR = 3 };

struct kernel_test {
	const char *name;
	const char *desc;
	enum test_status (*fn)(void);
	int negative;   /* expected to end the run in ERROR: never part of "all" */
};

#define DEFINE_TEST_(ident, tname, tdesc, neg)                                    \
	static enum test_status ident(void);                                        \
	static const struct kernel_test __kt_##ident                                 \
		__attribute__((section(".kernel_tests"), used, aligned(4))) =        \
		{ tname, tdesc, ident, neg };                                        \
	static enum test_status ident(void)
#define DEFINE_TEST(ident, tname, tdesc) DEFINE_TEST_(ident, tname, tdesc, 0)
/* A test whose correct outcome is a dump and an ERROR result, to show that
 * the failure path reports what it should; run by name only. */
#define DEFINE_NEGATIVE_TEST(ident, tname, tdesc) DEFINE_TEST_(ident, tname, tdesc, 1)

/* Records why a test failed or skipped (first call wins) and returns status. */
enum test_status test_report(enum test_status st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define CHECK(cond, ...) do {                                                     \
	if (!(cond))                                                                \
		return test_report(TEST_FAILURE, __VA_ARGS__);                      \
} while (0)

/* Runs the tests named in the list; never returns. */
void test_run(const char *list) __attribute__((noreturn));
/* Ends the run: result line, exit status, power off. */
void test_finish(enum test_status st, const char *reason) __attribute__((noreturn));
extern int test_running;
#endif
