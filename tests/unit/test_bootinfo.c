/*
 * Host tests for boot/bootinfo_*.c: recorded loader structures (PVH start
 * info, Multiboot information, amphi's BIOS parameters) are placed in a fake
 * physical memory and converted through the phys_reader_t callback.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <amphi/boot.h>
#include <amphi/bios_boot.h>
#include <amphi/multiboot.h>
#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>

/* ---- fake physical memory ---- */
struct chunk { uint64_t pa; size_t len; const void *buf; };
static struct chunk mem[16];
static unsigned nr_chunks;
static unsigned failed_reads;
static unsigned reads, read_budget;   /* budget 0: unlimited */

static void map(uint64_t pa, const void *buf, size_t len)
{
	assert_true(nr_chunks < sizeof(mem) / sizeof(mem[0]));
	mem[nr_chunks].pa = pa;
	mem[nr_chunks].len = len;
	mem[nr_chunks].buf = buf;
	nr_chunks++;
}

/* Reaches [pa, pa+len) only when it lies inside one mapped chunk. */
static const void *fake_read(uint64_t pa, size_t len)
{
	reads++;
	if (read_budget && reads > read_budget)
		return NULL;       /* stops a runaway loop so the test can fail */
	for (unsigned i = 0; i < nr_chunks; i++)
		if (pa >= mem[i].pa && pa - mem[i].pa <= mem[i].len &&
		    len <= mem[i].len - (pa - mem[i].pa))
			return (const char *)mem[i].buf + (pa - mem[i].pa);
	failed_reads++;
	return NULL;
}

static struct boot_info bi;

static int reset(void **state)
{
	(void)state;
	nr_chunks = 0;
	failed_reads = 0;
	reads = read_budget = 0;
	memset(&bi, 0xCC, sizeof(bi));     /* converters must initialise it */
	return 0;
}

static void expect_mem(unsigned i, uint64_t base, uint64_t size, uint32_t type)
{
	assert_true(i < bi.nr_mem);
	assert_int_equal(bi.mem[i].base, base);
	assert_int_equal(bi.mem[i].size, size);
	assert_int_equal(bi.mem[i].type, type);
}

/* ================= PVH ================= */
#define SI_PA      0x1000u
#define MODLIST_PA 0x2000u
#define CMDLINE_PA 0x3000u
#define MODCMD_PA  0x3800u
#define MEMMAP_PA  0x4000u

static struct hvm_start_info si;
static struct hvm_modlist_entry modlist[BOOT_MODULES_MAX + 2];
static struct hvm_memmap_table_entry memmap[4];
static char cmdline_buf[1024];
static char modcmd_buf[256];

static void pvh_fixture(uint32_t version)
{
	memset(&si, 0, sizeof(si));
	si.magic = XEN_HVM_START_MAGIC_VALUE;
	si.version = version;
	si.nr_modules = 2;
	si.modlist_paddr = MODLIST_PA;
	si.cmdline_paddr = CMDLINE_PA;
	si.rsdp_paddr = 0xE0000;
	if (version >= 1) {
		si.memmap_paddr = MEMMAP_PA;
		si.memmap_entries = 4;
	}
	memset(modlist, 0, sizeof(modlist));
	modlist[0] = (struct hvm_modlist_entry){ .paddr = 0x800000, .size = 0x12345, .cmdline_paddr = MODCMD_PA };
	modlist[1] = (struct hvm_modlist_entry){ .paddr = 0x900000, .size = 0x1000, .cmdline_paddr = 0 };
	memmap[0] = (struct hvm_memmap_table_entry){ .addr = 0, .size = 0x9FC00, .type = 1 };
	memmap[1] = (struct hvm_memmap_table_entry){ .addr = 0xF0000, .size = 0x10000, .type = 2 };
	memmap[2] = (struct hvm_memmap_table_entry){ .addr = 0x100000, .size = 0x1FF00000, .type = 1 };
	memmap[3] = (struct hvm_memmap_table_entry){ .addr = 0xFEFFC000, .size = 0x4000, .type = 7 };
	strcpy(cmdline_buf, "console=ttyS0 amphi.test=all");
	strcpy(modcmd_buf, "initrd arg=1");
	map(MODLIST_PA, modlist, sizeof(modlist));
	map(CMDLINE_PA, cmdline_buf, sizeof(cmdline_buf));
	map(MODCMD_PA, modcmd_buf, sizeof(modcmd_buf));
	map(MEMMAP_PA, memmap, sizeof(memmap));
}

