#!/usr/bin/env bash
# A real single-node Kubernetes cluster on this machine, from the parts testenv/build-node.sh
# builds: etcd, kube-apiserver, kube-controller-manager and kube-scheduler on the host; containerd,
# runc, the kubelet and kube-proxy in a network namespace of their own (the "node"), so that the
# pods' bridge, their iptables rules and the node's address touch nothing of the machine's own.
#
#   testenv/node.sh check   says whether this machine can run the node (exit 0), or why not (exit 3)
#   testenv/node.sh up      builds what is missing, starts the cluster, waits until the node is
#                           Ready and the images are imported; prints the kubeconfig path last
#   testenv/node.sh down    stops every process it started and removes the namespace, the
#                           veth pair, the cgroups and the state directory
#
# Layout (GOPHERSCOPE_NODE_DIR, default /tmp/gopherscope-node): pki/, etcd/, logs/, containerd/,
# kubelet/, cni/, pids/, kubeconfig (admin). Addresses:
#   10.213.0.1   the host's end of the veth pair: the API server and anything the tests serve
#                to pods (the object store) listen here
#   10.213.0.2   the node (kubelet's node IP)
#   10.244.0.0/24 pods (bridge cni0 in the node's namespace), 10.96.0.0/24 Services (kube-proxy)
# Extra images to import: GOPHERSCOPE_NODE_IMAGES, a space-separated list of OCI tarballs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/versions.env"
cache="${GOPHERSCOPE_CACHE:-$HOME/.cache/gopherscope}"
dir="${GOPHERSCOPE_NODE_DIR:-/tmp/gopherscope-node}"
netns=gopherscope-node
host_if=gsnode0
node_if=gsnode1
host_ip=10.213.0.1
node_ip=10.213.0.2
node_name=gopherscope-node
pod_cidr=10.244.0.0/24
service_cidr=10.96.0.0/24
api_port=16443
etcd_port=23790
cgroup_root=gopherscope-node
k8s="$cache/k8s/${KUBERNETES_VERSION}-linux-amd64"
nodebin="$cache/node/k8s-${KUBERNETES_VERSION}"
ctd="$cache/node/containerd-${CONTAINERD_VERSION}"
runc="$cache/node/runc-${RUNC_VERSION}/runc"
log() { echo "[node] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
in_node=(nsenter "--net=/run/netns/$netns" --)

# Why this machine cannot run the node, or nothing.
why_not() {
  [[ $(id -u) == 0 ]] || { echo "not root (the kubelet, containerd and runc need root)"; return; }
  [[ "$(uname -s)" == Linux ]] || { echo "not Linux"; return; }
  for tool in ip ss nsenter openssl; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed"; return; }
  done
  for controller in cpu memory pids devices freezer; do
    [[ -d /sys/fs/cgroup/$controller || -f /sys/fs/cgroup/cgroup.controllers ]] \
      || { echo "no $controller cgroup controller under /sys/fs/cgroup"; return; }
  done
  grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null || { echo "the kernel has no overlay filesystem (containerd's snapshotter)"; return; }
  if ! ip netns list >/dev/null 2>&1; then echo "ip netns does not work here"; return; fi
}

cgroup_dirs() {
  if [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then
    echo "/sys/fs/cgroup/$cgroup_root"
  else
    for c in /sys/fs/cgroup/*/; do
      [[ "$c" == /sys/fs/cgroup/unified/ ]] && continue
      echo "${c}$cgroup_root"
    done
  fi
}

start_bg() { # NAME COMMAND...: runs COMMAND in the background, its output in logs/NAME.log
  local name="$1"; shift
  "$@" >"$dir/logs/$name.log" 2>&1 &
  echo $! >"$dir/pids/$name"
}

wait_for() { # WHAT SECONDS COMMAND...: polls COMMAND until it succeeds
  local what="$1" seconds="$2" start; shift 2
  start=$(date +%s)
  until "$@" >/dev/null 2>&1; do
    (( $(date +%s) - start < seconds )) || die "$what not ready after ${seconds} s (logs in $dir/logs/)"
    sleep 0.5
  done
  log "$what ready after $(( $(date +%s) - start )) s"
}

stop_all() {
  if [[ -d "$dir/pids" ]]; then
    # Reverse order of start: the node first, the control plane last.
    for name in kube-proxy kubelet containerd kube-scheduler kube-controller-manager kube-apiserver etcd; do
      [[ -f "$dir/pids/$name" ]] || continue
      local pid; pid="$(cat "$dir/pids/$name")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$dir/pids/$name"
    done
  fi
  # Containers outlive containerd: their shims are children of init. Kill everything whose
  # command line names our directory (shims, and any component a killed script left), then
  # what is left in our cgroups.
  pkill -9 -f -- "$dir/" 2>/dev/null || true
  local cg
  for cg in $(cgroup_dirs); do
    [[ -d "$cg" ]] || continue
    find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -9 2>/dev/null || true
  done
  sleep 0.5
  for cg in $(cgroup_dirs); do
    [[ -d "$cg" ]] && find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
  # Mounts the kubelet and containerd made under our directory (secrets, rootfs, shm).
  if [[ -d "$dir" ]]; then
    awk -v d="$dir/" 'index($2, d) == 1 {print $2}' /proc/self/mounts | sort -r | while read -r m; do
      umount -l "$m" 2>/dev/null || true
    done
  fi
  # Pods' network namespaces: containerd 2.4 bind-mounts them under /run/netns whatever
  # netns_mounts_under says, and a killed kubelet never tears them down. Ours are the cni-* ones made
  # since this node's certificates were.
  if [[ -f "$dir/pki/ca.crt" && -d /run/netns ]]; then
    find /run/netns -maxdepth 1 -name 'cni-*' -newer "$dir/pki/ca.crt" | while read -r ns; do
      umount "$ns" 2>/dev/null || true
      rm -f "$ns"
    done
  fi
  ip link del "$host_if" 2>/dev/null || true
  ip netns del "$netns" 2>/dev/null || true
}

pki() {
  local p="$dir/pki"
  mkdir -p "$p"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=gopherscope-node-ca" \
    -keyout "$p/ca.key" -out "$p/ca.crt" 2>/dev/null
  cert() { # NAME SUBJECT [SANS]
    local name="$1" subject="$2" sans="${3:-}"
    openssl req -newkey rsa:2048 -nodes -subj "$subject" -keyout "$p/$name.key" -out "$p/$name.csr" 2>/dev/null
    local ext="$p/$name.ext"
    { echo "basicConstraints=CA:FALSE"; echo "keyUsage=digitalSignature,keyEncipherment"
      if [[ -n "$sans" ]]; then echo "extendedKeyUsage=serverAuth,clientAuth"; echo "subjectAltName=$sans"
      else echo "extendedKeyUsage=clientAuth"; fi; } >"$ext"
    openssl x509 -req -in "$p/$name.csr" -CA "$p/ca.crt" -CAkey "$p/ca.key" -CAcreateserial -days 2 \
      -extfile "$ext" -out "$p/$name.crt" 2>/dev/null
  }
  cert apiserver "/CN=kube-apiserver" \
    "IP:$host_ip,IP:10.96.0.1,IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert admin "/O=system:masters/CN=gopherscope-node-admin"
  cert kubelet "/O=system:nodes/CN=system:node:$node_name"
  cert kubelet-serving "/CN=$node_name" "IP:$node_ip,DNS:$node_name"
  openssl genrsa -out "$p/sa.key" 2048 2>/dev/null
  openssl rsa -in "$p/sa.key" -pubout -out "$p/sa.pub" 2>/dev/null
}

kubeconfig() { # FILE CERT-NAME
  cat >"$1" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: $node_name
  cluster: {server: "https://$host_ip:$api_port", certificate-authority: "$dir/pki/ca.crt"}
users:
- name: $2
  user: {client-certificate: "$dir/pki/$2.crt", client-key: "$dir/pki/$2.key"}
contexts:
- name: $node_name
  context: {cluster: $node_name, user: $2}
current-context: $node_name
YAML
}

network() {
  ip netns add "$netns"
  ip link add "$host_if" type veth peer name "$node_if"
  ip link set "$node_if" netns "$netns"
  ip addr add "$host_ip/30" dev "$host_if"
  ip link set "$host_if" up
  "${in_node[@]}" ip link set lo up
  "${in_node[@]}" ip addr add "$node_ip/30" dev "$node_if"
  "${in_node[@]}" ip link set "$node_if" up
  "${in_node[@]}" ip route add default via "$host_ip"
  "${in_node[@]}" sysctl -qw net.ipv4.ip_forward=1
  # The tests reach pods and Services through the node, as a machine on the cluster network would.
  ip route add "$pod_cidr" via "$node_ip" dev "$host_if"
  ip route add "$service_cidr" via "$node_ip" dev "$host_if"
}

# The control plane's fixed host ports must be free: a clash would only show as a component that
# never gets ready.
ports_free() {
  local port holder
  for port in "$etcd_port" "$((etcd_port + 1))" "$api_port"; do
    holder="$(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'users:(([^)]*))' | head -1 || true)"
    [[ -z "$holder" ]] || die "port $port, which the node's control plane needs, is taken: $holder"
  done
}

control_plane() {
  start_bg etcd "$k8s/etcd" --name "$node_name" --data-dir "$dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$((etcd_port + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((etcd_port + 1))" \
    --initial-cluster "$node_name=http://127.0.0.1:$((etcd_port + 1))" --unsafe-no-fsync
  wait_for etcd 30 curl -sf "http://127.0.0.1:$etcd_port/health"
  local p="$dir/pki"
  start_bg kube-apiserver "$k8s/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address "$host_ip" --advertise-address "$host_ip" --secure-port "$api_port" \
    --service-cluster-ip-range "$service_cidr" --allow-privileged=true \
    --client-ca-file "$p/ca.crt" --tls-cert-file "$p/apiserver.crt" --tls-private-key-file "$p/apiserver.key" \
    --kubelet-client-certificate "$p/admin.crt" --kubelet-client-key "$p/admin.key" \
    --kubelet-certificate-authority "$p/ca.crt" --kubelet-preferred-address-types InternalIP \
    --service-account-issuer "https://kubernetes.default.svc.cluster.local" \
    --service-account-key-file "$p/sa.pub" --service-account-signing-key-file "$p/sa.key" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction
  wait_for kube-apiserver 120 "$k8s/kubectl" --kubeconfig "$dir/kubeconfig" get --raw /readyz
  start_bg kube-controller-manager "$nodebin/kube-controller-manager" --kubeconfig "$dir/kubeconfig" \
    --authentication-kubeconfig "$dir/kubeconfig" --authorization-kubeconfig "$dir/kubeconfig" \
    --service-account-private-key-file "$p/sa.key" --root-ca-file "$p/ca.crt" \
    --use-service-account-credentials --leader-elect=false --bind-address 127.0.0.1 --secure-port 0 \
    --service-cluster-ip-range "$service_cidr" --controllers '*,-node-ipam-controller'
  start_bg kube-scheduler "$nodebin/kube-scheduler" --kubeconfig "$dir/kubeconfig" \
    --authentication-kubeconfig "$dir/kubeconfig" --authorization-kubeconfig "$dir/kubeconfig" \
    --leader-elect=false --bind-address 127.0.0.1 --secure-port 0
}

containerd_config() {
  mkdir -p "$dir/containerd" "$dir/cni/net.d" "$dir/cni/ipam" "$dir/runc"
  cat >"$dir/containerd/config.toml" <<TOML
version = 3
root = "$dir/containerd/root"
state = "$dir/containerd/state"
temp = "$dir/containerd/tmp"
[grpc]
  address = "$dir/containerd/containerd.sock"
[ttrpc]
  address = "$dir/containerd/containerd.sock.ttrpc"
[plugins.'io.containerd.internal.v1.opt']
  path = "$dir/containerd/opt"
[plugins.'io.containerd.nri.v1.nri']
  disable = true
[plugins.'io.containerd.cri.v1.images'.pinned_images]
  sandbox = "$PAUSE_IMAGE"
[plugins.'io.containerd.cri.v1.runtime']
  # Root here lacks CAP_SYS_RESOURCE: runc cannot lower oom_score_adj below its own.
  restrict_oom_score_adj = true
  enable_selinux = false
  [plugins.'io.containerd.cri.v1.runtime'.containerd]
    default_runtime_name = "runc"
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
        BinaryName = "$runc"
        Root = "$dir/runc"
        SystemdCgroup = false
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = ["/usr/lib/cni"]
    conf_dir = "$dir/cni/net.d"
TOML
  cat >"$dir/cni/net.d/10-gopherscope.conflist" <<JSON
{"cniVersion": "1.0.0", "name": "gopherscope", "plugins": [
  {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": true, "hairpinMode": true,
   "ipam": {"type": "host-local", "dataDir": "$dir/cni/ipam", "ranges": [[{"subnet": "$pod_cidr"}]],
            "routes": [{"dst": "0.0.0.0/0"}]}},
  {"type": "portmap", "capabilities": {"portMappings": true}}]}
JSON
}

node() {
  containerd_config
  PATH="$ctd:$PATH" start_bg containerd "${in_node[@]}" "$ctd/containerd" --config "$dir/containerd/config.toml"
  wait_for containerd 30 "$ctd/ctr" --address "$dir/containerd/containerd.sock" version
  local image start
  start=$(date +%s)
  for image in "$cache/node/images/pause.tar" "$cache/node/images/demo-service.tar" \
      "$cache/node/images/demo-service-stripped.tar" ${GOPHERSCOPE_NODE_IMAGES:-}; do
    [[ -f "$image" ]] || die "image tarball $image not found"
    "$ctd/ctr" --address "$dir/containerd/containerd.sock" -n k8s.io images import --all-platforms "$image" >/dev/null 2>"$dir/logs/ctr-import.log" \
      || die "ctr could not import $image: $(cat "$dir/logs/ctr-import.log")"
  done
  # The kubelet asks for images by their normalised names (gopherscope/sidecar:1 is
  # docker.io/gopherscope/sidecar:1), but ctr keeps the name a tarball carries: tag each as the
  # kubelet will ask for it.
  local ref first full
  for ref in $("$ctd/ctr" --address "$dir/containerd/containerd.sock" -n k8s.io images ls -q 2>/dev/null | grep -v '^sha256:'); do
    first="${ref%%/*}"
    [[ "$ref" == */* && ( "$first" == *.* || "$first" == *:* || "$first" == localhost ) ]] && continue
    [[ "$ref" == */* ]] && full="docker.io/$ref" || full="docker.io/library/$ref"
    "$ctd/ctr" --address "$dir/containerd/containerd.sock" -n k8s.io images tag --force "$ref" "$full" >/dev/null 2>&1 \
      || die "ctr could not tag $ref as $full"
  done
  log "images imported in $(( $(date +%s) - start )) s: $("$ctd/ctr" --address "$dir/containerd/containerd.sock" -n k8s.io images ls -q 2>/dev/null | grep -v '^sha256:' | tr '\n' ' ')"

  local cg
  for cg in $(cgroup_dirs); do mkdir -p "$cg"; done
  kubeconfig "$dir/kubelet.kubeconfig" kubelet
  mkdir -p "$dir/kubelet/root" "$dir/kubelet/pod-logs"
  cat >"$dir/kubelet/config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# The host mounts cgroup v1 controllers; everything the kubelet makes lives under /$cgroup_root.
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupRoot: /$cgroup_root
failSwapOn: false
containerRuntimeEndpoint: unix://$dir/containerd/containerd.sock
podLogsDir: $dir/kubelet/pod-logs
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $dir/pki/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $dir/pki/kubelet-serving.crt
tlsPrivateKeyFile: $dir/pki/kubelet-serving.key
clusterDomain: cluster.local
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
# The machine's disk is shared with everything else: evict only when it is really short.
evictionHard: {memory.available: 200Mi, nodefs.available: 2%, imagefs.available: 2%}
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
serializeImagePulls: false
YAML
  start_bg kubelet "${in_node[@]}" "$nodebin/kubelet" --config "$dir/kubelet/config.yaml" \
    --kubeconfig "$dir/kubelet.kubeconfig" --root-dir "$dir/kubelet/root" --cert-dir "$dir/kubelet/pki" \
    --node-ip "$node_ip" --hostname-override "$node_name"
  cat >"$dir/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: $dir/kubeconfig}
hostnameOverride: $node_name
clusterCIDR: $pod_cidr
iptables: {masqueradeAll: true}
# The node's namespace cannot raise the host's conntrack limits; leave them as they are.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
YAML
  start_bg kube-proxy "${in_node[@]}" "$nodebin/kube-proxy" --config "$dir/kube-proxy.yaml"
  wait_for "node $node_name" 120 "$k8s/kubectl" --kubeconfig "$dir/kubeconfig" wait --for=condition=Ready \
    "node/$node_name" --timeout=2s
  wait_for "default ServiceAccount" 60 "$k8s/kubectl" --kubeconfig "$dir/kubeconfig" get serviceaccount default
}

case "${1:-}" in
  check)
    reason="$(why_not)"
    [[ -z "$reason" ]] || { echo "$reason"; exit 3; }
    echo "ok"
    ;;
  up)
    reason="$(why_not)"
    [[ -z "$reason" ]] || { log "this machine cannot run the node: $reason"; exit 3; }
    start=$(date +%s)
    bash "$here/build-node.sh"
    log "stopping anything left from an earlier run"
    stop_all
    rm -rf "$dir"
    mkdir -p "$dir/logs" "$dir/pids"
    ports_free
    pki
    kubeconfig "$dir/kubeconfig" admin
    network
    control_plane
    node
    log "cluster up in $(( $(date +%s) - start )) s: kubectl --kubeconfig $dir/kubeconfig get nodes"
    echo "$dir/kubeconfig"
    ;;
  down)
    stop_all
    rm -rf "$dir"
    log "cluster stopped and $dir removed"
    ;;
  *)
    echo "usage: $0 check | up | down" >&2
    exit 2
    ;;
esac
