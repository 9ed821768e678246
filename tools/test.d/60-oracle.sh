# Differential testing against the real Go runtime (docs/oracle.md): seeded
# traces of every map operation on int64, string and float64 keys (>= 10^5
# operations in all) are replayed on Go 1.19's runtime map, on a Go >= 1.24's
# (Swiss table) and on gomap::Map, and gomap is compared with each Go; so is
# the map_ops fuzz corpus converted to traces (when fuzz/corpus/map_ops
# exists).  A mismatch fails the step and prints the shortest failing prefix of
# the trace and a shrunken failing trace.  Without a Go >= 1.24 the step says
# so in one line and runs Go 1.19 alone, except under CI=true, where it fails
# (tools/lib/go.bash: GOMAP_GO_NEW, GOMAP_GO_OLD).
set -euo pipefail
cmake --preset dev -Wno-dev >/dev/null
cmake --build --preset dev --target gomap_oracle_replay -j "${GOMAP_JOBS:-2}" >/dev/null
exec tests/oracle/run_oracle.sh --cpp build/dev/tests/oracle/gomap_oracle_replay \
  --workdir build/dev/oracle --keytypes int64,string,float64 --seeds 1,2,3,4,5,6,7,8 --ops 10000 \
  --fuzz-corpus fuzz/corpus/map_ops
