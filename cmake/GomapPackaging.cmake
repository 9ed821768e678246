# `cpack -G DEB` (from a build directory): the libgomap-dev Debian package —
# headers, the static library, the CMake package config, gomap.pc and the
# license, installed under /usr.  Configure with -DCMAKE_INSTALL_PREFIX=/usr so
# the library lands in Debian's multiarch directory (lib/<triplet>), and with
# -DBUILD_TESTING=OFF to build nothing else (docs/packaging.md).
include_guard(GLOBAL)

set(GOMAP_PACKAGE_MAINTAINER "The gomap Authors <gomap@localhost>" CACHE STRING
    "Maintainer field of the Debian package (Name <address>)")

# A static C++ library leaves its runtime dependencies to the program that
# links it, so dpkg-shlibdeps has nothing to find: declare what a consumer
# needs to link, the C and C++ development files of the toolchain that built it
# (libstdc++-<N>-dev, N from the libstdc++ this compiler uses; gomap.pc adds
# -pthread and -ldl, both in libc6-dev).
execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libstdc++.so
                OUTPUT_VARIABLE _gomap_libstdcxx OUTPUT_STRIP_TRAILING_WHITESPACE
                ERROR_QUIET)
set(_gomap_deb_depends "libc6-dev")
if(_gomap_libstdcxx MATCHES "/gcc/[^/]+/([0-9]+)/libstdc\\+\\+\\.so$")
  string(APPEND _gomap_deb_depends ", libstdc++-${CMAKE_MATCH_1}-dev")
endif()

set(CPACK_PACKAGE_NAME libgomap-dev)
set(CPACK_PACKAGE_VENDOR "The gomap Authors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${GOMAP_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Go's maps for C++20 (development files)")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Stage with DESTDIR, so install-time paths (gomap.pc's prefix) are the final ones.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES OFF)  # keep the library's debug information

set(CPACK_DEBIAN_PACKAGE_NAME libgomap-dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # libgomap-dev_<version>-<release>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${GOMAP_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${_gomap_deb_depends}")
# libdw1: symbolized stacks in fatal reports (loaded with dlopen when present).
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libdw1, cmake, pkgconf | pkg-config")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "gomap ports Go's runtime map to C++: gomap::Map with Go's semantics (NaN
keys, randomized iteration, mutation during range) and Go's concurrent-misuse
detection (fatal error: concurrent map writes), gomap::SyncMap (Go's
sync.Map) and gomap::ShardedMap.
.
This package holds the headers, the static library libgomap.a, the CMake
package (find_package(gomap CONFIG), target gomap::gomap) and gomap.pc.")
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
# Debian keeps the license as /usr/share/doc/<package>/copyright: the staged
# ${CMAKE_INSTALL_DOCDIR}/LICENSE moves there before the package is made.
set(CPACK_GOMAP_DOCDIR ${CMAKE_INSTALL_DOCDIR})
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_CURRENT_LIST_DIR}/GomapDebCopyright.cmake)

include(CPack)
