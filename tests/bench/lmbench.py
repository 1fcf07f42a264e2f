"""bench-lm results: parse the programs' lines, aggregate runs, write the
table (results.md) and the plots.  Used by tests/bench/run (which boots the
modes) and tests/bench/report (which regenerates everything from a
results.json); tests/bench/test_report checks it on a recorded file.

A results.json holds every boot ("runs"), each with its transcript's
bench-lm lines parsed per column ("columns": {column: {bench: line}}),
where a line is the dict of bench-lm's key=value words with "samples" a
list of floats.  Columns are "<mode>:<ring>": ring3, kmode (ring 0, or
ring 1 under Xen PV).
"""
import os
import re
import statistics

LINE_RE = re.compile(r"^bench-lm: name=(\S+) unit=(ns|MB/s) value=(\S+) (.*)$")
START_RE = re.compile(r"^bench-lm: start (.*)$")
KEYS_OK = ("cycles", "reps", "runs", "spread", "status", "samples")
KEYS_OTHER = ("reps", "runs", "spread", "status")

# Every mode the runner knows, in table order, and what it is measured against.
MODES = ["amphi-tcg", "amphi-icount", "amphi-kvm", "amphi-xen-pvh", "amphi-xen-pv", "amphi-domu-pvh",
         "amphi-domu-pv", "linux-tcg", "linux-icount", "linux-kvm", "linux-xen-pvh", "linux-domu-pvh"]
PEER = {"amphi-tcg": "linux-tcg", "amphi-icount": "linux-icount", "amphi-kvm": "linux-kvm",
        "amphi-xen-pvh": "linux-xen-pvh", "amphi-xen-pv": "linux-xen-pvh",
        "amphi-domu-pvh": "linux-domu-pvh", "amphi-domu-pv": "linux-domu-pvh"}
TITLES = {"amphi-tcg": "amphi QEMU TCG", "amphi-kvm": "amphi QEMU KVM",
          "amphi-icount": "amphi QEMU TCG -icount (1 ns = 1 instruction)",
          "linux-icount": "Linux QEMU TCG -icount (1 ns = 1 instruction)",
          "amphi-xen-pvh": "amphi Xen PVH dom0", "amphi-xen-pv": "amphi Xen PV dom0",
          "linux-tcg": "Linux QEMU TCG", "linux-kvm": "Linux QEMU KVM",
          "linux-xen-pvh": "Linux Xen PVH dom0", "amphi-domu-pvh": "amphi Xen PVH domU",
          "amphi-domu-pv": "amphi Xen PV domU", "linux-domu-pvh": "Linux Xen PVH domU"}

