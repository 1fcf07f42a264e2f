"""The Xen domU benchmarks' common part (tests/bench/blkfront, tests/bench/
xen-net): the guests of a round (amphi PVH, amphi PV, Linux PVH), the Linux
PVH domU (the dom0's own kernel, Debian's amd64 linux-image, with one front
end module and its dependencies taken from the dom0's cpio), the test
directory for `tools/xen-host run`, and what the transcript says of each
guest."""
import gzip
import importlib.machinery
import importlib.util
import lzma
import os
import re
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.environ.get("BUILD", os.path.join(ROOT, "build"))

# (column, xl type, kernel)
GUESTS = [("amphi-pvh", "pvh", "amphi"), ("amphi-pv", "pv", "amphi"), ("linux-pvh", "pvh", "linux")]
COLUMNS = [("amphi-pvh", "amphi PVH"), ("amphi-pv", "amphi PV"), ("linux-pvh", "Linux PVH")]
RATIOS = [("amphi-pvh", "linux-pvh", "amphi-pvh/linux"), ("amphi-pv", "linux-pvh", "amphi-pv/linux")]


def column(col):
    """(xl type, kernel) of a column."""
    return next((t, k) for c, t, k in GUESTS if c == col)


def guest_names(rounds):
    """(guest name, column, round) in the order they run: rounds interleaved."""
    return [("%s-%d" % (col, r + 1), col, r + 1) for r in range(rounds) for col, _, _ in GUESTS]


