/*
 * Per-process PAE address spaces: tables, areas, demand paging,
 * copy-on-write (see include/amphi/vm.h).
 */
#include <amphi/vm.h>
#include <amphi/paging.h>
#include <amphi/platform.h>
#include <amphi/frame.h>
#include <amphi/kmap.h>
#include <amphi/heap.h>
#include <amphi/layout.h>
#include <amphi/string.h>
#include <amphi/printk.h>
#include <amphi/errno.h>
#include <amphi/spinlock.h>
#include <asm/desc.h>

#define PTE_COW     0x200ull     /* available bit: write fault copies (or takes over) the frame */
#define PTE_SPECIAL 0x400ull     /* not reference-counted (the entry page) */
#define PDE_USER    (PTE_P | PTE_RW | PTE_US)

static struct vm_space *active;
static uint32_t frames_in_use;          /* user frames + user tables, for leak checks */
pfn_t vsyscall_pfn = PFN_NONE;          /* arch/x86/user.c fills the page */

uint32_t vm_frames_in_use(void) { return frames_in_use; }

/* ---- frames (the global allocator is not preemption-safe by itself) ---- */

/* Zeroed frames kept for later (below, "zeroed frames"). */
#define ZERO_POOL_MAX 1024
static pfn_t zero_pool[ZERO_POOL_MAX];
static unsigned zero_pool_n;

static pfn_t vframe_alloc(enum frame_zone z)
{
	irqflags_t f = irq_save();
	pfn_t p = frame_alloc(z);
	if (p == PFN_NONE && zero_pool_n && z == FRAME_ANY)
		p = zero_pool[--zero_pool_n];    /* the pool is the last reserve */
	if (p != PFN_NONE)
		frames_in_use++;
	irq_restore(f);
	return p;
}

static void vframe_free(pfn_t p)
{
	irqflags_t f = irq_save();
	frame_free(p);
	frames_in_use--;
	irq_restore(f);
}

/* A frame below the lowmem limit is in the direct map already: no kmap
 * slot, no two page-table writes and TLB flushes (hypercalls under Xen
 * PV) per page zeroed or copied.  kunmap leaves such an address alone. */
static void *vkmap(pfn_t p)
{
	if (p < frames.low_limit)
		return phys_to_virt((uint64_t)p << PAGE_SHIFT);
	irqflags_t f = irq_save();
	void *va = kmap(p);
	irq_restore(f);
	return va;
}

static void vkunmap(void *va)
{
	irqflags_t f = irq_save();
	kunmap(va);
	irq_restore(f);
}

static int zero_frame(pfn_t p)
{
	void *va = vkmap(p);
	if (!va)
		return -1;
	memset(va, 0, PAGE_SIZE);
	vkunmap(va);
	return 0;
}

/*
 * Zeroed frames.  A ring-1 program's pinned stack is 512 present pages
 * (kmode/README), and fork gives the child 512 of its own, exec 512 fresh
 * ones: 2 MiB copied or zeroed each time, though a program touches a few
 * pages of it.  A stack page whose entry has no dirty bit was never written
 * since it was zeroed (the CPU sets the bit on the first write through the
 * mapping; what the kernel writes through the direct map, vm_write and
 * write pins, sets it by hand: note_written), so fork need not copy it,
 * and when the address space goes it is still zero: such frames wait here
 * for the next page that wants a zeroed frame, instead of being zeroed
 * again.  Kept out of frames_in_use; vframe_alloc takes them back when
 * the allocator runs dry.
 */
static pfn_t zeroed_frame_take(void)
{
	irqflags_t f = irq_save();
	pfn_t p = PFN_NONE;
	if (zero_pool_n) {
		p = zero_pool[--zero_pool_n];
		frames_in_use++;
	}
	irq_restore(f);
	if (p != PFN_NONE)
		return p;
	p = vframe_alloc(FRAME_ANY);
	if (p != PFN_NONE && zero_frame(p)) {
		vframe_free(p);
		return PFN_NONE;
	}
	return p;
}

/* A frame of the caller's (one reference, no other user) that is all
 * zeroes: kept, or freed when enough are kept. */
static void zeroed_frame_give(pfn_t p)
{
	irqflags_t f = irq_save();
	if (zero_pool_n < ZERO_POOL_MAX) {
		zero_pool[zero_pool_n++] = p;
		frames_in_use--;
		p = PFN_NONE;
	}
	irq_restore(f);
	if (p != PFN_NONE)
		vframe_free(p);
}

static int in_pinned_stack(const struct vm_space *vm, uint32_t va)
{
	return vm->guard_lo && va >= vm->stack_low && va < USER_STACK_TOP;
}

/* A table frame back to the allocator, an ordinary page again. */
static void table_free(uint64_t pa, int level)
{
	if (level && platform->mmu.unpin_table)
		platform->mmu.unpin_table(pa, level);
	vframe_free((pfn_t)(pa >> PAGE_SHIFT));
}

static pfn_t table_alloc(void)
{
	pfn_t p = vframe_alloc(FRAME_LOW);
	if (p != PFN_NONE)
		memset(phys_to_virt((uint64_t)p << PAGE_SHIFT), 0, PAGE_SIZE);
	return p;
}

/* ---- reference counts: frames with more than one user live in a hash;
 *      a frame not in it has exactly one ---- */

