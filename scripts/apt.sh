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
