/*
 * The ELF loader: static i386 executables (ET_EXEC) and static-PIE
 * (ET_DYN without PT_INTERP).  Every header field is checked before
 * anything is mapped; a refusal names its reason (exec_last_error, and one
 * line on the console) and returns -ENOEXEC (format), -EACCES (not a
 * regular file), -ENOMEM or -E2BIG.  The new image goes into a fresh
 * address space, which replaces the process's only when all went well.
 *
 * Initial stack, as Linux builds it (top down): the argument and
 * environment strings, 16 random bytes (AT_RANDOM), the platform string,
 * then 16-byte aligned: argc, argv[], NULL, envp[], NULL, auxv pairs,
 * AT_NULL.
 */
#include <amphi/random.h>
#include <amphi/proc.h>
#include <amphi/vm.h>
#include <amphi/layout.h>
#include <amphi/vfs.h>
#include <amphi/heap.h>
#include <amphi/string.h>
#include <amphi/printk.h>
#include <amphi/errno.h>
#include <amphi/kmode.h>
#include <asm/desc.h>
#include <asm/cpu.h>


#define EXEC_ARGS_MAX (128u << 10)

char exec_last_error[128];

struct elf32_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf32_phdr {
	uint32_t p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
};

#define PT_LOAD 1
#define PT_INTERP 3
#define PT_NOTE 4
#define PT_PHDR 6
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define MAX_PHNUM 64

enum { AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7,
       AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14,
       AT_PLATFORM = 15, AT_HWCAP = 16, AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25,
       AT_EXECFN = 31, AT_SYSINFO = 32 };

int exec_args_init(struct exec_args *ea)
{
	memset(ea, 0, sizeof(*ea));
	ea->buf = kmalloc(EXEC_ARGS_MAX);
	if (!ea->buf)
		return -ENOMEM;
	ea->cap = EXEC_ARGS_MAX;
	return 0;
}

/* Arguments first, then the environment. */
int exec_args_add(struct exec_args *ea, const char *s, int is_env)
{
	size_t n = strlen(s) + 1;
	if (ea->used + n > ea->cap || (!is_env && ea->envc))
		return -E2BIG;
	memcpy(ea->buf + ea->used, s, n);
	ea->used += n;
	if (is_env)
		ea->envc++;
	else
		ea->argc++;
	return 0;
}

void exec_args_free(struct exec_args *ea)
{
	kfree(ea->buf);
	ea->buf = 0;
}

static int refuse(const char *path, int err, const char *why)
{
	snprintf(exec_last_error, sizeof(exec_last_error), "%s", why);
	printk("exec: %s: refused: %s\n", path, why);
	return err;
}

static uint32_t prot_of(uint32_t pf)
{
	return ((pf & PF_R) ? VM_READ : 0) | ((pf & PF_W) ? VM_WRITE : 0) | ((pf & PF_X) ? VM_EXEC : 0);
}

/* Random bytes for AT_RANDOM (sys_proc.c's generator). */

