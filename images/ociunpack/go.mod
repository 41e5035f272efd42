module gopherscope.dev/images/ociunpack

go 1.24
