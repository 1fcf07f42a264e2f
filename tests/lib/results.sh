# shellcheck shell=bash
# The results protocol of `make check` for shell parts (see results.py and
# tests/README, "Results"). Source it, then: record PASS|FAIL|SKIP NAME REASON...
record() {
  local verdict="$1" name="$2"; shift 2
  [[ -n "${AMPHI_RESULTS:-}" ]] || return 0
  case "$verdict" in PASS|FAIL|SKIP) ;; *) echo "record: bad verdict $verdict" >&2; return 1 ;; esac
  printf '%s %s %s\n' "$verdict" "${name// /_}" "$(echo "$*" | tr '\n' ' ' | sed 's/  */ /g; s/ $//')" >>"$AMPHI_RESULTS"
}
