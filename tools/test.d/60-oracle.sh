# Differential testing against the real Go runtime (docs/oracle.md): seeded
# traces of every map operation on int64, string and float64 keys (>= 10^5
# operations in all) are replayed on Go's runtime map and on gomap::Map, and
# the results compared, and so is the map_ops fuzz corpus converted to traces
# (when fuzz/corpus/map_ops exists).  A mismatch fails the step and prints the
# shortest failing prefix of the trace and a shrunken failing trace.
set -euo pipefail
cmake --preset dev -Wno-dev >/dev/null
cmake --build --preset dev --target gomap_oracle_replay -j "${GOMAP_JOBS:-2}" >/dev/null
exec tests/oracle/run_oracle.sh --cpp build/dev/tests/oracle/gomap_oracle_replay \
  --workdir build/dev/oracle --keytypes int64,string,float64 --seeds 1,2,3,4,5,6,7,8 --ops 10000 \
  --fuzz-corpus fuzz/corpus/map_ops
