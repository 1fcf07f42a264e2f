/*
 * Intel 8254x ("e1000": QEMU's default NIC, 82540EM, and the 8254x parts of
 * real machines) under the netdev contract (net/netdev.h).
 *
 * Legacy descriptors, one ring of 128 each way, 2 KiB receive buffers
 * (RCTL.BSIZE 2048, CRC stripped).  Receive: the interrupt handler takes
 * every descriptor the card marked done (DD), hands the frame to
 * netdev_rx() and gives the descriptor straight back (RDT), so the ring
 * stays full.  Transmit copies the frame into its descriptor's buffer and
 * moves TDT; descriptors the card finished (DD) are reclaimed on the next
 * send.  The MAC is what the EEPROM loaded into receive address 0.
 * Register names and bits: Intel's 8254x Software Developer's Manual.
 */
#include "../../net/netdev.h"
#include <amphi/frame.h>
#include <amphi/heap.h>
#include <amphi/layout.h>
#include <amphi/pci.h>
#include <amphi/printk.h>
#include <amphi/sched.h>
#include <amphi/spinlock.h>
#include <amphi/string.h>
#include <amphi/timer.h>

#define CTRL 0x0000
#define STATUS 0x0008
#define EERD 0x0014
#define ICR 0x00c0
#define ITR 0x00c4
#define IMS 0x00d0
#define IMC 0x00d8
#define RCTL 0x0100
#define TCTL 0x0400
#define TIPG 0x0410
#define RDBAL 0x2800
#define RDBAH 0x2804
#define RDLEN 0x2808
#define RDH 0x2810
#define RDT 0x2818
#define RDTR 0x2820
#define TDBAL 0x3800
#define TDBAH 0x3804
#define TDLEN 0x3808
#define TDH 0x3810
#define TDT 0x3818
#define MTA 0x5200
#define RAL0 0x5400
#define RAH0 0x5404

#define CTRL_SLU (1u << 6)
#define CTRL_RST (1u << 26)
#define STATUS_LU (1u << 1)
#define ICR_TXDW (1u << 0)
#define ICR_LSC (1u << 2)
#define ICR_RXDMT0 (1u << 4)
#define ICR_RXO (1u << 6)
#define ICR_RXT0 (1u << 7)
#define RCTL_EN (1u << 1)
#define RCTL_BAM (1u << 15)
#define RCTL_SECRC (1u << 26)
#define TCTL_EN (1u << 1)
#define TCTL_PSP (1u << 3)
#define TCTL_CT(x) ((uint32_t)(x) << 4)
#define TCTL_COLD(x) ((uint32_t)(x) << 12)
#define TX_EOP 0x01
#define TX_IFCS 0x02
#define TX_RS 0x08
#define DESC_DD 0x01
#define RX_EOP 0x02

#define NDESC 128u                      /* 16-byte descriptors: 2 KiB, in one page */
#define BUF 2048u

struct rx_desc {
	uint64_t addr;
	uint16_t length, csum;
	uint8_t status, errors;
	uint16_t special;
};

struct tx_desc {
	uint64_t addr;
	uint16_t length;
	uint8_t cso, cmd, status, css;
	uint16_t special;
};

struct e1000 {
	volatile uint8_t *regs;
	struct pci_dev *pci;
	volatile struct rx_desc *rx;
	volatile struct tx_desc *tx;
	uint8_t *rxbuf[NDESC], *txbuf[NDESC];
	unsigned rx_next;               /* next descriptor the card fills */
	unsigned tx_tail, tx_clean;     /* next free, oldest not yet reclaimed */
	spinlock_t lock;
	struct netdev nd;
	volatile int ready;
};

static uint32_t rd(struct e1000 *e, unsigned reg)
{
	return *(volatile uint32_t *)(e->regs + reg);
}

static void wr(struct e1000 *e, unsigned reg, uint32_t v)
{
	*(volatile uint32_t *)(e->regs + reg) = v;
}

/* A page of low memory (DMA-able), zeroed; its physical address in *pa. */
static void *dma_page(uint64_t *pa)
{
	pfn_t pfn = frame_alloc(FRAME_LOW);
	if (pfn == PFN_NONE)
		return 0;
	*pa = (uint64_t)pfn << PAGE_SHIFT;
	void *v = phys_to_virt(*pa);
	memset(v, 0, PAGE_SIZE);
	return v;
}

