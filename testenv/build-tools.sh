#!/usr/bin/env bash
# Builds and caches the Go-side tools the tests run for real:
#   $GOPHERSCOPE_CACHE/bin/dlv-<DELVE_VERSION>/dlv   Delve, from its Go module
#   $GOPHERSCOPE_CACHE/bin/helm-<HELM_VERSION>/helm  Helm, from its Go module
#   $GOPHERSCOPE_CACHE/bin/demo-service              examples/demo-service
#   $GOPHERSCOPE_CACHE/bin/demo-service-stripped     the same, stripped (objcopy --strip-all)
#   $GOPHERSCOPE_CACHE/bin/demo-service.debug        its debug info (objcopy --only-keep-debug)
#   $GOPHERSCOPE_CACHE/bin/demo-service-leakprofile  the same, GOEXPERIMENT=goroutineleakprofile
#   $GOPHERSCOPE_CACHE/bin/dlv-<DELVE_VERSION>/{dlv-guard,trace-summary}   the sidecar's Go helpers
# Idempotent: dlv and helm are reused while they run; the demo service is rebuilt only
# when its sources (or the Go toolchain) change.
# Usage: testenv/build-tools.sh [--test]   (--test also vets and tests the demo module)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
source "$here/versions.env"
cache="${GOPHERSCOPE_CACHE:-$HOME/.cache/gopherscope}"
log() { echo "[testenv] $*" >&2; }

run_tests=false
for arg in "$@"; do
  case "$arg" in
    --test) run_tests=true ;;
    *) log "ERROR: unknown argument '$arg' (usage: $0 [--test])"; exit 2 ;;
  esac
done

command -v go >/dev/null || { log "ERROR: go is not installed or not on PATH; install Go (https://go.dev/dl/) to build dlv and the demo service"; exit 1; }
go_version="$(go version)"
log "using $go_version"

# --- Delve ------------------------------------------------------------------
dlv_dir="$cache/bin/dlv-${DELVE_VERSION}"
if [[ -x "$dlv_dir/dlv" ]] && "$dlv_dir/dlv" version >/dev/null 2>&1; then
  log "dlv ${DELVE_VERSION} cached in $dlv_dir"
else
  log "building dlv ${DELVE_VERSION} (about a minute on 2 cores)"
  mkdir -p "$dlv_dir"
  GOBIN="$dlv_dir" go install "github.com/go-delve/delve/cmd/dlv@v${DELVE_VERSION}"
  "$dlv_dir/dlv" version | grep -q "Version: ${DELVE_VERSION}\$" \
    || { log "ERROR: $dlv_dir/dlv does not report version ${DELVE_VERSION}"; exit 1; }
  log "dlv ${DELVE_VERSION} installed in $dlv_dir"
fi

# --- Helm -------------------------------------------------------------------
# Built with the ldflags of Helm's own release build: without them `helm version` says "v3.22"
# and `helm template` assumes Kubernetes 1.20, below the chart's kubeVersion.
helm_dir="$cache/bin/helm-${HELM_VERSION}"
if [[ -x "$helm_dir/helm" ]] && [[ "$("$helm_dir/helm" version --template '{{.Version}}' 2>/dev/null)" == "v${HELM_VERSION}" ]]; then
  log "helm ${HELM_VERSION} cached in $helm_dir"
else
  log "building helm ${HELM_VERSION} (2 to 4 minutes on 2 cores)"
  helm_gomod="$(go mod download -json "helm.sh/helm/v3@v${HELM_VERSION}" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')"
  client_go="$(awk '$1 == "k8s.io/client-go" {print $2}' "$helm_gomod")"   # v0.N.x serves Kubernetes 1.N
  k8s_minor="$(cut -d. -f2 <<<"$client_go")"
  [[ "$k8s_minor" =~ ^[0-9]+$ ]] || { log "ERROR: cannot read the k8s.io/client-go version from $helm_gomod"; exit 1; }
  mkdir -p "$helm_dir"
  GOBIN="$helm_dir" go install -ldflags "-X helm.sh/helm/v3/internal/version.version=v${HELM_VERSION} \
-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=${k8s_minor} \
-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=${k8s_minor}" \
    "helm.sh/helm/v3/cmd/helm@v${HELM_VERSION}"
  [[ "$("$helm_dir/helm" version --template '{{.Version}}')" == "v${HELM_VERSION}" ]] \
    || { log "ERROR: $helm_dir/helm does not report version ${HELM_VERSION}"; exit 1; }
  log "helm ${HELM_VERSION} installed in $helm_dir (default Kubernetes 1.${k8s_minor})"
fi

