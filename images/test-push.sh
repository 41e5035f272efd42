#!/usr/bin/env bash
# Tests `make images` end to end where no real registry is reachable: a throwaway in-memory
# registry on the loopback interface (images/testregistry, go-containerregistry's), then
#   1. images/build-images.sh push to a closed port fails before Maven runs, saying why;
#   2. images/build-images.sh tar, then push to the test registry (IMAGE_INSECURE: plain HTTP);
#   3. each pushed manifest has the digest of the tarball's manifest: Jib builds reproducibly,
#      so what `make images` pushes is exactly what images/verify-image.sh checked.
# Takes two image builds (a few minutes on two cores).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
log() { echo "[test-push] $*" >&2; }
failures=0
fail() { log "FAIL: $*"; failures=$((failures + 1)); }
ok() { log "ok: $*"; }
command -v curl >/dev/null || { log "SKIPPED: curl is needed to read the test registry"; exit 0; }

work="$(mktemp -d "${TMPDIR:-/tmp}/gopherscope-push.XXXXXX")"
registry_pid=""
cleanup() {
  [[ -z "$registry_pid" ]] || kill "$registry_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$repo/images/testregistry" && go build -o "$work/testregistry" .)
"$work/testregistry" >"$work/address" 2>"$work/registry.log" &
registry_pid=$!
for _ in $(seq 50); do [[ -s "$work/address" ]] && break; sleep 0.1; done
address="$(head -1 "$work/address")"
[[ -n "$address" ]] || { cat "$work/registry.log" >&2; log "the test registry did not start"; exit 1; }
log "test registry on $address"

# 1. A registry that cannot be reached is reported before anything is built.
closed="127.0.0.1:$(( ${address##*:} == 1 ? 2 : 1 ))"
if output="$(bash "$repo/images/build-images.sh" push "$closed/gopherscope" 2>&1)"; then
  fail "push to the closed port $closed succeeded"
elif grep -q "cannot reach the registry $closed" <<<"$output" && ! grep -q "BUILD" <<<"$output"; then
  ok "push to an unreachable registry fails first, with: $(head -1 <<<"$output")"
else
  fail "push to $closed failed otherwise:"$'\n'"$output"
fi

# 2. The tarballs, then the push, from the same tree.
bash "$repo/images/build-images.sh" tar >"$work/tar.log" 2>&1 || { tail -40 "$work/tar.log" >&2; fail "make image-tars failed"; exit 1; }
IMAGE_INSECURE=true bash "$repo/images/build-images.sh" push "$address/gopherscope" >"$work/push.log" 2>&1 \
  || { tail -40 "$work/push.log" >&2; fail "make images failed"; exit 1; }
ok "pushed: $(grep -o 'Built and pushed image as [^ ]*' "$work/push.log" | sed 's/Built and pushed image as //' | paste -sd' ' -)"

# 3. The registry holds exactly the images of the tarballs.
for module in operator sidecar object-store; do
  repository="$module"
  [[ "$module" == object-store ]] && repository=s3proxy
  index="$(tar -xOf "$repo/$module/target/jib-image.tar" index.json)"
  tar_digest="$(grep -o '"digest":"sha256:[0-9a-f]*"' <<<"$index" | head -1 | cut -d'"' -f4)"
  ref="$(grep -o '"org.opencontainers.image.ref.name":"[^"]*"' <<<"$index" | cut -d'"' -f4)"
  version="${ref##*:}"
  pushed_digest="$(curl -sfI -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$address/v2/gopherscope/$repository/manifests/$version" | tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" {print $2}')"
  if [[ -n "$pushed_digest" && "$pushed_digest" == "$tar_digest" ]]; then
    ok "$address/gopherscope/$repository:$version is $pushed_digest, the tarball's manifest"
  else
    fail "$module: pushed '${pushed_digest:-nothing}', tarball has '$tar_digest'"
  fi
done

if ((failures)); then
  log "$failures check(s) failed"
  exit 1
fi
log "all checks passed"
