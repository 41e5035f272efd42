module gopherscope.dev/sidecar/dlv-guard

go 1.24
