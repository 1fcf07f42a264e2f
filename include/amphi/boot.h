/*
 * struct boot_info: what every loader told us, in one form.  Each boot path
 * (boot/bootinfo_*.c) converts its loader's structure into this before the
 * common kernel entry kmain() runs; nothing after that point knows which
 * loader was used, except for the banner.
 */
#ifndef AMPHI_BOOT_H
#define AMPHI_BOOT_H
#include <stdint.h>
#include <stddef.h>

#define BOOT_MEMMAP_MAX   128
#define BOOT_MODULES_MAX  8
#define BOOT_CMDLINE_MAX  512
#define BOOT_MODCMD_MAX   64

enum boot_kind { BOOT_BIOS = 1, BOOT_MULTIBOOT = 2, BOOT_PVH = 3, BOOT_XEN_PV = 4 };

/* E820 numbering, used for every loader's map. */
enum mem_type {
	MEM_USABLE = 1, MEM_RESERVED = 2, MEM_ACPI = 3, MEM_NVS = 4, MEM_BAD = 5,
};

struct mem_region {
	uint64_t base;
	uint64_t size;
	uint32_t type;
};

struct boot_module {
	uint64_t base;
	uint64_t size;
	char cmdline[BOOT_MODCMD_MAX];
};

struct boot_info {
	enum boot_kind kind;
	char cmdline[BOOT_CMDLINE_MAX];
	unsigned nr_mem;
	struct mem_region mem[BOOT_MEMMAP_MAX];
	unsigned nr_modules;
	struct boot_module modules[BOOT_MODULES_MAX];
	uint64_t rsdp;              /* ACPI RSDP physical address, 0 if unknown */
	uint32_t loader_version;    /* hvm_start_info version; 0 for others */
	uint64_t loader_info_phys;  /* where the loader's structure was */
	/* Xen PV only (BOOT_XEN_PV): what start_info told us; addresses
	 * pseudo-physical unless named machine. */
	struct {
		uint32_t nr_pages;          /* pages of this domain (pfn 0..nr_pages-1) */
		uint64_t shared_info_ma;    /* machine address of the shared info page */
		uint32_t flags;             /* SIF_* */
		uint32_t store_mfn, store_evtchn;
		uint32_t console_mfn, console_evtchn;   /* domU console; 0 for dom0 */
		uint32_t pt_base;           /* bootstrap page tables (physical) */
		uint32_t nr_pt_frames;
		uint32_t mfn_list;          /* p2m array (physical) */
		uint32_t bootstrap_end;     /* everything Xen built lies below (physical) */
	} xen_pv;
};

/*
 * Loader structures live in physical memory; the converters reach them
 * through this accessor so that the host unit tests can feed recorded
 * structures.  Returns NULL when [pa, pa+len) cannot be reached.
 */
typedef const void *(*phys_reader_t)(uint64_t pa, size_t len);

/* Each returns NULL on success or a message saying what was wrong. */
const char *bootinfo_from_bios(struct boot_info *bi, uint32_t params_pa, phys_reader_t rd);
const char *bootinfo_from_multiboot(struct boot_info *bi, uint32_t magic, uint32_t mbi_pa, phys_reader_t rd);
const char *bootinfo_from_pvh(struct boot_info *bi, uint32_t start_info_pa, phys_reader_t rd);
/* Xen PV start_info (which Xen hands over by virtual address: pass it minus
 * virt_base, the image's XEN_ELFNOTE_VIRT_BASE). */
const char *bootinfo_from_xen_pv(struct boot_info *bi, uint32_t start_info_pa, uint32_t virt_base,
				 phys_reader_t rd);

/* Helpers shared by the converters. */
void bootinfo_init(struct boot_info *bi, enum boot_kind kind);
int bootinfo_add_mem(struct boot_info *bi, uint64_t base, uint64_t size, uint32_t type);
void bootinfo_set_cmdline(struct boot_info *bi, const char *s, size_t maxlen);
const char *boot_kind_name(enum boot_kind k);
void bootinfo_copy_cstr(char *dst, size_t dstlen, uint64_t pa, phys_reader_t rd);

extern struct boot_info boot_info;
void kmain(struct boot_info *bi) __attribute__((noreturn));
#endif
