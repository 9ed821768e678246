# cmake --install, then a tiny consumer project finds gomap with
# find_package(gomap CONFIG REQUIRED) and with pkg-config, builds and runs.
set -euo pipefail
root=$(pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cmake -S . -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGOMAP_BUILD_TESTS=OFF \
  -DGOMAP_BUILD_TOOLS=OFF -DGOMAP_BUILD_EXAMPLES=OFF -DCMAKE_INSTALL_PREFIX="$work/prefix" >/dev/null
cmake --build "$work/build" -j "${GOMAP_JOBS:-2}" >/dev/null
cmake --install "$work/build" >/dev/null
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
