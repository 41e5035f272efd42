module gopherscope.dev/bench/gen-profile

go 1.24
