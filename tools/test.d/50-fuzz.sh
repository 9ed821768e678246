# Fuzz smoke, deterministic: every harness in fuzz/ replays its committed
# corpus and then explores for a fixed number of executions from a fixed
# libFuzzer seed (-seed, -runs; two harnesses at a time).  Every input runs
# under gomap::set_seed, so the same commit always runs the same inputs on the
# same paths: a red step is a reproducible bug.  A crash, leak, timeout or
# failed check fails the step and prints the reproducer (path and hex) and
# the harness's report.  Time-bounded exploration belongs to tools/fuzz.
#   GOMAP_FUZZ_SMOKE_SCALE  multiplies every harness's run count (default 1)
#   GOMAP_FUZZ_SMOKE_SEED   libFuzzer's -seed (default 1)
set -uo pipefail
cd "$(dirname "$0")/../.."
scale=${GOMAP_FUZZ_SMOKE_SCALE:-1}
fuzz_seed=${GOMAP_FUZZ_SMOKE_SEED:-1}
# Executions per harness (corpus replay included): about 15 s each on this
# project's 2-core machines, from the harnesses' measured speeds.
declare -A runs=([map_ops]=40000 [map_keys]=40000 [map_growth]=1500 [map_throw]=6000 [hash]=100000
                 [sync_map_ops]=40000 [sharded_ops]=30000
                 # the interleaving harnesses (docs/interleave.md): ~25 s each here
                 [interleave_sync_map]=20000 [interleave_hash_trie_map]=20000
                 [interleave_rcu]=30000)
build=${GOMAP_FUZZ_BUILD_DIR:-build/fuzz}  # the preset's directory unless told otherwise
source tools/test.d/lib.bash
preset_configure fuzz -B "$build" || exit 1
cmake --build "$build" -j "${GOMAP_JOBS:-2}" || exit 1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
harnesses=()
for bin in "$build"/fuzz/*; do
  h=$(basename "$bin")
  [[ -x $bin && -f fuzz/$h.cpp ]] && harnesses+=("$h")
done
((${#harnesses[@]})) || { echo "50-fuzz: no harnesses built"; exit 1; }

smoke() {
  local h=$1 work=$tmp/$1
  mkdir -p "$work/corpus" "$work/artifacts"
  # A scratch copy: new inputs found during the smoke run do not touch fuzz/corpus.
  cp fuzz/corpus/"$h"/* "$work/corpus/" 2>/dev/null || true
  local dict=()
  [[ -f fuzz/$h.dict ]] && dict=(-dict="fuzz/$h.dict")
  local n=${runs[$h]:-20000}
  n=$(awk -v n="$n" -v s="$scale" 'BEGIN { printf "%d", n * s }')
  "$build/fuzz/$h" "$work/corpus" "${dict[@]}" -seed="$fuzz_seed" -runs="$n" -timeout=20 \
    -rss_limit_mb=2048 -artifact_prefix="$work/artifacts/" -print_final_stats=1 \
    >"$work/log" 2>&1
  echo $? >"$work/rc"
}

running=0
for h in "${harnesses[@]}"; do
  smoke "$h" &
  running=$((running + 1))
  if ((running >= 2)); then wait -n; running=$((running - 1)); fi
done
wait

failed=0
for h in "${harnesses[@]}"; do
  work=$tmp/$h
  rc=$(cat "$work/rc" 2>/dev/null || echo 1)
  execs=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$work/log" | grep -oE '[0-9]+$')
  if [[ $rc == 0 ]]; then
    echo "fuzz smoke $h: ok (${execs:-?} executions, -seed=$fuzz_seed)"
    continue
  fi
  failed=$((failed + 1))
  echo "fuzz smoke $h: FAILED (exit $rc)"
  for a in "$work"/artifacts/*; do
    [[ -f $a ]] || continue
    echo "  reproducer $(basename "$a") ($(stat -c %s "$a") bytes, hex):"
    od -An -tx1 -v "$a" | sed 's/^/   /'
  done
  echo "  --- harness log (tail) ---"
  grep -v '^#[0-9]' "$work/log" | tail -60 | sed 's/^/  /'
done
echo "fuzz smoke: $((${#harnesses[@]} - failed)) passed, $failed failed"
((failed == 0))
