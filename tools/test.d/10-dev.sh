# Debug build with assertions (GCC): every test.
source "$(dirname "$0")/lib.bash"
preset_build_test dev