static void test_pvh_v1_memmap_modules_cmdline(void **state)
{
	(void)state;
	pvh_fixture(1);
	map(SI_PA, &si, sizeof(si));
	assert_null(bootinfo_from_pvh(&bi, SI_PA, fake_read));
	assert_int_equal(bi.kind, BOOT_PVH);
	assert_int_equal(bi.loader_version, 1);
	assert_int_equal(bi.loader_info_phys, SI_PA);
	assert_int_equal(bi.rsdp, 0xE0000);
	assert_string_equal(bi.cmdline, "console=ttyS0 amphi.test=all");
	assert_int_equal(bi.nr_mem, 4);
	expect_mem(0, 0, 0x9FC00, MEM_USABLE);
	expect_mem(1, 0xF0000, 0x10000, MEM_RESERVED);
	expect_mem(2, 0x100000, 0x1FF00000, MEM_USABLE);
	expect_mem(3, 0xFEFFC000, 0x4000, MEM_RESERVED);   /* unknown type 7 */
	assert_int_equal(bi.nr_modules, 2);
	assert_int_equal(bi.modules[0].base, 0x800000);
	assert_int_equal(bi.modules[0].size, 0x12345);
	assert_string_equal(bi.modules[0].cmdline, "initrd arg=1");
	assert_int_equal(bi.modules[1].base, 0x900000);
	assert_int_equal(bi.modules[1].size, 0x1000);
	assert_string_equal(bi.modules[1].cmdline, "");
	assert_int_equal(failed_reads, 0);
}

static void test_pvh_v0_has_no_memmap_and_no_error(void **state)
{
	(void)state;
	pvh_fixture(0);
	/* A version 0 structure ends before memmap_paddr: map only that much. */
	map(SI_PA, &si, offsetof(struct hvm_start_info, memmap_paddr));
	assert_null(bootinfo_from_pvh(&bi, SI_PA, fake_read));
	assert_int_equal(bi.loader_version, 0);
	assert_int_equal(bi.nr_mem, 0);
	assert_int_equal(bi.nr_modules, 2);
	assert_string_equal(bi.cmdline, "console=ttyS0 amphi.test=all");
	assert_string_equal(bi.modules[0].cmdline, "initrd arg=1");
	assert_int_equal(failed_reads, 0);
}

static void test_pvh_v0_ignores_memmap_fields(void **state)
{
	(void)state;
	pvh_fixture(0);
	si.memmap_paddr = MEMMAP_PA;        /* garbage in a v0 structure */
	si.memmap_entries = 4;
	map(SI_PA, &si, sizeof(si));
	assert_null(bootinfo_from_pvh(&bi, SI_PA, fake_read));
	assert_int_equal(bi.nr_mem, 0);
}

static void test_pvh_bad_magic(void **state)
{
	(void)state;
	pvh_fixture(1);
	si.magic = 0x12345678;
	map(SI_PA, &si, sizeof(si));
	const char *err = bootinfo_from_pvh(&bi, SI_PA, fake_read);
	assert_non_null(err);
	assert_non_null(strstr(err, "magic"));
	assert_int_equal(bi.nr_mem, 0);
	assert_int_equal(bi.nr_modules, 0);
}

static void test_pvh_start_info_unreachable(void **state)
{
	(void)state;
	assert_non_null(bootinfo_from_pvh(&bi, SI_PA, fake_read));
	assert_int_equal(bi.kind, BOOT_PVH);
	/* v1 but only the v0 part reachable. */
	reset(NULL);
	pvh_fixture(1);
	map(SI_PA, &si, offsetof(struct hvm_start_info, memmap_paddr));
	assert_non_null(bootinfo_from_pvh(&bi, SI_PA, fake_read));
}

static void test_pvh_memmap_unreachable_is_error(void **state)
{
	(void)state;
	pvh_fixture(1);
	si.memmap_entries = 5;              /* one past the mapped table */
	map(SI_PA, &si, sizeof(si));
	const char *err = bootinfo_from_pvh(&bi, SI_PA, fake_read);
	assert_non_null(err);
	assert_non_null(strstr(err, "memory map"));
}

static void test_pvh_modlist_unreachable_is_error(void **state)
{
	(void)state;
	pvh_fixture(1);
	si.modlist_paddr = 0x7000000;
	map(SI_PA, &si, sizeof(si));
	const char *err = bootinfo_from_pvh(&bi, SI_PA, fake_read);
	assert_non_null(err);
	assert_non_null(strstr(err, "module"));
}

