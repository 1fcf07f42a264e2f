/* The saved state of an interrupted context, as trap_entry.S lays it out. */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H
#include <stdint.h>

struct trap_frame {
	uint32_t gs, fs, es, ds;
	uint32_t edi, esi, ebp, esp_at_pusha, ebx, edx, ecx, eax;
	uint32_t vector, err;
	uint32_t eip, cs, eflags;
	uint32_t user_esp, user_ss;   /* only valid when coming from user code */
};

/* From user code: ring 3, or a kernel-mode application (ring 0; ring 1
 * under Xen PV), whose
 * frames the entry code always puts at the top of the kernel stack, with
 * user_esp and user_ss (trap_entry.S). */
#include <asm/desc.h>
static inline int tf_user(const struct trap_frame *tf)
{
	/* Ring 3, or a trusted program's frame (the kernel's ring) at the top
	 * of the kernel stack. */
	return (tf->cs & 3) == 3 || (uint32_t)(tf + 1) == kernel_tss.esp0;
}

enum {
	X86_DE = 0, X86_DB = 1, X86_NMI = 2, X86_BP = 3, X86_OF = 4, X86_BR = 5,
	X86_UD = 6, X86_NM = 7, X86_DF = 8, X86_TS = 10, X86_NP = 11, X86_SS = 12,
	X86_GP = 13, X86_PF = 14, X86_MF = 16, X86_AC = 17, X86_MC = 18, X86_XM = 19,
};

typedef void (*irq_handler_t)(struct trap_frame *tf);
void trap_set_handler(unsigned vector, irq_handler_t h);
const char *trap_name(unsigned vector);
void trap_dump(const struct trap_frame *tf);
void trap_dispatch(struct trap_frame *tf);
/* arch/x86/user.c: signals for a frame about to return to ring 3. */
void user_irq_return(struct trap_frame *tf);

/*
 * Expected faults, for tests: trap_expect() arms a recovery point; when the
 * next exception arrives it is reported, recorded and execution resumes
 * where trap_expect() returned, with the return value 1.  Usage:
 *     struct trap_record r;
 *     if (trap_expect(&r) == 0) { do_the_faulting_thing(); trap_expect_cancel(); }
 *     else check r.vector ...
 */
struct jmp_buf { uint32_t ebx, esi, edi, ebp, esp, eip; };
int ksetjmp(struct jmp_buf *jb) __attribute__((returns_twice));
void klongjmp(struct jmp_buf *jb, int val) __attribute__((noreturn));

struct trap_record {
	struct jmp_buf jb;
	uint32_t vector, err, eip, cr2;
};
#define trap_expect(rec) (trap_arm(rec), ksetjmp(&(rec)->jb))
void trap_arm(struct trap_record *rec);
void trap_expect_cancel(void);
#endif
