#!/usr/bin/env bash
# Builds CloudPilot's container image from an unpacked distribution (docs/deployment.md). `./dev image` builds the
# distribution and then runs this.
#
#   deploy/image/build.sh --dist DIR [--tag NAME] [--base IMAGE] [--engine podman|docker] [--refresh-base]
#
#   --dist DIR      the unpacked distribution, e.g. dist/target/cloudpilot/cloudpilot-0.1.0-SNAPSHOT
#   --tag NAME      the image's name (default localhost/cloudpilot:<version of the distribution>)
#   --base IMAGE    any Java 21+ runtime image, e.g. docker.io/library/eclipse-temurin:21-jre (needs a registry).
#                   Default: a base made on this machine without any registry, cached: Debian's essential packages
#                   (mmdebstrap) and a Java runtime cut with jlink from the JDK in $JAVA_HOME
#   --engine E      podman (default when installed) or docker
#   --refresh-base  make that base again (e.g. for Debian's security updates)
#
# Environment: CLOUDPILOT_CACHE (default ~/.cache/cloudpilot) holds the base's root file system; DEBIAN_MIRROR
# (default http://deb.debian.org/debian) and DEBIAN_SECURITY_MIRROR are where mmdebstrap fetches the packages from.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

die() { echo "image: $*" >&2; exit 1; }
log() { echo "image: $*" >&2; }

dist="" tag="" base="" engine="${CLOUDPILOT_CONTAINER_ENGINE:-}" refresh=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dist|--tag|--base|--engine)
      [ $# -ge 2 ] && [ -n "$2" ] || die "$1 needs a value"
      case "$1" in --dist) dist="$2" ;; --tag) tag="$2" ;; --base) base="$2" ;; --engine) engine="$2" ;; esac
      shift 2 ;;
    --refresh-base) refresh=1; shift ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

[ -n "$dist" ] || die "--dist DIR is required (the unpacked distribution; ./dev image passes it)"
[ -x "$dist/bin/cloudpilot" ] && [ -d "$dist/lib" ] && [ -d "$dist/plugins" ] \
  || die "$dist is not an unpacked CloudPilot distribution (bin/cloudpilot, lib/, plugins/)"
dist="$(cd "$dist" && pwd)"
version="$(basename "$dist")"; version="${version#cloudpilot-}"
[[ "$version" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die "cannot read a version from the directory name $(basename "$dist")"
tag="${tag:-localhost/cloudpilot:$version}"

if [ -z "$engine" ]; then
  if command -v podman >/dev/null 2>&1; then engine=podman
  elif command -v docker >/dev/null 2>&1; then engine=docker
  else die "neither podman nor docker is installed (Debian: apt-get install podman runc)"; fi
fi
case "$engine" in podman|docker) ;; *) die "--engine must be podman or docker, not '$engine'" ;; esac
command -v "$engine" >/dev/null 2>&1 || die "$engine is not installed"
if [ "$engine" = podman ] && [ -z "${CONTAINERS_CONF:-}" ] && command -v runc >/dev/null 2>&1; then
  # Debian's podman 4.3 works on this kind of machine only with runc and cgroupfs (deploy/image/containers.conf)
  export CONTAINERS_CONF="$here/containers.conf"
fi

