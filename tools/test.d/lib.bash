# Shared by the tools/test.d steps.
# preset_build_test PRESET [ctest args...]: configure, build and test one preset.
preset_build_test() {
  local preset=$1; shift
  cmake --preset "$preset" -Wno-dev >/dev/null &&
    cmake --build --preset "$preset" -j "${GOMAP_JOBS:-2}" &&
    ctest --preset "$preset" -j "${GOMAP_JOBS:-2}" "$@"
}
