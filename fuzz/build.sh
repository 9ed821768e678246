#!/bin/bash -eu
# Builds every gomap fuzz harness the way OSS-Fuzz and ClusterFuzzLite call a
# project's build script: compilers and flags come from the environment, the
# binaries go to $OUT together with <harness>_seed_corpus.zip, <harness>.dict
# and <harness>.options.
#
#   CC CXX              compilers (clang, or afl-clang-fast / afl-clang-lto for AFL++)
#   CFLAGS CXXFLAGS     sanitizer and coverage flags (e.g. -fsanitize=address,fuzzer-no-link)
#   LIB_FUZZING_ENGINE  the engine to link: -fsanitize=fuzzer (libFuzzer), or a driver
#                       archive such as /usr/lib/afl/libAFLDriver.a (AFL++)
#   OUT                 where the harnesses and their files go
#   WORK                scratch space for objects (default: a temporary directory)
#
# Local example (libFuzzer + ASan + UBSan):
#   CC=clang CXX=clang++ CFLAGS= \
#   CXXFLAGS='-O1 -g -fsanitize=address,undefined,fuzzer-no-link' \
#   LIB_FUZZING_ENGINE='-fsanitize=fuzzer' OUT=/tmp/out fuzz/build.sh
# (see docs/fuzz.md for AFL++ and coverage builds).
#
# No CMake here on purpose: the fuzzing images have their own compilers and
# flags, and gomap's compiled part is four files.
set -euo pipefail  # also when run as `bash fuzz/build.sh` (the shebang's flags are not read then)
SRC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CXX=${CXX:-clang++}
CXXFLAGS=${CXXFLAGS:-}
LIB_FUZZING_ENGINE=${LIB_FUZZING_ENGINE:--fsanitize=fuzzer}
: "${OUT:?set OUT to the output directory}"
WORK_DIR=$(mktemp -d "${WORK:-${TMPDIR:-/tmp}}/gomap-fuzz-build.XXXXXX")
trap 'rm -rf "$WORK_DIR"' EXIT
mkdir -p "$OUT"

# $CXXFLAGS is split on purpose: it is a list of flags.
# shellcheck disable=SC2086
compile() { "$CXX" $CXXFLAGS -std=c++20 -pthread -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION \
            -I"$SRC_ROOT/runtime/include" \
            -I"$SRC_ROOT/detect/include" "$@"; }

# The library's compiled part, with the same instrumentation as the harnesses.
objects=()
for src in "$SRC_ROOT"/runtime/src/*.cpp "$SRC_ROOT"/detect/src/*.cpp; do
  obj="$WORK_DIR/$(basename "$(dirname "$(dirname "$src")")")_$(basename "$src" .cpp).o"
  compile -c "$src" -o "$obj"
  objects+=("$obj")
done

# Harnesses whose component exists (SyncMap and ShardedMap land separately).
harnesses=(map_ops map_keys map_growth map_throw hash)
[[ -f $SRC_ROOT/runtime/include/gomap/sync_map.hpp ]] && harnesses+=(sync_map_ops)
[[ -f $SRC_ROOT/runtime/include/gomap/sharded_map.hpp ]] && harnesses+=(sharded_ops)

# The interleaving harnesses (docs/interleave.md) need the yield points live in every
# translation unit that includes gomap's concurrent headers: theirs only.
harnesses+=(interleave_sync_map interleave_hash_trie_map interleave_rcu)

for h in "${harnesses[@]}"; do
  extra=()
  [[ $h == interleave_* ]] && extra=(-DGOMAP_INTERLEAVE=1)
  compile "${extra[@]}" -c "$SRC_ROOT/fuzz/$h.cpp" -o "$WORK_DIR/$h.o"
  # shellcheck disable=SC2086
  "$CXX" $CXXFLAGS "$WORK_DIR/$h.o" "${objects[@]}" $LIB_FUZZING_ENGINE -pthread -ldl \
    -o "$OUT/$h"
  # Seed corpus and dictionary, named as OSS-Fuzz / ClusterFuzzLite look for them.
  rm -f "$OUT/${h}_seed_corpus.zip"
  if [[ -d $SRC_ROOT/fuzz/corpus/$h ]]; then
    (cd "$SRC_ROOT/fuzz/corpus/$h" && zip -q -j "$OUT/${h}_seed_corpus.zip" ./*)
  fi
  if [[ -f $SRC_ROOT/fuzz/$h.dict ]]; then
    cp "$SRC_ROOT/fuzz/$h.dict" "$OUT/$h.dict"
    printf '[libfuzzer]\ndict = %s.dict\n' "$h" >"$OUT/$h.options"
  fi
  echo "built $OUT/$h"
done