# --- demo service -----------------------------------------------------------
src="$repo/examples/demo-service"
[[ -f "$src/go.mod" ]] || { log "ERROR: $src/go.mod not found"; exit 1; }

if $run_tests; then
  log "vetting and testing examples/demo-service"
  (cd "$src" && go vet ./... && go test ./...)
fi

# build_demo OUT [GOEXPERIMENT]: the demo into OUT, rebuilt only when its sources, the toolchain or
# the experiment change.
build_demo() {
  local out="$1" experiment="${2:-}"
  local stamp="$out.sha256"
  # The toolchain is part of the key: the binary's DWARF and runtime layout,
  # which Delve reads, change with the Go version.
  local sum
  sum="$( (export LC_ALL=C; cat "$src"/*.go "$src/go.mod"; echo "$go_version"
    [[ -z "$experiment" ]] || echo "GOEXPERIMENT=$experiment") | sha256sum | cut -d' ' -f1)"
  if [[ -x "$out" && -f "$stamp" && "$(cat "$stamp")" == "$sum" ]]; then
    log "$(basename "$out") up to date in $out"
    return
  fi
  log "building $(basename "$out") into $out${experiment:+ (GOEXPERIMENT=$experiment)}"
  mkdir -p "$cache/bin"
  # An optimised build like a production one, but never stripped: an empty
  # -ldflags overrides any "-s -w" in GOFLAGS, since Delve needs the DWARF.
  (cd "$src" && CGO_ENABLED=0 GOEXPERIMENT="$experiment" go build -buildvcs=false -ldflags= -o "$out.tmp" .)
  mv -f "$out.tmp" "$out"
  echo "$sum" > "$stamp"
  log "$(basename "$out") built ($sum)"
}
demo="$cache/bin/demo-service"
build_demo "$demo"
# The same demo with Go 1.26's goroutine leak profile (/debug/pprof/goroutineleak), which the
# GoroutineLeaks capture reads where an app serves it; Go 1.27 plans it as the default.
build_demo "$cache/bin/demo-service-leakprofile" goroutineleakprofile

# --- the demo as production binaries ship: stripped, its debug info split off --
# What docs/debug-info.md tells users to do in CI: keep the DWARF in a file of
# its own (published by build ID), ship the binary without it.
demo="$cache/bin/demo-service"
stripped="$cache/bin/demo-service-stripped"
debug="$cache/bin/demo-service.debug"
if [[ -x "$stripped" && -f "$debug" && ! "$stripped" -ot "$demo" && ! "$debug" -ot "$demo" ]]; then
  log "stripped demo-service and its debug info up to date in $cache/bin"
else
  command -v objcopy >/dev/null || { log "ERROR: objcopy (binutils) is needed to split the demo's debug info; apt-get install binutils"; exit 1; }
  objcopy --only-keep-debug "$demo" "$debug.tmp" && mv -f "$debug.tmp" "$debug"
  objcopy --strip-all "$demo" "$stripped.tmp" && mv -f "$stripped.tmp" "$stripped"
  log "demo-service split into $stripped and $debug"
fi

# --- the sidecar's Go helpers ------------------------------------------------
# Each sits next to dlv, where the sidecar looks for it, and is rebuilt only when its sources (or
# the Go toolchain) change. dlv-guard runs dlv for the sidecar and resumes the target whichever of
# them dies (sidecar/dlv-guard/main.go); trace-summary reads execution traces for the ExecutionTrace
# and RuntimeHealth captures with golang.org/x/exp/trace (sidecar/trace-summary/main.go).
build_helper() {
  local name="$1" what="$2" src="$repo/sidecar/$1" out="$dlv_dir/$1" sum
  sum="$( (export LC_ALL=C; cat "$src"/*.go "$src/go.mod"; [[ ! -f "$src/go.sum" ]] || cat "$src/go.sum"
    echo "$go_version") | sha256sum | cut -d' ' -f1)"
  if [[ -x "$out" && -f "$out.sha256" && "$(cat "$out.sha256")" == "$sum" ]]; then
    log "$name up to date in $out"
  else
    log "building $name into $out"
    (cd "$src" && CGO_ENABLED=0 go build -buildvcs=false -trimpath -ldflags="-s -w" -o "$out.tmp" .)
    mv -f "$out.tmp" "$out"
    echo "$sum" > "$out.sha256"
    log "$name built"
  fi
  if $run_tests; then
    log "$name: go vet and go test ($what)"
    (cd "$src" && go vet ./... && go test -count=1 ./...)
  fi
}
build_helper dlv-guard "restoring breakpoint bytes"
build_helper trace-summary "a real trace of its own test process"
