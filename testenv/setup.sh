#!/usr/bin/env bash
# Provides every real component the tests and the demo use, cached under
# ${GOPHERSCOPE_CACHE:-~/.cache/gopherscope}: kube-apiserver, etcd, kubectl,
# dlv and the Go demo service. Safe to run any number of times.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
start=$(date +%s)
bash "$here/build-k8s.sh"
bash "$here/build-tools.sh" "$@"
echo "[testenv] test environment ready in $(( $(date +%s) - start )) s (cache ${GOPHERSCOPE_CACHE:-$HOME/.cache/gopherscope})" >&2
