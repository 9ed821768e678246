#!/usr/bin/env bash
# The whole oracle pipeline (docs/oracle.md): build the Go replayer with Go 1.19
# and with a Go >= 1.24, generate the seeded traces, replay them on both Go
# versions and on gomap, compare.
#
#   run_oracle.sh --cpp GOMAP_ORACLE_REPLAY --workdir DIR [oracle.py run options...]
#
# Go toolchains: tools/lib/go.bash (GOMAP_GO_OLD, GOMAP_GO_NEW).  Without a
# Go >= 1.24 the Go 1.19 side runs alone after one line saying so, except under
# CI=true, where that fails.  Python: $PYTHON, else python3.
# Standard library only: the build never touches the network (GOPROXY=off).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../tools/lib/go.bash"
cpp= workdir=
args=()
while (($#)); do
  case $1 in
    --cpp) cpp=$2; shift 2 ;;
    --workdir) workdir=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
[[ -n $cpp && -n $workdir ]] || { echo "usage: $0 --cpp BIN --workdir DIR [oracle.py run options]" >&2; exit 2; }
if ! gomap_go_old; then
  echo "oracle: $GOMAP_GO_OLD_WHY" >&2
  exit 1
fi
gos=("$GOMAP_GO_OLD_BIN")
rc=0
gomap_need_go_new oracle "the Go >= 1.24 replays" "comparing gomap with Go 1.19 only" || rc=$?
((rc == 1)) && exit 1
((rc == 0)) && gos+=("$GOMAP_GO_NEW_BIN")
mkdir -p "$workdir"
workdir=$(cd "$workdir" && pwd)
replayers=()
for go in "${gos[@]}"; do
  v=$(GOTOOLCHAIN=local "$go" env GOVERSION)
  (cd "$here/go" && GOCACHE="$workdir/gocache-$v" GOPATH="$workdir/gopath" GO111MODULE=on \
     GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local "$go" build -o "$workdir/oracle-go-replay-$v" .)
  replayers+=(--go "$workdir/oracle-go-replay-$v")
done
exec "${PYTHON:-python3}" "$here/oracle.py" run "${replayers[@]}" --cpp "$cpp" \
  --workdir "$workdir/traces" "${args[@]}"
