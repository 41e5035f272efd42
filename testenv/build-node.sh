#!/usr/bin/env bash
# Builds and caches what a real Kubernetes node needs on this machine (testenv/node.sh runs it):
#   $GOPHERSCOPE_CACHE/node/k8s-<KUBERNETES_VERSION>/{kubelet,kube-controller-manager,kube-scheduler,kube-proxy}
#       from the published k8s.io/kubernetes module, in the module testenv/build-k8s.sh writes
#   $GOPHERSCOPE_CACHE/node/containerd-<CONTAINERD_VERSION>/{containerd,containerd-shim-runc-v2,ctr}
#   $GOPHERSCOPE_CACHE/node/runc-<RUNC_VERSION>/runc   built with -tags seccomp (CRI asks for a
#       seccomp profile; Debian's runc 1.1.5 and crun 1.8.1 fail on containerd 2.4's runtime spec)
#   $GOPHERSCOPE_CACHE/node/images/{pause,demo-service,demo-service-stripped}.tar   OCI tarballs FROM scratch (testenv/ocipack)
# and checks the Debian packages it cannot build: CNI plugins, iptables, libseccomp.
# Idempotent: each part is reused while it runs and reports its version.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
source "$here/versions.env"
cache="${GOPHERSCOPE_CACHE:-$HOME/.cache/gopherscope}"
node="$cache/node"
log() { echo "[testenv] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
timed() { local what="$1" start; shift; start=$(date +%s); "$@"; log "$what built in $(( $(date +%s) - start )) s"; }

# --- Debian packages ------------------------------------------------------------
# The CNI plugins (bridge, host-local, loopback, portmap), iptables for kube-proxy, and
# libseccomp's headers for runc. apt-get only when one is missing.
packages=()
[[ -x /usr/lib/cni/bridge && -x /usr/lib/cni/host-local && -x /usr/lib/cni/loopback && -x /usr/lib/cni/portmap ]] \
  || packages+=(containernetworking-plugins)
command -v iptables >/dev/null || packages+=(iptables)
command -v conntrack >/dev/null || packages+=(conntrack)
pkg-config --exists libseccomp 2>/dev/null || packages+=(libseccomp-dev pkg-config)
command -v openssl >/dev/null || packages+=(openssl)
if ((${#packages[@]})); then
  [[ $(id -u) == 0 ]] || die "missing Debian packages ${packages[*]} and not root to install them"
  log "installing Debian packages: ${packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi

# --- kubelet, kube-controller-manager, kube-scheduler, kube-proxy ----------------
bash "$here/build-k8s.sh"
k8s_out="$node/k8s-${KUBERNETES_VERSION}"
k8s_mod="$cache/build/k8s-${KUBERNETES_VERSION}/k8s"
minor="${KUBERNETES_VERSION#*.}"
components=(kubelet kube-controller-manager kube-scheduler kube-proxy)
missing=()
for c in "${components[@]}"; do
  [[ -x "$k8s_out/$c" ]] && "$k8s_out/$c" --version 2>/dev/null | grep -q "v${KUBERNETES_VERSION}\$" || missing+=("$c")
done
if ((${#missing[@]})); then
  mkdir -p "$k8s_out"
  {
    echo '//go:build tools'
    echo
    echo 'package tools'
    echo
    echo 'import ('
    for c in "${components[@]}"; do echo "	_ \"k8s.io/kubernetes/cmd/$c\""; done
    echo ')'
  } > "$k8s_mod/node_tools.go"
  (cd "$k8s_mod" && go mod tidy >/dev/null 2>&1 || go mod tidy)
  for c in "${missing[@]}"; do
    log "building $c ${KUBERNETES_VERSION} (1 to 3 minutes on 2 cores)"
    # The kubelet uses cgo-free code paths too; CGO off keeps every binary static like the API server.
    timed "$c" bash -c "cd '$k8s_mod' && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w -X k8s.io/component-base/version.gitVersion=v${KUBERNETES_VERSION} -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${minor%%.*}' -o '$k8s_out/$c' k8s.io/kubernetes/cmd/$c"
  done
fi
log "kubelet, kube-controller-manager, kube-scheduler, kube-proxy ${KUBERNETES_VERSION} in $k8s_out"

# --- containerd -----------------------------------------------------------------
ctd_out="$node/containerd-${CONTAINERD_VERSION}"
if [[ -x "$ctd_out/containerd" && -x "$ctd_out/containerd-shim-runc-v2" && -x "$ctd_out/ctr" ]] \
    && "$ctd_out/containerd" --version 2>/dev/null | grep -q "v${CONTAINERD_VERSION} "; then
  log "containerd ${CONTAINERD_VERSION} cached in $ctd_out"
else
  log "building containerd ${CONTAINERD_VERSION} (about 2 minutes on 2 cores)"
  mkdir -p "$ctd_out"
  # no_btrfs: the btrfs snapshotter needs kernel headers this machine lacks, and overlayfs serves.
  timed containerd env GOBIN="$ctd_out" CGO_ENABLED=0 go install -trimpath -tags no_btrfs \
    -ldflags "-s -w -X github.com/containerd/containerd/v2/version.Version=v${CONTAINERD_VERSION}" \
    "github.com/containerd/containerd/v2/cmd/containerd@v${CONTAINERD_VERSION}" \
    "github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2@v${CONTAINERD_VERSION}" \
    "github.com/containerd/containerd/v2/cmd/ctr@v${CONTAINERD_VERSION}"
  "$ctd_out/containerd" --version | grep -q "v${CONTAINERD_VERSION} " \
    || die "$ctd_out/containerd does not report v${CONTAINERD_VERSION}: $("$ctd_out/containerd" --version)"
fi

# --- runc -------------------------------------------------------------------------
runc_out="$node/runc-${RUNC_VERSION}"
if [[ -x "$runc_out/runc" ]] && "$runc_out/runc" --version 2>/dev/null | grep -q "^libseccomp:" \
    && "$runc_out/runc" --version | grep -q "version ${RUNC_VERSION}\$"; then
  log "runc ${RUNC_VERSION} cached in $runc_out"
else
  log "building runc ${RUNC_VERSION} with seccomp (under a minute)"
  mkdir -p "$runc_out"
  timed runc env GOBIN="$runc_out" CGO_ENABLED=1 go install -trimpath -tags seccomp \
    -ldflags "-X main.version=${RUNC_VERSION}" "github.com/opencontainers/runc@v${RUNC_VERSION}"
  "$runc_out/runc" --version | grep -q "^libseccomp:" || die "$runc_out/runc was built without seccomp support"
fi

# --- images -----------------------------------------------------------------------
images="$node/images"
mkdir -p "$images"
ocipack="$cache/bin/ocipack"
pack_sum="$( (cat "$here/ocipack/main.go" "$here/pause/main.go"; go version) | sha256sum | cut -c1-16)"
if [[ ! -x "$ocipack" || "$(cat "$ocipack.sum" 2>/dev/null)" != "$pack_sum" ]]; then
  mkdir -p "$cache/bin"
  (cd "$here/ocipack" && CGO_ENABLED=0 go build -buildvcs=false -trimpath -o "$ocipack" .)
  (cd "$here/pause" && CGO_ENABLED=0 go build -buildvcs=false -trimpath -ldflags "-s -w" -o "$cache/bin/pause" .)
  echo "$pack_sum" > "$ocipack.sum"
  rm -f "$images/pause.tar"
fi
[[ -f "$images/pause.tar" ]] || "$ocipack" -name "$PAUSE_IMAGE" -out "$images/pause.tar" -user 65535 "$cache/bin/pause=/pause"
# The demo service as users would ship it: a static binary FROM scratch, running as non-root.
demo="$cache/bin/demo-service"
[[ -x "$demo" ]] || bash "$here/build-tools.sh"
if [[ ! -f "$images/demo-service.tar" || "$images/demo-service.tar" -ot "$demo" ]]; then
  "$ocipack" -name gopherscope/demo-service:e2e -out "$images/demo-service.tar" -user 65532 "$demo=/demo-service"
fi
# And as most production images carry it: stripped, its debug info published apart (docs/debug-info.md).
stripped="$cache/bin/demo-service-stripped"
[[ -x "$stripped" && ! "$stripped" -ot "$demo" ]] || bash "$here/build-tools.sh"
if [[ ! -f "$images/demo-service-stripped.tar" || "$images/demo-service-stripped.tar" -ot "$stripped" ]]; then
  "$ocipack" -name gopherscope/demo-service:e2e-stripped -out "$images/demo-service-stripped.tar" -user 65532 \
    "$stripped=/demo-service"
fi
log "node components ready under $node"
