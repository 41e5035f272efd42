module gopherscope.dev/testenv/ocipack

go 1.24
