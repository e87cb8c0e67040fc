#!/usr/bin/env bash
# Installs what gort needs on a Debian bookworm machine, and nothing twice.
#
#   tools/setup.sh          the build and test toolchain (Bazel, GoogleTest,
#                           GoogleMock, abseil, Google Benchmark, g++, python3)
#   tools/setup.sh --go     also Go 1.19, to regenerate ground truth
#                           (tools/groundtruth) and run bench/go
#   tools/setup.sh --quiet  print nothing when everything is already there
#
# Idempotent: it asks dpkg what is missing and installs only that. It also
# writes user.bazelrc (untracked) pointing Bazel's --disk_cache at the user's
# cache directory, so a fresh clone in a new path builds from cache.
set -euo pipefail

cd "$(dirname "$0")/.."

quiet=0
packages=(
  bazel-bootstrap bazel-rules-java bazel-platforms
  googletest libgtest-dev libgmock-dev
  libabsl-dev libbenchmark-dev
  g++ python3 git
  libtcmalloc-minimal4 libjemalloc2 libmimalloc2.0
)
for arg in "$@"; do
  case "$arg" in
    --go) packages+=(golang-1.19-go golang-1.19-src) ;;
    --quiet) quiet=1 ;;
    *) echo "usage: tools/setup.sh [--go] [--quiet]" >&2; exit 2 ;;
  esac
done

say() { if [[ $quiet == 0 ]]; then echo "setup: $*"; fi; }

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}"
  sudo=()
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to apt-get install" >&2; exit 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
else
  say "all packages present"
fi

cache_dir="${XDG_CACHE_HOME:-$HOME/.cache}/gort/bazel-disk-cache"
mkdir -p "$cache_dir"
want="build --disk_cache=$cache_dir"
if [[ ! -f user.bazelrc ]] || ! grep -qxF "$want" user.bazelrc; then
  printf '# Written by tools/setup.sh: local settings, not tracked.\n%s\n' "$want" > user.bazelrc
  say "wrote user.bazelrc (disk cache in $cache_dir)"
fi
