"""Boot one amphi artifact in QEMU and judge the run.

A run is judged by two independent things the kernel produces: the last
"Test result: SUCCESS|SKIP|FAILURE|ERROR ..." line of the serial transcript,
and QEMU's exit status, which isa-debug-exit sets to 2*status+1.  A missing
result line (a crash, a hang killed by the timeout) is a failure.
"""
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("BUILD", os.path.join(ROOT, "build"))
QEMU = os.environ.get("QEMU", "qemu-system-x86_64")
STATUS = {"SUCCESS": 0, "SKIP": 1, "FAILURE": 2, "ERROR": 3}
RESULT_RE = re.compile(r"^Test result: (SUCCESS|SKIP|FAILURE|ERROR)\b(.*)$", re.M)


def kvm_usable():
    """Returns None when KVM can run amphi, else the reason it cannot.

    /dev/kvm must open, and a probe guest that does nothing but turn on PAE
    paging (tests/boot/probe/) must get through: some software KVMs reset
    a 32-bit guest at CR0.PG."""
    try:
        fd = os.open("/dev/kvm", os.O_RDWR)
        os.close(fd)
    except OSError as e:
        return "/dev/kvm: %s" % e.strerror
    probe = os.path.join(BUILD, "paging-probe.elf")
    args = [QEMU, "-display", "none", "-serial", "none", "-debugcon", "stdio",
            "-monitor", "none", "-no-reboot", "-nic", "none", "-m", "16M",
            "-accel", "kvm", "-cpu", "qemu64",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel", probe]
    try:
        p = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, timeout=60)
        out, code = p.stdout.decode("ascii", "replace"), p.returncode
    except subprocess.TimeoutExpired:
        return "KVM paging probe timed out"
    if out == "SCP" and code == 1:
        return None
    if out == "SC":
        return ("this host's KVM resets a 32-bit guest when it sets CR0.PG "
                "(PAE paging probe %s printed 'SC', not 'SCP'); amphi needs paging" % probe)
    return "KVM paging probe failed: output %r, QEMU exit %d" % (out, code)


def initrd_path(name):
    """The initrd file for a cell's initrd name.  `make ... EXTRA=DIR` sets
    AMPHI_INITRD to the initrd with DIR's tree added (apps/apps.mk); it
    stands in for build/initrd.cpio."""
    if name == "initrd.cpio" and os.environ.get("AMPHI_INITRD"):
        return os.environ["AMPHI_INITRD"]
    return os.path.join(BUILD, name)