struct fref { pfn_t pfn; unsigned count; struct fref *next; };
#define REF_BUCKETS 1024
static struct fref *ref_hash[REF_BUCKETS];
static spinlock_t ref_lock = SPINLOCK_INIT("frame-ref");

static struct fref **ref_slot(pfn_t pfn)
{
	struct fref **pp = &ref_hash[pfn % REF_BUCKETS];
	while (*pp && (*pp)->pfn != pfn)
		pp = &(*pp)->next;
	return pp;
}

unsigned frame_ref_count(pfn_t pfn)
{
	irqflags_t f = spin_lock_irqsave(&ref_lock);
	struct fref *r = *ref_slot(pfn);
	unsigned c = r ? r->count : 1;
	spin_unlock_irqrestore(&ref_lock, f);
	return c;
}

/* Count nodes whose count went back to one are kept for the next
 * ref_get rather than freed: raw block I/O pins and unpins the 256 frames
 * of every 1 MiB it moves (vm_pin_user), and a kmalloc and kfree per frame
 * were a third of a raw read's time.  At most REF_SPARE_MAX (12 bytes each). */
#define REF_SPARE_MAX 512
static struct fref *ref_spare;
static unsigned nr_ref_spare;

/* A node for a new count: a kept one, else a fresh one. */
static struct fref *node_take(void)
{
	irqflags_t f = spin_lock_irqsave(&ref_lock);
	struct fref *n = ref_spare;
	if (n) {
		ref_spare = n->next;
		nr_ref_spare--;
	}
	spin_unlock_irqrestore(&ref_lock, f);
	return n ? n : kmalloc(sizeof(*n));     /* allocated outside the lock */
}

/* Keeps n for later (ref_lock held); 0, or n itself when enough are kept
 * (the caller frees it, after the lock). */
static struct fref *node_keep_locked(struct fref *n)
{
	if (!n || nr_ref_spare >= REF_SPARE_MAX)
		return n;
	n->next = ref_spare;
	ref_spare = n;
	nr_ref_spare++;
	return 0;
}

/* Returns 0, or -1 when no memory for the count. */
static int ref_get(pfn_t pfn)
{
	struct fref *n = node_take();
	irqflags_t f = spin_lock_irqsave(&ref_lock);
	struct fref **pp = ref_slot(pfn);
	if (*pp) {
		(*pp)->count++;
	} else if (n) {
		n->pfn = pfn;
		n->count = 2;
		n->next = 0;
		*pp = n;
		n = 0;
	} else {
		spin_unlock_irqrestore(&ref_lock, f);
		return -1;
	}
	n = node_keep_locked(n);
	spin_unlock_irqrestore(&ref_lock, f);
	kfree(n);
	return 0;
}

void frame_ref_put(pfn_t pfn)
{
	struct fref *dead = 0;
	int free_it = 0;
	irqflags_t f = spin_lock_irqsave(&ref_lock);
	struct fref **pp = ref_slot(pfn);
	if (*pp) {
		if (--(*pp)->count == 1) {
			dead = *pp;
			*pp = dead->next;
			dead = node_keep_locked(dead);
		}
	} else {
		free_it = 1;
	}
	spin_unlock_irqrestore(&ref_lock, f);
	kfree(dead);
	if (free_it)
		vframe_free(pfn);
}

int frame_ref_get(pfn_t pfn)
{
	return ref_get(pfn);
}

/* The file's reference of a frame that address spaces may map too: when
 * they do, it is dropped here and the frame is theirs (counted as theirs),
 * freed by the last frame_ref_put; when nothing else holds it, 0, and the
 * caller frees it as before. */
int frame_ref_hand_over(pfn_t pfn)
{
	struct fref *dead = 0;
	irqflags_t f = spin_lock_irqsave(&ref_lock);
	struct fref **pp = ref_slot(pfn);
	int shared = *pp != 0;
	if (shared) {
		if (--(*pp)->count == 1) {
			dead = *pp;
			*pp = dead->next;
			dead = node_keep_locked(dead);
		}
		frames_in_use++;
	}
	spin_unlock_irqrestore(&ref_lock, f);
	kfree(dead);
	return shared;
}

/* ---- page tables ---- */

static inline uint64_t pte_flags(uint32_t prot)
{
	uint64_t fl = PTE_P;
	if (prot & (VM_READ | VM_WRITE | VM_EXEC))
		fl |= PTE_US;            /* PROT_NONE: present but supervisor-only */
	if (prot & VM_WRITE)
		fl |= PTE_RW;
	if (!(prot & VM_EXEC))
		fl |= pte_nx;
	return fl;
}

static void flush(struct vm_space *vm, uint32_t va)
{
	if (vm == active)
		platform->mmu.flush_page(va);
}

/* vm_clone's copy loop may hand its many entries to the platform in
 * batches (Xen PV: one mmu_update per 128); a directory entry must be
 * readable at once, so the batch is pushed out after one is written. */
static int batching;

/* A platform batch is one queue for the whole kernel: while it is open no
 * other thread may run (preempted, it would find its own page-table writes
 * waiting in the queue, unseen), so interrupts stay off until it closes. */
static irqflags_t batch_open(void)
{
	if (!platform->mmu.batch_begin)
		return 0;                    /* no batches: nothing to protect */
	irqflags_t f = irq_save();
	platform->mmu.batch_begin();
	return f;
}

