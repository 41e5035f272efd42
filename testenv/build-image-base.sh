#!/usr/bin/env bash
# Assembles the root filesystem an image is built on FROM SCRATCH (no base image can be
# pulled here): Jib adds this directory as its extra-files layer, the application on top.
#
#   /opt/java/                 a jlink'd JRE of exactly the modules the application needs
#   /lib/x86_64-linux-gnu/*.so the shared objects that JRE (and dlv) load: glibc, libstdc++, libz
#   /lib64/ld-linux-x86-64.so.2  the ELF interpreter, at the path the binaries name
#   /opt/gopherscope/bin/dlv   (--with-dlv) Delve, symbol table stripped, with the sidecar's Go
#                              helpers beside it: dlv-guard and trace-summary
#   /usr/lib/locale/C.utf8     the UTF-8 locale (the image sets LANG=C.UTF-8)
#   /etc/passwd, group, nsswitch.conf, os-release; /tmp; /root, /home/nonroot
#   /var/lib/dpkg/status.d/*, /usr/share/doc/*/copyright   what the libraries are and their
#                              licences, in the layout image scanners read
#
# The JRE's module list comes from jdeps over the jar and its runtime classpath, plus the
# service providers jdeps cannot see, less --exclude-modules: modules that libraries reference
# only for optional features (java.beans, java.sql types) and declare `requires static`; the
# script refuses to leave out a module anything requires outright. Native libraries of the JRE that need anything beyond the
# libraries above (AWT/X11, sound, fonts: all unused by a headless process) are left out.
# The JRE and the jdeps result are cached under $GOPHERSCOPE_CACHE/image-base/, keyed by the JDK,
# the jars' contents and this script; the output directory is rebuilt on every run.
#
# Usage: testenv/build-image-base.sh --jar JAR --classpath-file FILE --out DIR [--with-dlv]
#                                   [--exclude-modules MODULE,...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/versions.env"
cache="${GOPHERSCOPE_CACHE:-$HOME/.cache/gopherscope}/image-base"
log() { echo "[image-base] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

jar="" classpath_file="" out="" with_dlv=false exclude_modules=""
while (($#)); do
  case "$1" in
    --jar) jar="$2"; shift 2 ;;
    --classpath-file) classpath_file="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --with-dlv) with_dlv=true; shift ;;
    --exclude-modules) exclude_modules="$2"; shift 2 ;;
    *) die "unknown argument '$1' (usage: $0 --jar JAR --classpath-file FILE --out DIR [--with-dlv] [--exclude-modules M,...])" ;;
  esac
done
[[ -f "$jar" ]] || die "--jar '$jar' is not a file (package the module first)"
[[ -f "$classpath_file" ]] || die "--classpath-file '$classpath_file' is not a file (package the module first)"
[[ -n "$out" ]] || die "--out is required"
[[ "$(uname -m)" == x86_64 ]] || die "images are assembled from this machine's libraries and only x86_64 is supported (this is $(uname -m))"
for tool in jlink jdeps jar ldd sha256sum dpkg-query; do
  command -v "$tool" >/dev/null || die "$tool is not on PATH (needs a JDK 17 with jmods, and a Debian-family glibc system)"
done

java_home="$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")"
[[ -d "$java_home/jmods" ]] || die "$java_home has no jmods/ directory: jlink needs the JDK's jmods (Debian: openjdk-17-jdk-headless ships them)"
jdk_release="$(grep '^JAVA_RUNTIME_VERSION=' "$java_home/release" | cut -d'"' -f2)"
[[ "$jdk_release" == 17.* ]] || die "jlink at $java_home is JDK '$jdk_release'; the project runs on Java 17"
script_sum="$(sha256sum "$0" | cut -c1-16)"

# --- modules ----------------------------------------------------------------
IFS=: read -r -a classpath <<<"$(tr -d '\n' <"$classpath_file")"
jars=("$jar" "${classpath[@]}")
# A jar's entry names and contents, not its timestamps: repackaging unchanged code keeps the key.
content_sum() {
  if command -v unzip >/dev/null; then
    (unzip -Z1 "$1" && unzip -p "$1") | sha256sum | cut -d' ' -f1
  else
    sha256sum "$1" | cut -d' ' -f1
  fi
}
jars_sum="$( (echo "$jdk_release $script_sum $exclude_modules"; for j in "${jars[@]}"; do content_sum "$j"; done) | sha256sum | cut -c1-16)"
modules_file="$cache/jdeps-$jars_sum.txt"

