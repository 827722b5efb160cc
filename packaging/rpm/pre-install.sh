# %pre of pharos-agent and pharos-aggregator (RPM): the system user pharos, created by whichever
# package comes first; no home, no shell.
getent group pharos >/dev/null || groupadd -r pharos
getent passwd pharos >/dev/null || \
  useradd -r -g pharos -d /nonexistent -M -s /sbin/nologin -c "Pharos monitoring" pharos
exit 0
