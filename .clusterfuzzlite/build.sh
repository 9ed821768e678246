#!/bin/bash -eu
# ClusterFuzzLite's entry point: the project's own fuzz/build.sh reads the
# environment the fuzzing image provides and fills $OUT.
exec "$SRC/gomap/fuzz/build.sh"
