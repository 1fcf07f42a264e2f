/* The CPUID hypervisor-leaf scan (pure; host-tested).  See amphi/hvdetect.h. */
#include <amphi/hvdetect.h>
#include <amphi/string.h>
#include <asm/cpuid_regs.h>

static const struct { const char *sig; enum hv_kind kind; } known[] = {
	{ "XenVMMXenVMM", HV_XEN },
	{ "KVMKVMKVM\0\0\0", HV_KVM },
	{ "Microsoft Hv", HV_HYPERV },
	{ "VMwareVMware", HV_VMWARE },
	{ "TCGTCGTCGTCG", HV_TCG },
	{ "bhyve bhyve ", HV_BHYVE },
};

const char *hv_kind_name(enum hv_kind k)
{
	static const char *const n[] = { "none", "xen", "kvm", "hyperv", "vmware", "tcg", "bhyve", "unknown" };
	return k <= HV_UNKNOWN ? n[k] : "unknown";
}

/* Lower is preferred. */
static int rank(enum hv_kind k)
{
	return k == HV_XEN ? 0 : k == HV_KVM ? 1 : k == HV_UNKNOWN ? 3 : 2;
}

static void printable(char out[13], const char raw[12])
{
	int n = 12;
	while (n > 0 && raw[n - 1] == 0)
		n--;
	for (int i = 0; i < n; i++)
		out[i] = (raw[i] >= 0x20 && raw[i] < 0x7f) ? raw[i] : '?';
	out[n] = 0;
}

void hv_detect(struct hv_info *hv, cpuid_fn_t cpuid_fn, void *ctx)
{
	struct cpuid_regs r;
	memset(hv, 0, sizeof(*hv));
	cpuid_fn(1, 0, &r, ctx);
	hv->hypervisor_bit = (r.ecx >> 31) & 1;
	/* Without the hypervisor bit the leaves may echo the highest basic
	 * leaf on real CPUs: they are not to be trusted. */
	if (!hv->hypervisor_bit)
		return;

	int best = -1;
	for (uint32_t base = HV_LEAF_FIRST; base < HV_LEAF_LAST && hv->nr_found < HV_MAX_FOUND;
	     base += HV_LEAF_STEP) {
		cpuid_fn(base, 0, &r, ctx);
		char raw[12];
		memcpy(raw + 0, &r.ebx, 4);
		memcpy(raw + 4, &r.ecx, 4);
		memcpy(raw + 8, &r.edx, 4);
		enum hv_kind kind = HV_NONE;
		for (unsigned i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (!memcmp(raw, known[i].sig, 12))
				kind = known[i].kind;
		if (kind == HV_NONE) {
			/* An all-zero or non-printable block is no hypervisor;
			 * printable text we do not know is reported as unknown. */
			int printable_chars = 0, bad = 0;
			for (int i = 0; i < 12; i++) {
				if (raw[i] >= 0x20 && raw[i] < 0x7f)
					printable_chars++;
				else if (raw[i] != 0)
					bad = 1;
			}
			if (bad || printable_chars < 4)
				continue;
			kind = HV_UNKNOWN;
		}
		/* Max leaf must lie within this block (KVM may report 0, meaning base+1). */
		uint32_t max = r.eax;
		if (kind == HV_KVM && max == 0)
			max = base + 1;
		if (max < base || max >= base + HV_LEAF_STEP)
			continue;
		struct hv_block *b = &hv->found[hv->nr_found++];
		b->base = base;
		b->max_leaf = max;
		b->kind = kind;
		printable(b->sig, raw);
		if (best < 0 || rank(kind) < rank(hv->found[best].kind))
			best = (int)(b - hv->found);
	}

	if (best < 0) {
		hv->kind = HV_UNKNOWN;    /* the bit alone: treated as native */
		return;
	}
	const struct hv_block *b = &hv->found[best];
	hv->kind = b->kind;
	hv->base = b->base;
	memcpy(hv->sig, b->sig, sizeof(hv->sig));
	if (b->kind == HV_XEN && b->max_leaf >= b->base + 2) {
		cpuid_fn(b->base + 1, 0, &r, ctx);
		hv->xen_major = r.eax >> 16;
		hv->xen_minor = r.eax & 0xffff;
		cpuid_fn(b->base + 2, 0, &r, ctx);
		hv->xen_hypercall_pages = r.eax;
		hv->xen_hypercall_msr = r.ebx;
		if (b->max_leaf >= b->base + 4) {
			cpuid_fn(b->base + 4, 0, &r, ctx);
			hv->xen_hvm_features = r.eax;
		}
	} else if (b->kind == HV_KVM) {
		cpuid_fn(b->base + 1, 0, &r, ctx);
		hv->kvm_features = r.eax;
		hv->kvm_hints = r.edx;
	}
}
