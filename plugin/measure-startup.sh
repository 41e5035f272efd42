#!/usr/bin/env bash
# Start-up of the plugin, with and without its AppCDS archive: for each command, the median over
# RUNS runs of the wall time and of the CPU time (user + sys, which another job's load on the
# machine disturbs less than wall time). make plugin-startup runs it on the built plugin.
# Usage: measure-startup.sh [launcher] [runs]
set -euo pipefail
launcher=${1:-$(dirname "$0")/target/kubectl-gopherscope}
runs=${2:-9}
home=$(dirname "$(readlink -f "$launcher")")/gopherscope-plugin

# "wall cpu" in ms, medians of each.
measure() {
  local -a walls=() cpus=()
  local out
  out=$(mktemp)
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f '%e %U %S' -o "$out" "$@" >/dev/null 2>&1 || true
    read -r e u s <"$out"
    walls+=("$(awk -v x="$e" 'BEGIN{printf "%d", x*1000}')")
    cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%d", (u+s)*1000}')")
  done
  rm -f "$out"
  local mid=$(((runs + 1) / 2))
  echo "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "${mid}p") $(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "${mid}p")"
}

# As make install-plugin leaves it: the archive written by a first run, a dry run.
rm -f "$home/app.jsa" "$home/app.jsa.jvm"
"$launcher" goroutines --dry-run -l app=example -n default >/dev/null
[[ -f $home/app.jsa ]] || { echo "no archive was written to $home/app.jsa" >&2; exit 1; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; medians of $runs runs, ms"
printf '%-58s %16s %16s\n' "command" "no AppCDS wall/cpu" "AppCDS wall/cpu"
for args in "--help" "version" "goroutines --dry-run -l app=checkout -n shop"; do
  # shellcheck disable=SC2086
  read -r offw offc < <(GOPHERSCOPE_CDS=off measure "$launcher" $args)
  # shellcheck disable=SC2086
  read -r onw onc < <(measure "$launcher" $args)
  printf '%-58s %16s %16s\n' "kubectl-gopherscope $args" "$offw / $offc" "$onw / $onc"
done