GROUPS = [
    ("syscall", "null system call, null I/O, files", ["null_int80", "null_sysinfo", "null_read",
                                                      "null_write", "stat", "open_close"]),
    ("process", "process creation", ["fork_exit", "fork_execve", "fork_sh"]),
    ("ipc", "context switch and IPC", ["ctx_2", "ctx_16", "pipe_lat", "unix_lat"]),
    ("memory", "memory and faults", ["page_fault", "mmap_1m", "prot_fault"]),
    ("signal", "signals", ["sig_install", "sig_deliver"]),
    ("fs", "file create/delete", ["fs_create_0k", "fs_delete_0k", "fs_create_10k", "fs_delete_10k",
                                  "ext2_create_0k", "ext2_delete_0k", "ext2_create_10k", "ext2_delete_10k"]),
    ("bandwidth", "bandwidth", ["pipe_bw"]),
    ("disk", "raw disk throughput (bench-disk)", ["disk_seq_write", "disk_seq_read"]),
    ("disk-iops", "raw disk random reads (bench-disk)", ["disk_rand_read_4k"]),
    ("net", "TCP throughput (tests/bench/net)", ["net_tx", "net_rx"]),
    ("net-latency", "TCP request latency (tests/bench/net)", ["net_tcp_rr", "net_http"]),
]
# Units where a higher value is better (the rest are times).
HIGHER_BETTER = ("MB/s", "MiB/s", "IOPS")
# bench-disk's raw rows (apps/bench_disk.c) as table rows of the ring-3 column.
DISK_ROWS = {"seq-write": "disk_seq_write", "seq-read": "disk_seq_read", "rand-read-4k": "disk_rand_read_4k"}
DESCRIPTIONS = {
    "null_int80": "getpid through int $0x80",
    "null_sysinfo": "getpid through call *AT_SYSINFO (vDSO sysenter; amphi kmode: the direct call)",
    "null_read": "read 1 byte from /dev/zero",
    "null_write": "write 1 byte to /dev/null",
    "stat": "stat of a file in /tmp",
    "open_close": "open + close of a file in /tmp",
    "fork_exit": "fork, child exits, parent waits",
    "fork_execve": "fork + execve of a static program + wait",
    "fork_sh": "fork + /bin/sh -c PROGRAM + wait",
    "ctx_2": "context switch: 2 processes pass a token through pipes",
    "ctx_16": "context switch: 16 processes pass a token through pipes",
    "pipe_lat": "pipe round trip, 1 byte",
    "pipe_bw": "pipe bandwidth, 64 KiB writes",
    "unix_lat": "AF_UNIX stream socket round trip, 1 byte",
    "page_fault": "first touch of a fresh anonymous page",
    "mmap_1m": "mmap + munmap of 1 MiB anonymous, untouched",
    "prot_fault": "write to a read-only page, SIGSEGV handler, mprotect twice",
    "sig_install": "sigaction",
    "sig_deliver": "kill(self) + handler",
    "fs_create_0k": "create a 0 KiB file (in-memory fs, /tmp)",
    "fs_delete_0k": "delete a 0 KiB file (in-memory fs)",
    "fs_create_10k": "create + write a 10 KiB file (in-memory fs)",
    "fs_delete_10k": "delete a 10 KiB file (in-memory fs)",
    "ext2_create_0k": "create a 0 KiB file on ext2",
    "ext2_delete_0k": "delete a 0 KiB file on ext2",
    "ext2_create_10k": "create + write a 10 KiB file on ext2",
    "ext2_delete_10k": "delete a 10 KiB file on ext2",
    "disk_seq_write": "raw virtio-blk disk, sequential write in 1 MiB O_DIRECT requests (bench-disk)",
    "disk_seq_read": "raw virtio-blk disk, sequential read in 1 MiB O_DIRECT requests (bench-disk)",
    "disk_rand_read_4k": "raw virtio-blk disk, 4 KiB O_DIRECT reads at random offsets for 2 s (bench-disk)",
    "net_tx": "TCP, guest to host over virtio-net and slirp (net-echo source; a boot of its own)",
    "net_rx": "TCP, host to guest (net-echo sink)",
    "net_tcp_rr": "TCP round trip of 1 byte on one connection, median of 1,000 (net-echo echo)",
    "net_http": "HTTP GET on a new connection to busybox httpd, median of 200",
}
# The goals the table reports against (printed, never enforced).
GOAL_AT_OR_BELOW_LINUX = ["null_int80", "null_sysinfo", "null_read", "null_write", "fork_exit",
                          "fork_execve", "ctx_2", "ctx_16", "pipe_lat"]


class FormatError(ValueError):
    pass


def parse_words(rest):
    out = {}
    for w in rest.split():
        k, sep, v = w.partition("=")
        if not sep or not k:
            raise FormatError("word %r is not key=value" % w)
        out[k] = v
    return out


def parse_line(line):
    """One bench-lm result line -> dict; raises FormatError if malformed."""
    m = LINE_RE.match(line.strip())
    if not m:
        raise FormatError("not a bench-lm result line: %r" % line)
    d = {"name": m.group(1), "unit": m.group(2)}
    d.update(parse_words(m.group(4)))
    if d.get("status") == "ok":
        for k in KEYS_OK:
            if k not in d:
                raise FormatError("%s: no %s= on an ok line" % (d["name"], k))
        try:
            d["value"] = float(m.group(3))
            d["cycles"] = float(d["cycles"])
            d["reps"], d["runs"] = int(d["reps"]), int(d["runs"])
            d["samples"] = [float(x) for x in d["samples"].split(",")]
            d["spread"] = float(d["spread"].rstrip("%"))
        except ValueError as e:
            raise FormatError("%s: %s" % (d["name"], e))
        if len(d["samples"]) != d["runs"] or d["runs"] < 1:
            raise FormatError("%s: %d samples for runs=%d" % (d["name"], len(d["samples"]), d["runs"]))
    elif d.get("status") in ("unsupported", "failed"):
        for k in KEYS_OTHER:
            if k not in d:
                raise FormatError("%s: no %s=" % (d["name"], k))
        if m.group(3) != "-":
            raise FormatError("%s: value must be '-' when status is %s" % (d["name"], d["status"]))
        d["value"] = None
        d.setdefault("reason", "?")
    else:
        raise FormatError("%s: status=%r" % (d["name"], d.get("status")))
    return d


