# %preun of pharos-aggregator (RPM): stop and disable the service when the package is erased ($1 is 0), not
# on upgrade.
if [ "$1" -eq 0 ] && [ -d /run/systemd/system ]; then
  systemctl disable --now pharos-aggregator.service >/dev/null 2>&1 || :
fi
exit 0
