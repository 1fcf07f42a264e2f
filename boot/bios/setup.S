/*
 * amphi BIOS real-mode setup, loaded by bootsect.S at 0000:8000 (LBA 2..).
 * Entry: real mode, CS=DS=ES=SS=0, %dl = BIOS boot drive.  The boot sector
 * (with its header at 0x7DA0) and the command-line sector (0x7E00) are
 * still in memory.
 *
 * Steps: serial + header checks, fill struct bios_boot_params at PARAMS
 * (magic, drive, kernel size, command line, E820 map), check that the kernel
 * fits in RAM at 1 MiB, load the kernel to 1 MiB, enable A20 (after the
 * load, see there), enter 32-bit protected mode and jump to 0x100000 with
 * %eax = BIOS_BOOT_MAGIC, %ebx = PARAMS.  Nothing else is set up: the 8259
 * PICs are left as the BIOS programmed them (IRQ0 on vector 8), so the
 * kernel must remap or mask them before it enables interrupts.
 *
 * Why INT 13h into a low bounce buffer + INT 15h AH=87h, not unreal mode:
 * both work on SeaBIOS, but unreal mode relies on the BIOS disk code (and
 * any SMM / option ROM / interrupt handlers that run in between) never
 * reloading %ds/%es with real-mode limits, which is not guaranteed; also
 * INT 13h cannot DMA above 1 MiB in real mode anyway, so a bounce buffer is
 * needed either way.  AH=87h is the BIOS's own, documented way to copy above
 * 1 MiB (it handles A20 itself), costs one call per read, and leaves no
 * odd segment state behind.  Reads are 127 sectors (63.5 KiB) each: the
 * per-request limit of many EDD BIOSes (Phoenix EDD spec), within the
 * 64 KiB limit of one AH=87h copy, and the buffer at 0x10000-0x1FDFF does
 * not cross a 64 KiB DMA boundary.  (127 rather than 64 sectors: under
 * QEMU TCG a 15 MiB kernel loads in ~1.5 s instead of ~2.5 s.)
 *
 * Low memory used (all below 1 MiB; the kernel reserves the whole first MiB):
 *   0x0000-0x04FF  IVT + BDA (BIOS; read only by BIOS calls)
 *   0x0500/0x0510  one byte each, briefly, for the A20 wraparound test
 *                  (restored)
 *   0x1000-0x1D0F  struct bios_boot_params (PARAMS, BBP_SIZE = 3344 bytes)
 *   0x6000-0x7BFF  real-mode stack (grows down from 0x7C00), %esp = 0x7C00
 *                  at hand-off
 *   0x7C00-0x7DFF  boot sector (header at 0x7DA0)
 *   0x7E00-0x7FFF  command-line sector
 *   0x8000-0xFDFF  this setup code incl. the GDT used at hand-off
 *   0x10000-0x1FDFF bounce buffer for kernel reads
 */
#include <amphi/bios_boot.h>

#define COM1		0x3F8
#define HDR		(0x7C00 + 0x1A0)
#define H_MAGIC		(HDR + 0)
#define H_SETUP		(HDR + 4)
#define H_KLBA		(HDR + 8)
#define H_KSECT		(HDR + 12)
#define H_KBYTES	(HDR + 16)
#define CMDLINE_SECT	0x7E00
#define PARAMS		0x1000
#define BOUNCE_SEG	0x1000		/* 0x10000 */
#define CHUNK		127		/* sectors per INT 13h read (EDD max) */
#define KERNEL_MAX_SECT	(15 * 2048)	/* 15 MiB: 1..16 MiB */
#define SMAP		0x534D4150
#define LINEBUF_LEN	128

	.code16
	.section .text.start, "ax"
	.globl _start
