# shellcheck shell=bash
# Helpers for tools/debsrc-fetch (sourced; bash). Kept apart so that other
# scripts that fetch from the Debian mirror (binary .debs, other source
# packages) can use the same mirror lookup and download.

# debsrc_apt_mirror APT_ETC: the first Debian archive URI apt is configured
# with (a URI whose path ends in /debian), from one-line .list files and
# deb822 .sources files alike. Prints nothing when there is none.
debsrc_apt_mirror() {
  local etc="$1" f
  {
    for f in "$etc/sources.list" "$etc"/sources.list.d/*.list; do
      [[ -r "$f" ]] || continue
      # deb [opts] URI suite components...
      sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1=="deb"||$1=="deb-src"{print $2}'
    done
    for f in "$etc"/sources.list.d/*.sources; do
      # (our own deb-src entries are derived from this answer, not a source of it)
      [[ -r "$f" && "$(basename "$f")" != amphi-* ]] || continue
      awk 'tolower($1)=="uris:" {for (i=2;i<=NF;i++) print $i}' "$f"
    done
  } | grep -E '^(https?|file):.*/debian/?$' | head -n1 || true
}

# debsrc_ensure_apt_source APT_ETC MIRROR SUITE MARKER: a deb-src entry for
# SUITE main in its own file, then apt-get update when it was new or changed
# or MARKER (the time of our last update) is older than a day.
debsrc_ensure_apt_source() {
  local etc="$1" mirror="$2" suite="$3" marker="$4" file want
  file="$etc/sources.list.d/amphi-$suite-src.sources"
  want="Types: deb-src
URIs: $mirror
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
  if [[ ! -f "$file" ]] || [[ "$(cat "$file")" != "$want" ]]; then
    echo "debsrc-fetch: writing $file" >&2
    printf '%s\n' "$want" >"$file"
    rm -f "$marker"
  fi
  # (the archive moves on; a failing unrelated index is not our error)
  if [[ ! -f "$marker" ]] || [[ -n "$(find "$marker" -mmin +1440)" ]]; then
    echo "debsrc-fetch: apt-get update" >&2
    if apt-get update -qq >&2; then :; else echo "debsrc-fetch: apt-get update reported errors (continuing)" >&2; fi
    touch "$marker"
  fi
}

# debsrc_download URI FILE: fetch one file with apt's own downloader (so
# apt's proxy settings apply). Returns non-zero on 404, refusal, no answer.
debsrc_download() {
  local out
  if out="$(/usr/lib/apt/apt-helper -o APT::Sandbox::User=root -o Debug::NoLocking=1 \
              download-file "$1" "$2" 2>&1)"; then
    return 0
  fi
  printf '%s\n' "$out" | grep -E '^(Err|  )' | head -n3 | sed 's/^/debsrc-fetch:   /' >&2
  return 1
}

# debsrc_urlencode NAME: a pool file name as a URI path segment ('+' and '~').
debsrc_urlencode() { local s="${1//+/%2b}"; printf '%s' "${s//\~/%7e}"; }

# debsrc_pool_dir SRCPKG: pool/main/x/xen, pool/main/libf/libfoo.
debsrc_pool_dir() {
  local p="$1"
  if [[ "$p" == lib?* ]]; then echo "pool/main/${p:0:4}/$p"; else echo "pool/main/${p:0:1}/$p"; fi
}

# debsrc_stanza INDEX VERSION: the Sources stanza of exactly VERSION.
debsrc_stanza() {
  printf '%s\n' "$1" | awk -v v="$2" '/^Package: /{keep=0} /^Version: /{keep=($2==v)} keep'
}

# debsrc_sort_versions: stdin versions, stdout newest first (dpkg's order).
debsrc_sort_versions() {
  local -a vs=() out=()
  local v i placed
  mapfile -t vs
  for v in "${vs[@]}"; do
    [[ -n "$v" ]] || continue
    placed=0
    for i in "${!out[@]}"; do
      if dpkg --compare-versions "$v" gt "${out[$i]}"; then
        out=("${out[@]:0:$i}" "$v" "${out[@]:$i}"); placed=1; break
      fi
    done
    [[ $placed -eq 1 ]] || out+=("$v")
  done
  [[ ${#out[@]} -eq 0 ]] || printf '%s\n' "${out[@]}" | awk '!seen[$0]++'
}