cache="${CLOUDPILOT_CACHE:-$HOME/.cache/cloudpilot}/image"
work="$(mktemp -d "${TMPDIR:-/tmp}/cloudpilot-image.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# --- the base made without a registry ---------------------------------------------------------------------------
suite=bookworm
# Essential packages (bash, coreutils, dash for RUN) and awk for the launcher's Java discovery; no apt, no perl
# modules; merged /usr without the usrmerge package (it pulls perl in); no documentation.
mmdebstrap_args=(--variant=essential --include=mawk --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*'
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*')
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
sources=("deb $mirror $suite main" "deb $mirror $suite-updates main" "deb $security $suite-security main")
# What CloudPilot and its libraries use (jdeps --print-module-deps over lib/ and plugins/), plus jcmd and JFR for
# operators (jcmd 1 VM.flags, heap dumps) and jdk.crypto.ec where it still exists (Java 21: EC keys for TLS).
modules=(java.base java.compiler java.desktop java.instrument java.naming java.net.http java.security.jgss java.sql
  jdk.attach jdk.jdi jdk.jfr jdk.management jdk.unsupported jdk.zipfs jdk.charsets jdk.jcmd jdk.crypto.ec)

offline_base() {
  local jdk="${JAVA_HOME:-}" runtime_version available wanted=() m key rootfs_key rootfs base_tag
  [ -n "$jdk" ] && [ -x "$jdk/bin/jlink" ] \
    || die "the base needs a JDK 21+ with jlink in JAVA_HOME (./dev image sets it), or pass --base IMAGE"
  runtime_version="$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$jdk/release")"
  [ "${runtime_version%%.*}" -ge 21 ] 2>/dev/null || die "$jdk is Java '${runtime_version:-?}': the image needs 21+"
  available="$("$jdk/bin/java" --list-modules | sed 's/@.*//')"
  for m in "${modules[@]}"; do grep -qx "$m" <<<"$available" && wanted+=("$m"); done
  rootfs_key="$(printf '%s\n' "$suite" "${mmdebstrap_args[@]}" "${sources[@]}" | sha256sum | cut -c1-12)"
  key="$(printf '%s\n' "$rootfs_key" "$runtime_version" "${wanted[@]}" "recipe 1" | sha256sum | cut -c1-12)"
  base_tag="localhost/cloudpilot-base:$suite-java${runtime_version%%.*}-$key"
  if [ -z "$refresh" ] && "$engine" image inspect "$base_tag" >/dev/null 2>&1; then
    echo "$base_tag"; return 0
  fi
  mkdir -p "$cache"
  rootfs="$cache/rootfs-$suite-$rootfs_key.tar"
  if [ -n "$refresh" ] || [ ! -s "$rootfs" ]; then
    command -v mmdebstrap >/dev/null 2>&1 \
      || die "making the base needs mmdebstrap (Debian: apt-get install mmdebstrap), or pass --base IMAGE"
    log "Debian $suite root file system (mmdebstrap, from $mirror) into $rootfs"
    if ! mmdebstrap "${mmdebstrap_args[@]}" "$suite" "$work/rootfs.tar" "${sources[@]}" </dev/null \
         >"$work/mmdebstrap.log" 2>&1; then
      tail -n 30 "$work/mmdebstrap.log" >&2
      die "mmdebstrap failed (is $mirror reachable? DEBIAN_MIRROR names another)"
    fi
    mv "$work/rootfs.tar" "$rootfs"
  fi
  log "Java runtime $runtime_version: jlink ${wanted[*]}"
  mkdir -p "$work/base/opt/java"
  "$jdk/bin/jlink" --add-modules "$(IFS=,; echo "${wanted[*]}")" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 --generate-cds-archive --output "$work/base/opt/java/openjdk" >&2
  # the class-data archive for heaps over 32 GB: 14 MB that such a heap does without (it starts a little slower)
  rm -f "$work/base/opt/java/openjdk/lib/server/classes_nocoops.jsa"
  cp "$rootfs" "$work/base.tar"
  tar -rf "$work/base.tar" --owner=0 --group=0 --numeric-owner -C "$work/base" opt/java
  "$engine" import \
    --change 'ENV JAVA_HOME=/opt/java/openjdk' \
    --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    "$work/base.tar" "$base_tag" >/dev/null
  rm -f "$work/base.tar"
  echo "$base_tag"
}

start=$(date +%s)
if [ -z "$base" ]; then
  base="$(offline_base)"
fi
log "base image $base"

# --- the image ----------------------------------------------------------------------------------------------------
# The build context holds only what the image needs: never the data/ of a distribution that ran (its secret key),
# and not demo/ (the demo plugin and its sandbox cluster: `cloudpilot demo` is for a workstation, decision 0050).
mkdir -p "$work/context/cloudpilot"
cp -a "$dist/bin" "$dist/conf" "$dist/lib" "$dist/plugins" "$work/context/cloudpilot/"
# Whatever the umask the distribution was unpacked with: the platform refuses a plugin others may write to
# (docs/plugin-development.md), and COPY gives root every file, so nothing but root may change the code
chmod -R go-w "$work/context/cloudpilot"
revision="$(git -C "$repo" rev-parse HEAD 2>/dev/null || echo unknown)"
if [ "$revision" != unknown ] && [ -n "$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  revision="$revision-dirty"
fi
source_url="${CLOUDPILOT_IMAGE_SOURCE:-$(git -C "$repo" remote get-url origin 2>/dev/null || true)}"
log "building $tag (version $version, revision $revision) with $engine"
"$engine" build --network none -f "$repo/Containerfile" -t "$tag" \
  --build-arg "BASE_IMAGE=$base" --build-arg "VERSION=$version" --build-arg "REVISION=$revision" \
  --build-arg "SOURCE=$source_url" --build-arg "CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  "$work/context" >&2
size="$("$engine" image inspect --format '{{.Size}}' "$tag")"
log "built $tag: $(( size / 1000000 )) MB, in $(( $(date +%s) - start )) s"
echo "$tag"
