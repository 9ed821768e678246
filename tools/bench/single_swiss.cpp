// gomap::SwissMap rows of the single-threaded workloads, in the same two
// binaries as single_gomap.cpp's Map rows: impl "gomap_swiss" (detection on)
// and "gomap_swiss_nodetect" (GOMAP_DETECT=0).
#include <gomap/swiss_map.hpp>

#include "gomap_adapter.hpp"

#ifndef GOMAP_BENCH_SWISS_IMPL
#define GOMAP_BENCH_SWISS_IMPL "gomap_swiss"
#endif

namespace {
const bool registered = gomap_bench::register_gomap<gomap::SwissMap>(GOMAP_BENCH_SWISS_IMPL);
}  // namespace
