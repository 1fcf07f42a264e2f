/*
 * AHCI (SATA) host controllers: QEMU q35's ICH9 and real ones.  Each port
 * with a SATA disk (signature 0x101) becomes sdX: IDENTIFY gives its size,
 * requests use READ/WRITE DMA EXT (48-bit LBA) and FLUSH CACHE EXT; no NCQ.
 * Several commands may be issued (one per command slot); the controller
 * runs them in order.  Requests that continue each other on the disk and
 * arrive together (blk_request.more) share one command, up to MAX_PRDS
 * segments: a 1 MiB raw transfer was eight commands of 128 KiB, each with
 * its own interrupt, run one after the other; now it is two.  An error
 * (task file error) fails the commands in flight with -EIO, and the port is
 * restarted.
 */
#include <amphi/pci.h>
#include <amphi/blkdev.h>
#include <amphi/errno.h>
#include <amphi/frame.h>
#include <amphi/heap.h>
#include <amphi/layout.h>
#include <amphi/printk.h>
#include <amphi/spinlock.h>
#include <amphi/string.h>
#include <amphi/timer.h>

/* HBA registers */
#define HBA_CAP 0x00
#define HBA_GHC 0x04
#define HBA_IS 0x08
#define HBA_PI 0x0c
#define HBA_CAP2 0x24
#define HBA_BOHC 0x28
#define GHC_AE (1u << 31)
#define GHC_IE (1u << 1)
/* port registers, at 0x100 + port * 0x80 */
#define P_CLB 0x00
#define P_FB 0x08
#define P_IS 0x10
#define P_IE 0x14
#define P_CMD 0x18
#define P_TFD 0x20
#define P_SIG 0x24
#define P_SSTS 0x28
#define P_SERR 0x30
#define P_CI 0x38
#define CMD_ST (1u << 0)
#define CMD_FRE (1u << 4)
#define CMD_FR (1u << 14)
#define CMD_CR (1u << 15)
#define IS_TFES (1u << 30)
#define IS_ERRORS (IS_TFES | (1u << 29) | (1u << 28) | (1u << 27) | (1u << 24))
#define TFD_BSY 0x80
#define TFD_DRQ 0x08
#define TFD_ERR 0x01

#define ATA_IDENTIFY 0xec
#define ATA_READ_DMA_EXT 0x25
#define ATA_WRITE_DMA_EXT 0x35
#define ATA_FLUSH_CACHE_EXT 0xea

#define SLOTS_MAX 32
#define TABLE_BYTES PAGE_SIZE          /* a command table: 128-byte header, then PRDs */
#define MAX_PRDS ((TABLE_BYTES - 0x80) / 16)    /* 248 */
#define MAX_COUNT 65535u                /* sectors per command (READ DMA EXT's count; 0 means 65536) */

struct cmd_header {
	uint16_t flags;                 /* CFL (dwords) | W (bit 6) */
	uint16_t prdtl;
	uint32_t prdbc;
	uint32_t ctba, ctbau;
	uint32_t reserved[4];
};

struct prd {
	uint32_t dba, dbau, reserved, dbc;
};

struct ahci_port {
	struct blkdev bd;
	volatile uint8_t *hba, *regs;
	int no;
	unsigned nr_slots;
	struct cmd_header *cl;          /* command list (1 KiB) */
	uint8_t *tables[SLOTS_MAX];     /* command tables */
	uint64_t tables_phys[SLOTS_MAX];
	struct blk_request *slot_req[SLOTS_MAX];   /* the first request of a slot's command; the
					   * others follow through driver_priv */
	uint32_t busy;                  /* slots issued */
	struct blk_request *pending, **pending_tail;
	spinlock_t lock;
	struct pci_dev *pci;
	int dma32;                      /* the HBA has no 64-bit addressing (CAP.S64A clear) */
};

struct ahci_hba {
	volatile uint8_t *regs;
	struct ahci_port *ports[32];
};

static int nr_disks;

static inline uint32_t rd(volatile uint8_t *b, unsigned off) { return *(volatile uint32_t *)(b + off); }
static inline void wr(volatile uint8_t *b, unsigned off, uint32_t v) { *(volatile uint32_t *)(b + off) = v; }

static int wait_clear(volatile uint8_t *b, unsigned off, uint32_t bits, uint64_t ns)
{
	uint64_t deadline = now_ns() + ns;
	while (rd(b, off) & bits)
		if (now_ns() > deadline)
			return -1;
	return 0;
}

