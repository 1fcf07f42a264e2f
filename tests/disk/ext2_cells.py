"""ext2 cells of tests/disk/run that boot from a disk root (amphi.root=):
the root is an ext2 image of the initrd's tree (unpacked from
build/initrd.cpio) with the scripts of tests/disk/sh/ in /t, so that
PID 1 can run scripts longer than a command line holds.

Each cell is a dict for run.py's run_cell: setup(wd) makes the disks and
returns the QEMU arguments and a context; check(ctx, run) judges what the
host finds on the disks afterwards (None when all is well, else why not).
"""
import hashlib
import os
import re
import shutil
import subprocess
import tempfile

import qemu_run

HERE = os.path.dirname(os.path.abspath(__file__))
SH = os.path.join(HERE, "sh")
MIB = 1 << 20
KNOWN = bytes((i * 13 + i // 509) & 255 for i in range(70000))   # /t/known


def sh(*args, **kw):
    return subprocess.run(list(args), check=True, stdout=subprocess.DEVNULL, **kw)


def md5(b):
    return hashlib.md5(b).hexdigest()


def unpack_initrd(dest):
    """The initrd's tree (the one the cells would otherwise boot with)."""
    os.makedirs(dest)
    with open(qemu_run.initrd_path("initrd.cpio"), "rb") as f:
        sh("cpio", "-idm", "--quiet", stdin=f, cwd=dest, stderr=subprocess.DEVNULL)
    return dest


def mk_root(wd, size_mib=48):
    """wd/root.img: ext2 of the initrd's tree plus /t (scripts, known)."""
    tree = unpack_initrd(os.path.join(wd, "tree"))
    shutil.copytree(SH, os.path.join(tree, "t"))
    with open(os.path.join(tree, "t", "known"), "wb") as f:
        f.write(KNOWN)
    img = os.path.join(wd, "root.img")
    sh("mke2fs", "-q", "-F", "-t", "ext2", "-d", tree, img, "%dM" % size_mib)
    return img, tree


def mk_empty(path, size_mib, *opts):
    sh("mke2fs", "-q", "-F", "-t", "ext2", *opts, path, "%dM" % size_mib)
    return path


def partitioned(fs_img, disk):
    """disk: an MBR disk with one partition at 1 MiB holding fs_img."""
    size = os.path.getsize(fs_img)
    with open(disk, "wb") as f:
        f.truncate(size + 2 * MIB)
    sh("sfdisk", "-q", disk, input=b"label: dos\nstart=2048, size=%d, type=83\n" % (size // 512))
    with open(fs_img, "rb") as src, open(disk, "r+b") as dst:
        dst.seek(MIB)
        shutil.copyfileobj(src, dst)


def partition_out(disk, fs_img):
    """The partition back out of the disk, for e2fsck and debugfs."""
    with open(disk, "rb") as src, open(fs_img, "wb") as dst:
        src.seek(MIB)
        shutil.copyfileobj(src, dst)


def e2fsck(img, opt="-fn"):
    r = subprocess.run(["e2fsck", opt, img], capture_output=True, text=True)
    return r.returncode, (r.stdout + r.stderr)[-400:]


def cat(img, path):
    return subprocess.run(["debugfs", "-R", "cat " + path, img], capture_output=True).stdout


def clean(img):
    """None when e2fsck -fn finds img clean, else its complaint."""
    rc, out = e2fsck(img)
    return None if rc == 0 else "host: e2fsck -fn exit %d: %s" % (rc, out)


def drive(img, i, bus="virtio"):
    if bus == "ahci":               # BIOS on q35: amphi.img is port 0
        return ["-drive", "file=%s,if=none,id=d%d,format=raw" % (img, i),
                "-device", "ide-hd,drive=d%d,bus=ide.%d" % (i, i + 1)]
    return ["-drive", "file=%s,if=none,id=d%d,format=raw" % (img, i),
            "-device", "virtio-blk-pci,drive=d%d,disable-legacy=on" % i]


def init(script, root="vda"):
    return "amphi.root=%s amphi.test=init amphi.init=/bin/sh -- /t/%s" % (root, script)


# ---- 1. root on disk: read, write, sync from a shell whose / is the disk ----
def rootfs_setup(bus):
    def setup(wd):
        fs, tree = mk_root(wd)
        disk = os.path.join(wd, "disk.img")
        partitioned(fs, disk)
        q35 = ["-machine", "q35"] if bus == "ahci" else []
        return dict(args=q35 + drive(disk, 0, bus), disk=disk, fs=os.path.join(wd, "back.img"), tree=tree)
    return setup


def rootfs_check(ctx, run):
    partition_out(ctx["disk"], ctx["fs"])
    why = clean(ctx["fs"])
    if why:
        return why
    busybox = open(os.path.join(ctx["tree"], "bin", "busybox"), "rb").read()
    if cat(ctx["fs"], "/w") != b"written on amphi\n":
        return "host: /w does not hold what amphi wrote"
    if cat(ctx["fs"], "/nd/bb2") != busybox:
        return "host: /nd/bb2 is not a copy of /bin/busybox"
    state = subprocess.run(["dumpe2fs", "-h", ctx["fs"]], capture_output=True, text=True).stdout
    if "Filesystem state:         clean" not in state:
        return "host: / was not unmounted cleanly at power-off"
    return None


def rootfs_lines(dev):
    return [r"^rootfs: / is ext2 on /dev/%s \(rw\)" % dev, r"^/dev/%s / ext2 rw" % dev,
            r"^%s  /t/known$" % md5(KNOWN), r"^dev-ok$", r"^sync 0$", r"^[0-9a-f]{32}  /nd/bb2$"]


# ---- root= that cannot be used: the reason, then the initrd or power-off ----
def raw_disk(wd):
    img = os.path.join(wd, "raw.img")
    with open(img, "wb") as f:
        f.truncate(8 * MIB)
    return dict(args=drive(img, 0))


# ---- 2. a small disk filled until ENOSPC ----
def full_setup(wd):
    root, tree = mk_root(wd)
    data = mk_empty(os.path.join(wd, "data.img"), 8, "-b", "1024", "-N", "256")
    return dict(args=drive(root, 0) + drive(data, 1), data=data, tree=tree)


def full_check(ctx, run):
    why = clean(ctx["data"])
    if why:
        return why
    busybox = open(os.path.join(ctx["tree"], "bin", "busybox"), "rb").read()
    for i in range(5):
        if cat(ctx["data"], "/early%d" % i) != busybox[:i * 7000 + 100]:
            return "host: /early%d does not hold its bytes" % i
    if cat(ctx["data"], "/after") != b"again\n":
        return "host: /after (written once space was freed) is wrong"
    return None


FULL_LINES = [r"No space left on device", r"^blocks-full after [1-9]\d* files$", r"^early4: OK$",
              r"^early-ok$", r"^umount 0$", r"^early-ok-after-remount$",
              r"^inodes-full after 2[0-9][0-9] files$", r"^umount 0$"]


# ---- 3. thousands of files, a 64 MiB file, renames, truncates ----
def big_setup(wd):
    root, tree = mk_root(wd)
    data = mk_empty(os.path.join(wd, "data.img"), 160, "-b", "1024")
    return dict(args=drive(root, 0) + drive(data, 1), data=data, tree=tree, wd=wd)


def big_check(ctx, run):
    why = clean(ctx["data"])
    if why:
        return why
    want = os.path.join(ctx["wd"], "want")
    os.makedirs(want)
    sh("sh", os.path.join(SH, "big.sh"), want, os.path.join(ctx["tree"], "bin", "busybox"))
    got = os.path.join(ctx["wd"], "got")
    os.makedirs(got)
    sh("debugfs", "-R", "rdump / " + got, ctx["data"], stderr=subprocess.DEVNULL)
    manifest = {}
    with open(os.path.join(got, "MANIFEST")) as f:
        for line in f:
            h, name = line.split(None, 1)
            manifest[os.path.normpath(name.strip())] = h

    def files(top):
        out = {}
        for d, dirs, names in os.walk(top):
            for n in names:
                rel = os.path.relpath(os.path.join(d, n), top)
                if rel != "MANIFEST" and not rel.startswith("lost+found"):
                    out[rel] = os.path.join(d, n)
        return out
    w, g = files(want), files(got)
    if set(w) != set(g):
        return "host: file sets differ: missing %s, extra %s" % (sorted(set(w) - set(g))[:5],
                                                                 sorted(set(g) - set(w))[:5])
    if set(manifest) != set(w):
        return "host: amphi's MANIFEST lists other files (%d vs %d)" % (len(manifest), len(w))
    for rel in sorted(w):
        a, b = open(w[rel], "rb").read(), open(g[rel], "rb").read()
        if a != b:
            return "host: %s differs from the host's copy (%d vs %d bytes)" % (rel, len(b), len(a))
        if md5(b) != manifest[rel]:
            return "host: %s does not match amphi's MANIFEST" % rel
    return None


# ---- 4. QEMU killed while writes go on after a sync ----
def crash_setup(wd):
    root, tree = mk_root(wd)
    data = mk_empty(os.path.join(wd, "data.img"), 32, "-b", "1024")
    return dict(args=drive(root, 0) + drive(data, 1), data=data, tree=tree)


def crash_check(ctx, run):
    if not run.killed:
        return "QEMU was not killed after SYNC-DONE (marker missing?)"
    busybox = open(os.path.join(ctx["tree"], "bin", "busybox"), "rb").read()

    def synced(when):
        for i in range(6):
            if cat(ctx["data"], "/s%d" % i) != busybox[:i * 300000 + 1000]:
                return "host: /s%d (synced) damaged %s" % (i, when)
        if cat(ctx["data"], "/sd/x") != b"synced\n":
            return "host: /sd/x (synced) damaged %s" % when
        return None
    why = synced("after the crash")
    if why:
        return why
    rc, out = e2fsck(ctx["data"], "-fy")
    if rc not in (0, 1):
        return "host: e2fsck -fy exit %d: %s" % (rc, out)
    return clean(ctx["data"]) or synced("after e2fsck -fy")


def cells():
    yield dict(name="ext2-root-virtio/pvh", path="pvh", setup=rootfs_setup("virtio"),
               cmdline=init("rootfs.sh", "/dev/vda1"), patterns=rootfs_lines("vda1"),
               check=rootfs_check)
    yield dict(name="ext2-root-ahci/bios", path="bios", setup=rootfs_setup("ahci"),
               cmdline=init("rootfs.sh", "sdb1"), patterns=rootfs_lines("sdb1"),
               check=rootfs_check)
    yield dict(name="ext2-root-missing/pvh", path="pvh", setup=raw_disk, initrd="initrd.cpio",
               cmdline='amphi.root=/dev/vdq1 amphi.test=init amphi.init=/bin/sh -- -c "echo on-initrd"',
               patterns=[r"^rootfs: cannot mount /dev/vdq1 as /: no such block device",
                         r"^rootfs: staying on the initrd", r"^on-initrd$"])
    yield dict(name="ext2-root-refused/pvh", path="pvh", setup=raw_disk, expect="FAILURE",
               cmdline="amphi.root=vda amphi.test=init",
               patterns=[r"^ext2: vda: .*not mounted", r"^rootfs: cannot mount vda as /: not an ext2",
                         r"^rootfs: no root file system and no initrd: nothing to run; powering off"])
    yield dict(name="ext2-full/pvh", path="pvh", setup=full_setup, cmdline=init("full.sh"),
               patterns=FULL_LINES, check=full_check)
    yield dict(name="ext2-big-tree/pvh", path="pvh", setup=big_setup, mem="512M", timeout=240,
               cmdline=init("big-run.sh"), patterns=[r"^manifest 1805$", r"^umount 0$"], check=big_check)
    yield dict(name="ext2-crash/pvh", path="pvh", setup=crash_setup, kill_on=(r"^SYNC-DONE$", 6),
               cmdline=init("crash.sh"), patterns=[r"^SYNC-DONE$"], check=crash_check)
    yield from hostile_cells()


# ---- 5. hostile images, one at a time on a scratch disk ----
HOSTILE = os.path.join(HERE, "ext2-hostile")
RANDOM_IMAGES, SEED = 200, 12


def hostile_setup(wd):
    root, tree = mk_root(wd)
    store = os.path.join(wd, "store.img")
    out = subprocess.run([HOSTILE, "--store", store, "--random", str(RANDOM_IMAGES), "--seed", str(SEED)],
                         check=True, capture_output=True, text=True).stdout.splitlines()
    scratch = os.path.join(wd, "scratch.img")
    with open(scratch, "wb") as f:
        f.truncate(4 * MIB)
    whats = [line.split(None, 1)[1] for line in out]
    return dict(args=drive(root, 0) + drive(store, 1) + drive(scratch, 2), whats=whats)


def hostile_check(ctx, run):
    """The control works; each one-field image is refused or fails a step
    with an ext2 reason logged for it; a random one may also work (a flip
    can land on a byte nobody reads) but a refused mount must say why; all
    come back to the shell."""
    segs = re.split(r"^img (\d+)$", run.transcript, flags=re.M)
    got = {}
    for k in range(1, len(segs) - 1, 2):
        m = re.search(r"^status %s (\S+)$" % segs[k], segs[k + 1], re.M)
        got[int(segs[k])] = (m.group(1) if m else None, segs[k + 1])
    for i, what in enumerate(ctx["whats"]):
        status, seg = got.get(i, (None, ""))
        if status is None:
            return "image %d (%s): no status line (panic or hang?)" % (i, what)
        reason = re.search(r"^ext2: vdc: .*(: not mounted|corrupt: |mounted read-only)", seg, re.M)
        if i == 0 and status != "0":
            return "the control image failed at %s" % status
        if 0 < i and not what.startswith("random") and (status == "0" or not reason):
            return "image %d (%s): %s, %s" % (i, what, "worked" if status == "0" else "failed at " + status,
                                              "no reason logged" if not reason else "")
        if status == "mount" and not reason:
            return "image %d (%s): mount refused without a reason logged" % (i, what)
    return None


def hostile_cells():
    n = 1 + len(re.findall(r'^\s+\("', open(HOSTILE).read(), re.M)) + RANDOM_IMAGES
    yield dict(name="ext2-hostile-all/pvh", path="pvh", setup=hostile_setup, timeout=300,
               cmdline="loglevel=8 " + init("hostile.sh %d" % n), patterns=[r"^alive$"],
               check=hostile_check)
