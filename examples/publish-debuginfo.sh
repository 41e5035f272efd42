#!/usr/bin/env bash
# Publishes a Go binary's split debug info where gopherscope looks for it (docs/debug-info.md):
#   s3://BUCKET/debuginfo/<build-id>/debuginfo
# Usage: examples/publish-debuginfo.sh BINARY DEBUGFILE s3://BUCKET
#   BINARY     the binary your image ships (stripped or not): its build ID is the key
#   DEBUGFILE  objcopy --only-keep-debug BINARY's output (or the unstripped binary)
# Needs readelf (binutils), go (for binaries without a GNU build ID) and the AWS CLI, configured as
# usual (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL for MinIO or s3proxy).
set -euo pipefail
[[ $# -eq 3 && "$3" == s3://* ]] || { echo "usage: $0 BINARY DEBUGFILE s3://BUCKET" >&2; exit 2; }
binary=$1 debug=$2 bucket=${3%/}
build_id() { readelf -n "$1" 2>/dev/null | sed -n 's/.*Build ID: \([0-9a-f]*\).*/\1/p' | head -1; }
id=$(build_id "$binary")
[[ -n "$id" ]] || id=$(go tool buildid "$binary")
[[ -n "$id" ]] || { echo "$binary has neither a GNU nor a Go build ID" >&2; exit 1; }
debug_id=$(build_id "$debug")
[[ -n "$debug_id" ]] || debug_id=$(go tool buildid "$debug" 2>/dev/null || true)
[[ "$debug_id" == "$id" ]] || { echo "$debug belongs to build '$debug_id', not to $binary's $id" >&2; exit 1; }
aws s3 cp "$debug" "$bucket/debuginfo/$id/debuginfo"
echo "published $debug as $bucket/debuginfo/$id/debuginfo"