static void batch_close(irqflags_t f)
{
	if (!platform->mmu.batch_begin)
		return;
	platform->mmu.batch_end();
	irq_restore(f);
}

static void batch_sync(void)
{
	if (batching) {
		platform->mmu.batch_end();
		platform->mmu.batch_begin();
	}
}

/* ---- the guard under pinned stacks: one page table, shared by every
 *      such address space, whose entries all map one scratch page ---- */

static uint64_t guard_table_phys;       /* 0 until the first pinned stack */

static int is_guard_pde(pte_t pde)
{
	return guard_table_phys && (pde & PTE_P) && pte_phys(pde) == guard_table_phys;
}

static int guard_table_get(void)
{
	if (guard_table_phys)
		return 0;
	pfn_t pg = vframe_alloc(FRAME_ANY), t = table_alloc();
	if (pg == PFN_NONE || t == PFN_NONE || zero_frame(pg)) {
		if (pg != PFN_NONE)
			vframe_free(pg);
		if (t != PFN_NONE)
			vframe_free(t);
		return -ENOMEM;
	}
	uint64_t pa = (uint64_t)t << PAGE_SHIFT;
	platform->mmu.pin_table(pa, 1);
	pte_t *pt = phys_to_virt(pa);
	irqflags_t f = batch_open();
	for (unsigned k = 0; k < 512; k++)     /* supervisor only: ring-3 programs never see it */
		platform->mmu.set_pte(&pt[k], ((uint64_t)pg << PAGE_SHIFT) | PTE_P | PTE_RW |
				      pte_nx | PTE_SPECIAL);
	batch_close(f);
	guard_table_phys = pa;
	return 0;
}

static uint32_t mmap_top(const struct vm_space *vm)
{
	return vm->guard_lo ? vm->guard_lo - 0x100000u : MMAP_TOP;
}

static pte_t *pte_lookup(struct vm_space *vm, uint32_t va, int alloc)
{
	if (va >= USER_TOP)
		return 0;
	pte_t *pd = vm->pd[va >> 30];
	unsigned i = (va >> 21) & 511;
	if (is_guard_pde(pd[i]))
		return 0;                    /* the shared guard table is never written through here */
	if (!(pd[i] & PTE_P)) {
		if (!alloc)
			return 0;
		pfn_t p = table_alloc();
		if (p == PFN_NONE)
			return 0;
		uint64_t pa = (uint64_t)p << PAGE_SHIFT;
		platform->mmu.pin_table(pa, 1);
		platform->mmu.set_pte(&pd[i], pa | PDE_USER);
		batch_sync();
	}
	pte_t *pt = phys_to_virt(pte_phys(pd[i]));
	return &pt[(va >> 12) & 511];
}

static void set_pte(struct vm_space *vm, pte_t *pte, uint32_t va, uint64_t val)
{
	uint64_t old = *pte;
	platform->mmu.set_pte(pte, val);
	if (old & PTE_P)
		flush(vm, va);
}

/* Drops the pages in [start, end).  Where the platform batches (Xen PV)
 * the entries go out together and the TLB is flushed once afterwards: a
 * per-page flush would run before its batched update had landed. */
static void zap_range(struct vm_space *vm, uint32_t start, uint32_t end)
{
	int batch = platform->mmu.batch_begin && !batching;
	unsigned cleared = 0;
	irqflags_t f = 0;
	if (batch)
		f = batch_open();
	for (uint32_t va = start; va < end && va < USER_TOP;) {
		pte_t *pd = vm->pd[va >> 30];
		pte_t pde = pd[(va >> 21) & 511];
		if (!(pde & PTE_P) || is_guard_pde(pde)) {
			uint32_t next = (va & ~0x1FFFFFu) + 0x200000u;
			if (next < va)
				break;
			va = next;
			continue;
		}
		/* the rest of this page table in one walk: one lookup per 2 MiB */
		pte_t *pte = pte_lookup(vm, va, 0);
		uint32_t table_end = (va & ~0x1FFFFFu) + 0x200000u;
		for (; va < end && va < table_end && va < USER_TOP; va += PAGE_SIZE, pte++) {
			pte_t v = *pte;
			if (!(v & PTE_P) || (v & PTE_SPECIAL))
				continue;
			if (batch) {
				platform->mmu.set_pte(pte, 0);
				cleared++;
			} else {
				set_pte(vm, pte, va, 0);
			}
			frame_ref_put((pfn_t)(pte_phys(v) >> PAGE_SHIFT));
			vm->nr_pages--;
		}
		if (!va)
			break;
	}
	if (batch) {
		platform->mmu.batch_end();
		if (cleared && vm == active)
			platform->mmu.flush_all();
		irq_restore(f);
	}
}

/* ---- address spaces ---- */

struct vm_space *vm_active(void)
{
	return active;
}

void vm_activate(struct vm_space *vm)
{
	if (vm == active)
		return;
	active = vm;
	/* The kernel TSS's CR3 (a static field: task switches load it but
	 * never save it) is what the double-fault and NMI tasks return to. */
	kernel_tss.cr3 = (uint32_t)(vm ? vm->pdpt_phys : paging_root_phys());
	platform->mmu.load_root(vm ? vm->pdpt_phys : paging_root_phys());
}

