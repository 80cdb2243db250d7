#!/usr/bin/env bash
# Prints the directory holding the Kubernetes control-plane binaries that the conformance suite runs
# (etcd, kube-apiserver, kube-controller-manager, kube-scheduler), getting them first when needed.
#
#   conformance/bin/k8s-binaries.sh            print the directory (build and cache it when missing)
#   conformance/bin/k8s-binaries.sh --check    print it only when usable binaries are already there (exit 1 if not)
#
# Order of preference:
#   1. CLOUDPILOT_K8S_ASSETS, then KUBEBUILDER_ASSETS (the envtest convention): a directory with the four binaries,
#      used as it is (envtest's or kind's binaries work).
#   2. The cache, ${CLOUDPILOT_CACHE:-~/.cache/cloudpilot}/k8s-<version>/bin, when its binaries are there and run.
#   3. Otherwise built once from Debian bookworm's source package 'kubernetes' (1.20.2, whole tree with vendored
#      dependencies) with Debian's Go, in GOPATH mode; etcd comes from Debian's 'etcd-server'. The vendored
#      github.com/modern-go/reflect2 1.0.1 crashes under Go >= 1.18, so it is replaced by Debian's 1.0.2 first.
#      Needs root (or sudo -n) for apt-get. Takes minutes on 2 cores; progress goes to stderr.
set -euo pipefail

K8S_VERSION="1.20.2"
CACHE_ROOT="${CLOUDPILOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cloudpilot}"
CACHE_DIR="$CACHE_ROOT/k8s-$K8S_VERSION"
BIN_DIR="$CACHE_DIR/bin"
NEEDED=(etcd kube-apiserver kube-controller-manager kube-scheduler)

log() { echo "[k8s-binaries] $*" >&2; }

usable() {
  local dir="$1" b
  [ -n "$dir" ] && [ -d "$dir" ] || return 1
  for b in "${NEEDED[@]}"; do
    [ -x "$dir/$b" ] || return 1
    "$dir/$b" --version >/dev/null 2>&1 || return 1
  done
  return 0
}

for var in CLOUDPILOT_K8S_ASSETS KUBEBUILDER_ASSETS; do
  dir="${!var:-}"
  if [ -n "$dir" ]; then
    if usable "$dir"; then
      echo "$dir"
      exit 0
    fi
    log "$var=$dir does not hold working ${NEEDED[*]}: ignoring it"
  fi
done

if usable "$BIN_DIR"; then
  echo "$BIN_DIR"
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  exit 1
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo -n"
apt() { $sudo env DEBIAN_FRONTEND=noninteractive apt-get "$@" </dev/null; }

start=$(date +%s)
log "building Kubernetes $K8S_VERSION control-plane binaries into $BIN_DIR (once; takes minutes)"

# deb-src entry for the same Debian archive as the machine's deb entries
SRC_LIST=/etc/apt/sources.list.d/cloudpilot-deb-src.sources
if [ ! -f "$SRC_LIST" ]; then
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed -e 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | $sudo tee "$SRC_LIST" >/dev/null
  elif [ -f /etc/apt/sources.list ]; then
    grep -E '^deb ' /etc/apt/sources.list | sed -e 's/^deb /deb-src /' | $sudo tee "${SRC_LIST%.sources}.list" >/dev/null
  else
    log "no Debian apt sources found: set KUBEBUILDER_ASSETS to a directory with ${NEEDED[*]}"
    exit 1
  fi
fi
apt update -q >&2
apt install -y -q --no-install-recommends golang-go rsync make etcd-server dpkg-dev \
  golang-github-modern-go-reflect2-dev >&2

WORK="$CACHE_DIR/work"
rm -rf "$WORK"
mkdir -p "$WORK" "$BIN_DIR"
# bookworm's version is 1.20.5+really1.20.2 (the 1.20.2 tree with security patches)
(cd "$WORK" && apt source -q kubernetes >&2)
TREE="$(ls -d "$WORK"/kubernetes-*/ | head -n 1)"
TREE="${TREE%/}"
[ -d "$TREE/cmd/kube-apiserver" ] || { log "unexpected source tree in $WORK"; exit 1; }

REFLECT2_SRC=/usr/share/gocode/src/github.com/modern-go/reflect2
[ -d "$REFLECT2_SRC" ] || { log "$REFLECT2_SRC missing (golang-github-modern-go-reflect2-dev)"; exit 1; }
rm -rf "$TREE/vendor/github.com/modern-go/reflect2"
mkdir -p "$TREE/vendor/github.com/modern-go/reflect2"
cp -rL "$REFLECT2_SRC/." "$TREE/vendor/github.com/modern-go/reflect2/"
rm -f "$TREE"/vendor/github.com/modern-go/reflect2/*_test.go

# GOPATH mode, as Debian's own package build does: the tree linked at $GOPATH/src/k8s.io/kubernetes, and the
# project's make, which first generates what the tarball lacks (e.g. pkg/generated/openapi) and then builds
mkdir -p "$TREE/.go/src/k8s.io"
ln -sfn ../../.. "$TREE/.go/src/k8s.io/kubernetes"
export GOPATH="$TREE/.go" GO111MODULE=off GOFLAGS="-p=2" GOCACHE="$WORK/gocache" CGO_ENABLED=0 HOME="$WORK/home"
mkdir -p "$HOME"
cat >"$WORK/version" <<VERSION
KUBE_GIT_COMMIT=''
KUBE_GIT_TREE_STATE='clean'
KUBE_GIT_VERSION='v$K8S_VERSION'
KUBE_GIT_MAJOR='1'
KUBE_GIT_MINOR='20'
VERSION
log "go: $(go version)"
cd "$TREE"
nice -n 10 env KUBE_GIT_VERSION_FILE="$WORK/version" KUBE_VERBOSE=1 \
  make WHAT="cmd/kube-apiserver cmd/kube-controller-manager cmd/kube-scheduler" >&2
for cmd in kube-apiserver kube-controller-manager kube-scheduler; do
  cp "$TREE/_output/bin/$cmd" "$BIN_DIR/$cmd"
done
cp "$(command -v etcd || echo /usr/bin/etcd)" "$BIN_DIR/etcd"
cd /
rm -rf "$WORK"
usable "$BIN_DIR" || { log "built binaries do not run"; exit 1; }
log "done in $(( $(date +%s) - start ))s"
echo "$BIN_DIR"