def parse_transcript(text, column_of_ring):
    """bench-lm output in a boot's transcript -> {column: {bench: line}}.

    column_of_ring maps a "ring=N" start line to a column name (or None to
    ignore that program's lines).  Lines may carry a "(d0) " prefix (Xen).
    Returns (columns, starts, errors): starts are the start lines' words."""
    columns, starts, errors, col = {}, [], [], None
    for raw in text.splitlines():
        # Xen's "(d0) " and a kernel log's "[  12.345678] " (Linux writing through /dev/kmsg)
        line = re.sub(r"^(\(d0\) |\(XEN\) |\[\s*\d+\.\d+\] )", "", raw.rstrip("\r"))
        m = START_RE.match(line)
        if m:
            try:
                words = parse_words(m.group(1))
            except FormatError as e:
                errors.append(str(e))
                continue
            starts.append(words)
            col = column_of_ring(int(words.get("ring", "3")))
            if col:
                columns.setdefault(col, {})
            continue
        if line.startswith("bench-lm: name=") and col:
            try:
                d = parse_line(line)
                columns[col][d["name"]] = d
            except FormatError as e:
                errors.append(str(e))
    return columns, starts, errors


def disk_lines(text):
    """bench-disk's raw lines in a transcript -> {bench: line} in the form of
    parse_line's (one sample each: bench-disk measures once per boot)."""
    out = {}
    for metric, value, unit in DISK_LINE_RE.findall(text):
        if metric in DISK_ROWS:
            v = float(value)
            out[DISK_ROWS[metric]] = dict(name=DISK_ROWS[metric], unit=unit, value=v, status="ok",
                                          samples=[v], runs=1, reps=1, spread=0.0)
    return out


# ---- aggregation ----

def column_order(cols):
    def key(c):
        mode, _, ring = c.partition(":")
        return (MODES.index(mode) if mode in MODES else 99, ring != "ring3", c)
    return sorted(cols, key=key)


def aggregate(results):
    """-> (columns, cells, boot, notes): cells[column][bench] = dict(value, unit,
    status, reason, n) with value the median of every boot's median."""
    per = {}
    boot = {}
    notes = {}
    for run in results["runs"]:
        mode = run["mode"]
        if run.get("status") != "ok":
            if not run.get("part"):     # a network boot's failure is render_net's, not the mode's
                notes.setdefault(mode, run.get("reason", run.get("status")))
            continue
        for col, benches in run["columns"].items():
            if run.get("boot_s") is not None:
                boot.setdefault(col, []).append(run["boot_s"])
            for name, d in benches.items():
                per.setdefault(col, {}).setdefault(name, []).append(d)
    cells = {}
    for col, benches in per.items():
        for name, lines in benches.items():
            vals = [d["value"] for d in lines if d["status"] == "ok"]
            if vals:
                cell = dict(value=statistics.median(vals), unit=lines[0]["unit"], status="ok", n=len(vals))
            else:
                cell = dict(value=None, unit=lines[0]["unit"], status=lines[-1]["status"],
                            reason=lines[-1].get("reason", "?"), n=0)
            cells.setdefault(col, {})[name] = cell
    boot = {c: statistics.median(v) for c, v in boot.items()}
    # a mode that never produced a column still gets one, carrying its reason
    for mode, why in notes.items():
        if not any(c.startswith(mode + ":") for c in cells):
            cells[mode + ":-"] = {}
    return column_order(cells), cells, boot, notes


def peer_column(col, cells):
    mode, _, _ = col.partition(":")
    peer = PEER.get(mode)
    if not peer:
        return None
    pc = peer + ":ring3"
    return pc if cells.get(pc) else None