_start:
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$0x7C00, %sp
	sti
	cld
	movb	%dl, drive
	call	serial_init
	/* Screen: end the BIOS's "Booting from ..." line; the trailing
	 * backspace (at column 0) also makes SeaBIOS sercon flush its copy
	 * of that line before our first line goes out on COM1. */
	movw	$0x0007, %bx
	movw	$0x0E0D, %ax
	int	$0x10
	movw	$0x0E0A, %ax
	int	$0x10
	movw	$0x0E08, %ax
	int	$0x10

	cmpl	$0x42504D41, H_MAGIC		/* "AMPB" */
	jne	bad_hdr
	movl	H_KSECT, %eax
	testl	%eax, %eax
	jz	bad_kernel
	cmpl	$KERNEL_MAX_SECT, %eax
	ja	bad_kernel

	/* struct bios_boot_params: zero, then the fixed fields. */
	movw	$PARAMS, %di
	movw	$(BBP_SIZE + 1) / 2, %cx
	xorw	%ax, %ax
	rep stosw
	movl	$BIOS_BOOT_MAGIC, PARAMS + BBP_MAGIC
	movzbl	drive, %eax
	movl	%eax, PARAMS + BBP_BOOT_DRIVE
	movl	H_KBYTES, %eax
	movl	%eax, PARAMS + BBP_KERNEL_SIZE

	/* Command line: at most BIOS_CMDLINE_MAX-1 bytes; the last byte of
	 * the (zeroed) field is never written, so it is always terminated. */
	movw	$CMDLINE_SECT, %si
	movw	$PARAMS + BBP_CMDLINE, %di
	movw	$BIOS_CMDLINE_MAX - 1, %cx
1:	lodsb
	stosb
	testb	%al, %al
	loopnz	1b

	call	memory_map
	call	check_fit

	movw	$msg_load, %si
	call	lb_str
	movl	H_KSECT, %eax
	call	lb_dec
	movw	$msg_load2, %si
	call	lb_str
	call	lb_flush

	call	load_kernel
	/* A20 only now: INT 15h AH=87h enables A20 for each copy and then
	 * restores the state it found (SeaBIOS: through port 0x92), which
	 * could switch off an A20 we had enabled some other way. */
	call	enable_a20

	movw	$msg_start, %si
	call	lb_str
	movl	PARAMS + BBP_E820_COUNT, %eax
	call	lb_dec
	movw	$msg_start2, %si
	call	lb_str
	call	lb_flush
	jmp	go_pm

/* ------------------------------------------------------------------ */
/* Memory map: INT 15h E820h, falling back to E801h and then AH=88h.    */
memory_map:
	xorl	%ebx, %ebx
	movw	$PARAMS + BBP_E820, %di
1:	movl	$1, 20(%di)		/* ACPI 3 attr: "valid" if BIOS gives 20 bytes */
	movl	$0xE820, %eax
	movl	$SMAP, %edx
	movl	$24, %ecx
	int	$0x15
	jc	9f			/* unsupported, or past the last entry */
	cmpl	$SMAP, %eax
	jne	9f
	cmpb	$20, %cl
	jb	3f			/* malformed: skip */
	cmpb	$24, %cl
	jb	2f
	testb	$1, 20(%di)		/* ACPI 3: bit 0 clear = ignore entry */
	jz	3f
2:	movl	8(%di), %eax
	orl	12(%di), %eax
	jz	3f			/* zero length: skip */
	addw	$24, %di
	incl	PARAMS + BBP_E820_COUNT
	cmpl	$BIOS_E820_MAX, PARAMS + BBP_E820_COUNT
	jae	9f
3:	testl	%ebx, %ebx
	jnz	1b
9:	cmpl	$BIOS_E820_MAX, PARAMS + BBP_E820_COUNT
	jae	1f
	movw	$12, %cx		/* clear a skipped last slot */
	xorw	%ax, %ax
	rep stosw
1:	cmpl	$0, PARAMS + BBP_E820_COUNT
	jne	mm_done

	/* No E820: synthesise usable entries from INT 12h + E801h / 88h. */
	int	$0x12			/* %ax = KiB of conventional memory */
	movzwl	%ax, %edx
	shll	$10, %edx
	xorl	%eax, %eax
	call	add_ram
	xorw	%cx, %cx
	xorw	%dx, %dx
	movw	$0xE801, %ax
	int	$0x15
	jc	e88
	jcxz	1f			/* CX/DX preferred, AX/BX if they are 0 */
	movw	%cx, %ax
	movw	%dx, %bx
1:	pushw	%bx
	movzwl	%ax, %edx		/* KiB between 1 MiB and 16 MiB */
	shll	$10, %edx
	movl	$0x100000, %eax
	call	add_ram
	popw	%bx
	movzwl	%bx, %edx		/* 64 KiB blocks above 16 MiB */
	shll	$16, %edx
	movl	$0x1000000, %eax
	call	add_ram
	jmp	mm_done
e88:	movb	$0x88, %ah
	int	$0x15
	jc	no_mmap
	movzwl	%ax, %edx
	shll	$10, %edx
	movl	$0x100000, %eax
	call	add_ram
mm_done:
	ret
no_mmap:
	movw	$msg_nommap, %si
	jmp	fatal

