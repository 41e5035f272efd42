module gopherscope.dev/testenv/pause

go 1.24