struct vm_space *vm_new(void)
{
	struct vm_space *vm = kzalloc(sizeof(*vm));
	if (!vm)
		return 0;
	pfn_t root = table_alloc();
	if (root == PFN_NONE) {
		kfree(vm);
		return 0;
	}
	vm->pdpt_phys = (uint64_t)root << PAGE_SHIFT;
	vm->pdpt = phys_to_virt(vm->pdpt_phys);
	for (int i = 0; i < 3; i++) {
		pfn_t p = table_alloc();
		if (p == PFN_NONE) {
			for (int j = 0; j < i; j++)
				vframe_free((pfn_t)(virt_to_phys(vm->pd[j]) >> PAGE_SHIFT));
			vframe_free(root);
			kfree(vm);
			return 0;
		}
		vm->pd[i] = phys_to_virt((uint64_t)p << PAGE_SHIFT);
	}
	for (int i = 0; i < 3; i++) {
		platform->mmu.pin_table(virt_to_phys(vm->pd[i]), 2);
		platform->mmu.set_pte(&vm->pdpt[i], virt_to_phys(vm->pd[i]) | PTE_P);
	}
	const uint64_t *kpdpt = phys_to_virt(paging_root_phys());
	if (platform->mmu.private_kernel_pd) {
		/* A copy of the kernel's entries below the hypervisor hole (raw:
		 * the page is not a table yet); Xen fills in its own. */
		pfn_t k = table_alloc();
		if (k == PFN_NONE) {
			vm_free(vm);
			return 0;
		}
		vm->pd_kernel = phys_to_virt((uint64_t)k << PAGE_SHIFT);
		memcpy(vm->pd_kernel, phys_to_virt(pte_phys(kpdpt[3])),
		       ((KERNEL_PD_LIMIT - KERNEL_VBASE) >> 21) * sizeof(uint64_t));
		platform->mmu.pin_table((uint64_t)k << PAGE_SHIFT, 2);
		platform->mmu.set_pte(&vm->pdpt[3], ((uint64_t)k << PAGE_SHIFT) | PTE_P);
	} else {
		platform->mmu.set_pte(&vm->pdpt[3], kpdpt[3]);
	}
	/* The entry page: shared by all, never counted. */
	if (vsyscall_pfn != PFN_NONE) {
		pte_t *pte = pte_lookup(vm, VSYSCALL_ADDR, 1);
		if (!pte) {
			vm_free(vm);
			return 0;
		}
		platform->mmu.set_pte(pte, ((uint64_t)vsyscall_pfn << PAGE_SHIFT) | PTE_P | PTE_US |
				      PTE_SPECIAL);
	}
	platform->mmu.pin_table(vm->pdpt_phys, 3);
	vm->stack_low = USER_STACK_TOP - USER_STACK_LIMIT;
	return vm;
}

void vm_free(struct vm_space *vm)
{
	if (!vm)
		return;
	if (vm == active)
		vm_activate(0);
	/* Xen PV: unpinning the root first releases the whole tree. */
	if (platform->mmu.unpin_table)
		platform->mmu.unpin_table(vm->pdpt_phys, 3);
	for (int i = 0; i < 3; i++) {
		if (!vm->pd[i])
			continue;
		for (unsigned j = 0; j < 512; j++) {
			pte_t pde = vm->pd[i][j];
			if (!(pde & PTE_P) || is_guard_pde(pde))
				continue;
			pte_t *pt = phys_to_virt(pte_phys(pde));
			for (unsigned k = 0; k < 512; k++) {
				if (!(pt[k] & PTE_P) || (pt[k] & PTE_SPECIAL))
					continue;
				pfn_t pfn = (pfn_t)(pte_phys(pt[k]) >> PAGE_SHIFT);
				uint32_t va = ((uint32_t)i << 30) | (j << 21) | (k << 12);
				if (in_pinned_stack(vm, va) && !(pt[k] & PTE_D) &&
				    frame_ref_count(pfn) == 1)
					zeroed_frame_give(pfn);     /* never written: still zero */
				else
					frame_ref_put(pfn);
			}
			table_free(pte_phys(pde), 1);
		}
		table_free(virt_to_phys(vm->pd[i]), 2);
	}
	if (vm->pd_kernel)
		table_free(virt_to_phys(vm->pd_kernel), 2);
	vframe_free((pfn_t)(vm->pdpt_phys >> PAGE_SHIFT));
	while (vm->areas) {
		struct vm_area *a = vm->areas;
		vm->areas = a->next;
		kfree(a);
	}
	kfree(vm);
}

/* A new frame with a copy of old's contents; PFN_NONE when out of memory. */
static pfn_t copy_frame(pfn_t old)
{
	pfn_t p = vframe_alloc(FRAME_ANY);
	if (p == PFN_NONE)
		return PFN_NONE;
	void *src = vkmap(old), *dst = vkmap(p);
	if (!src || !dst) {
		if (src) vkunmap(src);
		if (dst) vkunmap(dst);
		vframe_free(p);
		return PFN_NONE;
	}
	memcpy(dst, src, PAGE_SIZE);
	vkunmap(dst);
	vkunmap(src);
	return p;
}

/* fork of a pinned stack page: a private copy for the child, the
 * parent's stays writable.  v is the parent's entry (pseudo-physical);
 * without its dirty bit the page is still zero, and so is the child's. */