static void *zpage(uint64_t *phys)
{
	pfn_t pfn = frame_alloc(FRAME_LOW);
	if (pfn == PFN_NONE)
		return 0;
	*phys = (uint64_t)pfn << PAGE_SHIFT;
	void *p = phys_to_virt(*phys);
	memset(p, 0, PAGE_SIZE);
	return p;
}

static int port_stop(struct ahci_port *p)
{
	wr(p->regs, P_CMD, rd(p->regs, P_CMD) & ~CMD_ST);
	if (wait_clear(p->regs, P_CMD, CMD_CR, 500000000ull))
		return -1;
	wr(p->regs, P_CMD, rd(p->regs, P_CMD) & ~CMD_FRE);
	return wait_clear(p->regs, P_CMD, CMD_FR, 500000000ull);
}

static void port_start(struct ahci_port *p)
{
	wr(p->regs, P_SERR, 0xffffffffu);
	wr(p->regs, P_IS, 0xffffffffu);
	wr(p->regs, P_CMD, rd(p->regs, P_CMD) | CMD_FRE);
	wait_clear(p->regs, P_TFD, TFD_BSY | TFD_DRQ, 1000000000ull);
	wr(p->regs, P_CMD, rd(p->regs, P_CMD) | CMD_ST);
}

/* Writes segs as slot s's PRDs from index at on; the next index. */
static unsigned put_prds(struct ahci_port *p, unsigned s, unsigned at, const struct blk_seg *segs, unsigned n)
{
	struct prd *prd = (struct prd *)(p->tables[s] + 0x80);
	for (unsigned i = 0; i < n; i++, at++) {
		prd[at].dba = (uint32_t)segs[i].phys;
		prd[at].dbau = (uint32_t)(segs[i].phys >> 32);
		prd[at].reserved = 0;
		prd[at].dbc = segs[i].len - 1;
	}
	return at;
}

/* Fills slot s's header and FIS around its nr_prds PRDs (put_prds). */
static void build(struct ahci_port *p, unsigned s, uint8_t cmd, uint64_t lba, uint32_t count,
		  unsigned nr_prds, int write)
{
	struct cmd_header *h = &p->cl[s];
	uint8_t *t = p->tables[s];
	memset(t, 0, 0x80);
	uint8_t *fis = t;
	fis[0] = 0x27;                  /* register FIS, host to device */
	fis[1] = 0x80;                  /* command */
	fis[2] = cmd;
	fis[4] = (uint8_t)lba;
	fis[5] = (uint8_t)(lba >> 8);
	fis[6] = (uint8_t)(lba >> 16);
	fis[7] = 0x40;                  /* LBA mode */
	fis[8] = (uint8_t)(lba >> 24);
	fis[9] = (uint8_t)(lba >> 32);
	fis[10] = (uint8_t)(lba >> 40);
	fis[12] = (uint8_t)count;
	fis[13] = (uint8_t)(count >> 8);
	struct prd *prd = (struct prd *)(t + 0x80);
	if (nr_prds)
		prd[nr_prds - 1].dbc |= 1u << 31;      /* interrupt when done */
	h->flags = (uint16_t)(5 | (write ? 1u << 6 : 0));
	h->prdtl = (uint16_t)nr_prds;
	h->prdbc = 0;
	h->ctba = (uint32_t)p->tables_phys[s];
	h->ctbau = (uint32_t)(p->tables_phys[s] >> 32);
}

static uint32_t sectors_of(const struct blk_request *r)
{
	uint32_t count = 0;
	for (unsigned i = 0; i < r->nr_segs; i++)
		count += r->segs[i].len / BLK_SECTOR;
	return count;
}

/* q (the next pending request) can join the command of first..last:
 * the same transfer, from where last ends, and room for it. */
static int joins(const struct blk_request *first, const struct blk_request *last, const struct blk_request *q,
		 unsigned nr_prds, uint32_t count)
{
	return q && first->op != BLK_FLUSH && q->op == first->op && q->sector == last->sector + sectors_of(last) &&
	       nr_prds + q->nr_segs <= MAX_PRDS && count + sectors_of(q) <= MAX_COUNT;
}

/* Issues waiting requests into free slots, each with the requests after
 * it that continue it; lock held. */