def qemu_args(path, mem, accel, cmdline, cpu=None, workdir=None, initrd=None):
    """QEMU command line for one boot path: pvh, multiboot or bios."""
    args = [QEMU, "-display", "none", "-serial", "stdio", "-monitor", "none",
            "-no-reboot", "-nic", "none", "-m", mem,
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if accel == "kvm":
        # -cpu host/max abort on this host's KVM (MSR 0x10a); a named model works.
        args += ["-accel", "kvm", "-cpu", cpu or "qemu64"]
    else:
        args += ["-accel", "tcg"] + (["-cpu", cpu] if cpu else [])
    mod = ["-initrd", initrd_path(initrd)] if initrd else []
    if path == "pvh":
        args += ["-kernel", os.path.join(BUILD, "amphi.elf"), "-append", cmdline] + mod
    elif path == "multiboot":
        args += ["-kernel", os.path.join(BUILD, "amphi-mb.elf"), "-append", cmdline] + mod
    elif path == "bios":
        img = os.path.join(workdir, "amphi.img")
        shutil.copyfile(os.path.join(BUILD, "amphi.img"), img)
        subprocess.run([os.path.join(ROOT, "tools", "mkimg"), "--set-cmdline", img, cmdline],
                       check=True, stdout=subprocess.DEVNULL)
        args += ["-drive", "file=%s,format=raw,if=ide" % img, "-boot", "c"]
    elif path == "grub-iso":
        # The real GRUB (grub-mkrescue) loading the Multiboot kernel.
        iso = os.path.join(workdir, "amphi.iso")
        subprocess.run([os.path.join(ROOT, "tools", "mkiso"),
                        os.path.join(BUILD, "amphi-mb.elf"), iso, cmdline],
                       check=True, stdout=subprocess.DEVNULL)
        args += ["-cdrom", iso, "-boot", "d"]
    else:
        raise ValueError("unknown boot path %r" % path)
    return args


class Run:
    def __init__(self, transcript, exit_code, seconds, timed_out, stamps=(), cpu_seconds=None):
        self.transcript = transcript
        self.exit_code = exit_code
        self.seconds = seconds
        self.timed_out = timed_out
        self.stamps = list(stamps)          # (host monotonic seconds, line)
        self.cpu_seconds = cpu_seconds      # QEMU's user+system CPU time
        results = RESULT_RE.findall(transcript)
        self.status, self.reason = (results[-1][0], results[-1][1].strip()) if results else (None, "")

    def line_time(self, pattern):
        """Host time at which the first line matching pattern arrived."""
        for t, line in self.stamps:
            if re.search(pattern, line):
                return t
        return None

    def verdict(self, expect="SUCCESS", patterns=(), exit_code=None):
        """Returns None when the run is as expected, else what was wrong.

        expect="IDLE" is for a boot without a test (as `make run` does): the
        kernel must come up, still be running at the timeout, and not panic."""
        if expect == "IDLE":
            if not self.timed_out:
                return "kernel stopped (QEMU exit %d) instead of idling" % self.exit_code
            if "KERNEL PANIC" in self.transcript or self.status is not None:
                return "kernel panicked or ended while idling"
            patterns = list(patterns) + [r"^amphi: up; "]
            for p in patterns:
                if not re.search(p, self.transcript, re.M):
                    return "transcript lacks /%s/" % p
            return None
        if self.timed_out:
            return "timed out after %.0f s with no result line" % self.seconds \
                if self.status is None else "timed out after the result line"
        if self.status is None:
            return "no 'Test result:' line (kernel crashed or hung?); QEMU exit %d" % self.exit_code
        if self.status != expect:
            return "result %s %s, expected %s" % (self.status, self.reason, expect)
        want = 2 * STATUS[expect] + 1 if exit_code is None else exit_code
        if self.exit_code != want:
            return "QEMU exit status %d does not match result %s (expected %d)" % (
                self.exit_code, self.status, want)
        for p in patterns:
            if not re.search(p, self.transcript, re.M):
                return "transcript lacks /%s/" % p
        return None

    def lines_in_order(self, expected):
        """None when every expected line (a regex for a whole line) appears
        in this order in the transcript, else the first one missing."""
        lines = self.transcript.splitlines()
        i = 0
        for e in expected:
            while i < len(lines) and not re.fullmatch(e, lines[i]):
                i += 1
            if i == len(lines):
                return "transcript lacks, in order, a line /%s/" % e
            i += 1
        return None


def run_command(args, timeout, feed=None, kill_on=None):
    """Runs QEMU (or a wrapper), timestamping each output line as it arrives;
    returns a Run with QEMU's CPU time.  feed: (wait_for_regex, text) pairs
    typed on the serial console, each once its pattern has appeared.
    kill_on: (regex, seconds): SIGKILL QEMU that long after a line matching
    regex arrived (a crash in the middle of the guest's work); the Run's
    killed is then True."""
    t0 = time.monotonic()
    p = subprocess.Popen(args, stdin=subprocess.PIPE if feed else subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    seen = []                       # output so far, for the typist

    def typist():
        for pattern, text in feed:
            while not re.search(pattern, "".join(seen), re.M):
                if p.poll() is not None:
                    return
                time.sleep(0.05)
            time.sleep(0.2)
            try:
                p.stdin.write(text.encode())
                p.stdin.flush()
            except OSError:
                return
    if feed:
        threading.Thread(target=typist, daemon=True).start()
    stamps, chunks, timed_out = [], [], False
    timer = threading.Timer(timeout, p.kill)
    timer.start()
    killer = None
    try:
        partial = b""                # a line whose end has not arrived yet
        for raw in iter(lambda: p.stdout.read1(4096), b""):
            chunks.append(raw)
            seen.append(raw.decode("utf-8", "replace"))
            now = time.monotonic() - t0
            *whole, partial = (partial + raw).split(b"\n")
            for line in whole:
                stamps.append((now, line.decode("utf-8", "replace").rstrip("\r")))
                if kill_on and not killer and re.search(kill_on[0], stamps[-1][1]):
                    killer = threading.Timer(kill_on[1], p.kill)
                    killer.start()
        if partial:
            stamps.append((time.monotonic() - t0, partial.decode("utf-8", "replace").rstrip("\r")))
    finally:
        timer.cancel()
    _, status, usage = os.wait4(p.pid, 0)
    if killer:
        killer.cancel()
    secs = time.monotonic() - t0
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL and secs >= timeout:
        code, timed_out = 124, True
    else:
        code = os.waitstatus_to_exitcode(status)
    p.returncode = code
    text = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    run = Run(text, code, secs, timed_out, stamps, usage.ru_utime + usage.ru_stime)
    run.killed = bool(killer) and os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL and not timed_out
    return run


def boot(path, mem, accel, cmdline, timeout=60, cpu=None, extra=(), initrd=None, feed=None):
    with tempfile.TemporaryDirectory(prefix="amphi-boot-") as wd:
        args = qemu_args(path, mem, accel, cmdline, cpu, wd, initrd) + list(extra)
        return run_command(args, timeout, feed)
