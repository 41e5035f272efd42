#!/usr/bin/env bash
# Builds kube-apiserver, kubectl and etcd from the published Go modules and lays
# them out the way fabric8 kube-api-test expects:
#   $GOPHERSCOPE_CACHE/k8s/<version>-linux-amd64/{kube-apiserver,etcd,kubectl}
# Idempotent: a finished layout is reused; a partial one is rebuilt.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/versions.env"
cache="${GOPHERSCOPE_CACHE:-$HOME/.cache/gopherscope}"
out="$cache/k8s/${KUBERNETES_VERSION}-linux-amd64"
work="$cache/build/k8s-${KUBERNETES_VERSION}"
log() { echo "[testenv] $*" >&2; }

if [[ -x "$out/kube-apiserver" && -x "$out/kubectl" && -x "$out/etcd" && -f "$out/.complete" ]]; then
  log "kubernetes ${KUBERNETES_VERSION} binaries cached in $out"
  exit 0
fi
command -v go >/dev/null || { log "ERROR: go is not installed"; exit 1; }
mkdir -p "$out" "$work/k8s" "$work/etcd"
minor="${KUBERNETES_VERSION#*.}"   # 37.2
staging_version="v0.${minor}"

# k8s.io/kubernetes' go.mod points its staging modules at ./staging; a module of
# ours must replace each with the published v0.X.Y of the same release.
log "resolving k8s.io/kubernetes@v${KUBERNETES_VERSION} (first run downloads ~1 GB of modules)"
gomod="$(cd "$work/k8s" && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@v${KUBERNETES_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
[[ -f "$gomod" ]] || { log "ERROR: could not download k8s.io/kubernetes@v${KUBERNETES_VERSION}"; exit 1; }
go_directive="$(awk '$1=="go"{print $2; exit}' "$gomod")"
{
  echo "module gopherscope.dev/testenv/k8s"
  echo
  echo "go ${go_directive}"
  echo
  echo "require k8s.io/kubernetes v${KUBERNETES_VERSION}"
  echo
  echo "replace ("
  awk '/=> \.\/staging\/src\//{print "\t" $1 " => " $1 " '"${staging_version}"'"}' "$gomod"
  echo ")"
} > "$work/k8s/go.mod"
cat > "$work/k8s/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
(cd "$work/k8s" && go mod tidy >/dev/null 2>&1 || go mod tidy)
log "building kube-apiserver ${KUBERNETES_VERSION} (takes several minutes on 2 cores)"
(cd "$work/k8s" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=v${KUBERNETES_VERSION} -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${minor%%.*}" -o "$out/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver)
log "building kubectl ${KUBERNETES_VERSION}"
(cd "$work/k8s" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=v${KUBERNETES_VERSION} -X k8s.io/client-go/pkg/version.gitVersion=v${KUBERNETES_VERSION}" -o "$out/kubectl" k8s.io/kubernetes/cmd/kubectl)

log "building etcd ${ETCD_VERSION}"
cat > "$work/etcd/go.mod" <<GOMOD
module gopherscope.dev/testenv/etcd

go 1.24

require go.etcd.io/etcd/server/v3 v${ETCD_VERSION}
GOMOD
cat > "$work/etcd/main.go" <<'GO'
// A minimal etcd: the published server module's own entry point.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
(cd "$work/etcd" && go mod tidy >/dev/null 2>&1 || go mod tidy)
(cd "$work/etcd" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$out/etcd" .)
"$out/kube-apiserver" --version >&2
"$out/etcd" --version | head -1 >&2
touch "$out/.complete"
log "kubernetes binaries ready in $out"
