# %post of pharos-aggregator (RPM): state directory, configuration readable by the service only (owner root,
# group pharos; it may hold passwords), and the unit enabled on first install as the system's
# presets say ($1 is 1 on install, 2 on upgrade).
install -d -o pharos -g pharos -m 0750 /var/lib/pharos-aggregator
chown root:pharos /etc/pharos && chmod 0750 /etc/pharos
chown root:pharos /etc/pharos/rules && chmod 0750 /etc/pharos/rules
for f in /etc/pharos/aggregator.toml /etc/pharos/alertmanager.yml /etc/pharos/rules/pharos.rules.yml; do
  [ -e "$f" ] && chown root:pharos "$f" && chmod 0640 "$f"
done
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null 2>&1 || :
  [ "$1" -eq 1 ] && systemctl preset pharos-aggregator.service >/dev/null 2>&1 || :
fi
exit 0