static void test_pvh_unreachable_cmdlines_give_empty_strings(void **state)
{
	(void)state;
	pvh_fixture(1);
	si.cmdline_paddr = 0x7000000;
	modlist[0].cmdline_paddr = 0x7100000;
	map(SI_PA, &si, sizeof(si));
	assert_null(bootinfo_from_pvh(&bi, SI_PA, fake_read));
	assert_string_equal(bi.cmdline, "");
	assert_string_equal(bi.modules[0].cmdline, "");
}

static void test_pvh_long_cmdlines_are_truncated(void **state)
{
	(void)state;
	pvh_fixture(1);
	memset(cmdline_buf, 'c', sizeof(cmdline_buf) - 1);
	cmdline_buf[sizeof(cmdline_buf) - 1] = 0;
	memset(modcmd_buf, 'm', sizeof(modcmd_buf) - 1);
	modcmd_buf[sizeof(modcmd_buf) - 1] = 0;
	map(SI_PA, &si, sizeof(si));
	assert_null(bootinfo_from_pvh(&bi, SI_PA, fake_read));
	assert_int_equal(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
	assert_int_equal(strlen(bi.modules[0].cmdline), BOOT_MODCMD_MAX - 1);
	assert_int_equal(bi.modules[0].cmdline[0], 'm');
}

static void test_pvh_cmdline_without_nul_stops_at_unmapped_memory(void **state)
{
	(void)state;
	pvh_fixture(1);
	static char tail[8];
	memcpy(tail, "abcdefgh", 8);       /* no NUL, nothing mapped after it */
	si.cmdline_paddr = 0x6000;
	map(0x6000, tail, sizeof(tail));
	map(SI_PA, &si, sizeof(si));
	assert_null(bootinfo_from_pvh(&bi, SI_PA, fake_read));
	assert_string_equal(bi.cmdline, "abcdefgh");
}

static void test_pvh_too_many_modules_are_capped(void **state)
{
	(void)state;
	pvh_fixture(1);
	si.nr_modules = BOOT_MODULES_MAX + 2;
	for (unsigned i = 0; i < BOOT_MODULES_MAX + 2; i++)
		modlist[i] = (struct hvm_modlist_entry){ .paddr = 0x1000000 + i * 0x1000, .size = 0x100 };
	map(SI_PA, &si, sizeof(si));
	assert_null(bootinfo_from_pvh(&bi, SI_PA, fake_read));
	assert_int_equal(bi.nr_modules, BOOT_MODULES_MAX);
	assert_int_equal(bi.modules[BOOT_MODULES_MAX - 1].base, 0x1000000 + (BOOT_MODULES_MAX - 1) * 0x1000);
}

/* ================= Multiboot ================= */
#define MBI_PA   0x9000u
#define MMAP_PA  0xA000u
#define MODS_PA  0xB000u
#define MBCMD_PA 0xC000u
#define MODCMD0_PA 0xC100u
#define MODCMD1_PA 0xC200u

static struct multiboot_info mbi;
static _Alignas(8) unsigned char mmap_buf[256];
static struct multiboot_mod mods[BOOT_MODULES_MAX + 2];
static char mbcmd[64], modcmd0[64], modcmd1[64];

/* Appends one entry whose size field is `size` (>= 20: extra bytes follow). */
static uint32_t mmap_put(uint32_t off, uint32_t size, uint64_t addr, uint64_t len, uint32_t type)
{
	struct multiboot_mmap_entry e = { size, addr, len, type };
	assert_true(off + 4 + size <= sizeof(mmap_buf));
	memset(mmap_buf + off, 0xEE, 4 + size);     /* padding is garbage */
	memcpy(mmap_buf + off, &e, sizeof(e));
	return off + 4 + size;
}

static void mb_fixture(void)
{
	memset(&mbi, 0, sizeof(mbi));
	memset(mods, 0, sizeof(mods));
	mbi.flags = MBI_FLAG_MEM | MBI_FLAG_CMDLINE | MBI_FLAG_MODS | MBI_FLAG_MMAP;
	mbi.mem_lower = 639;
	mbi.mem_upper = 130048;
	mbi.cmdline = MBCMD_PA;
	mbi.mods_count = 2;
	mbi.mods_addr = MODS_PA;
	uint32_t off = 0;
	off = mmap_put(off, 20, 0, 0x9FC00, 1);
	off = mmap_put(off, 24, 0x9FC00, 0x400, 2);       /* larger than 20 */
	off = mmap_put(off, 36, 0x100000, 0x7EE0000, 1);  /* much larger */
	off = mmap_put(off, 20, 0x7FE0000, 0x20000, 3);
	mbi.mmap_addr = MMAP_PA;
	mbi.mmap_length = off;
	mods[0] = (struct multiboot_mod){ 0x200000, 0x280000, MODCMD0_PA, 0 };
	mods[1] = (struct multiboot_mod){ 0x300000, 0x300000, MODCMD1_PA, 0 };   /* empty module */
	strcpy(mbcmd, "amphi.test=boot quiet");
	strcpy(modcmd0, "/boot/initrd.cpio rdinit=/init");
	strcpy(modcmd1, "blob");
	map(MBI_PA, &mbi, sizeof(mbi));
	map(MMAP_PA, mmap_buf, sizeof(mmap_buf));
	map(MODS_PA, mods, sizeof(mods));
	map(MBCMD_PA, mbcmd, sizeof(mbcmd));
	map(MODCMD0_PA, modcmd0, sizeof(modcmd0));
	map(MODCMD1_PA, modcmd1, sizeof(modcmd1));
}

static void test_multiboot_mmap_entries_with_large_size_field(void **state)
{
	(void)state;
	mb_fixture();
	assert_null(bootinfo_from_multiboot(&bi, MULTIBOOT_BOOTLOADER_MAGIC, MBI_PA, fake_read));
	assert_int_equal(bi.kind, BOOT_MULTIBOOT);
	assert_int_equal(bi.loader_info_phys, MBI_PA);
	assert_int_equal(bi.nr_mem, 4);
	expect_mem(0, 0, 0x9FC00, MEM_USABLE);
	expect_mem(1, 0x9FC00, 0x400, MEM_RESERVED);
	expect_mem(2, 0x100000, 0x7EE0000, MEM_USABLE);
	expect_mem(3, 0x7FE0000, 0x20000, MEM_ACPI);
	assert_int_equal(failed_reads, 0);
}

static void test_multiboot_partial_trailing_entry_ignored(void **state)
{
	(void)state;
	mb_fixture();
	mbi.mmap_length = 24 + 28 + 10;     /* two entries and a fragment */
	assert_null(bootinfo_from_multiboot(&bi, MULTIBOOT_BOOTLOADER_MAGIC, MBI_PA, fake_read));
	assert_int_equal(bi.nr_mem, 2);
}

static void test_multiboot_malformed_small_entry_is_error(void **state)
{
	(void)state;
	mb_fixture();
	mmap_put(24, 12, 0x9FC00, 0x400, 2);        /* second entry claims 12 bytes */
	const char *err = bootinfo_from_multiboot(&bi, MULTIBOOT_BOOTLOADER_MAGIC, MBI_PA, fake_read);
	assert_non_null(err);
	assert_non_null(strstr(err, "malformed"));
}

/* Regression: `off += e->size + 4` used to wrap for a
 * size field near 2^32, so the walk never ends (or goes backwards). */
static void test_multiboot_huge_entry_size_terminates(void **state)
{
	(void)state;
	static const uint32_t bad[] = { 0xFFFFFFFCu, 0xFFFFFFF0u, 0x80000000u };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reset(NULL);
		mb_fixture();
		mmap_put(24, 24, 0x9FC00, 0x400, 2);
		memcpy(mmap_buf + 24, &bad[i], 4);
		read_budget = 1000;
		bootinfo_from_multiboot(&bi, MULTIBOOT_BOOTLOADER_MAGIC, MBI_PA, fake_read);
		assert_true(reads < 100);
	}
}