def ratio(col, name, cells):
    pc = peer_column(col, cells)
    if not pc:
        return None
    a, b = cells[col].get(name), cells[pc].get(name)
    if not a or not b or a["value"] is None or b["value"] is None or not b["value"]:
        return None
    return a["value"] / b["value"]


def fmt_value(v, unit):
    if v is None:
        return "-"
    if unit == "MB/s":
        return "%.0f MB/s" % v
    if unit == "MiB/s":
        return "%.1f MiB/s" % v
    if unit == "IOPS":
        return "%.0f IOPS" % v
    if v >= 1e6:
        return "%.2f ms" % (v / 1e6)
    if v >= 1e4:
        return "%.1f us" % (v / 1e3)
    return "%.0f ns" % v


def bench_names(cells):
    order = [n for _, _, names in GROUPS for n in names]
    seen = {n for c in cells.values() for n in c}
    return [n for n in order if n in seen] + sorted(seen - set(order))


def render_markdown(results, images=()):
    cols, cells, boot, notes = aggregate(results)
    meta = results.get("meta", {})
    out = []
    out.append("# amphi vs Linux: lmbench-style results")
    out.append("")
    out.append("Generated %s by `%s` on %s." % (meta.get("date", "?"), meta.get("command", "make bench-all"),
                                               meta.get("machine", "?")))
    out.append("Rounds: %s (each round boots every mode once, interleaved), %s; Linux peer: %s." % (
        meta.get("rounds", "?"), "quick iteration counts" if meta.get("quick") else "full iteration counts",
        meta.get("linux", "?")))
    out.append("")
    out.append("TCG and nested Xen are emulators: ratios within one run carry over, absolute "
               "times and cycles wait for hardware.  The -icount columns run QEMU with "
               "`-icount shift=0`: guest time advances one ns per guest instruction, so their "
               "\"ns\" are instructions executed, immune to the host's load (but blind to "
               "what an instruction costs).  Each cell: the median over the rounds of each "
               "boot's median, and in brackets amphi / Linux in the same mode (for ns lower is better, "
               "for MB/s, MiB/s and IOPS higher is better).  Each amphi mode boots next to its Linux peer.")
    if meta.get("domu"):
        out.append("The domU columns: %s (one QEMU each on two cores)." % meta["domu"])
    out.append("")
    head = ["benchmark"] + [c for c in cols]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "---|" * len(head))
    row = ["boot to first user program"]
    for c in cols:
        row.append("%.2f s" % boot[c] if c in boot else "-")
    out.append("| " + " | ".join(row) + " |")
    for name in bench_names(cells):
        row = ["`%s`" % name]
        for c in cols:
            cell = cells[c].get(name)
            if not cell:
                row.append("-")
            elif cell["value"] is None:
                row.append(cell["status"] + (" (%s)" % cell.get("reason") if cell.get("reason") else ""))
            else:
                r = ratio(c, name, cells)
                row.append(fmt_value(cell["value"], cell["unit"]) + (" (%.2fx)" % r if r is not None else ""))
        out.append("| " + " | ".join(row) + " |")
    out.append("")
    if notes:
        out.append("Modes without numbers:")
        out.append("")
        for mode in MODES:
            if mode in notes:
                out.append("- %s (%s): %s" % (mode, TITLES.get(mode, mode), notes[mode]))
        out.append("")
    out.extend(render_disks(results))
    out.extend(render_net(results))
    out.extend(render_goals(cols, cells))
    out.append("")
    out.append("Benchmarks:")
    out.append("")
    for name in bench_names(cells):
        out.append("- `%s`: %s" % (name, DESCRIPTIONS.get(name, "")))
    if images:
        out.append("")
        for img in images:
            out.append("![%s](%s)" % (img, img))
    return "\n".join(out) + "\n"


def render_disks(results):
    """What each mode had for the ext2 rows (tests/bench/run's "disk" per
    boot): the image, or why none (a Xen mode: tools/xen-run attaches no
    disk), and any boot whose disk was attached but not mounted."""
    disks, warnings = {}, []
    for run in results["runs"]:
        if "disk" in run:
            disks.setdefault(run["mode"], run["disk"])
        if run.get("warning", "").startswith("disk attached"):
            warnings.append("%s round %s: %s" % (run["mode"], run.get("round", "?"), run["warning"]))
    if not disks:
        return []
    out = ["The ext2 rows' disk, per mode:", ""]
    for mode in sorted(disks, key=lambda m: MODES.index(m) if m in MODES else 99):
        out.append("- %s: %s" % (mode, disks[mode]))
    out.extend("- %s" % w for w in warnings)
    return out + [""]


