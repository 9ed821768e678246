#!/usr/bin/env bash
# The whole oracle pipeline (docs/oracle.md): build the Go replayer, generate
# the seeded traces, replay them on Go and on gomap, compare.
#
#   run_oracle.sh --cpp GOMAP_ORACLE_REPLAY --workdir DIR [oracle.py run options...]
#
# Go: $GOMAP_GO, else `go` on PATH, else Debian's /usr/lib/go-1.19/bin/go.
# Python: $PYTHON, else python3.
# Standard library only: the build never touches the network (GOPROXY=off).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
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
go=${GOMAP_GO:-$(command -v go || true)}
[[ -n $go ]] || go=/usr/lib/go-1.19/bin/go
if [[ ! -x $go ]]; then
  echo "oracle: no Go toolchain (install Debian's golang-1.19-go)" >&2
  exit 1
fi
mkdir -p "$workdir"
workdir=$(cd "$workdir" && pwd)
(cd "$here/go" && GOCACHE="$workdir/gocache" GOPATH="$workdir/gopath" GO111MODULE=on GOFLAGS=-mod=mod \
   GOPROXY=off GOTOOLCHAIN=local "$go" build -o "$workdir/oracle-go-replay" .)
exec "${PYTHON:-python3}" "$here/oracle.py" run --go "$workdir/oracle-go-replay" --cpp "$cpp" \
  --workdir "$workdir/traces" "${args[@]}"