static void start_pending(struct ahci_port *p)
{
	while (p->pending) {
		unsigned s = 0;
		while (s < p->nr_slots && (p->busy & (1u << s)))
			s++;
		if (s == p->nr_slots)
			return;
		struct blk_request *r = p->pending, *last = r;
		unsigned nr_prds = put_prds(p, s, 0, r->segs, r->nr_segs);
		uint32_t count = sectors_of(r);
		for (struct blk_request *q = r->driver_priv; joins(r, last, q, nr_prds, count); q = q->driver_priv) {
			nr_prds = put_prds(p, s, nr_prds, q->segs, q->nr_segs);
			count += sectors_of(q);
			last = q;
		}
		p->pending = last->driver_priv;
		if (!p->pending)
			p->pending_tail = &p->pending;
		last->driver_priv = 0;  /* r .. last stay linked: the slot's requests */
		uint8_t cmd = r->op == BLK_READ ? ATA_READ_DMA_EXT : r->op == BLK_WRITE ? ATA_WRITE_DMA_EXT
										: ATA_FLUSH_CACHE_EXT;
		build(p, s, cmd, r->op == BLK_FLUSH ? 0 : r->sector, count, nr_prds, r->op == BLK_WRITE);
		p->slot_req[s] = r;
		p->busy |= 1u << s;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		wr(p->regs, P_CI, 1u << s);
	}
}

static void reap(struct ahci_port *p)
{
	struct blk_request *done = 0;
	irqflags_t f = spin_lock_irqsave(&p->lock);
	uint32_t is = rd(p->regs, P_IS);
	wr(p->regs, P_IS, is);
	uint32_t ci = rd(p->regs, P_CI);
	/* The task file keeps the last error's ERR bit until a command
	 * completes again: it only counts with a slot that has finished (a
	 * poll right after a port restart would otherwise fail the command
	 * just issued). */
	int error = (is & IS_ERRORS) || ((p->busy & ~ci) && (rd(p->regs, P_TFD) & TFD_ERR));
	if (error) {
		printk("ahci: %s: error (IS %#x, TFD %#x, SERR %#x): commands in flight fail with EIO; "
		       "port restarted\n", p->bd.name, is, rd(p->regs, P_TFD), rd(p->regs, P_SERR));
		port_stop(p);
		ci = 0;
	}
	for (unsigned s = 0; s < p->nr_slots; s++) {
		if (!(p->busy & (1u << s)) || (ci & (1u << s)))
			continue;
		struct blk_request *r = p->slot_req[s], *next;
		p->slot_req[s] = 0;
		p->busy &= ~(1u << s);
		for (; r; r = next) {   /* every request the command carried */
			next = r->driver_priv;
			r->status = error ? -EIO : 0;
			r->driver_priv = done;
			done = r;
		}
	}
	if (error)
		port_start(p);
	start_pending(p);
	spin_unlock_irqrestore(&p->lock, f);
	while (done) {
		struct blk_request *r = done;
		done = r->driver_priv;
		r->driver_priv = 0;
		blk_complete(r, r->status);
	}
}

static void ahci_irq(void *arg)
{
	struct ahci_hba *h = arg;
	uint32_t is = rd(h->regs, HBA_IS);
	for (int i = 0; i < 32; i++)
		if ((is & (1u << i)) && h->ports[i])
			reap(h->ports[i]);
	wr(h->regs, HBA_IS, is);
}

static void ahci_poll(struct blkdev *d)
{
	reap(d->driver);
}

/* 0, or why the port cannot take r. */
static int refused(struct ahci_port *p, struct blk_request *r)
{
	if (r->nr_segs > p->bd.max_segs)
		return -EINVAL;
	if (p->dma32)
		for (unsigned i = 0; i < r->nr_segs; i++)
			if (r->segs[i].phys + r->segs[i].len > 0x100000000ull) {
				printk("ahci: %s: buffer above 4 GiB for a 32-bit controller: EIO\n", p->bd.name);
				return -EIO;
			}
	return 0;
}

/* Queues r; the queue starts unless more requests follow at once (so
 * that start_pending can put them into one command). */
static int ahci_submit(struct blkdev *d, struct blk_request *r)
{
	struct ahci_port *p = d->driver;
	int err = refused(p, r);
	irqflags_t f = spin_lock_irqsave(&p->lock);
	if (!err) {
		r->driver_priv = 0;
		*p->pending_tail = r;
		p->pending_tail = (struct blk_request **)&r->driver_priv;
	}
	if (err || !r->more)
		start_pending(p);       /* a refused one releases what was held for it */
	spin_unlock_irqrestore(&p->lock, f);
	return err;
}

