// Build switches of the detector, folded to constants (like Go's race0.go), so
// every check is an `if constexpr` that vanishes when its switch is off.
#pragma once

// GOMAP_DETECT=0 compiles the hashWriting checks out (for pricing them in
// benchmarks).  Default: on, as in Go.
#ifndef GOMAP_DETECT
#define GOMAP_DETECT 1
#endif

// GOMAP_DETECT_STRICT=1 also tracks active reads and iteration steps, so a
// write that *starts* during another thread's read is caught as well (Go only
// catches a read or write that starts during a write).  Costs one atomic
// read-modify-write pair per read; see docs/detect.md for the figures.  Every
// translation unit of a program must agree on it (it changes inline code).
#ifndef GOMAP_DETECT_STRICT
#define GOMAP_DETECT_STRICT 0
#endif

namespace gomap::detect {
inline constexpr bool enabled = GOMAP_DETECT != 0;
inline constexpr bool strict = enabled && GOMAP_DETECT_STRICT != 0;
}  // namespace gomap::detect
