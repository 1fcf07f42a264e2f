/* KVM hypercalls: vmcall on Intel, vmmcall on AMD (chosen by CPU vendor),
 * number in %eax, arguments in %ebx, %ecx, %edx, %esi. */
#ifndef HYPERCALL_KVM_H
#define HYPERCALL_KVM_H
#define KVM_ENOSYS 1000     /* what KVM returns (negated) for an unknown call */
long kvm_hypercall4(unsigned nr, unsigned long a0, unsigned long a1, unsigned long a2,
		    unsigned long a3);
const char *kvm_hypercall_insn(void);
#endif