def render_net(results):
    """What the network rows ran on, and the network boots that failed."""
    runs = [r for r in results["runs"] if r.get("part") == "net"]
    if not runs:
        return []
    out = ["The net_* rows: boots of their own (%s), amphi and Linux in turn each round." % runs[0]["net"]]
    out += ["- %s round %s: %s: %s" % (r["mode"], r.get("round", "?"), r["status"], r.get("reason", "?"))
            for r in runs if r["status"] != "ok"]
    return out + [""]


def render_goals(cols, cells):
    out = ["Goals (reported, not enforced):", ""]
    amphi = [c for c in cols if c.startswith("amphi-") and cells.get(c)]
    for name in GOAL_AT_OR_BELOW_LINUX:
        parts = []
        for c in amphi:
            r = ratio(c, name, cells)
            if r is not None:
                parts.append("%s %.2fx %s" % (c, r, "met" if r <= 1.0 else "MISSED"))
        if parts:
            out.append("- `%s` at or below Linux: %s" % (name, "; ".join(parts)))
    for c in amphi:
        if c.endswith(":kmode"):
            a, b = cells[c].get("null_int80"), cells[c].get("null_sysinfo")
            if a and b and a["value"] and b["value"]:
                out.append("- direct call vs int $0x80 in %s: %.1fx cheaper (goal on hardware: 10x)" % (
                    c, a["value"] / b["value"]))
    for dom in ("xen", "domu"):
        for ring in ("ring3", "kmode"):
            pv, pvh = cells.get("amphi-%s-pv:%s" % (dom, ring)), cells.get("amphi-%s-pvh:%s" % (dom, ring))
            if pv and pvh:
                for name in ("fork_exit", "fork_execve", "page_fault"):
                    a, b = pv.get(name), pvh.get(name)
                    if a and b and a["value"] and b["value"]:
                        out.append("- Xen PV vs PVH (%s), %s, %s: %.2fx" % (
                            "dom0" if dom == "xen" else "domU", ring, name, a["value"] / b["value"]))
    return out


# ---- plots ----

