#!/usr/bin/env bash
# Runs commands in an unpacked image's root filesystem the way a container runtime would, as far
# as images/verify-image.sh needs: in a private mount and PID namespace (everything in it dies
# with it, and no mount outlives it), with the root filesystem a mount point of its own (as an
# overlay root is: java.nio's FileStore looks "/" up in /proc/self/mounts), its own /proc, the
# basic devices, only the environment given, and a numeric user. No network namespace, no
# cgroup, no capability dropping: this proves the image's contents, not a security profile.
#
#   in-image.sh ROOTFS USER [NAME=VALUE...] -- COMMAND [ARG...]
#   in-image.sh ROOTFS --script FILE [ARG...]
#       FILE is a bash script of the host, run inside the namespace with the functions
#       `image_run USER [NAME=VALUE...] -- COMMAND [ARG...]` (waits, returns the exit status) and
#       `image_exec ...` (replaces the shell: `image_exec ... &` leaves the command's PID in $!)
#       to start processes in the image; they share the namespace as a pod's containers share
#       a process namespace.
# Needs root and util-linux unshare.
set -euo pipefail

if [[ "${1:-}" != --inside ]]; then
  (($# >= 3)) || { echo "usage: $0 ROOTFS USER [NAME=VALUE...] -- COMMAND... | ROOTFS --script FILE [ARG...]" >&2; exit 2; }
  exec unshare --mount --pid --fork --kill-child --propagation private "$BASH" "$0" --inside "$@"
fi
shift
rootfs="$(cd "$1" && pwd)"
chroot="$(command -v chroot)"
shift

mount --bind "$rootfs" "$rootfs"
mkdir -p "$rootfs/proc" "$rootfs/dev"
mount -t proc proc "$rootfs/proc"
for node in null:3 zero:5 random:8 urandom:9; do
  [[ -e "$rootfs/dev/${node%%:*}" ]] || mknod -m 666 "$rootfs/dev/${node%%:*}" c 1 "${node##*:}"
done

# image_exec USER [NAME=VALUE...] -- COMMAND...: replaces the calling shell with COMMAND in the
# image, so that `image_exec ... &` leaves the command's own PID in $!.
image_exec() {
  local user="$1" vars=()
  shift
  while (($#)) && [[ "$1" != -- ]]; do vars+=("$1"); shift; done
  (($#)) || { echo "image_exec: missing -- COMMAND" >&2; return 2; }
  shift
  exec env -i "${vars[@]}" "$chroot" --userspec="$user:$user" "$rootfs" "$@"
}

# image_run: the same, as a child whose exit status it returns.
image_run() {
  (image_exec "$@")
}

if [[ "$1" == --script ]]; then
  script="$2"
  shift 2
  # shellcheck source=/dev/null
  source "$script" "$@"
else
  image_exec "$@"
fi
