#!/usr/bin/env bash
# Proves that the image tarballs `make image-tars` wrote are real, runnable images.
#
#   static (any user): the tarball is an OCI layout whose blobs match their digests; its layers
#     unpack in order, whiteouts applied (images/ociunpack); the config runs as the expected
#     user (sidecar 0 for ptrace, operator 65532); the entrypoint and every classpath entry
#     exist; no shell, no executable beyond the expected ones, no set-id file. Prints the sizes.
#   runtime (root): in the unpacked root filesystem (images/in-image.sh: private mount and PID
#     namespace, own /proc, image environment only, the image's user):
#       java -version; dlv version (sidecar);
#       a probe on the image's JRE, JVM flags and classpath (TLS, EC crypto, trust store, UTF-8,
#         /tmp, loopback, the main class links, dlv starts as a child), as every user it runs as;
#       the real entrypoint: sidecar --help (with its peak RSS), then a real `capture` against
#         the Go demo service in the same namespace, through pprof and through dlv; the operator
#         until its HTTP client is refused at a closed API server port (there is no cluster);
#         the object store (s3proxy) serving signed S3 requests, refusing unsigned ones, with its
#         credentials nowhere on its command line.
#
# Usage: images/verify-image.sh [operator|sidecar|object-store ...]   (default: all three)
# Needs Go and a JDK 17 (javac); runtime checks need root and util-linux unshare, and the demo
# service built by testenv/build-tools.sh for the capture.
# shellcheck disable=SC2015 # `test && ok ... || fail ...`: ok always succeeds
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cache="${GOPHERSCOPE_CACHE:-$HOME/.cache/gopherscope}"
log() { echo "[verify-image] $*" >&2; }
failures=0
fail() { log "FAIL: $*"; failures=$((failures + 1)); }
ok() { log "ok: $*"; }
indent() { sed 's/^/    /'; }