# optional_everywhere MODULE: succeeds if every jar that uses MODULE declares it optional
# (`requires static` in its module descriptor), as libraries do for features they load only when
# present; the project's own jars, having no descriptor, must not use it at all.
optional_everywhere() {
  local module="$1" user jar descriptor found
  while read -r user; do
    found=""
    for jar in "${jars[@]}"; do
      descriptor="$(jar --file "$jar" --describe-module --release 17 2>/dev/null || true)"
      if [[ "$(basename "$jar")" == "$user" ]] || { [[ "$descriptor" != *"No module descriptor"* ]] \
          && [[ "$(grep -m1 -oE '^[A-Za-z0-9_.]+@' <<<"$descriptor")" == "$user@" ]]; }; then
        found="$jar"
        break
      fi
    done
    [[ -n "$found" ]] || { log "cannot tell which jar is '$user' (it uses $module)"; return 1; }
    if [[ "$descriptor" == *"No module descriptor"* ]] || ! grep -qx "requires $module static" <<<"$descriptor"; then
      log "$(basename "$found") uses $module and does not declare it optional (requires static)"
      return 1
    fi
  done < <(jdeps -summary --ignore-missing-deps --multi-release 17 -q \
    --class-path "$(IFS=:; echo "${classpath[*]}")" "${jars[@]}" | awk -v m="$module" '$2 == "->" && $3 == m {print $1}' | sort -u)
}

if [[ -s "$modules_file" ]]; then
  log "module list cached in $modules_file"
else
  log "finding the JDK modules $(basename "$jar") and its $((${#jars[@]} - 1)) jars need (jdeps)"
  # Every module used, not jdeps' reduced list: an excluded module must not take the modules it
  # implies (java.sql implies java.logging and java.xml) with it.
  found="$(jdeps --list-deps --ignore-missing-deps --multi-release 17 -q \
    --class-path "$(IFS=:; echo "${classpath[*]}")" "${jars[@]}" | awk '{sub("/.*", "", $1); print $1}' \
    | grep -E '^(java|jdk)\.[a-z0-9.]+$' | sort -u)"
  [[ -n "$found" ]] || die "jdeps found no modules for $jar"
  for module in ${exclude_modules//,/ }; do
    optional_everywhere "$module" || die "--exclude-modules $module: something needs it; keep it in the JRE"
    found="$(grep -vx "$module" <<<"$found")"
  done
  # Service providers: jdeps sees only static references. jdk.crypto.ec holds the elliptic-curve
  # TLS key exchange and ECDSA certificates (k3s and most API servers and S3 endpoints use them).
  mkdir -p "$cache"
  printf '%s\njdk.crypto.ec\n' "$found" | sort -u | paste -sd, - >"$modules_file.tmp"
  mv -f "$modules_file.tmp" "$modules_file"
fi
modules="$(cat "$modules_file")"
log "JRE modules: $modules"

# --- the JRE ----------------------------------------------------------------
# Only glibc and the C++/zlib runtime the JVM itself links: anything else a JRE library wants
# (X11, ALSA, freetype, libjpeg, lcms2, ...) means a desktop feature, and that library is dropped.
allowed_libs=" ld-linux-x86-64.so.2 libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libz.so.1 libstdc++.so.6 libgcc_s.so.1 "
# --compress=0: an uncompressed modules file is twice the size on disk but gzips to two thirds
# of a zip-compressed one in the layer (15.6 vs 21.6 MB), and classes load without inflating.
jlink_options=(--strip-debug --no-man-pages --no-header-files --compress=0 --generate-cds-archive)
jre_key="$( (echo "$jdk_release $script_sum $modules ${jlink_options[*]}") | sha256sum | cut -c1-16)"
jre="$cache/jre-$jre_key"
if [[ -x "$jre/bin/java" ]] && "$jre/bin/java" -Xshare:off -version >/dev/null 2>&1; then
  touch "$jre" "$modules_file"
  log "JRE cached in $jre"
else
  log "linking a JRE with jlink ($jdk_release)"
  rm -rf "$cache"/jre-*.tmp
  trap 'rm -rf "$jre.tmp"' EXIT
  mkdir -p "$cache"
  jlink --add-modules "$modules" "${jlink_options[@]}" --output "$jre.tmp" >/dev/null
  # The launcher is all an image runs; keytool and friends stay out.
  find "$jre.tmp/bin" -type f ! -name java -delete
  # The archive for heaps over 32 GB, which these processes never have.
  rm -f "$jre.tmp/lib/server/classes_nocoops.jsa"
  : >"$jre.tmp/dropped-libraries.txt"
  # Judge every library before dropping any: ldd of one that needs a dropped one would
  # otherwise report it "not found" rather than what it drags in.
  jre_libs=" $(find "$jre.tmp/lib" -name '*.so' -printf '%f ') "
  drop=()
  while IFS= read -r -d '' so; do
    # Some JRE libraries name libjvm.so without a run path: the JVM has loaded it before them.
    missing="$(ldd "$so" | awk '/=> not found/ {print $1}' | sort -u | while read -r name; do
      [[ "$jre_libs" == *" $name "* ]] || echo "$name"; done | paste -sd' ' -)"
    [[ -z "$missing" ]] || die "${so#"$jre.tmp/"} needs libraries this system lacks: $missing"
    unwanted="$(ldd "$so" | awk '/=>/ && $3 ~ /^\// {print $1" "$3}' | while read -r name path; do
      [[ "$path" == "$jre.tmp/"* || "$allowed_libs" == *" $name "* ]] || echo "$name"; done | sort -u | paste -sd' ' -)"
    if [[ -n "$unwanted" ]]; then
      echo "${so#"$jre.tmp/"}: needs $unwanted" >>"$jre.tmp/dropped-libraries.txt"
      drop+=("$so")
    fi
  done < <(find "$jre.tmp/lib" -name '*.so' -print0 | sort -z)
  rm -f "${drop[@]}"
  echo "$modules" >"$jre.tmp/modules.txt"
  rm -rf "$jre"
  mv "$jre.tmp" "$jre"
  trap - EXIT
  # JREs of other module lists, JDK updates or versions of this script, unused for two weeks.
  find "$cache" -maxdepth 1 -name 'jre-*' -type d ! -name "jre-$jre_key" -mtime +14 -exec rm -rf {} +
  find "$cache" -maxdepth 1 -name 'jdeps-*.txt' -mtime +14 -delete
  log "JRE linked into $jre ($(du -sh "$jre" | cut -f1)); native libraries left out: $(cut -d: -f1 "$jre/dropped-libraries.txt" | paste -sd' ' - | grep . || echo none)"
