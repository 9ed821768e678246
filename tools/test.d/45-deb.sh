# The Debian package (docs/packaging.md): build the library alone
# (BUILD_TESTING=OFF, prefix /usr), `cpack -G DEB`, install libgomap-dev with
# `dpkg -i`, build the consumer project against /usr with find_package(gomap)
# and with `pkg-config gomap`, run both, and remove the package with `dpkg -r`
# (also when a check fails).  Needs root (or sudo) and a machine where
# libgomap-dev is not installed already.
set -euo pipefail
root=$(pwd)
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
if dpkg-query -W -f='${Status}' libgomap-dev 2>/dev/null | grep -q "install ok installed"; then
  echo "deb: libgomap-dev is already installed here; remove it first (dpkg -r libgomap-dev)" >&2
  exit 1
fi
work=$(mktemp -d)
installed=0
cleanup() {
  if ((installed)); then $SUDO dpkg -r libgomap-dev >/dev/null || echo "deb: dpkg -r failed" >&2; fi
  rm -rf "$work"
}
trap cleanup EXIT

cmake -S . -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF \
  -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build "$work/build" -j "${GOMAP_JOBS:-2}" >/dev/null
(cd "$work/build" && cpack -G DEB >/dev/null)
deb=$(ls "$work"/build/libgomap-dev_*.deb)
echo "deb: built $(basename "$deb")"
dpkg-deb -I "$deb" | grep -E '^ (Package|Version|Depends|Section):'
dpkg-deb -c "$deb" | awk '{print $6}' >"$work/contents"
for f in ./usr/include/gomap/gomap.hpp ./usr/include/gomap/map.hpp \
  "./usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)/libgomap.a" \
  ./usr/share/doc/libgomap-dev/copyright; do
  grep -qxF "$f" "$work/contents" || { echo "deb: $f missing from the package" >&2; exit 1; }
done
grep -q '/cmake/gomap/gomap-config.cmake$' "$work/contents" || { echo "deb: no CMake config" >&2; exit 1; }
grep -q '/pkgconfig/gomap.pc$' "$work/contents" || { echo "deb: no gomap.pc" >&2; exit 1; }

$SUDO dpkg -i "$deb" >/dev/null
installed=1
dpkg-query -W -f='deb: installed ${Package} ${Version}\n' libgomap-dev

# find_package(gomap CONFIG REQUIRED) from /usr (no CMAKE_PREFIX_PATH).
cmake -S "$root/tests/install/consumer" -B "$work/consumer" -G Ninja >/dev/null
cmake --build "$work/consumer" >/dev/null
grep -q '/usr/lib/.*cmake/gomap' "$work/consumer/CMakeCache.txt" ||
  { echo "deb: the consumer did not find gomap under /usr" >&2; exit 1; }
"$work/consumer/consumer"
# pkg-config gomap from /usr (no PKG_CONFIG_PATH).
pc_flags=$(env -u PKG_CONFIG_PATH pkg-config --cflags --libs gomap)
echo "deb: pkg-config --cflags --libs gomap: $pc_flags"
# shellcheck disable=SC2086  # the flags are words
g++ "$root/tests/install/consumer/main.cpp" -o "$work/consumer-pc" $pc_flags
"$work/consumer-pc"

$SUDO dpkg -r libgomap-dev >/dev/null
installed=0
if dpkg-query -W -f='${Status}' libgomap-dev 2>/dev/null | grep -q "install ok installed" ||
  [ -e /usr/include/gomap/map.hpp ]; then
  echo "deb: dpkg -r left libgomap-dev behind" >&2; exit 1
fi
echo "deb: libgomap-dev built, installed, consumed (find_package and pkg-config) and removed"
