/*
 * amphi BIOS boot sector (sector 0 / LBA 0 of the raw disk image).
 *
 * The BIOS loads us at 0000:7C00 with %dl = boot drive.  We read, in one
 * INT 13h AH=42h (EDD) request, LBA 1 .. 1+setup_sectors to 0000:7E00:
 *   0x7E00  the command-line sector (LBA 1)
 *   0x8000  the real-mode setup code (LBA 2 ..), at most 63 sectors
 * and jump to 0000:8000 with %dl = boot drive.  The boot sector stays at
 * 0x7C00; setup reads the header below from there.
 *
 * Header (patched by tools/mkimg; kept at 0x1A0, clear of the FAT BPB area
 * that some BIOSes rewrite and of the MBR partition table at 0x1BE):
 *   0x1A0 u32 magic  "AMPB"
 *   0x1A4 u16 setup_sectors   (1..63)
 *   0x1A6 u16 header version  (1)
 *   0x1A8 u32 kernel_lba      (= 2 + setup_sectors)
 *   0x1AC u32 kernel_sectors
 *   0x1B0 u32 kernel_bytes
 *   0x1B4 u32 reserved (0)
 *   0x1FE u16 0xAA55
 */
#include <amphi/bios_boot.h>

#define COM1		0x3F8
#define HDR		0x1A0
#define SETUP_MAX	63

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
	ljmp	$0, $1f			/* normalise CS:IP to 0000:7Cxx */
1:	sti
	cld
	movb	%dl, drive

	/* COM1 115200 8N1, so errors are visible on a serial-only console. */
	movw	$serial_init_tab, %si
2:	lodsw				/* al = value, ah = port offset */
	cmpb	$0xFF, %ah
	je	3f
	movw	$COM1, %dx
	addb	%ah, %dl
	outb	%al, %dx
	jmp	2b
3:
	/* EDD present?  AH=41h BX=55AAh -> CF=0, BX=AA55h, CX bit 0 (packets). */
	movb	$0x41, %ah
	movw	$0x55AA, %bx
	movb	drive, %dl
	int	$0x13
	jc	no_edd
	cmpw	$0xAA55, %bx
	jne	no_edd
	testb	$1, %cl
	jz	no_edd

	movw	hdr_setup_sectors, %ax
	decw	%ax
	cmpw	$SETUP_MAX - 1, %ax	/* 1..63, unsigned compare catches 0 */
	ja	bad_hdr
	cmpl	$0x42504D41, hdr_magic	/* "AMPB" */
	jne	bad_hdr
	addw	$2, %ax			/* cmdline sector + setup sectors */

	movw	$3, %bp			/* tries */
read_again:
	movw	%ax, dap_count		/* BIOS may rewrite it on error */
	pushw	%ax
	movw	$dap, %si
	movb	$0x42, %ah
	movb	drive, %dl
	int	$0x13
	popw	%bx
	jnc	read_ok
	decw	%bp
	jz	read_err
	pushw	%bx
	xorb	%ah, %ah		/* reset disk system, retry */
	movb	drive, %dl
	int	$0x13
	popw	%ax
	jmp	read_again

read_ok:
	movb	drive, %dl
	ljmp	$0, $0x8000

read_err:
	movb	%ah, %al		/* patch the status into the message */
	shrb	$4, %al
	call	hexdig
	movb	%al, msg_read_hex
	movb	%ah, %al
	call	hexdig
	movb	%al, msg_read_hex + 1
	movw	$msg_read, %si
	jmp	fatal

no_edd:
	movw	$msg_edd, %si
	jmp	fatal
bad_hdr:
	movw	$msg_hdr, %si
fatal:
	/* Whole message to COM1 first, then to the screen: SeaBIOS (sercon,
	 * e.g. qemu -nographic) and BIOS console redirection mirror INT 10h
	 * onto the serial port, and interleaving per character would garble
	 * both copies. */
	movw	%si, %di
1:	lodsb
	testb	%al, %al
	jz	2f
	movb	%al, %bl
	movw	$COM1 + 5, %dx
	movw	$0xFFFF, %cx
3:	inb	%dx, %al
	testb	$0x20, %al
	loopz	3b
	movb	%bl, %al
	movw	$COM1, %dx
	outb	%al, %dx
	jmp	1b
2:	movw	%di, %si
1:	lodsb
	testb	%al, %al
	jz	2f
	movb	$0x0E, %ah
	movw	$0x0007, %bx
	int	$0x10
	jmp	1b
2:	movw	$0x0E08, %ax		/* BS at column 0: flushes sercon's copy */
	int	$0x10
halt:
	cli
	hlt
	jmp	halt

/* hexdig: low nibble of %al -> ASCII hex digit in %al. */
hexdig:
	andb	$0x0F, %al
	addb	$'0', %al
	cmpb	$'9', %al
	jbe	1f
	addb	$7, %al
1:	ret

serial_init_tab:		/* (value, port offset) pairs */
	.byte	0x00, 1		/* IER off */
	.byte	0x80, 3		/* DLAB */
	.byte	0x01, 0		/* divisor 1 = 115200 */
	.byte	0x00, 1
	.byte	0x03, 3		/* 8N1 */
	.byte	0xC7, 2		/* FIFO on, cleared */
	.byte	0x03, 4		/* DTR|RTS */
	.byte	0x00, 0xFF

msg_read:	.ascii	"amphi boot: disk read error 0x"
msg_read_hex:	.asciz	"??\r\n"
msg_edd:	.asciz	"amphi boot: BIOS lacks INT 13h extensions\r\n"
msg_hdr:	.asciz	"amphi boot: bad boot sector header\r\n"

	.balign	4
dap:		.byte	16, 0
dap_count:	.word	0
		.word	0x7E00, 0x0000	/* offset, segment */
		.long	1, 0		/* LBA 1 */
drive:		.byte	0

	.org	HDR
hdr_magic:		.ascii	"AMPB"
hdr_setup_sectors:	.word	0
hdr_version:		.word	1
hdr_kernel_lba:		.long	0
hdr_kernel_sectors:	.long	0
hdr_kernel_bytes:	.long	0
hdr_reserved:		.long	0

	.org	0x1FE
	.word	0xAA55