static void test_multiboot_cmdline_and_modules(void **state)
{
	(void)state;
	mb_fixture();
	assert_null(bootinfo_from_multiboot(&bi, MULTIBOOT_BOOTLOADER_MAGIC, MBI_PA, fake_read));
	assert_string_equal(bi.cmdline, "amphi.test=boot quiet");
	assert_int_equal(bi.nr_modules, 2);
	assert_int_equal(bi.modules[0].base, 0x200000);
	assert_int_equal(bi.modules[0].size, 0x80000);
	assert_string_equal(bi.modules[0].cmdline, "/boot/initrd.cpio rdinit=/init");
	assert_int_equal(bi.modules[1].base, 0x300000);
	assert_int_equal(bi.modules[1].size, 0);
	assert_string_equal(bi.modules[1].cmdline, "blob");
}

static void test_multiboot_flags_gate_cmdline_and_modules(void **state)
{
	(void)state;
	mb_fixture();
	mbi.flags = MBI_FLAG_MMAP;
	assert_null(bootinfo_from_multiboot(&bi, MULTIBOOT_BOOTLOADER_MAGIC, MBI_PA, fake_read));
	assert_string_equal(bi.cmdline, "");
	assert_int_equal(bi.nr_modules, 0);
	assert_int_equal(bi.nr_mem, 4);
}

