#!/usr/bin/env bash
# Builds the operator, sidecar and s3proxy (the chart's embedded object store) images with Jib,
# without a Docker daemon or a base image (see images/README.md): the Maven profile `images` of
# operator/, sidecar/ and object-store/ assembles a root filesystem (testenv/build-image-base.sh)
# and hands it to Jib FROM scratch.
#
#   images/build-images.sh tar             OCI tarballs: operator/target/jib-image.tar, sidecar/target/jib-image.tar,
#                                          object-store/target/jib-image.tar
#   images/build-images.sh push REGISTRY   pushes REGISTRY/operator:TAG, REGISTRY/sidecar:TAG and REGISTRY/s3proxy:TAG
#
# REGISTRY is a registry host and path, e.g. ghcr.io/acme/gopherscope or localhost:5000/gopherscope.
# Environment: IMAGE_TAG (default: the project version), IMAGE_INSECURE=true for a registry
# that speaks plain HTTP or has a self-signed certificate, MVN (default: mvn -B -ntp).
# Credentials for push come from where Jib looks: ~/.docker/config.json (auths or
# credHelpers/credsStore), or MAVEN_OPTS="-Djib.to.auth.username=... -Djib.to.auth.password=...".
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
source "$repo/testenv/versions.env"
cache="${GOPHERSCOPE_CACHE:-$HOME/.cache/gopherscope}"
log() { echo "[images] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
usage="usage: $0 tar | push REGISTRY"

mode="${1:-}"
# shellcheck disable=SC2054 # operator,sidecar,object-store is one Maven argument
maven_args=(-Pimages -DskipTests -pl operator,sidecar,object-store -am)
[[ -n "${IMAGE_TAG:-}" ]] && maven_args+=("-Dimage.tag=$IMAGE_TAG")
[[ "${IMAGE_INSECURE:-false}" == true ]] && maven_args+=(-Djib.allowInsecureRegistries=true)

# The registry host of an image name, by the Docker convention: the first path component if it
# has a dot or a port or is localhost, else Docker Hub.
registry_host() {
  local first="${1%%/*}"
  if [[ "$1" == */* && ( "$first" == *.* || "$first" == *:* || "$first" == localhost ) ]]; then
    echo "$first"
  else
    echo "registry-1.docker.io"
  fi
}

# A registry answers GET /v2/ with 200, or 401 when it wants credentials: either means Jib can
# talk to it. Anything else (no route, refused, TLS failure) is reported before Maven runs.
check_registry() {
  local host="$1" schemes=(https) scheme status error
  command -v curl >/dev/null || { log "curl not found: not checking that $host is reachable first"; return; }
  [[ "${IMAGE_INSECURE:-false}" == true ]] && schemes+=(http)
  for scheme in "${schemes[@]}"; do
    local insecure=()
    [[ "${IMAGE_INSECURE:-false}" == true ]] && insecure=(--insecure)
    if status="$(curl -sS "${insecure[@]}" -o /dev/null -w '%{http_code}' --max-time 10 "$scheme://$host/v2/" 2>"$cache/.registry-check")"; then
      if [[ "$status" == 200 || "$status" == 401 ]]; then
        log "registry $host answers on $scheme (HTTP $status)"
        return
      fi
      error="HTTP $status from $scheme://$host/v2/ (not a registry API?)"
    else
      error="$(cat "$cache/.registry-check")"
    fi
  done
  die "cannot reach the registry $host: $error
  make images pushes over the network to IMAGE_REGISTRY and needs: a registry reachable from this
  machine (https; IMAGE_INSECURE=true for plain http or a self-signed certificate), push rights
  there (~/.docker/config.json auths or a credential helper), and nothing else: no Docker daemon,
  no base image. Without a registry, make image-tars writes the same images as OCI tarballs."
}

case "$mode" in
  tar)
    ((${#} == 1)) || die "$usage"
    maven_args+=(-Dimage.goal=buildTar)
    ;;
  push)
    if (($# != 2)) || [[ -z "$2" ]]; then
      die "$usage (make images IMAGE_REGISTRY=ghcr.io/acme/gopherscope)"
    fi
    registry="${2%/}"
    mkdir -p "$cache"
    check_registry "$(registry_host "$registry")"
    maven_args+=(-Dimage.goal=build "-Dimage.registry=$registry")
    ;;
  *) die "$usage" ;;
esac

# The sidecar image carries the dlv the tests run against; build it if this machine lacks it.
if [[ ! -x "$cache/bin/dlv-${DELVE_VERSION}/dlv" ]]; then
  log "dlv ${DELVE_VERSION} is not cached yet: building it (testenv/build-tools.sh)"
  bash "$repo/testenv/build-tools.sh"
fi

start=$(date +%s)
# shellcheck disable=SC2086 # MVN is a word list
(cd "$repo" && ${MVN:-mvn -B -ntp} "${maven_args[@]}" package)
log "images built in $(( $(date +%s) - start )) s"
if [[ "$mode" == tar ]]; then
  for module in operator sidecar object-store; do
    tar="$repo/$module/target/jib-image.tar"
    log "$module: $tar ($(( $(stat -c %s "$tar") / 1024 / 1024 )) MiB); check it with images/verify-image.sh"
  done
fi