fi

# --- dlv --------------------------------------------------------------------
dlv=""
if $with_dlv; then
  built="${GOPHERSCOPE_CACHE:-$HOME/.cache/gopherscope}/bin/dlv-${DELVE_VERSION}/dlv"
  [[ -x "$built" ]] || die "$built is missing: run testenv/build-tools.sh (make testenv) first"
  dlv="$cache/dlv-${DELVE_VERSION}/dlv"
  if [[ ! -x "$dlv" || "$built" -nt "$dlv" ]]; then
    mkdir -p "$(dirname "$dlv")"
    cp "$built" "$dlv.tmp"
    # dlv reads the target's DWARF, never its own; Go's stack traces survive (pclntab stays).
    if command -v strip >/dev/null; then strip "$dlv.tmp"; else log "strip not found: dlv goes in unstripped"; fi
    "$dlv.tmp" version | grep -q "Version: ${DELVE_VERSION}\$" || die "$dlv.tmp does not report version ${DELVE_VERSION}"
    mv -f "$dlv.tmp" "$dlv"
  fi
fi

# --- the root filesystem ----------------------------------------------------
rm -rf "$out"
mkdir -p "$out"/{opt,etc,tmp,root,home/nonroot,lib/x86_64-linux-gnu}
cp -a "$jre" "$out/opt/java"
rm -f "$out/opt/java/modules.txt" "$out/opt/java/dropped-libraries.txt"
if [[ -n "$dlv" ]]; then
  mkdir -p "$out/opt/gopherscope/bin"
  cp "$dlv" "$out/opt/gopherscope/bin/dlv"
  # The guard that resumes the target whichever of dlv and the sidecar dies (sidecar/dlv-guard);
  # static, so it needs nothing from the rootfs.
  guard="$(dirname "$built")/dlv-guard"
  [[ -x "$guard" ]] || die "$guard missing: run testenv/build-tools.sh"
  cp "$guard" "$out/opt/gopherscope/bin/dlv-guard"
  # The execution-trace reader (sidecar/trace-summary), static too.
  summary="$(dirname "$built")/trace-summary"
  [[ -x "$summary" ]] || die "$summary missing: run testenv/build-tools.sh"
  cp "$summary" "$out/opt/gopherscope/bin/trace-summary"
  exp_licence="$(cd "$here/../sidecar/trace-summary" && go list -m -f '{{.Dir}}' golang.org/x/exp 2>/dev/null)/LICENSE"
  [[ -f "$exp_licence" ]] || die "$exp_licence missing (trace-summary links golang.org/x/exp; run testenv/build-tools.sh)"
  mkdir -p "$out/usr/share/doc/golang-x-exp"
  cp "$exp_licence" "$out/usr/share/doc/golang-x-exp/copyright"
  licence="$(go env GOMODCACHE 2>/dev/null)/github.com/go-delve/delve@v${DELVE_VERSION}/LICENSE"
  if [[ -f "$licence" ]]; then
    mkdir -p "$out/usr/share/doc/delve"
    cp "$licence" "$out/usr/share/doc/delve/copyright"
  fi