/* Buffers two to a page; addresses into the descriptors when rx is set. */
static int alloc_bufs(struct e1000 *e, uint8_t **bufs, volatile struct rx_desc *rx,
		      volatile struct tx_desc *tx)
{
	for (unsigned i = 0; i < NDESC; i += 2) {
		uint64_t pa;
		uint8_t *v = dma_page(&pa);
		if (!v)
			return -1;
		for (unsigned k = 0; k < 2; k++) {
			bufs[i + k] = v + k * BUF;
			if (rx)
				rx[i + k].addr = pa + k * BUF;
			else
				tx[i + k].addr = pa + k * BUF;
		}
	}
	(void)e;
	return 0;
}

static void rx_reap(struct e1000 *e)
{
	irqflags_t f = spin_lock_irqsave(&e->lock);
	unsigned given = 0;
	while (e->rx[e->rx_next].status & DESC_DD) {
		volatile struct rx_desc *d = &e->rx[e->rx_next];
		if ((d->status & RX_EOP) && !d->errors && d->length <= BUF)
			netdev_rx(&e->nd, e->rxbuf[e->rx_next], d->length);
		else
			e->nd.stats.rx_errors++;        /* a frame over several buffers, or a card error */
		d->status = 0;
		e->rx_next = (e->rx_next + 1) % NDESC;
		given++;
	}
	if (given)
		wr(e, RDT, (e->rx_next + NDESC - 1) % NDESC);    /* the one before the next stays ours */
	spin_unlock_irqrestore(&e->lock, f);
}

static int e1000_xmit(struct netdev *d, const void *frame, size_t len)
{
	struct e1000 *e = d->priv;
	if (len > BUF)
		return -1;
	irqflags_t f = spin_lock_irqsave(&e->lock);
	while (e->tx_clean != e->tx_tail && (e->tx[e->tx_clean].status & DESC_DD))
		e->tx_clean = (e->tx_clean + 1) % NDESC;
	unsigned t = e->tx_tail;
	if ((t + 1) % NDESC == e->tx_clean) {
		spin_unlock_irqrestore(&e->lock, f);
		return -1;              /* ring full */
	}
	memcpy(e->txbuf[t], frame, len);
	volatile struct tx_desc *td = &e->tx[t];
	td->length = (uint16_t)len;
	td->cso = td->css = 0;
	td->special = 0;
	td->status = 0;
	td->cmd = TX_EOP | TX_IFCS | TX_RS;   /* the card adds the CRC and pads short frames */
	e->tx_tail = (t + 1) % NDESC;
	wr(e, TDT, e->tx_tail);
	spin_unlock_irqrestore(&e->lock, f);
	return 0;
}

static void e1000_irq(void *arg)
{
	struct e1000 *e = arg;
	if (!e->ready)
		return;
	uint32_t icr = rd(e, ICR);      /* reading clears the causes (and deasserts INTx) */
	if (icr & ICR_LSC)
		netdev_link(&e->nd, !!(rd(e, STATUS) & STATUS_LU));
	if (icr & (ICR_RXT0 | ICR_RXDMT0 | ICR_RXO))
		rx_reap(e);
}

static void e1000_poll_thread(void *arg)
{
	struct e1000 *e = arg;
	for (;;) {
		sleep_ns(1000000);
		rx_reap(e);
		netdev_link(&e->nd, !!(rd(e, STATUS) & STATUS_LU));
	}
}

/* The EEPROM's word (82540-style EERD: start bit 0, address from bit 8). */
static int eeprom_read(struct e1000 *e, unsigned word, uint16_t *out)
{
	wr(e, EERD, 1u | (uint32_t)word << 8);
	uint64_t deadline = now_ns() + 10000000ull;
	uint32_t v;
	while (!((v = rd(e, EERD)) & (1u << 4)))
		if (now_ns() > deadline)
			return -1;
	*out = (uint16_t)(v >> 16);
	return 0;
}

static void read_mac(struct e1000 *e, uint8_t mac[6])
{
	uint32_t lo = rd(e, RAL0), hi = rd(e, RAH0);
	if (hi & (1u << 31)) {          /* Address Valid: the EEPROM's MAC is loaded */
		for (int i = 0; i < 4; i++)
			mac[i] = (uint8_t)(lo >> (8 * i));
		mac[4] = (uint8_t)hi;
		mac[5] = (uint8_t)(hi >> 8);
		return;
	}
	for (unsigned w = 0; w < 3; w++) {
		uint16_t v = 0;
		if (eeprom_read(e, w, &v))
			printk("e1000: %s: EEPROM word %u unreadable\n", e->pci->name, w);
		mac[2 * w] = (uint8_t)v;
		mac[2 * w + 1] = (uint8_t)(v >> 8);
	}
	wr(e, RAL0, mac[0] | mac[1] << 8 | mac[2] << 16 | (uint32_t)mac[3] << 24);
	wr(e, RAH0, mac[4] | mac[5] << 8 | 1u << 31);
}

