# /proc's system files (meminfo, mounts, uptime, loadavg, cpuinfo, version,
# stat), statfs, and the load average sampler.
obj-y += fs/procfs_sys.o fs/procfs_sys_fmt.o fs/statfs.o kernel/loadavg.o