static void test_multiboot_mem_lower_upper_fallback(void **state)
{
	(void)state;
	mb_fixture();
	mbi.flags = MBI_FLAG_MEM;
	assert_null(bootinfo_from_multiboot(&bi, MULTIBOOT_BOOTLOADER_MAGIC, MBI_PA, fake_read));
	assert_int_equal(bi.nr_mem, 2);
	expect_mem(0, 0, 639 * 1024, MEM_USABLE);
	expect_mem(1, 0x100000, 130048ull * 1024, MEM_USABLE);
}

static void test_multiboot_mem_upper_above_4g_does_not_overflow(void **state)
{
	(void)state;
	mb_fixture();
	mbi.flags = MBI_FLAG_MEM;
	mbi.mem_upper = 0xFFFFFFFF;          /* KiB: about 4 TiB */
	assert_null(bootinfo_from_multiboot(&bi, MULTIBOOT_BOOTLOADER_MAGIC, MBI_PA, fake_read));
	expect_mem(1, 0x100000, 0xFFFFFFFFull * 1024, MEM_USABLE);
}

static void test_multiboot_mmap_preferred_over_mem_fields(void **state)
{
	(void)state;
	mb_fixture();
	mbi.mem_upper = 1;                   /* would be wrong if used */
	assert_null(bootinfo_from_multiboot(&bi, MULTIBOOT_BOOTLOADER_MAGIC, MBI_PA, fake_read));
	assert_int_equal(bi.nr_mem, 4);
}

static void test_multiboot_no_memory_info_is_error(void **state)
{
	(void)state;
	mb_fixture();
	mbi.flags = MBI_FLAG_CMDLINE | MBI_FLAG_MODS;
	const char *err = bootinfo_from_multiboot(&bi, MULTIBOOT_BOOTLOADER_MAGIC, MBI_PA, fake_read);
	assert_non_null(err);
	assert_non_null(strstr(err, "memory"));
	assert_int_equal(bi.nr_mem, 0);
}

static void test_multiboot_bad_magic_is_error(void **state)
{
	(void)state;
	mb_fixture();
	assert_non_null(bootinfo_from_multiboot(&bi, 0x36d76289 /* Multiboot2 */, MBI_PA, fake_read));
	assert_int_equal(bi.nr_mem, 0);
}

static void test_multiboot_module_end_before_start_is_error(void **state)
{
	(void)state;
	mb_fixture();
	mods[1].mod_end = mods[1].mod_start - 1;
	const char *err = bootinfo_from_multiboot(&bi, MULTIBOOT_BOOTLOADER_MAGIC, MBI_PA, fake_read);
	assert_non_null(err);
	assert_non_null(strstr(err, "module"));
}

static void test_multiboot_unreachable_info_is_error(void **state)
{
	(void)state;
	assert_non_null(bootinfo_from_multiboot(&bi, MULTIBOOT_BOOTLOADER_MAGIC, MBI_PA, fake_read));
	assert_int_equal(bi.kind, BOOT_MULTIBOOT);
	assert_int_equal(bi.nr_mem, 0);
}

static void test_multiboot_unreachable_mmap_is_error(void **state)
{
	(void)state;
	mb_fixture();
	mbi.mmap_addr = 0x40000000;
	const char *err = bootinfo_from_multiboot(&bi, MULTIBOOT_BOOTLOADER_MAGIC, MBI_PA, fake_read);
	assert_non_null(err);
	assert_non_null(strstr(err, "memory map"));
	/* A length running past the mapped buffer is caught the same way. */
	reset(NULL);
	mb_fixture();
	mbi.mmap_length = sizeof(mmap_buf) + 200;
	for (uint32_t off = 0; off + 24 <= sizeof(mmap_buf); )
		off = mmap_put(off, 20, off * 0x1000ull, 0x1000, 2);
	assert_non_null(bootinfo_from_multiboot(&bi, MULTIBOOT_BOOTLOADER_MAGIC, MBI_PA, fake_read));
}

