# Which Go toolchains gomap's tools use; sourced by tools/setup, the oracle and
# tools/bench/run (bash).
#
#   Go 1.19 ("old"): the runtime map gomap ports.  $GOMAP_GO_OLD, else
#     Debian's golang-1.19-go at /usr/lib/go-1.19/bin/go.
#   Go >= 1.24 ("new"): today's Go (Swiss-table map, hash-trie sync.Map).
#     $GOMAP_GO_NEW when set (and then only it), else /usr/local/go/bin/go,
#     else `go` on PATH.
#
# gomap_go_old / gomap_go_new set GOMAP_GO_OLD_BIN / GOMAP_GO_NEW_BIN and
# *_VERSION (go1.26.1) and return 0, or set GOMAP_GO_*_WHY and return 1.
# gomap_need_go_new WHO WHAT [WHAT_RUNS_INSTEAD]: 0 when a Go >= 1.24 exists; otherwise prints one
# line and returns 2 (skip WHAT), or, under CI=true, returns 1 (CI must never
# pass by skipping).

GOMAP_GO_NEW_MIN=24

# gomap_go_minor GO: the minor version of a Go 1.x toolchain (19, 26), never
# letting it switch to another toolchain.
gomap_go_minor() {
  local v maj min
  v=$(GOTOOLCHAIN=local GOFLAGS= "$1" env GOVERSION 2>/dev/null) || return 1
  v=${v#go}
  IFS=. read -r maj min _ <<<"$v"
  [[ $maj == 1 && $min =~ ^[0-9]+$ ]] || return 1
  echo "$min"
}

gomap_go_old() {
  local go=${GOMAP_GO_OLD:-/usr/lib/go-1.19/bin/go} minor
  GOMAP_GO_OLD_BIN= GOMAP_GO_OLD_VERSION= GOMAP_GO_OLD_WHY=
  if [[ ! -x $go ]]; then
    GOMAP_GO_OLD_WHY="no Go 1.19 at $go (Debian package golang-1.19-go; GOMAP_GO_OLD=/path/to/go)"
    return 1
  fi
  minor=$(gomap_go_minor "$go") || { GOMAP_GO_OLD_WHY="$go does not run"; return 1; }
  if [[ $minor != 19 ]]; then
    GOMAP_GO_OLD_WHY="$go is go1.$minor, not Go 1.19 (GOMAP_GO_OLD=/path/to/go1.19)"
    return 1
  fi
  GOMAP_GO_OLD_BIN=$go
  GOMAP_GO_OLD_VERSION=$(GOTOOLCHAIN=local "$go" env GOVERSION)
}

gomap_go_new() {
  local cands=() go minor seen=()
  GOMAP_GO_NEW_BIN= GOMAP_GO_NEW_VERSION= GOMAP_GO_NEW_WHY=
  if [[ -n ${GOMAP_GO_NEW:-} ]]; then
    cands=("$GOMAP_GO_NEW")
  else
    cands=(/usr/local/go/bin/go)
    go=$(command -v go 2>/dev/null) && cands+=("$go")
  fi
  for go in "${cands[@]}"; do
    if [[ ! -x $go ]]; then
      seen+=("$go: not found")
      continue
    fi
    if ! minor=$(gomap_go_minor "$go"); then
      seen+=("$go: does not run")
      continue
    fi
    if ((minor >= GOMAP_GO_NEW_MIN)); then
      GOMAP_GO_NEW_BIN=$go
      GOMAP_GO_NEW_VERSION=$(GOTOOLCHAIN=local "$go" env GOVERSION)
      return 0
    fi
    seen+=("$go: go1.$minor")
  done
  local IFS=';'
  GOMAP_GO_NEW_WHY="${seen[*]}"
  return 1
}

gomap_need_go_new() {
  local who=$1 what=$2 instead=${3:+; $3}
  gomap_go_new && return 0
  if [[ ${CI:-} == true ]]; then
    echo "$who: FAILED: no Go >= 1.$GOMAP_GO_NEW_MIN ($GOMAP_GO_NEW_WHY), and CI=true must not skip $what;" \
      "install Go >= 1.$GOMAP_GO_NEW_MIN at /usr/local/go or set GOMAP_GO_NEW=/path/to/go" >&2
    return 1
  fi
  echo "$who: SKIPPING $what$instead: no Go >= 1.$GOMAP_GO_NEW_MIN ($GOMAP_GO_NEW_WHY);" \
    "to enable it install Go >= 1.$GOMAP_GO_NEW_MIN at /usr/local/go or set GOMAP_GO_NEW=/path/to/go"
  return 2
}
