# Stress under ThreadSanitizer (docs/stress.md): tools/stress, built with the
# tsan preset (and, for SyncMap and HashTrieMap, the asan preset), runs a short bounded stress of SyncMap, HashTrieMap, ShardedMap and Map +
# std::shared_mutex (uniform and Zipf keys, GOMAP_STRESS_SECONDS each, default
# 3) with its invariant checks; any TSan report or violated invariant fails
# the step.  Then the dev build's `stress --racy-demo` must show the detector
# killing unsynchronized writers with "fatal error: concurrent map writes".
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${GOMAP_STRESS_SECONDS:-3}
source tools/test.d/lib.bash
preset_configure tsan
cmake --build --preset tsan --target gomap_stress -j "${GOMAP_JOBS:-2}" >/dev/null
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
for map in syncmap hash_trie_map sharded shared_mutex; do
  build/tsan/tools/stress/stress --map "$map" --threads 4 --duration "$seconds" --quiet
  build/tsan/tools/stress/stress --map "$map" --threads 4 --duration "$seconds" --keys 256 \
    --dist zipf --mix read=500,write=200,delete=150,range=2,compute=148 --quiet
done
# The same for the two maps that reclaim through rcu.hpp, under ASan + UBSan: there the
# read sections take the asymmetric-fence path (membarrier; TSan builds cannot), and a
# reader that raced a free would read freed memory, which ASan reports.
preset_configure asan
cmake --build --preset asan --target gomap_stress -j "${GOMAP_JOBS:-2}" >/dev/null
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
for map in syncmap hash_trie_map; do
  build/asan/tools/stress/stress --map "$map" --threads 4 --duration "$seconds" --quiet
  build/asan/tools/stress/stress --map "$map" --threads 4 --duration "$seconds" --keys 256 \
    --dist zipf --mix read=500,write=200,delete=150,range=2,compute=148 --quiet
done
cmake --preset dev -Wno-dev >/dev/null
cmake --build --preset dev --target gomap_stress -j "${GOMAP_JOBS:-2}" >/dev/null
build/dev/tools/stress/stress --racy-demo
