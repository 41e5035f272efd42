#!/usr/bin/env bash
# `make demo` today: what exists so far, shown on real components. The full flow
# (operator + injected sidecar + DebugSession status + S3 artifacts) replaces this
# as the end-to-end issue lands; until then this script says exactly what it does.
set -euo pipefail
cache="${GOPHERSCOPE_CACHE:-$HOME/.cache/gopherscope}"
demo_bin="$cache/bin/demo-service"
log() { echo "[demo] $*" >&2; }

[[ -x "$demo_bin" ]] || { log "ERROR: $demo_bin missing; run 'make testenv'"; exit 1; }
out="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$out"' EXIT

log "NOTE: the operator, sidecar and DebugSession flow are not built yet; this demo shows the"
log "      foundation: the Go demo service labelling each request's goroutines with its trace."
log "starting the Go demo service with 1000 idle labelled goroutines"
"$demo_bin" -addr 127.0.0.1:0 -pprof-addr 127.0.0.1:0 -idle 1000 > "$out/demo.out" 2> "$out/demo.err" &
for _ in $(seq 1 100); do grep -q "demo-service ready" "$out/demo.out" 2>/dev/null && break; sleep 0.1; done
ready="$(grep "demo-service ready" "$out/demo.out")" || { log "ERROR: demo service did not start"; cat "$out/demo.err" >&2; exit 1; }
app="$(sed -n 's/.*app=\([^ ]*\).*/\1/p' <<<"$ready")"
pprof="$(sed -n 's/.*pprof=\([^ ]*\).*/\1/p' <<<"$ready")"
log "$ready"

traceparent="00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
log "sending a traced request that blocks on a channel: traceparent $traceparent"
curl -s -H "traceparent: $traceparent" "http://$app/work/block?ms=3000" > /dev/null &
sleep 0.5

log "goroutines of trace 4bf92f35... from the pprof goroutine profile (no halt):"
curl -s "http://$pprof/debug/pprof/goroutine?debug=1" \
  | awk 'BEGIN{RS=""} /4bf92f3577b34da6a3ce929d0e0e4736/' | sed 's/^/    /'
log "total goroutines in the process: $(curl -s "http://$app/stats")"
log "done. 'make test' runs the same components under test: kube-apiserver + etcd, s3proxy, dlv."
