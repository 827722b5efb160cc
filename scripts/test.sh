#!/usr/bin/env bash
# Installs everything Pharos' tests need on a fresh Debian 12 machine (run as root) and runs them:
# formatting, clippy, unit and property tests, and the end-to-end tests that start the real
# binaries next to Debian's Prometheus tools (promtool, amtool, node_exporter, aiosmtpd as the
# SMTP server that receives alert emails) and, for the agent's
# collectors, next to Debian's redis, PostgreSQL, nginx, their exporters, blackbox_exporter and a
# Docker engine and Podman (its API service, started by its test) with test containers.
#
# Everything is built in one cargo profile (--release): RocksDB's C++ build is the slow part and
# is then done once for build, clippy and tests alike.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/apt.sh
. scripts/apt.sh
ensure_apt_packages build-essential pkg-config clang libclang-dev curl ca-certificates \
  prometheus prometheus-node-exporter prometheus-alertmanager python3-aiosmtpd iptables \
  prometheus-pushgateway victoria-metrics \
  redis-server postgresql nginx prometheus-redis-exporter prometheus-postgres-exporter \
  prometheus-nginx-exporter prometheus-blackbox-exporter docker.io busybox-static podman systemd rpm \
  chromium
# The aggregator's build embeds its web UI, built from ui/ with npm (Node.js >= 18); the browser
# tests (tests/tests/ui.rs) run it in Debian's Chromium with playwright-core.
command -v npm >/dev/null || ensure_apt_packages nodejs npm
# promtool 2.53 from Debian 13 for `promtool query --http.config.file` (tests/tests/http_security.rs).
ensure_promtool_2_53

command -v cargo >/dev/null || { echo "cargo (Rust >= 1.88) is required" >&2; exit 1; }

echo "== cargo fmt --check"
cargo fmt --all --check
echo "== build (release)"
cargo build --release --locked --workspace --all-targets
echo "== clippy"
cargo clippy --release --locked --workspace --all-targets -- -D warnings
# The container collector's tests read a real Docker engine with four test containers. Started
# here, after the build (one of the containers, t-cpu, keeps a CPU busy on purpose: started
# before, it took a good part of one of the two cores from the compiler), and stopped at the end,
# unless one runs already; the tests start it themselves otherwise.
ENGINE=../shared/scripts/container-engine.sh
engine_started=""
if [ -x /usr/bin/docker ] && ! docker info >/dev/null 2>&1 && [ -f "$ENGINE" ] && [ "$(id -u)" = 0 ]; then
  echo "== container engine"
  if bash "$ENGINE" up >/tmp/pharos-container-engine.log 2>&1; then engine_started=1
  # An earlier engine on this machine may have left its test containers behind (stopped): the
  # script then refuses to create them again, so start the ones that are there.
  elif docker info >/dev/null 2>&1 && docker start t-idle t-cpu t-io t-net >>/tmp/pharos-container-engine.log 2>&1; then
    engine_started=1
  else
    echo "container engine did not start (log /tmp/pharos-container-engine.log)" >&2
  fi
fi
trap '[ -z "$engine_started" ] || bash "$ENGINE" down >/dev/null 2>&1 || true' EXIT

echo "== tests"
# The example files as they are (tests/tests/examples.rs) take six minutes of real time, nearly
# all of it waiting out their `for: 5m`: that one test runs beside the others rather than after
# them, from the binary cargo built, in the crate's directory as cargo would run it.
examples_bin=$(cargo test --release --locked -p pharos-e2e --test examples --no-run 2>&1 |
  sed -n 's/.*Executable tests\/examples.rs (\(.*\))$/\1/p')
[ -n "$examples_bin" ] || { echo "the examples test binary was not found" >&2; exit 1; }
case "$examples_bin" in /*) ;; *) examples_bin="$PWD/$examples_bin" ;; esac
side_log=$(mktemp /tmp/pharos-examples-realtime.XXXXXX)
(cd tests && exec "$examples_bin" --exact example_files_as_they_are) >"$side_log" 2>&1 &
side_pid=$!
status=0
cargo test --release --locked --workspace -- --skip example_files_as_they_are || status=$?
side_status=0
wait "$side_pid" || side_status=$?
echo "== tests/examples.rs example_files_as_they_are (run beside the others)"
cat "$side_log"
rm -f "$side_log"
[ "$status" = 0 ] || exit "$status"
exit "$side_status"
