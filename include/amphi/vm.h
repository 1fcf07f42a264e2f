/*
 * Per-process address spaces (mm/vm.c).  Each has its own PAE PDPT (one
 * FRAME_LOW frame, below 4 GiB) whose entries 0-2 point to the process's
 * own page directories (allocated up front: the CPU caches PDPTEs at every
 * CR3 load) and entry 3 to the kernel's shared page directory.  Page
 * directories and page tables are FRAME_LOW (walked through the direct
 * map); the pages they map are FRAME_ANY (reached with kmap).  Every PTE
 * write and CR3 load goes through platform->mmu.
 *
 * User memory is described by areas (vm_area): text/data/bss from the ELF
 * loader, the brk heap, the stack (grows down to a limit) and mmap regions.
 * Pages are filled on demand: a fault in an area maps a zeroed frame, a
 * write to a copy-on-write page copies it (per-frame reference counts), a
 * fault below the stack grows it; anything else is SIGSEGV.
 *
 * Fixed addresses: page 0 is never mapped; the entry page (AT_SYSINFO,
 * __kernel_vsyscall) is at VSYSCALL_ADDR, read+exec for user, in every
 * address space; the initial stack ends at USER_STACK_TOP.
 */
#ifndef AMPHI_VM_H
#define AMPHI_VM_H
#include <stdint.h>
#include <stddef.h>
#include <amphi/frame.h>

#define USER_TOP          0xC0000000u
#define VSYSCALL_ADDR     0xBFFFF000u       /* the entry page */
#define USER_STACK_TOP    0xBFFFE000u       /* one unmapped page below the entry page */
#define USER_STACK_LIMIT  (8u << 20)        /* stack may grow to 8 MiB */
#define USER_STACK_INIT   (128u << 10)      /* initial stack area */
#define MMAP_TOP          (USER_STACK_TOP - USER_STACK_LIMIT - 0x100000u)
#define MMAP_BOTTOM       0x01000000u
#define PIE_BASE          0x00400000u       /* load address of static-PIE programs */

/* vm_area.prot */
#define VM_READ   1u
#define VM_WRITE  2u
#define VM_EXEC   4u
/* vm_area.flags */
#define VM_GROWSDOWN 1u     /* the stack */
#define VM_HEAP      2u     /* the brk area */
#define VM_SHARED    4u     /* MAP_SHARED anonymous: populated at mmap, shared (not copied) by fork */

struct vm_area {
	uint32_t start, end;         /* page-aligned, [start, end) */
	uint32_t prot, flags;
	struct vm_area *next;        /* sorted by address */
};

struct vm_space {
	uint64_t *pdpt;              /* direct-mapped view of the PDPT frame */
	uint64_t pdpt_phys;
	uint64_t *pd[3];             /* direct-mapped views of the user PDs */
	uint64_t *pd_kernel;         /* this space's copy of the kernel PD, or NULL (shared) */
	struct vm_area *areas;
	uint32_t brk_start, brk;     /* program break: [brk_start, brk) */
	uint32_t stack_low;          /* lowest address the stack may grow to */
	uint32_t guard_lo;           /* a pinned stack's guard: [guard_lo, stack_low); 0: none */
	uint32_t nr_pages;           /* user pages mapped (statistics) */
	uint64_t as_limit;           /* RLIMIT_AS: bytes of areas at most (0: none) */
};

void vm_init(void);                          /* entry page, FPU-independent set-up */
struct vm_space *vm_new(void);               /* NULL when out of memory */
void vm_free(struct vm_space *vm);           /* must not be the loaded one */
struct vm_space *vm_clone(struct vm_space *vm);  /* fork: copy-on-write; NULL on ENOMEM */
void vm_activate(struct vm_space *vm);       /* NULL: the kernel's tables */
struct vm_space *vm_active(void);

/* Areas.  vm_map: a new area (MAP_FIXED semantics: replaces what was
 * there); 0 or -errno.  vm_find_free: a gap of len bytes, top-down below
 * MMAP_TOP (0 if none). */