static int build_stack(struct vm_space *vm, struct exec_args *ea, uint32_t base,
		       const struct elf32_ehdr *eh, uint32_t phdr_va, uint32_t *spp, int kmode)
{
	int r = vm_map(vm, USER_STACK_TOP - USER_STACK_INIT, USER_STACK_INIT, VM_READ | VM_WRITE,
		       VM_GROWSDOWN);
	if (r)
		return r;
	uint32_t sp = USER_STACK_TOP;
	sp -= ea->used;
	uint32_t strings = sp;
	sp -= 16;
	uint32_t rnd = sp;
	sp -= 8;
	uint32_t plat = sp;
	sp &= ~15u;
	uint32_t nwords = 1 + ea->argc + 1 + ea->envc + 1 + 2 * 19;
	sp -= nwords * 4;
	sp &= ~15u;
	uint32_t size = USER_STACK_TOP - sp;
	if (size > USER_STACK_INIT - PAGE_SIZE)
		return -E2BIG;

	uint8_t *img = kzalloc(size);
	if (!img)
		return -ENOMEM;
#define AT(va) (img + ((va) - sp))
	memcpy(AT(strings), ea->buf, ea->used);
	uint8_t rb[16];
	prng_fill(rb, sizeof(rb));
	memcpy(AT(rnd), rb, 16);
	memcpy(AT(plat), "i686", 5);
	uint32_t *w = (uint32_t *)AT(sp);
	*w++ = (uint32_t)ea->argc;
	uint32_t s = strings;
	for (int i = 0; i < ea->argc; i++) {
		*w++ = s;
		s += strlen((char *)AT(s)) + 1;
	}
	*w++ = 0;                                    /* end of argv */
	for (int i = 0; i < ea->envc; i++) {
		*w++ = s;
		s += strlen((char *)AT(s)) + 1;
	}
	*w++ = 0;                                    /* end of envp */
	struct cpuid_regs cr;
	cpuid(1, 0, &cr);
	uint32_t aux[][2] = {
		{ AT_SYSINFO, kmode ? kmode_sysinfo() : vsyscall_pfn != PFN_NONE ? VSYSCALL_ADDR : 0 },
		{ AT_HWCAP, cr.edx },
		{ AT_PAGESZ, PAGE_SIZE },
		{ AT_CLKTCK, 100 },
		{ AT_PHDR, phdr_va },
		{ AT_PHENT, sizeof(struct elf32_phdr) },
		{ AT_PHNUM, eh->e_phnum },
		{ AT_BASE, 0 },
		{ AT_FLAGS, 0 },
		{ AT_ENTRY, eh->e_entry + base },
		{ AT_UID, 0 }, { AT_EUID, 0 }, { AT_GID, 0 }, { AT_EGID, 0 },
		{ AT_SECURE, 0 },
		{ AT_RANDOM, rnd },
		{ AT_PLATFORM, plat },
		{ AT_EXECFN, strings },
		{ AT_NULL, 0 },
	};
	for (unsigned i = 0; i < sizeof(aux) / sizeof(aux[0]); i++) {
		if (aux[i][0] == AT_SYSINFO && !aux[i][1])
			continue;
		*w++ = aux[i][0];
		*w++ = aux[i][1];
	}
#undef AT
	r = vm_write(vm, sp, img, size);
	kfree(img);
	*spp = sp;
	return r;
}

/* Copies the file bytes of segment q that land in [from, to) of vm (the
 * pages are allocated first, all at once: under Xen PV their entries then
 * go to Xen in a few batches, not one call each). */
static int copy_range(struct vm_space *vm, struct file *f, const struct elf32_phdr *q, uint32_t base,
		      uint32_t from, uint32_t to, uint8_t *chunk, const char *path)
{
	if (from >= to)
		return 0;
	int r = vm_populate(vm, from, to - from);
	for (uint32_t va = from; va < to && !r;) {
		uint32_t n = PAGE_SIZE - (va & (PAGE_SIZE - 1));
		if (n > to - va)
			n = to - va;
		uint64_t off = (uint64_t)q->p_offset + (va - (q->p_vaddr + base));
		if (vfs_pread(f, chunk, n, off) != (ssize32_t)n)
			return refuse(path, -EIO, "read error");
		r = vm_write(vm, va, chunk, n);
		va += n;
	}
	return r;
}

/*
 * Whole pages [from, to) of a read-only segment map the file's own frames
 * where the file lives in memory (the initrd's ramfs): no copy, and the
 * same physical pages on every exec, so QEMU's translated code for them
 * stays valid (a fresh copy made TCG translate all of /bin/sh again on
 * every fork+exec).  A write to the file, a truncate or an unlink later
 * leaves the program its pages (mm/filepages.c).  Pages the file cannot
 * lend (holes, ext2) are copied.
 */
