# Kernel threads, the scheduler and wait queues.
obj-y += kernel/sched.o kernel/thread.o kernel/wait.o kernel/mutex.o arch/x86/switch.o