static void test_multiboot_unreachable_modules_is_error(void **state)
{
	(void)state;
	mb_fixture();
	mbi.mods_addr = 0x40000000;
	const char *err = bootinfo_from_multiboot(&bi, MULTIBOOT_BOOTLOADER_MAGIC, MBI_PA, fake_read);
	assert_non_null(err);
	assert_non_null(strstr(err, "module"));
}

static void test_multiboot_unreachable_cmdlines_give_empty_strings(void **state)
{
	(void)state;
	mb_fixture();
	mbi.cmdline = 0x40000000;
	mods[0].cmdline = 0x40001000;
	mods[1].cmdline = 0;
	assert_null(bootinfo_from_multiboot(&bi, MULTIBOOT_BOOTLOADER_MAGIC, MBI_PA, fake_read));
	assert_string_equal(bi.cmdline, "");
	assert_string_equal(bi.modules[0].cmdline, "");
	assert_string_equal(bi.modules[1].cmdline, "");
}

static void test_multiboot_too_many_modules_are_capped(void **state)
{
	(void)state;
	mb_fixture();
	mbi.mods_count = 1000;               /* far past the mapped list */
	for (unsigned i = 0; i < BOOT_MODULES_MAX + 2; i++)
		mods[i] = (struct multiboot_mod){ 0x1000000 + i * 0x1000, 0x1000800 + i * 0x1000, 0, 0 };
	assert_null(bootinfo_from_multiboot(&bi, MULTIBOOT_BOOTLOADER_MAGIC, MBI_PA, fake_read));
	assert_int_equal(bi.nr_modules, BOOT_MODULES_MAX);
	assert_int_equal(bi.modules[BOOT_MODULES_MAX - 1].size, 0x800);
}

/* ================= BIOS (amphi's own loader) ================= */
#define BBP_PA 0x7000u
static struct bios_boot_params bbp;

static void bios_fixture(void)
{
	memset(&bbp, 0, sizeof(bbp));
	bbp.magic = BIOS_BOOT_MAGIC;
	bbp.e820_count = 4;
	bbp.boot_drive = 0x80;
	strcpy(bbp.cmdline, "amphi.test=bios");
	bbp.e820[0] = (struct e820_entry){ 0, 0x9FC00, 1, 1 };
	bbp.e820[1] = (struct e820_entry){ 0x9FC00, 0x400, 2, 1 };
	bbp.e820[2] = (struct e820_entry){ 0x100000, 0x1FF00000, 1, 0 };  /* 20-byte BIOS: no attr */
	bbp.e820[3] = (struct e820_entry){ 0xFFFC0000, 0x40000, 12, 1 };  /* unknown type */
	map(BBP_PA, &bbp, sizeof(bbp));
}

static void test_bios_params_converted(void **state)
{
	(void)state;
	bios_fixture();
	assert_null(bootinfo_from_bios(&bi, BBP_PA, fake_read));
	assert_int_equal(bi.kind, BOOT_BIOS);
	assert_int_equal(bi.loader_info_phys, BBP_PA);
	assert_string_equal(bi.cmdline, "amphi.test=bios");
	assert_int_equal(bi.nr_mem, 4);
	expect_mem(0, 0, 0x9FC00, MEM_USABLE);
	expect_mem(1, 0x9FC00, 0x400, MEM_RESERVED);
	expect_mem(2, 0x100000, 0x1FF00000, MEM_USABLE);
	expect_mem(3, 0xFFFC0000, 0x40000, MEM_RESERVED);
	assert_int_equal(bi.nr_modules, 0);
	assert_int_equal(bi.rsdp, 0);
}

static void test_bios_bad_magic_is_error(void **state)
{
	(void)state;
	bios_fixture();
	bbp.magic = 0x2BADB002;
	const char *err = bootinfo_from_bios(&bi, BBP_PA, fake_read);
	assert_non_null(err);
	assert_non_null(strstr(err, "magic"));
	assert_int_equal(bi.nr_mem, 0);
}

