"""The results protocol of `make check` (tests/README, "Results"): a part
appends one line per cell to the file named by $AMPHI_RESULTS,
    PASS|FAIL|SKIP <name> <reason...>
and tests/summary totals them.  Outside `make check` (no $AMPHI_RESULTS)
record() does nothing, so a part run by hand prints as before."""
import os


def record(verdict, name, reason=""):
    path = os.environ.get("AMPHI_RESULTS")
    if not path:
        return
    assert verdict in ("PASS", "FAIL", "SKIP"), verdict
    name = "_".join(str(name).split()) or "unnamed"
    reason = " ".join(str(reason).split())       # one line, whatever it held
    with open(path, "a") as f:
        f.write("%s %s %s\n" % (verdict, name, reason))
