module gopherscope.dev/examples/demo-service

go 1.24
