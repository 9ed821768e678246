# cmake --install, then a tiny consumer project finds gomap with
# find_package(gomap CONFIG REQUIRED) and with pkg-config, builds and runs.
set -euo pipefail
root=$(pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# The packager's line: the library alone (BUILD_TESTING=OFF), the prefix
# chosen at install time.
cmake -S . -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >"$work/configure.log"
if grep -q "not used by the project" "$work/configure.log"; then
  cat "$work/configure.log"; exit 1
fi
targets=$(ninja -C "$work/build" -t targets all | grep -cE '_(EXECUTABLE|STATIC_LIBRARY)_LINKER')
[ "$targets" = 1 ] || { echo "install: BUILD_TESTING=OFF builds $targets programs and libraries, not 1" >&2; exit 1; }
cmake --build "$work/build" -j "${GOMAP_JOBS:-2}" >/dev/null
cmake --install "$work/build" --prefix "$work/prefix" >/dev/null
grep -qx "prefix=$work/prefix" "$work/prefix/lib/pkgconfig/gomap.pc"
test -f "$work/prefix/share/doc/gomap/LICENSE"
test -f "$work/prefix/include/gomap/map.hpp"
test -f "$work/prefix/lib/cmake/gomap/gomap-config-version.cmake"
cmake -S "$root/tests/install/consumer" -B "$work/consumer" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/consumer" >/dev/null
"$work/consumer/consumer"
# pkg-config route
PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" g++ $(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --cflags gomap) \
  "$root/tests/install/consumer/main.cpp" -o "$work/consumer-pc" \
  $(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --libs gomap)
"$work/consumer-pc"
echo "install: find_package(gomap) and pkg-config consumers built and ran"