static int copy_page_to(struct vm_space *vm, pte_t *dpte, pte_t v)
{
	pfn_t p = (v & PTE_D) ? copy_frame((pfn_t)((v & PTE_ADDR) >> PAGE_SHIFT))
			      : zeroed_frame_take();
	if (p == PFN_NONE)
		return -ENOMEM;
	platform->mmu.set_pte(dpte, ((uint64_t)p << PAGE_SHIFT) | (v & ~PTE_ADDR));
	vm->nr_pages++;
	return 0;
}

struct vm_space *vm_clone(struct vm_space *src)
{
	struct vm_space *vm = vm_new();
	if (!vm)
		return 0;
	vm->as_limit = src->as_limit;
	vm->brk_start = src->brk_start;
	vm->brk = src->brk;
	vm->stack_low = src->stack_low;
	vm->guard_lo = src->guard_lo;
	struct vm_area **tail = &vm->areas;
	for (struct vm_area *a = src->areas; a; a = a->next) {
		struct vm_area *n = kmalloc(sizeof(*n));
		if (!n) {
			vm_free(vm);
			return 0;
		}
		*n = *a;
		n->next = 0;
		*tail = n;
		tail = &n->next;
	}
	irqflags_t f = batch_open();
	batching = platform->mmu.batch_begin != 0;
	for (int i = 0; i < 3; i++) {
		for (unsigned j = 0; j < 512; j++) {
			pte_t pde = src->pd[i][j];
			if (!(pde & PTE_P))
				continue;
			if (is_guard_pde(pde)) {
				platform->mmu.set_pte(&vm->pd[i][j], guard_table_phys | PDE_USER);
				continue;
			}
			pte_t *spt = phys_to_virt(pte_phys(pde));
			for (unsigned k = 0; k < 512; k++) {
				pte_t v = pte_pseudo(spt[k]);
				if (!(v & PTE_P) || (v & PTE_SPECIAL))
					continue;
				uint32_t va = ((uint32_t)i << 30) | (j << 21) | (k << 12);
				pte_t *dpte = pte_lookup(vm, va, 1);
				if (!dpte)
					goto fail;
				if (src->guard_lo && va >= src->stack_low) {
					/* A pinned stack is never copy-on-write: a ring-1
					 * program's stack must take a fault frame at any
					 * moment (kmode/README). */
					if (copy_page_to(vm, dpte, v))
						goto fail;
					continue;
				}
				if (ref_get((pfn_t)((v & PTE_ADDR) >> PAGE_SHIFT)) != 0)
					goto fail;
				struct vm_area *ar = vm_find(src, va);
				if ((v & PTE_RW) && !(ar && (ar->flags & VM_SHARED))) {
					v = (v & ~PTE_RW) | PTE_COW;
					platform->mmu.set_pte(&spt[k], v);
				}
				platform->mmu.set_pte(dpte, v);
				vm->nr_pages++;
			}
		}
	}
	batching = 0;
	batch_close(f);
	if (src == active)
		platform->mmu.flush_all();
	return vm;
fail:
	batching = 0;
	batch_close(f);
	if (src == active)
		platform->mmu.flush_all();
	vm_free(vm);
	return 0;
}

/* ---- areas ---- */

struct vm_area *vm_find(struct vm_space *vm, uint32_t addr)
{
	for (struct vm_area *a = vm->areas; a && a->start <= addr; a = a->next)
		if (addr < a->end)
			return a;
	return 0;
}

/* Splits the area containing addr (strictly inside) in two; -1 on ENOMEM. */
static int split_at(struct vm_space *vm, uint32_t addr)
{
	struct vm_area *a = vm_find(vm, addr);
	if (!a || a->start == addr)
		return 0;
	struct vm_area *n = kmalloc(sizeof(*n));
	if (!n)
		return -1;
	*n = *a;
	n->start = addr;
	a->end = addr;
	a->next = n;
	return 0;
}

static int range_ok(uint32_t start, uint32_t len)
{
	return !(start & (PAGE_SIZE - 1)) && len && start >= PAGE_SIZE &&
	       start + len > start && start + len <= USER_TOP;
}

int vm_unmap(struct vm_space *vm, uint32_t start, uint32_t len)
{
	len = (len + PAGE_SIZE - 1) & PAGE_MASK;
	if (!range_ok(start, len))
		return -EINVAL;
	uint32_t end = start + len;
	if (split_at(vm, start) || split_at(vm, end))
		return -ENOMEM;
	for (struct vm_area **pp = &vm->areas; *pp;) {
		struct vm_area *a = *pp;
		if (a->start >= start && a->end <= end) {
			zap_range(vm, a->start, a->end);
			*pp = a->next;
			kfree(a);
		} else {
			pp = &a->next;
		}
	}
	return 0;
}

static uint64_t vm_total(struct vm_space *vm)
{
	uint64_t t = 0;
	for (struct vm_area *a = vm->areas; a; a = a->next)
		t += a->end - a->start;
	return t;
}

