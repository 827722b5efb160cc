# %postun of pharos-agent (RPM): restart a running service after an upgrade ($1 is 1). RPM has no purge:
# an erase keeps /var/lib/pharos-agent, modified configuration (as .rpmsave) and the user pharos.
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null 2>&1 || :
  [ "$1" -ge 1 ] && systemctl try-restart pharos-agent.service >/dev/null 2>&1 || :
fi
exit 0
