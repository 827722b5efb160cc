#!/usr/bin/env bash
# Builds Pharos and runs the quickstart: an aggregator on 127.0.0.1 (HTTP 9700, QUIC 9701) and an
# agent for this host pushing to it, all state under DATA_DIR (default /tmp/pharos).
# On a fresh Debian machine (as root) it first installs what the build needs (a C/C++ toolchain
# and libclang for RocksDB's bindings).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA_DIR=${1:-/tmp/pharos}
BUILD_PACKAGES="build-essential pkg-config clang libclang-dev"
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  missing=""
  for p in $BUILD_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    # shellcheck disable=SC2086
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing
  fi
fi
cargo build --release --locked -p pharos-agent -p pharos-aggregator
exec target/release/pharos-aggregator quickstart --data-dir "$DATA_DIR"