/* add_ram: append a usable entry base %eax, length %edx (skip if 0). */
add_ram:
	testl	%edx, %edx
	jz	1f
	movl	PARAMS + BBP_E820_COUNT, %esi
	imulw	$24, %si, %si
	addw	$PARAMS + BBP_E820, %si
	movl	%eax, 0(%si)
	movl	$0, 4(%si)
	movl	%edx, 8(%si)
	movl	$0, 12(%si)
	movl	$1, 16(%si)
	movl	$1, 20(%si)
	incl	PARAMS + BBP_E820_COUNT
1:	ret

/* ------------------------------------------------------------------ */
/* check_fit: usable RAM (possibly several adjacent type-1 entries) must
 * cover [1 MiB, 1 MiB + kernel_sectors*512). */
check_fit:
	movl	H_KSECT, %edx
	shll	$9, %edx
	addl	$BIOS_KERNEL_LOAD, %edx		/* needed end, <= 16 MiB */
	movl	$BIOS_KERNEL_LOAD, %edi		/* covered up to here */
cf_pass:
	cmpl	%edx, %edi
	jae	cf_ok
	xorb	%bh, %bh			/* progress flag */
	movw	PARAMS + BBP_E820_COUNT, %cx
	movw	$PARAMS + BBP_E820, %si
1:	jcxz	3f
	cmpl	$1, 16(%si)
	jne	2f
	cmpl	$0, 4(%si)
	jne	2f				/* base >= 4 GiB */
	cmpl	%edi, 0(%si)
	ja	2f				/* starts after the covered end */
	movl	0(%si), %eax
	addl	8(%si), %eax
	jc	cf_ok				/* end >= 4 GiB */
	cmpl	$0, 12(%si)
	jne	cf_ok				/* length >= 4 GiB */
	cmpl	%edi, %eax
	jbe	2f
	movl	%eax, %edi
	movb	$1, %bh
2:	addw	$24, %si
	decw	%cx
	jmp	1b
3:	testb	%bh, %bh
	jnz	cf_pass
	movw	$msg_nofit, %si
	jmp	fatal
cf_ok:
	ret

/* ------------------------------------------------------------------ */
/* A20: already on? else BIOS 2401h, fast A20 (port 0x92), then the 8042. */
enable_a20:
	call	a20_test
	jnc	9f
	movw	$0x2401, %ax
	int	$0x15
	call	a20_wait
	jnc	9f
	inb	$0x92, %al
	testb	$2, %al
	jnz	1f
	orb	$2, %al
	andb	$0xFE, %al			/* never pulse the reset bit */
	outb	%al, $0x92
1:	call	a20_wait
	jnc	9f
	call	kbc_wait
	movb	$0xD1, %al			/* write output port */
	outb	%al, $0x64
	call	kbc_wait
	movb	$0xDF, %al			/* A20 on, no reset */
	outb	%al, $0x60
	call	kbc_wait
	call	a20_wait
	jnc	9f
	movw	$msg_a20, %si
	jmp	fatal
9:	ret

/* a20_wait: poll a20_test for a while; CF=0 once on. */
a20_wait:
	movw	$0x4000, %cx
1:	call	a20_test
	jnc	2f
	outb	%al, $0x80			/* ~1 us I/O delay */
	loop	1b
	stc
2:	ret

/* a20_test: CF=1 if 0000:0500 and FFFF:0510 alias (A20 off).  Preserves
 * every general register except %ax and flags. */
a20_test:
	pushw	%bx
	pushw	%fs
	pushw	%gs
	xorw	%ax, %ax
	movw	%ax, %fs
	notw	%ax
	movw	%ax, %gs
	movb	%fs:0x500, %bl
	movb	%gs:0x510, %bh
	movb	$0x00, %fs:0x500
	movb	$0xFF, %gs:0x510
	movb	%fs:0x500, %al
	movb	%bh, %gs:0x510
	movb	%bl, %fs:0x500
	popw	%gs
	popw	%fs
	popw	%bx
	cmpb	$0xFF, %al
	stc
	je	1f
	clc
1:	ret

kbc_wait:
	pushw	%cx
	pushw	%ax
	movw	$0xFFFF, %cx
1:	inb	$0x64, %al
	testb	$2, %al
	loopnz	1b
	popw	%ax
	popw	%cx
	ret

/* ------------------------------------------------------------------ */
/* load_kernel: kernel_sectors from kernel_lba to BIOS_KERNEL_LOAD. */
load_kernel:
	movl	H_KLBA, %eax
	movl	%eax, dap_lba
	movl	H_KSECT, %eax
	movl	%eax, remain
	movl	$BIOS_KERNEL_LOAD, dest