static const struct blkdev_ops ahci_ops = { .submit = ahci_submit, .poll = ahci_poll };

/* IDENTIFY DEVICE through slot 0, polled (before the port is registered). */
static int identify(struct ahci_port *p, uint16_t *id)
{
	uint64_t phys;
	void *page = zpage(&phys);
	if (!page)
		return -ENOMEM;
	struct blk_seg seg = { phys, 512 };
	build(p, 0, ATA_IDENTIFY, 0, 0, put_prds(p, 0, 0, &seg, 1), 0);
	wr(p->regs, P_IS, 0xffffffffu);
	wr(p->regs, P_CI, 1);
	int r = wait_clear(p->regs, P_CI, 1, 2000000000ull);
	if (r || (rd(p->regs, P_IS) & IS_ERRORS) || (rd(p->regs, P_TFD) & TFD_ERR))
		r = -EIO;
	else
		memcpy(id, page, 512);
	wr(p->regs, P_IS, 0xffffffffu);
	frame_free((pfn_t)(phys >> PAGE_SHIFT));
	return r;
}

static void ata_string(const uint16_t *w, int words, char *out)
{
	int n = 0;
	for (int i = 0; i < words; i++) {
		out[n++] = (char)(w[i] >> 8);
		out[n++] = (char)w[i];
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = 0;
}

static void port_attach(struct ahci_hba *h, struct pci_dev *d, int no, unsigned nr_slots)
{
	volatile uint8_t *regs = h->regs + 0x100 + no * 0x80;
	if (rd(h->regs, HBA_CAP) & (1u << 27)) {
		/* Staggered spin-up: power the device on and give it 20 ms to
		 * establish the link (real controllers; QEMU has the link up). */
		wr(regs, P_CMD, rd(regs, P_CMD) | (1u << 1) | (1u << 2));    /* SUD, POD */
		uint64_t until = now_ns() + 20000000ull;
		while ((rd(regs, P_SSTS) & 0xf) != 3 && now_ns() < until)
			;
	}
	uint32_t ssts = rd(regs, P_SSTS);
	if ((ssts & 0xf) != 3 || ((ssts >> 8) & 0xf) != 1)
		return;                 /* nothing attached, or asleep */
	uint32_t sig = rd(regs, P_SIG);
	if (sig != 0x00000101) {
		printk("ahci: %s port %d: %s (signature %#x): not a disk, skipped\n", d->name, no,
		       sig == 0xeb140101 ? "ATAPI device" : "device", sig);
		return;
	}
	struct ahci_port *p = kzalloc(sizeof(*p));
	if (!p)
		return;
	p->regs = regs;
	p->hba = h->regs;
	p->no = no;
	p->pci = d;
	p->nr_slots = nr_slots;
	p->dma32 = !(rd(h->regs, HBA_CAP) >> 31);
	p->pending_tail = &p->pending;
	spin_lock_init(&p->lock, "ahci-port");
	if (port_stop(p)) {
		printk("ahci: %s port %d: does not stop: skipped\n", d->name, no);
		kfree(p);
		return;
	}
	uint64_t clphys, tphys = 0;
	uint8_t *cl = zpage(&clphys);   /* command list at 0, received FIS at 1 KiB */
	if (!cl)
		return;
	p->cl = (struct cmd_header *)cl;
	uint8_t *tpage = 0;
	for (unsigned s = 0; s < nr_slots; s++) {
		if (s % (PAGE_SIZE / TABLE_BYTES) == 0 && !(tpage = zpage(&tphys)))
			return;
		unsigned k = s % (PAGE_SIZE / TABLE_BYTES);
		p->tables[s] = tpage + k * TABLE_BYTES;
		p->tables_phys[s] = tphys + k * TABLE_BYTES;
	}
	wr(regs, P_CLB, (uint32_t)clphys);
	wr(regs, P_CLB + 4, (uint32_t)(clphys >> 32));
	wr(regs, P_FB, (uint32_t)(clphys + 1024));
	wr(regs, P_FB + 4, (uint32_t)((clphys + 1024) >> 32));
	port_start(p);
	uint16_t id[256];
	if (identify(p, id)) {
		printk("ahci: %s port %d: IDENTIFY failed: skipped\n", d->name, no);
		return;
	}
	uint64_t sectors = id[60] | (uint32_t)id[61] << 16;
	if (id[83] & (1u << 10))
		sectors = id[100] | (uint64_t)id[101] << 16 | (uint64_t)id[102] << 32 | (uint64_t)id[103] << 48;
	else {
		printk("ahci: %s port %d: disk without 48-bit LBA: skipped\n", d->name, no);
		return;
	}
	if ((id[106] & 0xc000) == 0x4000 && (id[106] & (1u << 12))) {
		printk("ahci: %s port %d: logical sectors larger than 512 bytes: not supported\n", d->name, no);
		return;
	}
	char model[41];
	ata_string(id + 27, 20, model);
	struct blkdev *bd = &p->bd;
	snprintf(bd->name, sizeof(bd->name), "sd%c", 'a' + nr_disks++);
	bd->nr_sectors = sectors;
	bd->block_size = BLK_SECTOR;
	bd->max_segs = BLK_MAX_SEGS;
	bd->ops = &ahci_ops;
	bd->driver = p;
	h->ports[no] = p;
	wr(regs, P_IE, 0x7dc0007fu);    /* completions and every error */
	printk("ahci: %s port %d: %s \"%s\", %llu sectors (%llu MiB), %u command slots, irq %s\n",
	       d->name, no, bd->name, model, (unsigned long long)sectors,
	       (unsigned long long)(sectors >> 11), nr_slots, d->irq_mode);
	blkdev_register(bd);
}

int ahci_probe(struct pci_dev *d)
{
	if (d->prog_if != 0x01 || !d->bar[5].size || d->bar[5].is_io)
		return -1;              /* IDE-mode SATA, or no ABAR */
	pci_enable(d);
	struct ahci_hba *h = kzalloc(sizeof(*h));
	if (!h || !(h->regs = pci_map_bar(d, 5))) {
		kfree(h);
		return -1;
	}
	/* All ones: nothing answers at the BAR (a bus error, or a BAR the
	 * platform has not mapped for us): never walk 32 ports of that. */
	if (rd(h->regs, HBA_CAP) == 0xffffffffu && rd(h->regs, 0x10) == 0xffffffffu) {
		printk("ahci: %s: its registers read as all ones (BAR 5 at %#llx not reachable): skipped\n",
		       d->name, (unsigned long long)d->bar[5].base);
		kfree(h);
		return -1;
	}
	wr(h->regs, HBA_GHC, rd(h->regs, HBA_GHC) | GHC_AE);
	/* Take the controller from the firmware if it asks to be told. */
	if (rd(h->regs, HBA_CAP2) & 1) {
		wr(h->regs, HBA_BOHC, rd(h->regs, HBA_BOHC) | 2);
		uint64_t deadline = now_ns() + 100000000ull;
		while ((rd(h->regs, HBA_BOHC) & 1) && now_ns() < deadline)
			;
	}
	uint32_t cap = rd(h->regs, HBA_CAP), pi = rd(h->regs, HBA_PI);
	unsigned nr_slots = ((cap >> 8) & 0x1f) + 1;
	/* Port registers are 0x80 bytes each from 0x100: only those inside
	 * the BAR exist, whatever PI claims. */
	uint64_t fit = d->bar[5].size > 0x100 ? (d->bar[5].size - 0x100) / 0x80 : 0;
	if (fit < 32 && (pi >> fit)) {
		printk("ahci: %s: ports %#x claimed past the %llu-byte BAR: ignored\n", d->name,
		       pi & ~((1u << fit) - 1), (unsigned long long)d->bar[5].size);
		pi &= (1u << fit) - 1;
	}
	printk("ahci: %s: AHCI %x.%x, %u ports (implemented %#x), %u slots%s\n", d->name,
	       rd(h->regs, 0x10) >> 16, (rd(h->regs, 0x10) >> 8) & 0xff, (cap & 0x1f) + 1, pi, nr_slots,
	       (cap >> 31) ? ", 64-bit" : ", 32-bit DMA only");
	pci_irq_setup(d, ahci_irq, h);
	wr(h->regs, HBA_IS, 0xffffffffu);
	wr(h->regs, HBA_GHC, rd(h->regs, HBA_GHC) | GHC_IE);
	for (int i = 0; i < 32; i++)
		if (pi & (1u << i))
			port_attach(h, d, i, nr_slots);
	return 0;
}
