#!/usr/bin/env bash
# Start-up of the installed plugin, with and without its AppCDS archive: the median wall time of
# RUNS runs of each command (make plugin-startup). Usage: measure-startup.sh [launcher] [runs]
set -euo pipefail
launcher=${1:-$(dirname "$0")/target/kubectl-gopherscope}
runs=${2:-9}
home=$(dirname "$(readlink -f "$launcher")")/gopherscope-plugin

median() {
  local -a times=()
  for ((i = 0; i < runs; i++)); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}

# Creates the archive if it is missing (the first run writes it).
"$launcher" version >/dev/null
[[ -f $home/app.jsa ]] || { echo "no archive was written to $home/app.jsa" >&2; exit 1; }
printf '%-46s %12s %12s\n' "command (median of $runs runs, ms)" "no AppCDS" "AppCDS"
for args in "--help" "version" "goroutines --dry-run -l app=checkout -n shop"; do
  # shellcheck disable=SC2086
  off=$(GOPHERSCOPE_CDS=off median "$launcher" $args)
  # shellcheck disable=SC2086
  on=$(median "$launcher" $args)
  printf '%-46s %12s %12s\n' "kubectl-gopherscope $args" "$off" "$on"
done