images=("$@")
((${#images[@]})) || images=(operator sidecar object-store)

work="$(mktemp -d "${TMPDIR:-/tmp}/gopherscope-verify.XXXXXX")"
cleanup() {
  # Mounts live only in namespaces that are gone by now; never delete through one that is not.
  if grep -q " $work/" /proc/self/mountinfo 2>/dev/null; then
    log "left $work in place: something is still mounted under it"
  else
    rm -rf --one-file-system "$work"
  fi
}
trap cleanup EXIT

(cd "$repo/images/ociunpack" && go build -o "$work/ociunpack" .)
javac --release 17 -d "$work/probe" "$repo/images/probe/ImageProbe.java"

can_run=true why_not=""
if [[ "$(id -u)" != 0 ]]; then
  can_run=false why_not="not root: a chroot with its own /proc needs root (run as root to run the images' binaries)"
elif ! command -v unshare >/dev/null || ! unshare --mount --pid --fork true 2>/dev/null; then
  can_run=false why_not="cannot create mount and PID namespaces here (util-linux unshare, CAP_SYS_ADMIN)"
fi
in_image=(bash "$repo/images/in-image.sh")

verify() {
  local name="$1" expected_user expected_main expected_exec
  local tar="$repo/$name/target/jib-image.tar" out="$work/$name"
  case "$name" in
    sidecar)
      expected_user=0 expected_main=dev.gopherscope.sidecar.app.SidecarMain
      expected_exec="/lib64/ld-linux-x86-64.so.2 /opt/gopherscope/bin/dlv /opt/gopherscope/bin/dlv-guard /opt/gopherscope/bin/trace-summary /opt/java/bin/java /opt/java/lib/jexec /opt/java/lib/jspawnhelper" ;;
    operator)
      expected_user=65532 expected_main=dev.gopherscope.operator.OperatorMain
      expected_exec="/lib64/ld-linux-x86-64.so.2 /opt/java/bin/java /opt/java/lib/jexec /opt/java/lib/jspawnhelper" ;;
    object-store)
      expected_user=65532 expected_main=dev.gopherscope.objectstore.S3ProxyMain
      expected_exec="/lib64/ld-linux-x86-64.so.2 /opt/java/bin/java /opt/java/lib/jexec /opt/java/lib/jspawnhelper" ;;
    *) fail "unknown image '$name' (operator, sidecar or object-store)"; return ;;
  esac
  log "=== $name: $tar"
  [[ -f "$tar" ]] || { fail "$tar does not exist: run make image-tars"; return; }

  mkdir -p "$out"
  "$work/ociunpack" -tar "$tar" -out "$out" || { fail "$name: not a valid OCI image"; return; }
  ok "$name: OCI layout, blobs match their digests, layers unpacked"
  # shellcheck source=/dev/null
  source "$out/image.env"
  local rootfs="$out/rootfs"

  [[ "$IMAGE_OS/$IMAGE_ARCH" == linux/amd64 ]] && ok "platform linux/amd64" || fail "platform is $IMAGE_OS/$IMAGE_ARCH"
  [[ "$IMAGE_USER" == "$expected_user" ]] && ok "config user is $IMAGE_USER" || fail "config user is '$IMAGE_USER', want $expected_user"
  local entry="${IMAGE_ENTRYPOINT[0]:-}"
  [[ -n "$entry" && -x "$rootfs$entry" ]] && ok "entrypoint $entry is executable" || fail "entrypoint '$entry' is missing or not executable"
  [[ " ${IMAGE_ENTRYPOINT[*]} " == *" $expected_main "* ]] && ok "entrypoint runs $expected_main" || fail "entrypoint does not run $expected_main: ${IMAGE_ENTRYPOINT[*]}"
  local missing="" element classpath=()
  IFS=: read -r -a classpath <"$rootfs/app/jib-classpath-file" || true # no final newline
  for element in "${classpath[@]}"; do [[ -e "$rootfs$element" ]] || missing+=" $element"; done
  [[ -z "$missing" ]] && ok "all ${#classpath[@]} classpath entries exist" || fail "classpath entries missing:$missing"

  local shells executables setid
  shells="$(cd "$rootfs" && find . \( -name sh -o -name bash -o -name dash -o -name ash -o -name busybox \) -printf '/%P ')"
  [[ ! -e "$rootfs/bin/sh" && -z "$shells" ]] && ok "no shell (/bin/sh absent)" || fail "a shell is in the image: $shells"
  executables="$(cd "$rootfs" && find . -type f -perm /111 -printf '/%P\n' | sort | paste -sd' ' -)"
  [[ "$executables" == "$expected_exec" ]] && ok "executables are exactly: $executables" || fail "executables: $executables (want $expected_exec)"
  setid="$(cd "$rootfs" && find . -perm /6000 -printf '/%P ')"
  [[ -z "$setid" ]] && ok "no set-uid/set-gid file" || fail "set-id files: $setid"

  local tar_bytes
  tar_bytes="$(stat -c %s "$tar")"
  log "size of $name: tarball $((tar_bytes / 1024 / 1024)) MiB, layers compressed $((IMAGE_COMPRESSED_BYTES / 1024 / 1024)) MiB, unpacked $((IMAGE_UNPACKED_BYTES / 1024 / 1024)) MiB, $IMAGE_LAYERS layers, manifest $IMAGE_MANIFEST_DIGEST"
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$tar_bytes" "$IMAGE_COMPRESSED_BYTES" "$IMAGE_UNPACKED_BYTES" "$IMAGE_MANIFEST_DIGEST" >>"$work/sizes.tsv"

  if ! $can_run; then
    log "SKIPPED runtime checks of $name: $why_not"
    return
  fi
  cp -r "$work/probe" "$rootfs/probe"

  local output
  if output="$(timeout -k 5 60 "${in_image[@]}" "$rootfs" "$IMAGE_USER" "${IMAGE_ENV[@]}" -- /opt/java/bin/java -version 2>&1)"; then
    ok "java -version as user $IMAGE_USER: $(sed -n 2p <<<"$output")"
  else
    fail "java -version:"$'\n'"$(indent <<<"$output")"
  fi
  local spawn=()
  if [[ "$name" == sidecar ]]; then
    if output="$(timeout -k 5 60 "${in_image[@]}" "$rootfs" 0 "${IMAGE_ENV[@]}" -- /opt/gopherscope/bin/dlv version 2>&1)"; then
      ok "dlv version: $(grep Version: <<<"$output")"
    else
      fail "dlv version:"$'\n'"$(indent <<<"$output")"
    fi
    spawn=(/opt/gopherscope/bin/dlv)
  fi

  # The image's JVM flags, with the probe in front of the image's classpath.
  local jvm_flags=() arg
  for arg in "${IMAGE_ENTRYPOINT[@]:1}"; do
    [[ "$arg" == -cp ]] && break
    jvm_flags+=("$arg")
  done
  local users=("$IMAGE_USER") user
  # pprof-only sessions run the sidecar image as 65532 with no capability.
  [[ "$name" == sidecar ]] && users+=(65532)
  for user in "${users[@]}"; do
    if output="$(timeout -k 5 120 "${in_image[@]}" "$rootfs" "$user" "${IMAGE_ENV[@]}" -- /opt/java/bin/java "${jvm_flags[@]}" \
        -cp "/probe:$(cat "$rootfs/app/jib-classpath-file")" ImageProbe "$expected_main" "${spawn[@]}" 2>&1)"; then
      ok "probe as user $user:"$'\n'"$(indent <<<"$output")"
    else
      fail "probe as user $user:"$'\n'"$(indent <<<"$output")"
    fi
  done

  case "$name" in
    sidecar) verify_sidecar_entrypoint "$rootfs" "$out/image.env" ;;
    operator) verify_operator_entrypoint "$rootfs" ;;
    object-store) verify_object_store_entrypoint "$rootfs" ;;
  esac
}

