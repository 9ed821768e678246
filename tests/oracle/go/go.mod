module gomap.test/oracle

go 1.19
