/* CPU identification and the feature bits the kernel acts on. */
#include <asm/cpu.h>
#include <amphi/string.h>

int cpu_has_nx, cpu_has_pge, cpu_is_amd;
char cpu_vendor[13];

void cpu_init(void)
{
	struct cpuid_regs r;
	cpuid(0, 0, &r);
	memcpy(cpu_vendor + 0, &r.ebx, 4);
	memcpy(cpu_vendor + 4, &r.edx, 4);
	memcpy(cpu_vendor + 8, &r.ecx, 4);
	cpu_vendor[12] = 0;
	cpu_is_amd = !strcmp(cpu_vendor, "AuthenticAMD") || !strcmp(cpu_vendor, "HygonGenuine");
	cpuid(1, 0, &r);
	cpu_has_pge = !!(r.edx & (1u << 13));
	cpuid(0x80000000, 0, &r);
	if (r.eax >= 0x80000001) {
		cpuid(0x80000001, 0, &r);
		cpu_has_nx = !!(r.edx & (1u << 20));
	}
}