verify_sidecar_entrypoint() {
  local rootfs="$1" env_file="$2" output status=0 rss="" timing=()
  if [[ ! -f "$rootfs/app/classes/dev/gopherscope/sidecar/app/SidecarMain.class" ]]; then
    log "SKIPPED the sidecar entrypoint: SidecarMain is not in the image yet (the sidecar's main class is being written)"
    return
  fi
  # GNU time reports the peak RSS of the processes it waited for: here, the JVM.
  [[ -x /usr/bin/time ]] && timing=(/usr/bin/time -f 'maxrss_kb=%M' -o "$work/time.txt")
  output="$(timeout -k 5 60 "${timing[@]}" "${in_image[@]}" "$rootfs" "$IMAGE_USER" "${IMAGE_ENV[@]}" -- \
    "${IMAGE_ENTRYPOINT[@]}" --help 2>&1)" || status=$?
  [[ -f "$work/time.txt" ]] && rss="$(grep -o 'maxrss_kb=[0-9]*' "$work/time.txt" | cut -d= -f2)"
  if [[ $status == 0 && "$output" == *"usage:"* ]]; then
    ok "sidecar entrypoint --help: exit 0, peak RSS ${rss:-?} KiB, $(wc -l <<<"$output") lines of usage"
  else
    fail "sidecar entrypoint --help exited $status:"$'\n'"$(head -30 <<<"$output" | indent)"
  fi

  local demo="$cache/bin/demo-service"
  if [[ ! -x "$demo" ]]; then
    log "SKIPPED the sidecar capture: $demo is missing (testenv/build-tools.sh builds it)"
    return
  fi
  cp "$demo" "$rootfs/probe/demo-service"
  cp "$repo/images/probe/capture-session.yaml" "$rootfs/probe/"
  status=0
  output="$(timeout -k 5 180 "${in_image[@]}" "$rootfs" --script "$repo/images/probe/capture-in-image.sh" "$env_file" 16060 2>&1)" || status=$?
  if [[ $status == 0 && -s "$rootfs/tmp/capture/report.json" ]]; then
    ok "sidecar entrypoint \`capture\` against the Go demo service in the image (pprof, then dlv as root):"$'\n'"$(grep -E '^\[gopherscope|^  (ok|FAILED)|Spooled' <<<"$output" | cut -c1-170 | indent)"
  else
    fail "sidecar entrypoint \`capture\` exited $status:"$'\n'"$(tail -40 <<<"$output" | indent)"
  fi
}

verify_operator_entrypoint() {
  # No cluster here: the operator must read its configuration, start, and get as far as its HTTP
  # client being refused at the API server's address, failing on nothing missing from the image.
  local rootfs="$1" output="$work/operator.log" pid waited=0
  : >"$output"
  timeout -k 5 90 "${in_image[@]}" "$rootfs" "$IMAGE_USER" "${IMAGE_ENV[@]}" \
    GOPHERSCOPE_S3_ACCESS_KEY=probe GOPHERSCOPE_S3_SECRET_KEY=probe GOPHERSCOPE_METRICS_PORT=0 \
    KUBERNETES_MASTER=https://127.0.0.1:1 KUBERNETES_AUTH_TRYKUBECONFIG=false \
    KUBERNETES_AUTH_TRYSERVICEACCOUNT=false KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT=0 \
    -- "${IMAGE_ENTRYPOINT[@]}" "${IMAGE_CMD[@]}" >"$output" 2>&1 &
  pid=$!
  until grep -q "ConnectException" "$output" || ! kill -0 "$pid" 2>/dev/null || ((waited >= 60)); do
    sleep 1
    waited=$((waited + 1))
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if grep -q "starting gopherscope operator" "$output" && grep -q "ConnectException" "$output" \
      && ! grep -qE "NoClassDefFoundError|UnsatisfiedLinkError|ClassNotFoundException|ServiceConfigurationError" "$output"; then
    ok "operator entrypoint read its configuration, started, and was refused at the (absent) API server:"$'\n'"$(grep -m4 -E 'INFO|ConnectException' "$output" | cut -c1-160 | indent)"
  else
    fail "operator entrypoint:"$'\n'"$(head -40 "$output" | indent)"
  fi
}