def load_script(path, name):
    loader = importlib.machinery.SourceFileLoader(name, path)
    spec = importlib.util.spec_from_loader(name, loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def find_dom0():
    """(the cached dom0's directory, None) or (None, why there is none):
    tools/xen-host dom0, which makes it the first time."""
    p = subprocess.run([os.path.join(ROOT, "tools", "xen-host"), "dom0"], capture_output=True, text=True)
    if p.returncode:
        return None, "no Xen test host: %s" % (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1]
    return p.stdout.strip().splitlines()[-1], None


def dom0_dir():
    """The cached dom0, or None after a message."""
    path, why = find_dom0()
    if why:
        print(why)
    return path


def dom0_meta(dom0dir):
    path = os.path.join(dom0dir, "stamp")
    stamp = open(path).read().split("\n") if os.path.exists(path) else []
    return dict(dom0="; ".join(l for l in stamp if l.startswith("linux-image")) or "?",
                xen=" ".join(l.split()[-1] for l in stamp if l.startswith("xen-utils")) or "?")


def extract(cpio, member):
    with open(cpio, "rb") as f:
        return subprocess.run(["cpio", "-i", "--quiet", "--to-stdout", member], stdin=f,
                              capture_output=True, check=True).stdout


def linux_module(dom0dir, wd, module):
    """module (e.g. "xen-blkfront") and what it depends on, from the dom0's
    cpio, decompressed (busybox insmod and bench-init's finit_module take
    plain .ko files), as wd/modroot/modules/*.ko with ORDER.  Returns
    (kernel version, [file names in load order])."""
    cpio = os.path.join(dom0dir, "dom0.cpio")
    with open(cpio, "rb") as f:
        names = subprocess.run(["cpio", "-it", "--quiet"], stdin=f, capture_output=True, text=True,
                               check=True).stdout.split()
    dep_file = next(n for n in names if re.match(r"usr/lib/modules/[^/]+/modules\.dep$", n))
    kver = dep_file.split("/")[3]
    deps = {}
    for line in extract(cpio, dep_file).decode().splitlines():
        mod, _, rest = line.partition(":")
        deps[mod] = rest.split()
    want = next(m for m in deps if re.search(r"/%s\.ko(\.\w+)?$" % re.escape(module), m))
    order = list(reversed(deps[want])) + [want]       # modules.dep: the deepest dependency last
    mdir = os.path.join(wd, "modroot", "modules")
    os.makedirs(mdir, exist_ok=True)
    plain = []
    for m in order:
        data = extract(cpio, "usr/lib/modules/%s/%s" % (kver, m))
        base = os.path.basename(m)
        if base.endswith(".xz"):
            data, base = lzma.decompress(data), base[:-3]
        elif base.endswith(".zst"):
            data, base = subprocess.run(["zstd", "-dc"], input=data, capture_output=True,
                                        check=True).stdout, base[:-4]
        elif base.endswith(".gz"):
            data, base = gzip.decompress(data), base[:-3]
        with open(os.path.join(mdir, base), "wb") as f:
            f.write(data)
        plain.append(base)
    with open(os.path.join(mdir, "ORDER"), "w") as f:
        f.write("".join(n + "\n" for n in plain))
    return kver, plain


def linux_initrd(wd, scripts=None):
    """build/initrd.cpio (busybox, bench-init, bench-disk, net-echo) with
    wd/modroot (the modules; scripts {name: text} as executable /NAME)
    appended as a second archive (Linux unpacks concatenated archives)."""
    root = os.path.join(wd, "modroot")
    members = ["modules"] + ["modules/" + n for n in sorted(os.listdir(os.path.join(root, "modules")))]
    for name, text in (scripts or {}).items():
        path = os.path.join(root, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o755)
        members.append(name)
    extra = subprocess.run(["cpio", "-o", "-H", "newc", "--quiet"], cwd=root, check=True, capture_output=True,
                           input="".join(m + "\n" for m in members).encode()).stdout
    out = os.path.join(wd, "linux-initrd.cpio")
    with open(os.path.join(BUILD, "initrd.cpio"), "rb") as f, open(out, "wb") as o:
        o.write(f.read())
        o.write(extra)
    return out


def test_dir(wd, dom0dir, module, scripts=None):
    """wd/test for `xen-host run`: amphi.elf, initrd.cpio, the dom0's
    vmlinuz and linux-initrd.cpio (with module).  Returns its path and
    what the Linux guest is (kernel version, modules)."""
    kver, mods = linux_module(dom0dir, wd, module)
    linux = "%s (dom0's kernel), modules %s" % (kver, " ".join(mods))
    test = os.path.join(wd, "test")
    os.makedirs(test)
    shutil.copy(os.path.join(BUILD, "amphi.elf"), test)
    shutil.copy(os.path.join(BUILD, "initrd.cpio"), test)
    shutil.copy(os.path.join(dom0dir, "vmlinuz"), test)
    shutil.move(linux_initrd(wd, scripts), os.path.join(test, "linux-initrd.cpio"))
    return test, linux


def run(test, log, timeout):
    """Boots the dom0 with test as /test, the transcript into log as it
    comes (`tail -f` shows the run).  Returns (status, stderr)."""
    os.makedirs(os.path.dirname(log), exist_ok=True)
    with open(log, "wb") as f:
        p = subprocess.run([os.path.join(ROOT, "tools", "xen-host"), "run", "--timeout", str(timeout), test],
                           stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.PIPE)
    return p.returncode, p.stderr.decode(errors="replace").strip()


def consoles(text):
    """{guest name: console text}, as tests/xen/domu reads them."""
    return load_script(os.path.join(ROOT, "tests", "xen", "domu"), "domu").consoles(text)


def console_tail(text, name, n=3):
    con = consoles(text).get(name)
    if con is None:
        return "no console section in the dom0 transcript"
    return "console ends: " + " / ".join(con.strip().splitlines()[-n:])


def guest_seconds(text, name):
    """Start to end of a guest by dom0's uptime, or None."""
    t0 = re.search(r"^xenhost: guest %s start at ([\d.]+) s" % re.escape(name), text, re.M)
    t1 = re.search(r"^xenhost: guest %s end at ([\d.]+) s" % re.escape(name), text, re.M)
    return round(float(t1.group(1)) - float(t0.group(1)), 1) if t0 and t1 else None
