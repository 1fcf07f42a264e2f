/* KVM hypercalls through vmcall (Intel) or vmmcall (AMD). */
#include <hypercall/kvm.h>
#include <asm/cpu.h>

long kvm_hypercall4(unsigned nr, unsigned long a0, unsigned long a1, unsigned long a2,
		    unsigned long a3)
{
	long ret;
	if (cpu_is_amd)
		__asm__ volatile("vmmcall" : "=a"(ret)
				 : "a"(nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3) : "memory");
	else
		__asm__ volatile("vmcall" : "=a"(ret)
				 : "a"(nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3) : "memory");
	return ret;
}

const char *kvm_hypercall_insn(void)
{
	return cpu_is_amd ? "vmmcall" : "vmcall";
}
