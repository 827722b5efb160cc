#!/usr/bin/env bash
# Builds the Debian and RPM packages of pharos-agent and pharos-aggregator from the release
# binaries already in target/release (`cargo build --release -p pharos-agent -p
# pharos-aggregator` first): `cargo deb --no-build` and `cargo generate-rpm`, with the metadata
# of [package.metadata.deb] / [package.metadata.generate-rpm] in agent/ and aggregator/Cargo.toml
# and the files in packaging/ and systemd/. Installs cargo-deb and cargo-generate-rpm (from
# crates.io, into ~/.cargo/bin) when they are missing.
#
#   scripts/packages.sh [OUT_DIR]        (default target/packages)
#   PHAROS_DEB_VERSION=0.1.0-2 scripts/packages.sh   (another Debian version string)
#
# Prints the paths of the four packages, one per line, on stdout (everything else on stderr).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
target=${CARGO_TARGET_DIR:-$root/target}
out=${1:-$target/packages}
mkdir -p "$out"
out=$(cd "$out" && pwd)

for tool in deb:cargo-deb generate-rpm:cargo-generate-rpm; do
  sub=${tool%%:*} crate=${tool#*:}
  if ! cargo "$sub" --version >/dev/null 2>&1; then
    echo "== installing $crate" >&2
    cargo install --locked "$crate" >&2
  fi
done

for b in pharos-agent pharos-aggregator; do
  [ -x "$target/release/$b" ] || { echo "$target/release/$b is missing: cargo build --release -p $b" >&2; exit 1; }
done

# roff-escapes text for a no-fill block: backslashes, and lines that start with . or '.
roff_text() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }

# A man page (section 8) made of the binary's --help and each subcommand's --help, so it never
# drifts from the binary. $1 binary, $2 one-line summary, $3 "FILES" lines (path|meaning), then
# the subcommand paths ("cert init", ...).
man_page() {
  local bin=$1 summary=$2 files=$3; shift 3
  local name version
  name=$(basename "$bin")
  version=$("$bin" --version | awk '{print $2}')
  printf '.TH %s 8 "" "%s %s" "Pharos"\n' "$(echo "$name" | tr a-z A-Z)" "$name" "$version"
  printf '.SH NAME\n%s \\- %s\n' "$name" "$summary"
  printf '.SH SYNOPSIS\n.B %s\n[\\fB\\-\\-config\\fR \\fIFILE\\fR] [\\fICOMMAND\\fR] [\\fIOPTIONS\\fR]\n' "$name"
  printf '.SH DESCRIPTION\n.nf\n'
  "$bin" --help | roff_text
  printf '.fi\n'
  local sub
  for sub in "$@"; do
    printf '.SS %s %s\n.nf\n' "$name" "$sub"
    # shellcheck disable=SC2086
    "$bin" $sub --help | roff_text
    printf '.fi\n'
  done
  printf '.SH FILES\n'
  local line
  while IFS='|' read -r path meaning; do
    [ -n "$path" ] && printf '.TP\n.I %s\n%s\n' "$path" "$meaning"
  done <<<"$files"
  printf '.SH SEE ALSO\n.BR pharos-agent (8),\n.BR pharos-aggregator (8),\n.BR systemctl (1)\n'
}

echo "== man pages, changelog" >&2
man_page "$target/release/pharos-agent" "Pharos agent: host metrics pushed over QUIC with mutual TLS" \
  "/etc/pharos/agent.toml|configuration
/var/lib/pharos-agent/|disk buffer (buffer/), certificates (tls/), textfile directory (textfile/)
/usr/lib/systemd/system/pharos-agent.service|the systemd unit" \
  run collect-once check-metrics | gzip -9n >"$target/release/pharos-agent.8.gz"
man_page "$target/release/pharos-aggregator" "Pharos aggregator: ingest, storage, PromQL, rules and alerting" \
  "/etc/pharos/aggregator.toml|configuration
/etc/pharos/rules/|Prometheus rule files
/etc/pharos/alertmanager.yml|the built-in Alertmanager's configuration
/var/lib/pharos-aggregator/|database (db/), certificates (tls/), Alertmanager state
/usr/share/pharos/grafana/|Grafana dashboards to import
/usr/lib/systemd/system/pharos-aggregator.service|the systemd unit" \
  run "cert init" "cert agent" check-rules quickstart | gzip -9n >"$target/release/pharos-aggregator.8.gz"
gzip -9nc packaging/changelog >"$target/release/pharos-changelog.gz"

deb_args=()
[ -z "${PHAROS_DEB_VERSION:-}" ] || deb_args=(--deb-version "$PHAROS_DEB_VERSION")
for p in pharos-agent pharos-aggregator; do
  echo "== $p: deb" >&2
  cargo deb --no-build --no-strip -p "$p" -o "$out" "${deb_args[@]}" >&2
  echo "== $p: rpm" >&2
  cargo generate-rpm -p "${p#pharos-}" -o "$out" >&2
done
ls "$out"/pharos-agent*.deb "$out"/pharos-aggregator*.deb "$out"/pharos-agent*.rpm "$out"/pharos-aggregator*.rpm