verify_object_store_entrypoint() {
  # The chart's embedded store: configured from the environment as the chart sets it, it must
  # refuse an unsigned request, keep what a signed PUT stores, and not show its secret in /proc.
  local rootfs="$1" output="$work/object-store.log" port=18080 pid waited=0 code secret="verify-image-secret-$RANDOM"
  local sign=(--aws-sigv4 "aws:amz:us-east-1:s3" --user "verify-id:$secret") url
  url="http://127.0.0.1:$port"
  : >"$output"
  timeout -k 5 120 "${in_image[@]}" "$rootfs" "$IMAGE_USER" "${IMAGE_ENV[@]}" S3PROXY_IDENTITY=verify-id \
    S3PROXY_CREDENTIAL="$secret" S3PROXY_ENDPOINT="$url" JCLOUDS_FILESYSTEM_BASEDIR=/tmp/s3data \
    -- "${IMAGE_ENTRYPOINT[@]}" "${IMAGE_CMD[@]}" >"$output" 2>&1 &
  pid=$!
  until code="$(curl -s -o /dev/null -w '%{http_code}' "$url/")" && [[ "$code" != 000 ]] \
      || ! kill -0 "$pid" 2>/dev/null || ((waited >= 60)); do
    sleep 1
    waited=$((waited + 1))
  done
  local java_pid cmdline=""
  # The JVM itself, not the wrappers of this script (whose arguments carry the environment given).
  java_pid="$(pgrep -f "^/opt/java/bin/java .*S3ProxyMain" | head -1 || true)"
  [[ -n "$java_pid" ]] && cmdline="$(tr '\0' ' ' <"/proc/$java_pid/cmdline" 2>/dev/null || true)"
  local body="stored by verify-image at $(date -u +%FT%TZ)" put_bucket put_object got
  # curl signs the x-amz-content-sha256 header it is given; S3 checks it against the body.
  local empty_sha body_sha
  empty_sha="$(printf '' | sha256sum | cut -d' ' -f1)"
  body_sha="$(printf '%s' "$body" | sha256sum | cut -d' ' -f1)"
  put_bucket="$(curl -s -o /dev/null -w '%{http_code}' "${sign[@]}" -H "x-amz-content-sha256: $empty_sha" \
    -X PUT "$url/verify-bucket" || true)"
  # A content type of its own: curl's default (a form) is read by the servlet container as form fields.
  put_object="$(curl -s -o /dev/null -w '%{http_code}' "${sign[@]}" -H "x-amz-content-sha256: $body_sha" \
    -H "Content-Type: text/plain" -X PUT --data-binary "$body" "$url/verify-bucket/probe.txt" || true)"
  got="$(curl -s "${sign[@]}" -H "x-amz-content-sha256: $empty_sha" "$url/verify-bucket/probe.txt" || true)"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [[ "$code" == 403 && "$put_bucket" == 200 && "$put_object" == 200 && "$got" == "$body" ]]; then
    ok "object-store entrypoint served on $url after ${waited} s: unsigned request 403, signed bucket and object PUT 200, the object read back"
  else
    fail "object-store entrypoint: unsigned $code (want 403), PUT bucket $put_bucket, PUT object $put_object (want 200), read back '${got:0:80}':"$'\n'"$(tail -30 "$output" | indent)"
  fi
  if [[ -z "$cmdline" ]]; then
    fail "object-store: no S3ProxyMain process found to read its command line"
  elif [[ "$cmdline" == *"$secret"* ]]; then
    fail "object-store: the credential is on the command line: $cmdline"
  else
    ok "object-store: the credential is not on its command line (${cmdline:0:100}...)"
  fi
}

for image in "${images[@]}"; do verify "$image"; done

if [[ -s "$work/sizes.tsv" ]]; then
  log "=== sizes (bytes)"
  { printf 'image\ttarball\tcompressed\tunpacked\tmanifest\n'; cat "$work/sizes.tsv"; } | column -t -s $'\t' >&2
fi
if ((failures)); then
  log "$failures check(s) failed"
  exit 1
fi
log "all checks passed"
