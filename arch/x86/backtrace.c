/* Call chain of a panic (see asm/backtrace.h): "addr2line -e amphi.elf"
 * turns the printed return addresses into lines. */
#include <asm/backtrace.h>
#include <amphi/printk.h>

#define BACKTRACE_MAX 16

void backtrace_print(uint32_t ebp, uint32_t lo, uint32_t hi)
{
	printk(KERN_EMERG "  call chain (return addresses):");
	for (int n = 0; n < BACKTRACE_MAX; n++) {
		/* A frame is [ebp] = caller's ebp, [ebp+4] = return address. */
		if (ebp & 3 || ebp < lo || ebp + 8 > hi)
			break;
		const uint32_t *frame = (const uint32_t *)ebp;
		printk(" %08x", frame[1]);
		if (frame[0] <= ebp)            /* stacks grow down: callers are above */
			break;
		ebp = frame[0];
	}
	printk("\n");
}