int vm_map(struct vm_space *vm, uint32_t start, uint32_t len, uint32_t prot, uint32_t flags)
{
	len = (len + PAGE_SIZE - 1) & PAGE_MASK;
	if (!range_ok(start, len))
		return -EINVAL;
	if (vm->as_limit && vm_total(vm) + len > vm->as_limit)
		return -ENOMEM;
	if (start < VSYSCALL_ADDR && start + len > VSYSCALL_ADDR)
		return -EINVAL;
	if (start >= VSYSCALL_ADDR)
		return -EINVAL;
	if (vm->guard_lo && start < vm->stack_low && start + len > vm->guard_lo)
		return -ENOMEM;              /* a pinned stack's guard stays as it is */
	struct vm_area *n = kmalloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	int r = vm_unmap(vm, start, len);
	if (r) {
		kfree(n);
		return r;
	}
	n->start = start;
	n->end = start + len;
	n->prot = prot;
	n->flags = flags;
	struct vm_area **pp = &vm->areas;
	while (*pp && (*pp)->start < start)
		pp = &(*pp)->next;
	n->next = *pp;
	*pp = n;
	return 0;
}

int vm_protect(struct vm_space *vm, uint32_t start, uint32_t len, uint32_t prot)
{
	len = (len + PAGE_SIZE - 1) & PAGE_MASK;
	if (!range_ok(start, len))
		return -EINVAL;
	uint32_t end = start + len;
	/* The whole range must be mapped. */
	for (uint32_t a = start; a < end;) {
		struct vm_area *ar = vm_find(vm, a);
		if (!ar)
			return -ENOMEM;
		a = ar->end;
	}
	if (split_at(vm, start) || split_at(vm, end))
		return -ENOMEM;
	for (struct vm_area *a = vm->areas; a; a = a->next) {
		if (a->start < start || a->end > end)
			continue;
		a->prot = prot;
		for (uint32_t va = a->start; va < a->end; va += PAGE_SIZE) {
			pte_t *pte = pte_lookup(vm, va, 0);
			if (!pte || !(*pte & PTE_P) || (*pte & PTE_SPECIAL))
				continue;
			pte_t old = *pte;
			/* the dirty bit stays: a pinned stack's fork goes by it */
			pte_t v = pte_phys(old) | (old & (PTE_COW | PTE_D)) | pte_flags(prot);
			if ((prot & VM_WRITE) && !(old & PTE_RW) && !(a->flags & VM_SHARED)) {
				v &= ~PTE_RW;        /* the write fault decides: copy or take over */
				v |= PTE_COW;
			}
			set_pte(vm, pte, va, v);
		}
	}
	return 0;
}

uint32_t vm_find_free(struct vm_space *vm, uint32_t len)
{
	uint32_t top = mmap_top(vm);
	len = (len + PAGE_SIZE - 1) & PAGE_MASK;
	if (!len || len > top - MMAP_BOTTOM)
		return 0;
	uint32_t best = 0, prev_end = MMAP_BOTTOM;
	for (struct vm_area *a = vm->areas;; a = a->next) {
		uint32_t gap_end = a ? a->start : top;
		if (gap_end > top)
			gap_end = top;
		if (gap_end >= prev_end + len)
			best = gap_end - len;
		if (!a)
			break;
		if (a->end > prev_end)
			prev_end = a->end;
		if (prev_end >= top)
			break;
	}
	return best;
}

uint32_t vm_brk(struct vm_space *vm, uint32_t newbrk)
{
	if (newbrk < vm->brk_start || newbrk >= mmap_top(vm))
		return vm->brk;
	uint32_t old_end = (vm->brk + PAGE_SIZE - 1) & PAGE_MASK;
	uint32_t new_end = (newbrk + PAGE_SIZE - 1) & PAGE_MASK;
	struct vm_area *heap = 0;
	for (struct vm_area *a = vm->areas; a; a = a->next)
		if (a->flags & VM_HEAP)
			heap = a;
	if (new_end > old_end) {
		for (struct vm_area *a = vm->areas; a; a = a->next)
			if (a != heap && a->start < new_end && a->end > old_end)
				return vm->brk;          /* would run into another area */
		if (new_end - vm->brk_start > 0x10000000u)
			return vm->brk;
		if (vm->as_limit && vm_total(vm) + (new_end - old_end) > vm->as_limit)
			return vm->brk;
		if (heap) {
			heap->end = new_end;
		} else if (vm_map(vm, old_end, new_end - old_end, VM_READ | VM_WRITE, VM_HEAP) != 0) {
			return vm->brk;
		}
	} else if (new_end < old_end) {
		vm_unmap(vm, new_end, old_end - new_end);
	}
	vm->brk = newbrk;
	return newbrk;
}

/* ---- faults ---- */

/* Maps a zeroed frame at va (not present before). */
static int map_zero(struct vm_space *vm, pte_t *pte, uint32_t va, uint32_t prot)
{
	pfn_t p = zeroed_frame_take();
	if (p == PFN_NONE)
		return -ENOMEM;
	set_pte(vm, pte, va, ((uint64_t)p << PAGE_SHIFT) | pte_flags(prot));
	vm->nr_pages++;
	return 0;
}

