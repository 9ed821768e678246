// gomap::Map rows of the single-threaded workloads (SwissMap's are in
// single_swiss.cpp, a TU of their own: gomap_adapter.hpp says why).
// Compiled into two binaries: gomap_bench_single (detection on, impl
// "gomap") and gomap_bench_nodetect (GOMAP_DETECT=0, impl "gomap_nodetect").
#include <gomap/map.hpp>

#include "gomap_adapter.hpp"

#ifndef GOMAP_BENCH_IMPL
#define GOMAP_BENCH_IMPL "gomap"
#endif

namespace {
const bool registered = gomap_bench::register_gomap<gomap::Map>(GOMAP_BENCH_IMPL);
}  // namespace