#define SHARE_BATCH 64
static int share_range(struct vm_space *vm, struct file *f, const struct elf32_phdr *q, uint32_t base,
		       uint32_t from, uint32_t to, uint8_t *chunk, const char *path)
{
	pfn_t pfns[SHARE_BATCH];
	for (uint32_t va = from; va < to;) {
		uint32_t n = (to - va) / PAGE_SIZE;
		if (n > SHARE_BATCH)
			n = SHARE_BATCH;
		uint32_t first = (uint32_t)(((uint64_t)q->p_offset + (va - (q->p_vaddr + base))) / PAGE_SIZE);
		vfs_share_frames(f, first, n, pfns);
		int r = vm_map_frames(vm, va, pfns, n);
		for (uint32_t k = 0; k < n && !r; k++)
			if (pfns[k] == PFN_NONE)
				r = copy_range(vm, f, q, base, va + k * PAGE_SIZE, va + (k + 1) * PAGE_SIZE,
					       chunk, path);
		if (r)
			return r;
		va += n * PAGE_SIZE;
	}
	return 0;
}

int exec_load(struct process *p, const char *path, struct exec_args *ea, struct trap_frame *tf)
{
	int err = 0;
	exec_last_error[0] = 0;
	struct file *f = vfs_open(p->cwd, path, O_RDONLY, 0, &err);
	if (!f)
		return err ? err : -ENOENT;

	struct elf32_phdr *ph = 0;
	struct vm_space *vm = 0;
	uint8_t *chunk = 0;
	struct kstat64 st;
	struct elf32_ehdr eh;
	int r = file_stat(f, &st);
	if (r)
		goto out;
	if ((st.st_mode & S_IFMT) != S_IFREG) {
		r = refuse(path, -EACCES, "not a regular file");
		goto out;
	}
	uint64_t fsize = (uint64_t)st.st_size;
	if (fsize < sizeof(eh) || vfs_pread(f, &eh, sizeof(eh), 0) != (ssize32_t)sizeof(eh)) {
		r = refuse(path, -ENOEXEC, "file shorter than an ELF header");
		goto out;
	}
	if (memcmp(eh.e_ident, "\x7f" "ELF", 4)) {
		r = refuse(path, -ENOEXEC, "bad ELF magic");
		goto out;
	}
	if (eh.e_ident[4] != 1) {
		r = refuse(path, -ENOEXEC, "not a 32-bit ELF (EI_CLASS)");
		goto out;
	}
	if (eh.e_ident[5] != 1) {
		r = refuse(path, -ENOEXEC, "not little-endian (EI_DATA)");
		goto out;
	}
	if (eh.e_ident[6] != 1 || eh.e_version != 1) {
		r = refuse(path, -ENOEXEC, "bad ELF version");
		goto out;
	}
	if (eh.e_machine != 3) {
		r = refuse(path, -ENOEXEC, "not an i386 program (e_machine)");
		goto out;
	}
	if (eh.e_type != 2 && eh.e_type != 3) {
		r = refuse(path, -ENOEXEC, "not an executable (e_type neither ET_EXEC nor ET_DYN)");
		goto out;
	}
	if (eh.e_ehsize < sizeof(eh)) {
		r = refuse(path, -ENOEXEC, "e_ehsize too small");
		goto out;
	}
	if (eh.e_phentsize != sizeof(struct elf32_phdr)) {
		r = refuse(path, -ENOEXEC, "bad e_phentsize");
		goto out;
	}
	if (eh.e_phnum == 0 || eh.e_phnum > MAX_PHNUM) {
		r = refuse(path, -ENOEXEC, "e_phnum out of bounds (1..64)");
		goto out;
	}
	uint64_t phsize = (uint64_t)eh.e_phnum * sizeof(struct elf32_phdr);
	if ((uint64_t)eh.e_phoff + phsize > fsize) {
		r = refuse(path, -ENOEXEC, "program headers outside the file");
		goto out;
	}
	ph = kmalloc(phsize);
	r = -ENOMEM;
	if (!ph)
		goto out;
	if (vfs_pread(f, ph, phsize, eh.e_phoff) != (ssize32_t)phsize) {
		r = refuse(path, -ENOEXEC, "cannot read the program headers");
		goto out;
	}

	/* Segments: bounds, order, overlap. */
	uint32_t lo = 0xFFFFFFFFu, hi = 0, nload = 0, phdr_vaddr = 0, prev_end = 0;
	/* Trust (kmode/trust.c): a path under /trusted/, or the amphi note. */
	int have_phdr = 0, trusted = kmode_trusted_path(p->cwd, path), noted = 0;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		struct elf32_phdr *q = &ph[i];
		if (q->p_type == PT_NOTE && !trusted && !noted &&
		    (uint64_t)q->p_offset + q->p_filesz <= fsize)
			noted = kmode_note_in(f, q->p_offset, q->p_filesz);
		if (q->p_type == PT_INTERP) {
			r = refuse(path, -ENOEXEC, "dynamically linked (PT_INTERP): only static programs run");
			goto out;
		}
		if (q->p_type == PT_PHDR) {
			phdr_vaddr = q->p_vaddr;
			have_phdr = 1;
		}
		if (q->p_type != PT_LOAD)
			continue;
		if (q->p_filesz > q->p_memsz) {
			r = refuse(path, -ENOEXEC, "segment with p_filesz > p_memsz");
			goto out;
		}
		if ((uint64_t)q->p_offset + q->p_filesz > fsize) {
			r = refuse(path, -ENOEXEC, "segment extends past the end of the file");
			goto out;
		}
		if (q->p_memsz == 0)
			continue;
		if ((uint64_t)q->p_vaddr + q->p_memsz > 0xFFFFFFFFull) {
			r = refuse(path, -ENOEXEC, "segment address wraps around");
			goto out;
		}
		if ((q->p_vaddr & (PAGE_SIZE - 1)) != (q->p_offset & (PAGE_SIZE - 1))) {
			r = refuse(path, -ENOEXEC, "segment offset and address not congruent modulo the page size");
			goto out;
		}
		if (nload && q->p_vaddr < prev_end) {
			r = refuse(path, -ENOEXEC, "segments overlap or are not in address order");
			goto out;
		}
		prev_end = q->p_vaddr + q->p_memsz;
		if (q->p_vaddr < lo)
			lo = q->p_vaddr;
		if (prev_end > hi)
			hi = prev_end;
		nload++;
	}
	if (!nload) {
		r = refuse(path, -ENOEXEC, "no loadable segment");
		goto out;
	}
	uint32_t base = 0;
	if (eh.e_type == 3)
		base = PIE_BASE - (lo & PAGE_MASK);
	uint32_t limit = USER_STACK_TOP - USER_STACK_LIMIT - PAGE_SIZE;
	if (eh.e_type == 2 && (lo & PAGE_MASK) < PAGE_SIZE) {
		r = refuse(path, -ENOEXEC, "segment maps page 0");
		goto out;
	}
	if ((uint64_t)hi + base > USER_TOP) {
		r = refuse(path, -ENOEXEC, "segment at or above 0xC0000000 (the kernel's half)");
		goto out;
	}
	if ((uint64_t)hi + base > limit) {
		r = refuse(path, -ENOEXEC, "segment in the stack area");
		goto out;
	}
	/* The entry point must be in an executable segment. */
	int entry_ok = 0;
	for (unsigned i = 0; i < eh.e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) && eh.e_entry >= ph[i].p_vaddr &&
		    eh.e_entry < ph[i].p_vaddr + ph[i].p_memsz)
			entry_ok = 1;
	if (!entry_ok) {
		r = refuse(path, -ENOEXEC, "entry point outside the executable segments");
		goto out;
	}
	if (!have_phdr) {
		for (unsigned i = 0; i < eh.e_phnum; i++)
			if (ph[i].p_type == PT_LOAD && eh.e_phoff >= ph[i].p_offset &&
			    eh.e_phoff + phsize <= (uint64_t)ph[i].p_offset + ph[i].p_filesz)
				phdr_vaddr = ph[i].p_vaddr + (eh.e_phoff - ph[i].p_offset);
	}

	/* Map. */
	r = -ENOMEM;
	vm = vm_new();
	chunk = kmalloc(PAGE_SIZE);
	if (!vm || !chunk)
		goto out;
	if (p->vm)
		vm->as_limit = p->vm->as_limit;     /* limits survive exec */
	uint32_t prev_pe = 0, prev_prot = 0;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		struct elf32_phdr *q = &ph[i];
		if (q->p_type != PT_LOAD || !q->p_memsz)
			continue;
		uint32_t ps = (q->p_vaddr + base) & PAGE_MASK;
		uint32_t pe = (q->p_vaddr + base + q->p_memsz + PAGE_SIZE - 1) & PAGE_MASK;
		uint32_t prot = prot_of(q->p_flags);
		uint32_t start = ps < prev_pe ? prev_pe : ps;
		if (pe > start && (r = vm_map(vm, start, pe - start, prot, 0)) != 0)
			goto out;
		if (ps < prev_pe && (r = vm_protect(vm, ps, PAGE_SIZE, prot | prev_prot)) != 0)
			goto out;         /* a page shared with the previous segment */
		prev_pe = pe;
		prev_prot = prot;
	}
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		struct elf32_phdr *q = &ph[i];
		if (q->p_type != PT_LOAD || !q->p_filesz)
			continue;
		uint32_t va = q->p_vaddr + base, end = va + q->p_filesz;
		uint32_t s_lo = (va + PAGE_SIZE - 1) & PAGE_MASK, s_hi = end & PAGE_MASK;
		if ((q->p_flags & PF_W) || s_hi <= s_lo)
			s_lo = s_hi = end;           /* nothing to share */
		if ((r = copy_range(vm, f, q, base, va, s_lo, chunk, path)) != 0 ||
		    (r = share_range(vm, f, q, base, s_lo, s_hi, chunk, path)) != 0 ||
		    (r = copy_range(vm, f, q, base, s_hi, end, chunk, path)) != 0)
			goto out;
	}
	vm->brk_start = vm->brk = base + hi;
	uint32_t sp;
	int kmode = kmode_wanted(trusted, noted);
	if ((r = build_stack(vm, ea, base, &eh, phdr_vaddr + base, &sp, kmode)) != 0)
		goto out;
	if (kmode && (r = kmode_exec_prepare(vm)) != 0) {
		r = refuse(path, r, "cannot pin a ring-1 program's stack: out of memory, or a segment "
			   "where its guard goes, at 0x7ff00000 and above (kmode/README)");
		goto out;
	}

	/* Commit. */
	struct vm_space *old = p->vm;
	irqflags_t fl = irq_save();
	p->vm = vm;
	if (p == proc_current())
		vm_activate(vm);
	irq_restore(fl);
	vm = 0;
	if (old)
		vm_free(old);
	p->kmode = kmode;
	user_frame_init(tf, eh.e_entry + base, sp, kmode);
	const char *b = path;
	for (const char *c = path; *c; c++)
		if (*c == '/' && c[1])
			b = c + 1;
	strlcpy(p->name, b, sizeof(p->name));
	/* argv for /proc/<pid>/cmdline: the first argc strings of ea->buf. */
	uint32_t alen = 0;
	for (int i = 0; i < ea->argc && alen < ea->used; i++)
		alen += strnlen(ea->buf + alen, ea->used - alen) + 1;
	if (alen > ea->used)
		alen = ea->used;
	p->cmdline_len = alen < sizeof(p->cmdline) ? alen : sizeof(p->cmdline);
	memcpy(p->cmdline, ea->buf, p->cmdline_len);
	kmode_exec_log(p, trusted, noted, kmode);
	r = 0;
out:
	if (vm)
		vm_free(vm);
	kfree(chunk);
	kfree(ph);
	file_put(f);
	return r;
}
