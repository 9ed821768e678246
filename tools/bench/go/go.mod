module gomap.dev/bench

go 1.19
