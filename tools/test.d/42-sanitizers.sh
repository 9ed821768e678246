# Sanitizers passed the way a CI job or a distribution passes them: plain
# CMAKE_CXX_FLAGS, no preset (docs/packaging.md).  For -fsanitize=thread and
# -fsanitize=address,undefined: configure and build the library alone
# (BUILD_TESTING=OFF), install it, build the consumer project and a racy
# program against the install with the same flags and run them; under TSan
# the racy program must be reported as a race on gomap::Map.  Then configure
# the whole tree under TSan and MSan to check that what cannot work there is
# left out with a message (alloc_test; under MSan the GoogleTest suites).
set -euo pipefail
root=$(pwd)
cxx=${GOMAP_PLAIN_SANITIZER_CXX:-clang++}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

for flags in -fsanitize=thread -fsanitize=address,undefined; do
  name=${flags#-fsanitize=}; name=${name//,/+}
  b=$work/$name
  cmake -S . -B "$b/build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_FLAGS="$flags -g" \
    -DBUILD_TESTING=OFF >"$b.log" 2>&1 || { cat "$b.log"; exit 1; }
  grep -q "gomap: building under sanitizers" "$b.log" ||
    { echo "sanitizers: $flags not detected" >&2; cat "$b.log"; exit 1; }
  cmake --build "$b/build" -j "${GOMAP_JOBS:-2}" >/dev/null
  cmake --install "$b/build" --prefix "$b/prefix" >/dev/null
  for p in consumer race; do
    cmake -S "$root/tests/install/$p" -B "$b/$p" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
      -DCMAKE_CXX_FLAGS="$flags -g" -DCMAKE_PREFIX_PATH="$b/prefix" >/dev/null
    cmake --build "$b/$p" >/dev/null
  done
  "$b/consumer/consumer"
  if [[ $name == thread ]]; then
    if TSAN_OPTIONS=halt_on_error=1 "$b/race/race" >"$b/race.out" 2>&1; then
      echo "sanitizers: the racy program ran clean under TSan" >&2; cat "$b/race.out"; exit 1
    fi
    grep -q "WARNING: ThreadSanitizer: race on gomap::Map" "$b/race.out" ||
      { echo "sanitizers: no race on gomap::Map reported" >&2; cat "$b/race.out"; exit 1; }
    echo "sanitizers: $flags: $(grep -m1 'race on gomap::Map' "$b/race.out" | sed 's/^=*//')"
  else
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 "$b/race/race" >/dev/null
  fi
  echo "sanitizers: $flags: library built alone, installed, consumer and racy program built and ran"
done

# The whole tree, configure only: what cannot work under the sanitizer is left out, loudly.
check_configure() {
  local flags=$1 expect=$2 b=$work/full-${1#-fsanitize=}
  cmake -S . -B "$b" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_FLAGS="$flags" \
    >"$b.log" 2>&1 || { cat "$b.log"; exit 1; }
  grep -q "$expect" "$b.log" || { echo "sanitizers: '$expect' not said for $flags" >&2; exit 1; }
  echo "sanitizers: $flags, whole tree: $(grep -m1 "$expect" "$b.log" | sed 's/^-- //')"
}
check_configure -fsanitize=thread "runtime_alloc_test left out under -fsanitize=thread"
if ninja -C "$work/full-thread" -t targets all | grep -q 'runtime_alloc_test:'; then
  echo "sanitizers: runtime_alloc_test still built under TSan" >&2; exit 1
fi
check_configure -fsanitize=memory "the tests (GOMAP_BUILD_TESTS=ON builds them anyway) left out"