static int rings_init(struct e1000 *e)
{
	uint64_t rpa = 0, tpa = 0;
	e->rx = dma_page(&rpa);
	e->tx = dma_page(&tpa);
	if (!e->rx || !e->tx || alloc_bufs(e, e->rxbuf, e->rx, 0) || alloc_bufs(e, e->txbuf, 0, e->tx))
		return -1;
	for (unsigned i = 0; i < NDESC; i++)
		e->tx[i].status = DESC_DD;      /* all free */
	wr(e, RDBAL, (uint32_t)rpa);
	wr(e, RDBAH, (uint32_t)(rpa >> 32));
	wr(e, RDLEN, NDESC * sizeof(struct rx_desc));
	wr(e, RDH, 0);
	wr(e, RDT, NDESC - 1);
	wr(e, RDTR, 0);
	wr(e, TDBAL, (uint32_t)tpa);
	wr(e, TDBAH, (uint32_t)(tpa >> 32));
	wr(e, TDLEN, NDESC * sizeof(struct tx_desc));
	wr(e, TDH, 0);
	wr(e, TDT, 0);
	return 0;
}

static const uint16_t e1000_ids[] = {
	0x1000, 0x1001, 0x1004, 0x1008, 0x1009, 0x100c, 0x100d, 0x100e, 0x100f, 0x1010, 0x1011,
	0x1012, 0x1013, 0x1015, 0x1016, 0x1017, 0x1018, 0x1019, 0x101a, 0x101d, 0x101e, 0x1026,
	0x1027, 0x1028, 0x1075, 0x1076, 0x1077, 0x1078, 0x1079, 0x107a, 0x107b, 0x107c, 0x10b5,
};

int e1000_probe(struct pci_dev *d)
{
	unsigned i;
	for (i = 0; i < sizeof(e1000_ids) / sizeof(e1000_ids[0]) && e1000_ids[i] != d->device; i++)
		;
	if (i == sizeof(e1000_ids) / sizeof(e1000_ids[0]) || d->class_code != 0x02)
		return -1;
	struct e1000 *e = kzalloc(sizeof(*e));
	if (!e)
		return -1;
	e->pci = d;
	spin_lock_init(&e->lock, "e1000");
	pci_enable(d);
	if (!(e->regs = pci_map_bar(d, 0)) || d->bar[0].is_io) {
		printk("e1000: %s: register BAR 0 is not memory\n", d->name);
		kfree(e);
		return -1;
	}
	wr(e, IMC, 0xffffffffu);
	wr(e, CTRL, rd(e, CTRL) | CTRL_RST);
	uint64_t deadline = now_ns() + 100000000ull;
	while (rd(e, CTRL) & CTRL_RST)
		if (now_ns() > deadline) {
			printk("e1000: %s: does not come out of reset\n", d->name);
			kfree(e);
			return -1;
		}
	wr(e, IMC, 0xffffffffu);
	(void)rd(e, ICR);
	wr(e, CTRL, rd(e, CTRL) | CTRL_SLU);
	read_mac(e, e->nd.mac);
	for (unsigned k = 0; k < 128; k++)
		wr(e, MTA + 4 * k, 0);
	if (rings_init(e)) {
		printk("e1000: %s: out of memory for the rings\n", d->name);
		return -1;              /* pages and e stay: the card may still hold their addresses */
	}
	wr(e, ITR, 0);
	wr(e, TIPG, 10u | 8u << 10 | 6u << 20);
	wr(e, TCTL, TCTL_EN | TCTL_PSP | TCTL_CT(0x0f) | TCTL_COLD(0x40));
	wr(e, RCTL, RCTL_EN | RCTL_BAM | RCTL_SECRC);   /* BSIZE 00: 2048-byte buffers */
	int polled = pci_irq_setup(d, e1000_irq, e) != 0;
	e->nd.mtu = 1500;
	e->nd.priv = e;
	e->nd.xmit = e1000_xmit;
	e->ready = 1;
	wr(e, IMS, ICR_LSC | ICR_RXT0 | ICR_RXDMT0 | ICR_RXO);
	printk("e1000: %s: %04x:%04x, rings of %u, irq %s\n", d->name, d->vendor, d->device, NDESC,
	       d->irq_mode);
	if (polled && !thread_create("e1000-poll", e1000_poll_thread, e))
		printk("e1000: %s: no interrupt and no poll thread: nothing will be received\n", d->name);
	if (netdev_register(&e->nd))
		return -1;
	netdev_link(&e->nd, !!(rd(e, STATUS) & STATUS_LU));
	rx_reap(e);                     /* frames that came before the interrupt was on */
	return 0;
}