lk_next:
	movl	remain, %eax
	testl	%eax, %eax
	jz	lk_done
	cmpl	$CHUNK, %eax
	jbe	1f
	movl	$CHUNK, %eax
1:	movw	%ax, chunk
	movw	$3, %bp				/* tries */
2:	movw	chunk, %ax
	movw	%ax, dap_count			/* BIOS may rewrite it on error */
	movw	$0, dap_off
	movw	$BOUNCE_SEG, dap_seg
	movw	$dap, %si
	movb	$0x42, %ah
	movb	drive, %dl
	int	$0x13
	jnc	3f
	decw	%bp
	jz	read_err
	xorb	%ah, %ah			/* reset, retry */
	movb	drive, %dl
	int	$0x13
	jmp	2b

3:	movl	dest, %eax			/* patch the AH=87h dest base */
	movw	%ax, gdt87_dst + 2
	shrl	$16, %eax
	movb	%al, gdt87_dst + 4
	movb	%ah, gdt87_dst + 7
	movw	chunk, %cx
	shlw	$8, %cx				/* words */
	movw	$gdt87, %si			/* %es = 0 */
	movb	$0x87, %ah
	int	$0x15
	jc	copy_err
	testb	%ah, %ah
	jnz	copy_err

	movzwl	chunk, %eax
	addl	%eax, dap_lba
	subl	%eax, remain
	shll	$9, %eax
	addl	%eax, dest
	jmp	lk_next
lk_done:
	ret

read_err:
	pushw	%ax
	movw	$msg_read, %si
	call	lb_str
	popw	%ax
	movb	%ah, %al
	call	lb_hex8
	movw	$msg_at_lba, %si
	call	lb_str
	movl	dap_lba, %eax
	call	lb_dec
	jmp	die
copy_err:
	pushw	%ax
	movw	$msg_copy, %si
	call	lb_str
	popw	%ax
	movb	%ah, %al
	call	lb_hex8
	jmp	die

bad_hdr:
	movw	$msg_hdr, %si
	jmp	fatal
bad_kernel:
	movw	$msg_kernel, %si
fatal:
	call	lb_str
die:
	movw	$msg_nl, %si
	call	lb_str
	call	lb_flush
1:	cli
	hlt
	jmp	1b

/* ------------------------------------------------------------------ */
/* Output is line-buffered: each line goes whole to COM1 (port I/O), then
 * whole to the screen (INT 10h teletype).  SeaBIOS's serial console
 * (enabled e.g. by qemu -nographic) and BIOS console redirection mirror
 * INT 10h onto the serial port; writing per character to both would
 * interleave the two copies into garbage.  With such a BIOS each line
 * shows up twice on the serial port, first our clean copy.  Every line
 * ends in "\r\n" (callers' job), so the cursor is at column 0 when
 * lb_flush sends its trailing backspace. */
serial_init:
	movw	$serial_init_tab, %si
1:	lodsw				/* al = value, ah = port offset */
	cmpb	$0xFF, %ah
	je	2f
	movw	$COM1, %dx
	addb	%ah, %dl
	outb	%al, %dx
	jmp	1b
2:	ret

/* lb_putc: append %al to the line buffer (silently truncates). */
lb_putc:
	pushw	%di
	movw	lb_pos, %di
	cmpw	$linebuf + LINEBUF_LEN - 1, %di
	jae	1f
	movb	%al, (%di)
	incw	lb_pos
1:	popw	%di
	ret

/* lb_str: append the NUL-terminated string at %si. */
lb_str:
	lodsb
	testb	%al, %al
	jz	1f
	call	lb_putc
	jmp	lb_str
1:	ret

/* lb_hex8: append %al as two hex digits. */
lb_hex8:
	pushw	%ax
	shrb	$4, %al
	call	1f
	popw	%ax
	andb	$0x0F, %al
1:	addb	$'0', %al
	cmpb	$'9', %al
	jbe	lb_putc
	addb	$7, %al
	jmp	lb_putc

/* lb_dec: append %eax in decimal. */
lb_dec:
	pushal
	movl	$10, %ecx
	xorw	%si, %si
1:	xorl	%edx, %edx
	divl	%ecx
	pushw	%dx
	incw	%si
	testl	%eax, %eax
	jnz	1b
