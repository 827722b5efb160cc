#!/usr/bin/env bash
# Installs everything Pharos' tests need on a fresh Debian 12 machine (run as root) and runs them:
# formatting, clippy, unit and property tests, and the end-to-end tests that start the real
# binaries next to Debian's Prometheus tools (promtool, node_exporter).
#
# Everything is built in one cargo profile (--release): RocksDB's C++ build is the slow part and
# is then done once for build, clippy and tests alike.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/apt.sh
. scripts/apt.sh
ensure_apt_packages build-essential pkg-config clang libclang-dev curl ca-certificates \
  prometheus prometheus-node-exporter

command -v cargo >/dev/null || { echo "cargo (Rust >= 1.88) is required" >&2; exit 1; }

echo "== cargo fmt --check"
cargo fmt --all --check
echo "== build (release)"
cargo build --release --locked --workspace --all-targets
echo "== clippy"
cargo clippy --release --locked --workspace --all-targets -- -D warnings
echo "== tests"
cargo test --release --locked --workspace
