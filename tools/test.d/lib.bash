# Shared by the tools/test.d steps.

# preset_configure PRESET [cmake args...]: `cmake --preset PRESET`, quietly.
# When the preset's compiler differs from the one a build directory was made
# with (the sanitizer presets' clang is chosen in one place, CMakePresets.json's
# hidden `clang` preset), CMake deletes the cache and configures again without
# the preset's other variables (no sanitizer flags!): configure that directory
# afresh instead.
preset_configure() {
  local preset=$1 out; shift
  out=$(cmake --preset "$preset" -Wno-dev "$@" 2>&1) || { echo "$out" >&2; return 1; }
  if grep -q "require your cache to be deleted" <<<"$out"; then
    echo "($preset: compiler changed, configuring the build directory afresh)"
    cmake --preset "$preset" --fresh -Wno-dev "$@" >/dev/null
  fi
}

# preset_build_test PRESET [--target T] [ctest args...]: configure, build (all,
# or target T) and test one preset.
preset_build_test() {
  local preset=$1 target=(); shift
  if [[ ${1:-} == --target ]]; then target=(--target "$2"); shift 2; fi
  preset_configure "$preset" &&
    cmake --build --preset "$preset" -j "${GOMAP_JOBS:-2}" "${target[@]}" &&
    ctest --preset "$preset" -j "${GOMAP_JOBS:-2}" "$@"
}
