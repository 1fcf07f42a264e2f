"""What the network tiers share (tests/net/run, tests/net/wire): free host
ports, and amphi with its shell on the serial console driven line by line."""
import re
import socket
import subprocess
import threading
import time


def free_port(kind=socket.SOCK_STREAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Guest:
    """amphi with its shell on the serial console: commands typed, each
    ending in a marker line that carries its exit status."""

    def __init__(self, args, log):
        self.p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)
        self.text = ""
        self.cond = threading.Condition()
        self.n = 0
        self.log = log
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        for raw in iter(lambda: self.p.stdout.read1(4096), b""):
            with self.cond:
                self.text += raw.decode("utf-8", "replace").replace("\r", "")
                self.cond.notify_all()
        with self.cond:
            self.text += "\n[QEMU exited]\n"
            self.cond.notify_all()

    def wait(self, pattern, timeout, start=0):
        """The first match of pattern (multi-line) after offset start."""
        rx = re.compile(pattern, re.M)
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                m = rx.search(self.text, start)
                if m:
                    return m
                if self.p.poll() is not None or time.monotonic() > deadline:
                    raise TimeoutError("no /%s/ within %d s%s" % (
                        pattern, timeout, " (QEMU exited)" if self.p.poll() is not None else ""))
                self.cond.wait(0.5)

    def sh(self, cmd, timeout=60):
        """Runs cmd in amphi's shell; (exit status, output before the marker)."""
        self.n += 1
        mark = "MARK%d" % self.n
        with self.cond:
            start = len(self.text)
        self.p.stdin.write(("%s; echo %s $?\n" % (cmd, mark)).encode())
        self.p.stdin.flush()
        m = self.wait(r"^%s (\d+)$" % mark, timeout, start)
        return int(m.group(1)), self.text[start:m.start()]

    def close(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait()
        with open(self.log, "w") as f:
            f.write(self.text)
