# %postun of pharos-aggregator (RPM): restart a running service after an upgrade ($1 is 1). RPM has no purge:
# an erase keeps /var/lib/pharos-aggregator, modified configuration (as .rpmsave) and the user pharos.
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null 2>&1 || :
  [ "$1" -ge 1 ] && systemctl try-restart pharos-aggregator.service >/dev/null 2>&1 || :
fi
exit 0