static void test_bios_zero_entries_is_error(void **state)
{
	(void)state;
	bios_fixture();
	bbp.e820_count = 0;
	const char *err = bootinfo_from_bios(&bi, BBP_PA, fake_read);
	assert_non_null(err);
	assert_non_null(strstr(err, "E820"));
}

static void test_bios_unreachable_params_is_error(void **state)
{
	(void)state;
	assert_non_null(bootinfo_from_bios(&bi, BBP_PA, fake_read));
	/* Truncated: only the header is reachable. */
	reset(NULL);
	bios_fixture();
	mem[0].len = 64;
	assert_non_null(bootinfo_from_bios(&bi, BBP_PA, fake_read));
}

static void test_bios_acpi3_entry_with_valid_bit_clear_is_ignored(void **state)
{
	(void)state;
	bios_fixture();
	bbp.e820[1].ext_attr = 2;            /* attributes present, "valid" clear */
	bbp.e820[3].ext_attr = 3;            /* valid + non-volatile: kept */
	assert_null(bootinfo_from_bios(&bi, BBP_PA, fake_read));
	assert_int_equal(bi.nr_mem, 3);
	expect_mem(0, 0, 0x9FC00, MEM_USABLE);
	expect_mem(1, 0x100000, 0x1FF00000, MEM_USABLE);
	expect_mem(2, 0xFFFC0000, 0x40000, MEM_RESERVED);
}

static void test_bios_e820_count_is_clamped(void **state)
{
	(void)state;
	bios_fixture();
	bbp.e820_count = 100000;
	for (unsigned i = 0; i < BIOS_E820_MAX; i++)
		bbp.e820[i] = (struct e820_entry){ (uint64_t)i << 20, 0x1000, 1, 1 };
	assert_null(bootinfo_from_bios(&bi, BBP_PA, fake_read));
	assert_int_equal(bi.nr_mem, BIOS_E820_MAX);
	expect_mem(BIOS_E820_MAX - 1, (uint64_t)(BIOS_E820_MAX - 1) << 20, 0x1000, MEM_USABLE);
	assert_int_equal(failed_reads, 0);
}

static void test_bios_zero_length_entries_dropped(void **state)
{
	(void)state;
	bios_fixture();
	bbp.e820[1].length = 0;
	assert_null(bootinfo_from_bios(&bi, BBP_PA, fake_read));
	assert_int_equal(bi.nr_mem, 3);
}

static void test_bios_cmdline_without_nul_is_bounded(void **state)
{
	(void)state;
	bios_fixture();
	memset(bbp.cmdline, 'k', sizeof(bbp.cmdline));   /* no terminator */
	bbp.e820[0].base = 0x6B6B6B6B;                     /* "kkkk": text-like bytes follow */
	assert_null(bootinfo_from_bios(&bi, BBP_PA, fake_read));
	assert_int_equal(strlen(bi.cmdline), BIOS_CMDLINE_MAX);
	for (unsigned i = 0; i < BIOS_CMDLINE_MAX; i++)
		assert_int_equal(bi.cmdline[i], 'k');
	/* The E820 table that follows did not leak into the command line. */
	assert_int_equal(bi.nr_mem, 4);
}

/* ================= shared helpers ================= */
static void test_add_mem_full_table_drops_and_reports(void **state)
{
	(void)state;
	bootinfo_init(&bi, BOOT_BIOS);
	for (unsigned i = 0; i < BOOT_MEMMAP_MAX; i++)
		assert_int_equal(bootinfo_add_mem(&bi, i * 0x1000ull, 0x1000, MEM_USABLE), 0);
	assert_int_equal(bootinfo_add_mem(&bi, 0x10000000, 0x1000, MEM_USABLE), -1);
	assert_int_equal(bi.nr_mem, BOOT_MEMMAP_MAX);
	/* Empty regions are not an error, even when full. */
	assert_int_equal(bootinfo_add_mem(&bi, 0x10000000, 0, MEM_USABLE), 0);
}

static void test_add_mem_unknown_types_become_reserved(void **state)
{
	(void)state;
	bootinfo_init(&bi, BOOT_PVH);
	bootinfo_add_mem(&bi, 0, 0x1000, 0);
	bootinfo_add_mem(&bi, 0x1000, 0x1000, 6);
	bootinfo_add_mem(&bi, 0x2000, 0x1000, MEM_BAD);
	assert_int_equal(bi.nr_mem, 3);
	assert_int_equal(bi.mem[0].type, MEM_RESERVED);
	assert_int_equal(bi.mem[1].type, MEM_RESERVED);
	assert_int_equal(bi.mem[2].type, MEM_BAD);
}

