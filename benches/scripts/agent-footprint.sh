#!/usr/bin/env bash
# Agent footprint, side by side with Debian's node_exporter on the same host, same run:
#   RSS of pharos-agent (10 s interval, pushing to an aggregator) and of node_exporter (scraped
#   every 10 s) after MINUTES minutes; bytes per sample on the wire and in the disk buffer.
# Usage: benches/scripts/agent-footprint.sh [MINUTES=10]
source "$(dirname "$0")/common.sh"
MINUTES=${1:-10}
start_aggregator
start_agent footprint 10s
NODE_PORT=$(free_port)
/usr/bin/prometheus-node-exporter --web.listen-address="127.0.0.1:$NODE_PORT" --collector.disable-defaults \
  --collector.cpu --collector.meminfo --collector.filesystem --collector.netdev --collector.diskstats \
  --collector.loadavg --collector.stat --collector.time --collector.filefd --collector.uname >"$WORK/node.log" 2>&1 &
NODE_PID=$!; PIDS+=("$NODE_PID")
end=$(( $(date +%s) + MINUTES * 60 ))
while [ "$(date +%s)" -lt "$end" ]; do curl -fs "http://127.0.0.1:$NODE_PORT/metrics" >/dev/null || true; sleep 10; done
agent_rss=$(rss_kib "$AGENT_PID"); node_rss=$(rss_kib "$NODE_PID")
# Bytes per sample: in the disk buffer (records with headers) and on the wire (UDP, QUIC and TLS
# included), from the agent's own counters as stored by the aggregator.
batches=$(query 'pharos_agent_uplink_batches_acked_total{instance="footprint"}')
samples=$(query 'pharos_agent_uplink_samples_acked_total{instance="footprint"}')
buffer_bps=$(query 'pharos_agent_buffer_appended_bytes_total{instance="footprint"} / pharos_agent_buffer_appended_samples_total{instance="footprint"}')
wire_bps=$(query 'pharos_agent_uplink_sent_bytes_total{instance="footprint"} / pharos_agent_uplink_samples_acked_total{instance="footprint"}')
one=$("$BIN/pharos-agent" --config "$WORK/agent-footprint.toml" collect-once | grep -vc '^#')
echo "minutes=$MINUTES agent_rss_kib=$agent_rss node_exporter_rss_kib=$node_rss ratio=$(python3 -c "print(round($agent_rss/$node_rss,2))")"
echo "batches_acked=$batches samples_acked=$samples samples_per_collection=$one buffer_bytes_per_sample=$buffer_bps wire_bytes_per_sample=$wire_bps"