def plot(results, outdir, fmt=("svg", "png")):
    """Per group a bar chart of all columns, and one chart of trap vs direct
    call per ring.  Returns the written file names (relative to outdir)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import os

    cols, cells, _, _ = aggregate(results)
    cols = [c for c in cols if cells.get(c)]
    written = []
    date = results.get("meta", {}).get("date", "")

    def save(fig, stem):
        for f in fmt:
            fig.savefig(os.path.join(outdir, "%s.%s" % (stem, f)), dpi=100, bbox_inches="tight")
            written.append("%s.%s" % (stem, f))
        plt.close(fig)

    for gid, title, names in GROUPS:
        names = [n for n in names if any(cells[c].get(n, {}).get("value") for c in cols)]
        if not names:
            continue
        unit = cells[cols[0]].get(names[0], {}).get("unit") or next(
            cells[c][n]["unit"] for c in cols for n in names if n in cells[c])
        fig, ax = plt.subplots(figsize=(max(6, 1.6 * len(names) + 3), 4.5))
        width = 0.8 / max(1, len(cols))
        for i, c in enumerate(cols):
            vals = [cells[c].get(n, {}).get("value") or 0 for n in names]
            if unit not in HIGHER_BETTER:
                vals = [v / 1000.0 for v in vals]   # microseconds
            xs = [j + i * width for j in range(len(names))]
            ax.bar(xs, vals, width, label=c)
        ax.set_xticks([j + width * (len(cols) - 1) / 2 for j in range(len(names))])
        ax.set_xticklabels(names, rotation=20, ha="right")
        ax.set_ylabel("%s (higher is better)" % unit if unit in HIGHER_BETTER
                      else "microseconds (lower is better, log)")
        if unit not in HIGHER_BETTER:
            ax.set_yscale("log")
        ax.set_title("%s -- %s (emulated: compare columns, not absolute values)" % (title, date), fontsize=9)
        ax.legend(fontsize=7)
        save(fig, "bench-%s" % gid)

    # trap vs direct call, per column (ring)
    pairs = [(c, cells[c].get("null_int80", {}).get("value"), cells[c].get("null_sysinfo", {}).get("value"))
             for c in cols]
    pairs = [p for p in pairs if p[1]]
    if pairs:
        fig, ax = plt.subplots(figsize=(max(6, 1.2 * len(pairs) + 2), 4.5))
        xs = list(range(len(pairs)))
        ax.bar([x - 0.2 for x in xs], [p[1] for p in pairs], 0.4, label="int $0x80 (trap)")
        ax.bar([x + 0.2 for x in xs], [p[2] or 0 for p in pairs], 0.4,
               label="call *AT_SYSINFO (ring 3: sysenter; kmode: direct call)")
        for x, p in zip(xs, pairs):
            if p[2]:
                ax.text(x, max(p[1], p[2]) * 1.1, "%.1fx" % (p[1] / p[2]), ha="center", fontsize=8)
        ax.set_xticks(xs)
        ax.set_xticklabels([p[0] for p in pairs], rotation=20, ha="right")
        ax.set_ylabel("ns per getpid (log)")
        ax.set_yscale("log")     # Xen PV's trap is ~100x its direct call
        ax.set_title("trap vs direct call per ring -- %s" % date, fontsize=9)
        ax.legend(fontsize=7)
        save(fig, "bench-entry")
    return written




# ---- the README's section ----

README_BEGIN = "<!-- bench:begin (make bench-all rewrites this section) -->"
README_END = "<!-- bench:end -->"


def render_readme_section(results, image):
    """The table and one plot for the top README, between the markers."""
    md = render_markdown(results)
    lines = md.splitlines()
    # the generated page without its title and its per-benchmark glossary
    body = lines[2:lines.index("Benchmarks:")] if "Benchmarks:" in lines else lines[2:]
    while body and not body[-1].strip():
        body.pop()
    return "\n".join([README_BEGIN] + body + ["", "![%s](%s)" % (os.path.basename(image), image),
                                              "", README_END])


def update_readme(path, section):
    """Replaces the marked section of the README (or appends it under a
    heading when the markers are missing).  Returns True when it changed."""
    text = open(path).read()
    if README_BEGIN in text and README_END in text:
        head, rest = text.split(README_BEGIN, 1)
        _, tail = rest.split(README_END, 1)
        new = head + section + tail
    else:
        new = text.rstrip("\n") + "\n\n## Benchmarks: amphi against Linux\n\n" + section + "\n"
    if new != text:
        with open(path, "w") as f:
            f.write(new)
    return new != text


# bench-disk (apps/bench_disk.c): its lines and the table of medians that
# tests/bench/disk (amphi and Linux under QEMU) and tests/bench/blkfront
# (amphi and Linux as Xen domUs) print.
DISK_LINE_RE = re.compile(r"^bench-disk: (\S+) ([0-9.]+) (MiB/s|IOPS)\s*$", re.M)


def parse_disk(text):
    """{metric: value} from the bench-disk lines in a transcript (a metric
    printed twice keeps the last)."""
    return {m: float(v) for m, v, _ in DISK_LINE_RE.findall(text)}


def median_table(metrics, columns, samples, ratios=()):
    """Markdown lines: one row per (metric, unit) of metrics, one column per
    (key, title) of columns holding the median of samples[key][metric]
    ("-" when there is none), then one per (numerator key, denominator key,
    title) of ratios, the two medians' quotient.  Higher is better for
    MiB/s and IOPS alike."""
    def med(key, m):
        v = samples.get(key, {}).get(m) or []
        return statistics.median(v) if v else None

    out = ["| benchmark | unit | " + " | ".join(t for _, t in columns) +
           "".join(" | " + t for _, _, t in ratios) + " |",
           "| --- | --- |" + " ---: |" * (len(columns) + len(ratios))]
    for m, unit in metrics:
        row = [m, unit] + ["%.1f" % med(k, m) if med(k, m) is not None else "-" for k, _ in columns]
        for a, b, _ in ratios:
            x, y = med(a, m), med(b, m)
            row.append("%.2f" % (x / y) if x is not None and y else "-")
        out.append("| " + " | ".join(row) + " |")
    return out