/* Resolves a write to a present copy-on-write page. */
static int break_cow(struct vm_space *vm, pte_t *pte, uint32_t va, uint32_t prot)
{
	pte_t v = pte_pseudo(*pte);
	pfn_t old = (pfn_t)((v & PTE_ADDR) >> PAGE_SHIFT);
	if (frame_ref_count(old) == 1) {
		set_pte(vm, pte, va, (v & PTE_ADDR) | pte_flags(prot));
		return 0;
	}
	pfn_t p = copy_frame(old);
	if (p == PFN_NONE)
		return -ENOMEM;
	set_pte(vm, pte, va, ((uint64_t)p << PAGE_SHIFT) | pte_flags(prot));
	frame_ref_put(old);
	return 0;
}

static struct vm_area *area_for(struct vm_space *vm, uint32_t addr)
{
	struct vm_area *a = vm_find(vm, addr);
	if (a)
		return a;
	/* Stack growth: just below the stack area, above the limit, and not
	 * into another area. */
	struct vm_area *prev = 0;
	for (a = vm->areas; a && a->end <= addr; a = a->next)
		prev = a;
	if (a && (a->flags & VM_GROWSDOWN) && addr >= vm->stack_low &&
	    (!prev || prev->end <= (addr & PAGE_MASK))) {
		a->start = addr & PAGE_MASK;
		return a;
	}
	return 0;
}

int vm_fault(struct vm_space *vm, uint32_t addr, int write)
{
	if (!vm || addr < PAGE_SIZE || addr >= USER_TOP)
		return -EFAULT;
	struct vm_area *a = area_for(vm, addr);
	if (!a)
		return -EFAULT;
	if (!(a->prot & (VM_READ | VM_WRITE | VM_EXEC)) || (write && !(a->prot & VM_WRITE)))
		return -EFAULT;
	uint32_t va = addr & PAGE_MASK;
	pte_t *pte = pte_lookup(vm, va, 1);
	if (!pte)
		return -ENOMEM;
	if (!(*pte & PTE_P))
		return map_zero(vm, pte, va, a->prot);
	if (write && !(*pte & PTE_RW) && (*pte & PTE_COW))
		return break_cow(vm, pte, va, a->prot);
	return -EFAULT;     /* present and still refused: a protection violation */
}

/* The kernel is about to write va's frame other than through this
 * mapping (the direct map, a device): in a pinned stack the entry gets its
 * dirty bit, or fork and vm_free would take the page for still zero. */
static void note_written(struct vm_space *vm, pte_t *pte, uint32_t va)
{
	if (in_pinned_stack(vm, va) && !(*pte & PTE_D))
		set_pte(vm, pte, va & PAGE_MASK, pte_pseudo(*pte) | PTE_D);
}

/* One page of a pin: faulted in as an access would be (write: copy-on-write
 * broken), then one more reference on its frame. */
static int pin_page(struct vm_space *vm, uint32_t va, int write, uint64_t *phys)
{
	pte_t *pte = pte_lookup(vm, va, 0);
	if (!pte || !(*pte & PTE_P) || (write && !(*pte & PTE_RW))) {
		int r = vm_fault(vm, va, write);
		if (r)
			return r;
		pte = pte_lookup(vm, va, 0);
	}
	if (write)
		note_written(vm, pte, va);
	uint64_t pa = pte_phys(*pte) & ~(uint64_t)(PAGE_SIZE - 1);
	if (ref_get((pfn_t)(pa >> PAGE_SHIFT)))
		return -ENOMEM;
	*phys = pa;
	return 0;
}

int vm_pin_user(struct vm_space *vm, uint32_t va, uint32_t len, int write, uint64_t *phys)
{
	if (!vm || !len || va + len < va || va + len > USER_TOP)
		return -EFAULT;
	unsigned n = 0;
	for (uint32_t p = va & PAGE_MASK; p < va + len; p += PAGE_SIZE, n++) {
		int r = pin_page(vm, p, write, &phys[n]);
		if (r) {
			vm_unpin_user(phys, n);
			return r;
		}
	}
	return (int)n;
}

void vm_unpin_user(const uint64_t *phys, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		frame_ref_put((pfn_t)(phys[i] >> PAGE_SHIFT));
}

/* Makes va of vm present and private (a zeroed frame where missing,
 * copy-on-write broken), regardless of the area's protection.  With
 * cow_later a copy-on-write page is left as it is and *cow_later set
 * (vm_populate breaks those after its batch). */
static int populate_page(struct vm_space *vm, uint32_t va, int *cow_later)
{
	struct vm_area *a = vm_find(vm, va);
	if (!a)
		return -EFAULT;
	pte_t *pte = pte_lookup(vm, va & PAGE_MASK, 1);
	if (!pte)
		return -ENOMEM;
	if (!(*pte & PTE_P))
		return map_zero(vm, pte, va & PAGE_MASK, a->prot);
	if ((*pte & PTE_COW) && cow_later)
		*cow_later = 1;
	else if (*pte & PTE_COW)
		return break_cow(vm, pte, va & PAGE_MASK, a->prot);
	return 0;
}

/* The frame for va of vm, made present and private: for the loader. */
static int page_for_write(struct vm_space *vm, uint32_t va, pfn_t *out)
{
	int r = populate_page(vm, va, 0);
	if (r)
		return r;
	pte_t *pte = pte_lookup(vm, va & PAGE_MASK, 0);
	note_written(vm, pte, va);
	*out = (pfn_t)(pte_phys(*pte) >> PAGE_SHIFT);
	return 0;
}

/* Pages per batch in vm_populate and vm_map_frames: a batch keeps
 * interrupts off (batch_open), so it stays short; 64 entries are half of one
 * Xen PV mmu_update. */
