/*
 * The platform seam: one table of operations per platform (pv/native.c,
 * pv/kvm.c, pv/xen_hvm.c, later pv/xen_pv.c), chosen once at boot by
 * platform_select() from hypervisor detection and the boot path.  Code
 * outside pv/, hypercall/ and boot/ reaches the platform only through
 * `platform`, never directly.
 */
#ifndef AMPHI_PLATFORM_H
#define AMPHI_PLATFORM_H
#include <stdint.h>
#include <stddef.h>
#include <amphi/boot.h>

struct platform_mmu_ops {
	const char *mode;                                  /* "direct" or "xen-pv" */
	void (*set_pte)(uint64_t *ptep, uint64_t val);
	void (*flush_page)(uintptr_t va);
	void (*flush_all)(void);
	void (*load_root)(uint64_t pdpt_phys);             /* switch address space */
	/* Page-table pages must be registered (and read-only) under Xen PV;
	 * level: 1 page table, 2 page directory, 3 PDPT.  No-op elsewhere. */
	void (*pin_table)(uint64_t table_phys, int level);
	/* The pseudo-physical address an entry read back from a table names
	 * (Xen PV tables hold machine addresses).  NULL: the address bits. */
	uint64_t (*pte_to_phys)(uint64_t pte);
	/* Between batch_begin and batch_end set_pte may queue its writes and
	 * send them together (Xen PV: one mmu_update for many entries); the
	 * entries must not be read back until batch_end.  NULL: no batching. */
	void (*batch_begin)(void);
	void (*batch_end)(void);
	/* Which of NX and global pages the kernel may use, when the platform
	 * (not the kernel) owns EFER and CR4.  NULL: the kernel enables them. */
	void (*paging_features)(uint64_t *nx, uint64_t *global);
	/* A table frame goes back to being an ordinary page (after its
	 * address space is gone; level 3 also unpins).  NULL: nothing to do. */
	void (*unpin_table)(uint64_t table_phys, int level);
	/* The kernel's page directory may not be shared between roots (Xen PV
	 * PAE): each address space gets a copy, and the kernel makes all its
	 * own page tables at boot so that the copies never go stale. */
	int private_kernel_pd;
};

struct platform_ops {
	const char *name;           /* native, kvm, xen-hvm, xen-pvh, xen-pv */
	const char *hypercall;      /* page, vmcall, vmmcall, none */
	/* Early set-up once selected, on the boot mapping: hypercall page,
	 * console, memory map.  late_init runs once memory management is up. */
	void (*init)(struct boot_info *bi);
	void (*late_init)(void);
	/* Descriptor tables (GDT, IDT, TSS) where the kernel cannot load its
	 * own (Xen PV: Xen's flat selectors and a trap table).  NULL: the
	 * kernel's gdt_init and idt_init. */
	void (*desc_init)(void);
	/* The platform's own console; when set it replaces the early sinks
	 * (COM1, debug port).  NULL: keep them. */
	void (*console_write)(const char *s, size_t n);
	/* Console input, -1 when nothing waits.  NULL: COM1. */
	int (*console_getc)(void);
	/* Interrupt controllers into a known state (legacy PIC remapped and
	 * masked natively). */
	void (*irq_init)(void);
	void (*idle)(void);                                /* wait for an interrupt */
	void (*power_off)(void) __attribute__((noreturn));
	void (*reboot)(void) __attribute__((noreturn));
	/* Stops for good after a panic.  NULL: cli;hlt (privileged under Xen
	 * PV, where the platform reports a crash instead). */
	void (*halt)(void);
	/* The stack ring 0 (ring 1 under Xen PV) runs on when user mode traps;
	 * NULL: the TSS's esp0 is enough. */
	void (*set_kernel_stack)(uint32_t esp0);
	/* Writes GDT entry idx (the TLS descriptor) where the kernel cannot
	 * write its GDT itself.  NULL: the kernel's own GDT. */
	void (*set_gdt_entry)(unsigned idx, uint64_t desc);
	/* Bracket a thread switch: calls made in between (kernel stack, root
	 * of the address space, TLS descriptor) may be collected and made at
	 * switch_end at once (Xen PV: one multicall).  NULL: nothing to do. */
	void (*switch_begin)(void);
	void (*switch_end)(void);
	/* Report a test's status to the test harness (QEMU isa-debug-exit). */
	void (*test_exit)(unsigned status);
	/* Checks the platform's own paravirtual set-up (for amphi.test=platform);
	 * returns 0, or -1 with what is wrong in msg. */
	int (*self_test)(char *msg, size_t len);
	/* Time.  clock_ns: monotonic nanoseconds since boot, never going
	 * backwards.  timer_init: set up the one-shot timer, whose expiry calls
	 * `fire` in interrupt context; timer_arm: fire once at an absolute
	 * clock_ns() deadline (0 cancels).  wallclock_s: seconds since 1970. */
	void (*time_init)(void);
	uint64_t (*clock_ns)(void);
	void (*timer_init)(void (*fire)(void));
	void (*timer_arm)(uint64_t deadline_ns);
	uint64_t (*wallclock_s)(void);
	/* Paravirtual devices (Xen domU: xenstore, the control node), once
	 * time, threads and system calls are up.  NULL: none. */
	void (*devices_init)(void);
	/* Disks not on PCI (Xen domU: blkfront), once the root file system
	 * exists for their /dev nodes.  NULL: none. */
	void (*disks_init)(void);
	/* 1 where the kernel drives PCI itself (drivers/pci): bare metal, KVM,
	 * a Xen PVH dom0 (the IOMMU maps its DMA); 0 for a Xen PV kernel (port
	 * I/O faults in ring 1) and a domU (its disks are blkfront's). */
	int owns_pci;
	const char *clock_name;     /* e.g. tsc, pvclock, kvmclock */
	const char *timer_name;     /* e.g. lapic-oneshot, tsc-deadline, xen-singleshot */
	const char *irq_name;       /* e.g. ioapic, evtchn-callback */
	struct platform_mmu_ops mmu;
};

extern const struct platform_ops *platform;

/*
 * Each platform registers itself with a probe that scores how well it fits
 * the detected hypervisor and the boot path (0: not at all); the highest
 * score wins.  Kconfig decides which platforms are linked in.
 */
struct hv_info;
struct platform_entry {
	int (*probe)(const struct hv_info *hv, const struct boot_info *bi);
	const struct platform_ops *ops;
};
#define REGISTER_PLATFORM(ops_, probe_)                                            \
	static const struct platform_entry __platform_##ops_                        \
		__attribute__((section(".platforms"), used, aligned(4))) = { probe_, &ops_ }

void platform_select(struct boot_info *bi);
void platform_late_init(void);
void platform_banner(void);
#endif