int vm_map(struct vm_space *vm, uint32_t start, uint32_t len, uint32_t prot, uint32_t flags);
int vm_unmap(struct vm_space *vm, uint32_t start, uint32_t len);
int vm_protect(struct vm_space *vm, uint32_t start, uint32_t len, uint32_t prot);
uint32_t vm_find_free(struct vm_space *vm, uint32_t len);
struct vm_area *vm_find(struct vm_space *vm, uint32_t addr);
/* brk: moves the break; returns the new break (the old one on failure). */
uint32_t vm_brk(struct vm_space *vm, uint32_t newbrk);

/*
 * A pinned stack (Xen PV kernel-mode programs, kmode/README): the stack
 * area becomes [lo, USER_STACK_TOP), every page of it present, writable
 * and private (fork copies it instead of sharing it copy-on-write), and
 * [guard_lo, lo) maps one shared scratch page, writable, through one shared
 * page table, so that nothing a ring-1 program does with its stack
 * pointer there faults.  lo and guard_lo are 2 MiB aligned (whole page
 * tables).  mmap and brk stay below the guard.  0 or -ENOMEM (no memory,
 * or another area in the way).
 */
int vm_pin_stack(struct vm_space *vm, uint32_t lo, uint32_t guard_lo);

/* Allocates every page of [start, start+len) now; 0 or -ENOMEM. */
int vm_populate(struct vm_space *vm, uint32_t start, uint32_t len);

/* Writes len bytes at va of vm (which need not be loaded), allocating
 * pages in its areas as needed; 0 or -errno (-EFAULT outside any area,
 * -ENOMEM). */
int vm_write(struct vm_space *vm, uint32_t va, const void *src, size_t len);

/* The page-fault core: makes [addr] accessible for a write (write=1) or
 * read in vm.  0 when resolved; -EFAULT for an access outside the areas or
 * against their protection (SIGSEGV), -ENOMEM when no frame was left. */
int vm_fault(struct vm_space *vm, uint32_t addr, int write);

/* Pins the pages under [va, va+len) of vm for a device's DMA (raw block
 * I/O straight into a program's buffer): each is made present as an access
 * would make it (write: the device writes it, so copy-on-write is broken
 * first) and its frame gets one more reference, so that an munmap or exit
 * meanwhile cannot free it under the transfer.  phys[i] is page i's
 * physical address (page-aligned; one entry per page touched).  The number
 * of pages, or -EFAULT / -ENOMEM with nothing pinned.  vm_unpin_user drops
 * the references (and frees frames whose mapping went away meanwhile).
 * A fork during the transfer shares the pages copy-on-write as usual, so
 * the child may see bytes a read brings in (as Linux did before FOLL_PIN). */
int vm_pin_user(struct vm_space *vm, uint32_t va, uint32_t len, int write, uint64_t *phys);
void vm_unpin_user(const uint64_t *phys, unsigned n);

extern pfn_t vsyscall_pfn;                   /* the entry page (PFN_NONE: none) */

/*
 * Maps n frames of a file (ramfs pages, kernel/exec.c) at va of vm, in an
 * area without VM_WRITE where nothing is mapped yet: entry i maps pfns[i],
 * whose reference (frame_ref_get) the caller hands over; PFN_NONE entries
 * are left alone.  The pages are copy-on-write, so the file's page never
 * changes through them.  0, or -ENOMEM / -EINVAL with the references of
 * the entries not mapped dropped.
 */
int vm_map_frames(struct vm_space *vm, uint32_t va, const pfn_t *pfns, unsigned n);

/* Per-frame reference counts for shared (copy-on-write) frames. */
int frame_ref_get(pfn_t pfn);                /* 0, or -1 when out of memory */
void frame_ref_put(pfn_t pfn);               /* frees the frame at zero */
unsigned frame_ref_count(pfn_t pfn);
/* A file lets go of a frame: 1 when address spaces still map it (they own
 * it now), 0 when the caller is its only user and must free it. */
int frame_ref_hand_over(pfn_t pfn);

/* Statistics for tests. */
uint32_t vm_frames_in_use(void);
#endif
