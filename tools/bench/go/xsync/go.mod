module gomap.dev/bench/xsync

go 1.24

require gomap.dev/bench v0.0.0

require github.com/puzpuzpuz/xsync/v4 v4.5.0

replace gomap.dev/bench => ../
