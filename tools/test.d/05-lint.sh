# Formatting (clang-format, .clang-format) of every C++ file we own.
set -euo pipefail
files=$(git ls-files '*.hpp' '*.cpp' '*.h' '*.cc' 2>/dev/null || find . -name '*.[ch]pp' -not -path './build/*')
bad=0
for f in $files; do
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || { echo "not clang-formatted: $f"; bad=1; }
done
[ "$bad" = 0 ] && echo "lint: $(echo "$files" | wc -w) files clang-formatted"
exit $bad
