# AddressSanitizer + UndefinedBehaviorSanitizer (clang): every test.
source "$(dirname "$0")/lib.bash"
preset_build_test asan
