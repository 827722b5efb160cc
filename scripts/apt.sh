# Sourced by the scripts here: `ensure_apt_packages PKG...` installs the Debian packages that are
# missing, when running as root on a machine with apt; otherwise it only says what it assumes.
ensure_apt_packages() {
  if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
    echo "== not root or no apt-get: assuming these are installed: $*" >&2
    return 0
  fi
  local missing="" p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  echo "== installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  # Servers the tests need (redis, PostgreSQL, nginx, exporters) are started by the tests, on
  # 127.0.0.1 and stopped by pid: keep their packages from starting system instances on the
  # default ports (policy-rc.d exit 101 = "not allowed"), unless the machine has its own policy.
  local policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy=1
  fi
  # shellcheck disable=SC2086
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing || {
    [ -z "$policy" ] || rm -f /usr/sbin/policy-rc.d
    return 1
  }
  [ -z "$policy" ] || rm -f /usr/sbin/policy-rc.d
}

# `ensure_promtool_2_53` puts Debian 13's promtool (2.53, whose `query` takes
# `--http.config.file`, which bookworm's 2.42 lacks) at $PROMTOOL_2_53: the package is downloaded
# from Debian's archive, checked against the SHA-256 of trixie's index and unpacked there, not
# installed (bookworm's prometheus package keeps its own promtool). The file name is pinned; when
# the archive has moved on, trixie's current Packages index names the new one.
PROMTOOL_2_53=/opt/pharos-test/promtool-2.53/usr/bin/promtool
ensure_promtool_2_53() {
  [ -x "$PROMTOOL_2_53" ] && return 0
  local mirror=http://deb.debian.org/debian tmp
  local file=pool/main/p/prometheus/promtool_2.53.3+ds1-2_amd64.deb
  local sha=ff27654eacc95abd846d344e91fe4ba3b4f0588a50d606ed1d2f09ad3408722f
  [ "$(dpkg --print-architecture 2>/dev/null)" = amd64 ] || { echo "== promtool 2.53: amd64 only, skipped" >&2; return 0; }
  tmp=$(mktemp -d)
  if ! curl -fsS --retry 3 -m 300 -o "$tmp/promtool.deb" "$mirror/$file"; then
    echo "== promtool 2.53: $file is gone, reading trixie's index"
    curl -fsS --retry 3 -m 300 "$mirror/dists/trixie/main/binary-amd64/Packages.xz" | xz -dc >"$tmp/Packages"
    file=$(awk '/^Package: promtool$/{p=1} p&&/^Filename:/{print $2; exit}' "$tmp/Packages")
    sha=$(awk '/^Package: promtool$/{p=1} p&&/^SHA256:/{print $2; exit}' "$tmp/Packages")
    curl -fsS --retry 3 -m 300 -o "$tmp/promtool.deb" "$mirror/$file"
  fi
  echo "$sha  $tmp/promtool.deb" | sha256sum -c --quiet - || { rm -rf "$tmp"; return 1; }
  mkdir -p "${PROMTOOL_2_53%/usr/bin/promtool}"
  dpkg-deb -x "$tmp/promtool.deb" "${PROMTOOL_2_53%/usr/bin/promtool}"
  rm -rf "$tmp"
  "$PROMTOOL_2_53" --version | head -1
}
