# ThreadSanitizer (clang): the tests labelled `tsan` (every concurrent test,
# and the detector's TSan-report checks).
source "$(dirname "$0")/lib.bash"
preset_build_test tsan
