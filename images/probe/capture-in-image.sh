# shellcheck shell=bash
# Run by images/in-image.sh --script inside an unpacked sidecar image (see verify-image.sh):
# the Go demo service as user 65532, then the image's own entrypoint in `capture` mode as root
# against it, as in a pod whose debug container shares the app's process namespace.
# Arguments: IMAGE_ENV_FILE (ociunpack's image.env), PPROF_PORT.
# shellcheck source=/dev/null
source "$1"
port="$2"
image_exec 65532 -- /probe/demo-service -addr 127.0.0.1:0 -pprof-addr "127.0.0.1:$port" -idle 100 \
  >/dev/null 2>&1 &
app=$!
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.2
done
status=0
image_run 0 "${IMAGE_ENV[@]}" -- "${IMAGE_ENTRYPOINT[@]}" capture --pid "$app" \
  -f /probe/capture-session.yaml --pprof-port "$port" --out /tmp/capture --dlv /opt/gopherscope/bin/dlv || status=$?
kill "$app" 2>/dev/null || true
exit "$status"
