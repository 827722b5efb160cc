#!/usr/bin/env bash
# Builds Pharos and runs the quickstart: an aggregator on 127.0.0.1 (HTTP 9700, QUIC 9701) and an
# agent for this host pushing to it, all state under DATA_DIR (default /tmp/pharos).
# On a fresh Debian machine (as root) it first installs what the build needs (a C/C++ toolchain
# and libclang for RocksDB's bindings, and Node.js with npm for the web UI).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA_DIR=${1:-/tmp/pharos}
# shellcheck source=scripts/apt.sh
. scripts/apt.sh
ensure_apt_packages build-essential pkg-config clang libclang-dev
# The aggregator's build embeds the web UI, built from ui/ with npm.
command -v npm >/dev/null || ensure_apt_packages nodejs npm
cargo build --release --locked -p pharos-agent -p pharos-aggregator
exec target/release/pharos-aggregator quickstart --data-dir "$DATA_DIR"