static void test_set_cmdline_bounds(void **state)
{
	(void)state;
	static char big[BOOT_CMDLINE_MAX + 50];
	memset(big, 'b', sizeof(big));      /* no NUL at all */
	bootinfo_init(&bi, BOOT_BIOS);
	bootinfo_set_cmdline(&bi, big, sizeof(big));
	assert_int_equal(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
	bootinfo_set_cmdline(&bi, "abcdef", 3);
	assert_string_equal(bi.cmdline, "abc");
	bootinfo_set_cmdline(&bi, NULL, 10);
	assert_string_equal(bi.cmdline, "");
}

static void test_copy_cstr_null_address_and_truncation(void **state)
{
	(void)state;
	static char src[] = "0123456789";
	char dst[6];
	map(0x5000, src, sizeof(src));
	bootinfo_copy_cstr(dst, sizeof(dst), 0, fake_read);
	assert_string_equal(dst, "");
	bootinfo_copy_cstr(dst, sizeof(dst), 0x5000, fake_read);
	assert_string_equal(dst, "01234");
	bootinfo_copy_cstr(dst, sizeof(dst), 0x5008, fake_read);
	assert_string_equal(dst, "89");
}

static void test_boot_kind_names(void **state)
{
	(void)state;
	assert_string_equal(boot_kind_name(BOOT_PVH), "pvh");
	assert_string_equal(boot_kind_name(BOOT_MULTIBOOT), "multiboot");
	assert_string_equal(boot_kind_name(BOOT_BIOS), "bios");
	assert_string_equal(boot_kind_name((enum boot_kind)0), "unknown");
}

#define T(f) cmocka_unit_test_setup(f, reset)
int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);   /* keep stdout and stderr in order */
	const struct CMUnitTest tests[] = {
		T(test_pvh_v1_memmap_modules_cmdline),
		T(test_pvh_v0_has_no_memmap_and_no_error),
		T(test_pvh_v0_ignores_memmap_fields),
		T(test_pvh_bad_magic),
		T(test_pvh_start_info_unreachable),
		T(test_pvh_memmap_unreachable_is_error),
		T(test_pvh_modlist_unreachable_is_error),
		T(test_pvh_unreachable_cmdlines_give_empty_strings),
		T(test_pvh_long_cmdlines_are_truncated),
		T(test_pvh_cmdline_without_nul_stops_at_unmapped_memory),
		T(test_pvh_too_many_modules_are_capped),
		T(test_multiboot_mmap_entries_with_large_size_field),
		T(test_multiboot_partial_trailing_entry_ignored),
		T(test_multiboot_malformed_small_entry_is_error),
		T(test_multiboot_huge_entry_size_terminates),
		T(test_multiboot_cmdline_and_modules),
		T(test_multiboot_flags_gate_cmdline_and_modules),
		T(test_multiboot_mem_lower_upper_fallback),
		T(test_multiboot_mem_upper_above_4g_does_not_overflow),
		T(test_multiboot_mmap_preferred_over_mem_fields),
		T(test_multiboot_no_memory_info_is_error),
		T(test_multiboot_bad_magic_is_error),
		T(test_multiboot_module_end_before_start_is_error),
		T(test_multiboot_unreachable_info_is_error),
		T(test_multiboot_unreachable_mmap_is_error),
		T(test_multiboot_unreachable_modules_is_error),
		T(test_multiboot_unreachable_cmdlines_give_empty_strings),
		T(test_multiboot_too_many_modules_are_capped),
		T(test_bios_params_converted),
		T(test_bios_bad_magic_is_error),
		T(test_bios_zero_entries_is_error),
		T(test_bios_unreachable_params_is_error),
		T(test_bios_acpi3_entry_with_valid_bit_clear_is_ignored),
		T(test_bios_e820_count_is_clamped),
		T(test_bios_zero_length_entries_dropped),
		T(test_bios_cmdline_without_nul_is_bounded),
		T(test_add_mem_full_table_drops_and_reports),
		T(test_add_mem_unknown_types_become_reserved),
		T(test_set_cmdline_bounds),
		T(test_copy_cstr_null_address_and_truncation),
		T(test_boot_kind_names),
	};
	return cmocka_run_group_tests_name("bootinfo", tests, NULL, NULL);
}
