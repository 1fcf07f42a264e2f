# Benchmarks (tests/bench/README.md); included from the top Makefile.
# They print numbers and assert nothing; check-bench tests the report code.
#
#   make bench MODES=amphi-tcg,linux-tcg [N=2] [BENCH_QUICK=1]   a subset of modes
#   make bench-all [N=2] [BENCH_QUICK=1]                           every mode; rewrites README.md's table
#   make bench-xen                                                 amphi as Xen PVH and PV dom0
#   make bench-blkfront [N=2] [BENCH_QUICK=1]                      Xen blkfront: amphi PVH/PV domU vs Linux PVH domU
#   make bench-xen-net [N=2] [BENCH_QUICK=1]                       netfront: amphi PVH/PV domU vs Linux PVH domU
#   make bench-syscall [BENCH_SYSCALL_ARGS=--platform all]        the older getpid/write/clock table
#   make check-bench                                               the table and plots from a recorded results.json

BENCH_MODES ?= amphi-tcg,linux-tcg
BENCH_ARGS = $(if $(N),--rounds $(N)) $(if $(filter 1,$(BENCH_QUICK)),--quick) --out $(BUILD)/bench
BENCH_DEPS = all $(PROBES) $(INITRD)

.PHONY: bench bench-all bench-xen bench-blkfront bench-xen-net bench-syscall check-bench
bench: $(BENCH_DEPS)
	tests/bench/run --modes $(or $(MODES),$(BENCH_MODES)) $(BENCH_ARGS)
bench-all: $(BENCH_DEPS)
	tests/bench/run --modes all --readme $(BENCH_ARGS)
bench-xen: $(BENCH_DEPS)
	tests/bench/run --modes amphi-xen-pvh,amphi-xen-pv $(BENCH_ARGS)
# One boot of the Xen test host (tools/xen-host) each, the guests in interleaved rounds
bench-blkfront: all $(BUILD)/initrd.cpio
	tests/bench/blkfront $(BENCH_ARGS)
bench-xen-net: all $(BUILD)/initrd.cpio
	tests/bench/xen-net $(BENCH_ARGS)
bench-syscall: all $(INITRD)
	tests/bench/syscall $(BENCH_SYSCALL_ARGS)
check-bench:
	tests/bench/test_report