2:	popw	%ax
	addb	$'0', %al
	call	lb_putc
	decw	%si
	jnz	2b
	popal
	ret

/* lb_flush: the buffered line to COM1, then to the screen; empty it. */
lb_flush:
	pusha
	movw	$linebuf, %si
1:	cmpw	lb_pos, %si
	jae	3f
	movw	$COM1 + 5, %dx
	movw	$0xFFFF, %cx
2:	inb	%dx, %al
	testb	$0x20, %al
	loopz	2b
	lodsb
	movw	$COM1, %dx
	outb	%al, %dx
	jmp	1b
3:	movw	$linebuf, %si
1:	cmpw	lb_pos, %si
	jae	2f
	lodsb
	movb	$0x0E, %ah
	movw	$0x0007, %bx
	int	$0x10
	jmp	1b
2:	movw	$0x0E08, %ax		/* backspace at column 0: a no-op for the */
	movw	$0x0007, %bx		/* VGA BIOS, but it makes SeaBIOS sercon */
	int	$0x10			/* flush its lazily buffered last char */
	movw	$linebuf, lb_pos
	popa
	ret

/* ------------------------------------------------------------------ */
/* Protected mode hand-off. */
go_pm:
	cli
	lgdtl	gdt_desc
	movl	%cr0, %eax
	orb	$1, %al
	movl	%eax, %cr0
	ljmpl	$0x08, $pm32

	.code32
pm32:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	movw	%ax, %ss
	movl	$0x7C00, %esp
	pushl	$2			/* EFLAGS: IF=0, DF=0 */
	popfl
	movl	$BIOS_BOOT_MAGIC, %eax
	movl	$PARAMS, %ebx
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%esi, %esi
	xorl	%edi, %edi
	xorl	%ebp, %ebp
	ljmp	$0x08, $BIOS_KERNEL_LOAD
	.code16

/* ------------------------------------------------------------------ */
	.balign	8
gdt:	.quad	0
	.quad	0x00CF9A000000FFFF	/* 0x08: flat 32-bit code */
	.quad	0x00CF92000000FFFF	/* 0x10: flat 32-bit data */
gdt_desc:
	.word	gdt_desc - gdt - 1
	.long	gdt

	.balign	8
gdt87:					/* INT 15h AH=87h descriptor table */
	.quad	0, 0
gdt87_src:
	.word	0xFFFF, 0x0000		/* limit, base 15:0 (0x10000) */
	.byte	0x01, 0x93, 0x00, 0x00	/* base 23:16, access, -, base 31:24 */
gdt87_dst:
	.word	0xFFFF, 0x0000
	.byte	0x00, 0x93, 0x00, 0x00
	.quad	0, 0			/* BIOS CS, SS */

	.balign	4
dap:		.byte	16, 0
dap_count:	.word	0
dap_off:	.word	0
dap_seg:	.word	0
dap_lba:	.long	0, 0
remain:		.long	0
dest:		.long	0
chunk:		.word	0
lb_pos:		.word	linebuf
drive:		.byte	0
linebuf:	.fill	LINEBUF_LEN, 1, 0

serial_init_tab:		/* (value, port offset) pairs */
	.byte	0x00, 1		/* IER off */
	.byte	0x80, 3		/* DLAB */
	.byte	0x01, 0		/* divisor 1 = 115200 */
	.byte	0x00, 1
	.byte	0x03, 3		/* 8N1 */
	.byte	0xC7, 2		/* FIFO on, cleared */
	.byte	0x03, 4		/* DTR|RTS */
	.byte	0x00, 0xFF

msg_load:	.asciz	"amphi-boot: loading kernel ("
msg_load2:	.asciz	" sectors)\r\n"
msg_start:	.asciz	"amphi-boot: e820 "
msg_start2:	.asciz	" entries, A20 on, jumping to 0x100000\r\n"
msg_read:	.asciz	"amphi-boot: disk read error 0x"
msg_at_lba:	.asciz	" at LBA "
msg_copy:	.asciz	"amphi-boot: INT 15h/87h copy error 0x"
msg_hdr:	.asciz	"amphi-boot: bad boot sector header"
msg_kernel:	.asciz	"amphi-boot: kernel size is 0 or over 15 MiB"
msg_nommap:	.asciz	"amphi-boot: no memory map (E820/E801/88h all failed)"
msg_nofit:	.asciz	"amphi-boot: kernel does not fit in RAM at 1 MiB"
msg_a20:	.asciz	"amphi-boot: cannot enable A20"
msg_nl:		.asciz	"\r\n"