#define POPULATE_BATCH 64

int vm_map_frames(struct vm_space *vm, uint32_t va, const pfn_t *pfns, unsigned n)
{
	int r = 0;
	unsigned i = 0;
	while (i < n && !r) {
		irqflags_t f = batch_open();
		batching = platform->mmu.batch_begin != 0;
		for (unsigned k = 0; i < n && k < POPULATE_BATCH; i++, k++) {
			if (pfns[i] == PFN_NONE)
				continue;
			uint32_t v = va + i * PAGE_SIZE;
			struct vm_area *a = vm_find(vm, v);
			pte_t *pte = a && !(a->prot & VM_WRITE) ? pte_lookup(vm, v, 1) : 0;
			if (!pte || (*pte & PTE_P)) {
				r = pte || !a || (a->prot & VM_WRITE) ? -EINVAL : -ENOMEM;
				break;
			}
			/* Read-only, and copy-on-write should an mprotect make it
			 * writable: the file keeps its page. */
			set_pte(vm, pte, v, ((uint64_t)pfns[i] << PAGE_SHIFT) | pte_flags(a->prot) | PTE_COW);
			vm->nr_pages++;
		}
		batching = 0;
		batch_close(f);
	}
	for (; i < n; i++)
		if (pfns[i] != PFN_NONE)
			frame_ref_put(pfns[i]);
	return r;
}


int vm_populate(struct vm_space *vm, uint32_t start, uint32_t len)
{
	/* Where the platform batches (Xen PV), the entries of missing pages go
	 * out many to one hypercall instead of one each: a ring-1 program's
	 * pinned 2 MiB stack at exec was 512 mmu_update calls.  Nothing in the
	 * batch reads an entry it wrote (pte_lookup pushes a new directory
	 * entry out at once).  Copy-on-write pages are broken after the batch:
	 * their TLB flush must follow their update, not overtake it. */
	uint32_t va = start & PAGE_MASK, end = start + len;
	while (va < end) {
		uint32_t from = va;
		int r = 0, cow = 0;
		irqflags_t f = batch_open();
		batching = platform->mmu.batch_begin != 0;
		for (unsigned n = 0; va < end && n < POPULATE_BATCH && !r; n++, va += PAGE_SIZE)
			r = populate_page(vm, va, &cow);
		batching = 0;
		batch_close(f);
		for (uint32_t v = from; cow && !r && v < va; v += PAGE_SIZE)
			r = populate_page(vm, v, 0);
		if (r)
			return r;
	}
	return 0;
}

int vm_pin_stack(struct vm_space *vm, uint32_t lo, uint32_t guard_lo)
{
	struct vm_area *stack = 0;
	for (struct vm_area *a = vm->areas; a; a = a->next) {
		if (a->flags & VM_GROWSDOWN)
			stack = a;
		else if (a->end > guard_lo - 0x100000u && a->start < USER_STACK_TOP)
			return -ENOMEM;              /* something else where the guard goes */
	}
	if (!stack || stack->start < lo || (lo | guard_lo) & 0x1FFFFFu || guard_lo >= lo ||
	    guard_table_get())
		return -ENOMEM;
	stack->start = lo;
	vm->stack_low = lo;
	/* Pages already there (the arguments build_stack wrote through the
	 * direct map) hold data their entries do not show: dirty, so that
	 * fork copies them (see "zeroed frames"). */
	for (uint32_t va = lo; va < USER_STACK_TOP; va += PAGE_SIZE) {
		pte_t *pte = pte_lookup(vm, va, 0);
		if (pte && (*pte & PTE_P) && !(*pte & (PTE_SPECIAL | PTE_D)))
			set_pte(vm, pte, va, pte_pseudo(*pte) | PTE_D);
	}
	int r = vm_populate(vm, lo, USER_STACK_TOP - lo);
	if (r)
		return r;
	irqflags_t f = batch_open();
	for (uint32_t va = guard_lo; va < lo; va += 0x200000u) {
		pte_t *pde = &vm->pd[va >> 30][(va >> 21) & 511];
		if (*pde & PTE_P) {
			r = -ENOMEM;                 /* a page table left from an earlier mapping */
			break;
		}
		platform->mmu.set_pte(pde, guard_table_phys | PDE_USER);
	}
	batch_close(f);
	vm->guard_lo = guard_lo;             /* also what vm_free looks at for a partial guard */
	return r;
}

int vm_write(struct vm_space *vm, uint32_t va, const void *src, size_t len)
{
	const char *s = src;
	while (len) {
		pfn_t p;
		int r = page_for_write(vm, va, &p);
		if (r)
			return r;
		uint32_t off = va & (PAGE_SIZE - 1);
		size_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		char *d = vkmap(p);
		if (!d)
			return -ENOMEM;
		memcpy(d + off, s, n);
		vkunmap(d);
		s += n;
		va += n;
		len -= n;
	}
	return 0;
}

void vm_init(void)
{
	printk("vm: per-process PAE address spaces; user space [%#x, %#x), entry page at %#x, "
	       "stack top %#x (limit %u MiB)\n", PAGE_SIZE, USER_TOP, VSYSCALL_ADDR, USER_STACK_TOP,
	       USER_STACK_LIMIT >> 20);
}