fi

# Every shared object the JRE and dlv load, at the path the dynamic linker looks for it.
elfs=("$out/opt/java/bin/java" "$out/opt/java/lib/jspawnhelper" "$out/opt/java/lib/jexec")
while IFS= read -r -d '' so; do elfs+=("$so"); done < <(find "$out/opt/java/lib" -name '*.so' -print0)
[[ -n "$dlv" ]] && elfs+=("$out/opt/gopherscope/bin/dlv")
declare -A system_libs=()
for elf in "${elfs[@]}"; do
  [[ -f "$elf" ]] || continue
  while read -r path; do system_libs["$path"]=1; done < <(ldd "$elf" | awk '
    /=>/ && $3 ~ /^\// {print $3; next}
    $1 ~ /^\// {print $1}' | grep -v "^$out/")
done
# The C library's stubs (merged into libc.so.6 since glibc 2.34) for anything that dlopens them.
for stub in libdl.so.2 libpthread.so.0 librt.so.1; do
  [[ -e "/lib/x86_64-linux-gnu/$stub" ]] && system_libs["/lib/x86_64-linux-gnu/$stub"]=1
done
declare -A packages=()
for path in "${!system_libs[@]}"; do
  name="$(basename "$path")"
  [[ "$allowed_libs" == *" $name "* ]] || die "$path is loaded by the JRE or dlv but not in the allowed set"
  mkdir -p "$out$(dirname "$path")"
  cp -L "$path" "$out$path"
  real="$(readlink -f "$path")"
  pkg="$(dpkg-query -S "$real" 2>/dev/null || dpkg-query -S "${real#/usr}" 2>/dev/null || dpkg-query -S "$path" 2>/dev/null || true)"
  [[ -n "$pkg" ]] || die "no Debian package owns $path (needed to record what the image carries)"
  packages["${pkg%%:*}"]=1
done

# The C.UTF-8 locale, so that with LANG=C.UTF-8 Java 17 encodes text and file names as UTF-8
# (glibc has no built-in UTF-8 locale; without one the JVM falls back to ASCII).
locale=/usr/lib/locale/C.utf8
[[ -d "$locale" ]] || die "$locale is missing (Debian's libc-bin provides it)"
mkdir -p "$out/usr/lib/locale"
cp -a "$locale" "$out/usr/lib/locale/"
packages[libc-bin]=1

# What the image carries, where distroless-style scanners (trivy, grype) look for it.
mkdir -p "$out/var/lib/dpkg/status.d"
for pkg in "${!packages[@]}"; do
  dpkg-query -s "$pkg" | grep -v -E '^(Conffiles|Config-Version):' >"$out/var/lib/dpkg/status.d/${pkg%%:*}"
  doc="/usr/share/doc/${pkg%%:*}/copyright"
  if [[ -f "$doc" ]]; then mkdir -p "$out/usr/share/doc/${pkg%%:*}"; cp "$doc" "$out/usr/share/doc/${pkg%%:*}/"; fi
done
[[ -f /etc/os-release ]] && cp -L /etc/os-release "$out/etc/os-release"

cat >"$out/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
cat >"$out/etc/group" <<'EOF'
root:x:0:
nonroot:x:65532:
EOF
# glibc's built-in default asks DNS before /etc/hosts; a pod resolves files first.
cat >"$out/etc/nsswitch.conf" <<'EOF'
passwd: files
group: files
hosts: files dns
EOF

log "root filesystem in $out: $(du -sh "$out" | cut -f1), libraries from $(printf '%s ' "${!packages[@]}")"
