# ThreadSanitizer (clang): the tests labelled `tsan` (every concurrent test,
# and the detector's TSan-report checks).  It builds only what those tests run
# (target gomap_tsan_tests): the single-threaded suites are not compiled here.
source "$(dirname "$0")/lib.bash"
preset_build_test tsan --target gomap_tsan_tests
