/* Grant tables v1 (see xenfront/gnttab.h). */
#include <xenfront/gnttab.h>
#include <xenfront/gnttab_core.h>
#include <xenfront/xenfront.h>
#include <hypercall/xen.h>
#include <amphi/errno.h>
#include <amphi/layout.h>
#include <amphi/printk.h>
#include <amphi/spinlock.h>

#define GNT_FRAMES 4
#define PER_FRAME (PAGE_SIZE / sizeof(grant_entry_v1_t))
#define NR_RESERVED 8          /* GNTTAB_NR_RESERVED_ENTRIES: the toolstack's */

_Static_assert(GTF_permit_access == GNT_GTF_permit_access && GTF_readonly == GNT_GTF_readonly &&
	       GTF_reading == GNT_GTF_reading && GTF_writing == GNT_GTF_writing, "grant flags");

/* Pages whose frames become the table (their own memory is given up). */
static char table[GNT_FRAMES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static grant_entry_v1_t *gt;
static struct gnt_freelist fl;
static uint32_t next_free[GNT_FRAMES * PER_FRAME];
static uint8_t in_use[GNT_FRAMES * PER_FRAME];
static spinlock_t lock = SPINLOCK_INIT("gnttab");
static const struct xenfront_ops *ops;

int gnttab_init(const struct xenfront_ops *o)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	long rc = HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1);
	if (rc || q.status != GNTST_okay)
		return rc ? (int)rc : q.status;
	unsigned n = q.max_nr_frames < GNT_FRAMES ? q.max_nr_frames : GNT_FRAMES;
	if (!o->pv) {
		for (unsigned i = 0; i < n; i++) {
			struct xen_add_to_physmap x = {
				.domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = i,
				.gpfn = (xen_pfn_t)(virt_to_phys(table[i]) >> PAGE_SHIFT),
			};
			if ((rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &x)) != 0) {
				printk("gnttab: XENMEM_add_to_physmap(grant table frame %u) failed: %ld\n", i, rc);
				return (int)rc;
			}
		}
	} else {
		xen_pfn_t frames[GNT_FRAMES];
		struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = n };
		set_xen_guest_handle(st.frame_list, frames);
		rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1);
		if (rc || st.status != GNTST_okay) {
			printk("gnttab: GNTTABOP_setup_table(%u frames) failed: %ld status %d\n", n, rc, st.status);
			return rc ? (int)rc : st.status;
		}
		for (unsigned i = 0; i < n; i++)
			if ((rc = o->map_machine_frame(table[i], (uint32_t)frames[i])) != 0) {
				printk("gnttab: cannot map grant frame %u (mfn %#lx): %ld\n", i,
				       (unsigned long)frames[i], rc);
				return (int)rc;
			}
	}
	ops = o;
	gt = (grant_entry_v1_t *)table;
	gnt_freelist_init(&fl, n * PER_FRAME, NR_RESERVED, next_free, in_use);
	printk("gnttab: v1, %u frames (%s; Xen allows %u), %u references free\n", n,
	       o->pv ? "GNTTABOP_setup_table" : "XENMEM_add_to_physmap", q.max_nr_frames, fl.nfree);
	return 0;
}

int gnttab_ready(void) { return gt != 0; }
unsigned gnttab_free_count(void) { return fl.nfree; }

int gnttab_grant_access(uint16_t dom, uint32_t pfn, int readonly)
{
	if (!gt)
		return -ENODEV;
	irqflags_t f = spin_lock_irqsave(&lock);
	int ref = gnt_get(&fl);
	spin_unlock_irqrestore(&lock, f);
	if (ref < 0)
		return ref;
	gt[ref].frame = ops->pfn_to_frame(pfn);
	gt[ref].domid = dom;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);     /* frame and domid before the flags */
	gt[ref].flags = (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0));
	return ref;
}

int gnttab_end_access(uint32_t ref)
{
	if (!gt || ref >= fl.nr || ref < NR_RESERVED || !in_use[ref])
		return -EINVAL;
	if (gnt_try_end_access(&gt[ref].flags)) {
		printk("gnttab: reference %u still in use by domain %u: kept, not freed\n", ref, gt[ref].domid);
		return -EBUSY;
	}
	irqflags_t f = spin_lock_irqsave(&lock);
	int r = gnt_put(&fl, ref);
	spin_unlock_irqrestore(&lock, f);
	return r;
}

int gnttab_copy_from(uint16_t dom, uint32_t ref, uint32_t dst_pfn, unsigned off, unsigned len)
{
	if (!gt)
		return -ENODEV;
	struct gnttab_copy c = {
		.source = { .u.ref = ref, .domid = dom, .offset = (uint16_t)off },
		.dest = { .u.gmfn = ops->pfn_to_frame(dst_pfn), .domid = DOMID_SELF, .offset = (uint16_t)off },
		.len = (uint16_t)len, .flags = GNTCOPY_source_gref,
	};
	long rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1);
	return rc ? (int)rc : c.status;
}
