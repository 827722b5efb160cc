# Shared helpers for the side-by-side scripts: free ports, a throwaway aggregator and agent on
# 127.0.0.1, cleanup of everything started (by pid) on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN="$ROOT/target/release"
WORK=$(mktemp -d /tmp/pharos-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# start_aggregator: sets AGG_PID, HTTP, QUIC. AGG_EXTRA_TOML: more config (e.g. a [storage] table).
start_aggregator() {
  HTTP=127.0.0.1:$(free_port); QUIC=127.0.0.1:$(free_port)
  cat > "$WORK/aggregator.toml" <<EOT
[server]
http_listen = "$HTTP"
quic_listen = "$QUIC"
data_dir = "$WORK/aggregator"
log_level = "warn"
${AGG_EXTRA_TOML:-}
EOT
  [ -f "$WORK/aggregator/tls/ca.pem" ] || "$BIN/pharos-aggregator" --config "$WORK/aggregator.toml" cert init --server-name localhost >/dev/null
  "$BIN/pharos-aggregator" --config "$WORK/aggregator.toml" >>"$WORK/aggregator.log" 2>&1 &
  AGG_PID=$!; PIDS+=("$AGG_PID")
  for _ in $(seq 1 100); do curl -fs "http://$HTTP/-/ready" >/dev/null && return 0; sleep 0.2; done
  echo "aggregator did not start" >&2; cat "$WORK/aggregator.log" >&2; return 1
}

restart_aggregator() {
  "$BIN/pharos-aggregator" --config "$WORK/aggregator.toml" >>"$WORK/aggregator.log" 2>&1 &
  AGG_PID=$!; PIDS+=("$AGG_PID")
  for _ in $(seq 1 100); do curl -fs "http://$HTTP/-/ready" >/dev/null && return 0; sleep 0.2; done
  return 1
}

# start_agent NAME INTERVAL: sets AGENT_PID
start_agent() {
  local name=$1 interval=$2
  if [ ! -f "$WORK/agent-$name.toml" ]; then
    "$BIN/pharos-aggregator" --config "$WORK/aggregator.toml" cert agent --name "$name" --out "$WORK/agent-$name/tls" >/dev/null
    cat > "$WORK/agent-$name.toml" <<EOT
[agent]
name = "$name"
data_dir = "$WORK/agent-$name"
interval = "$interval"
log_level = "warn"
[uplink]
server = "$QUIC"
server_name = "localhost"
backoff_max = "2s"
# Host metrics only: the benchmarks compare node-exporter-like data, whatever else runs here.
[collect.containers]
enabled = false
[collect.services]
detect = false
# One port per agent: several agents run side by side here.
[pushgateway]
listen = "127.0.0.1:0"
EOT
  fi
  "$BIN/pharos-agent" --config "$WORK/agent-$name.toml" >>"$WORK/agent-$name.log" 2>&1 &
  AGENT_PID=$!; PIDS+=("$AGENT_PID")
}

# query EXPR: prints the first result value of an instant query (or nothing)
query() {
  curl -fsG "http://$HTTP/api/v1/query" --data-urlencode "query=$1" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")'
}

# querybench_count_query: PromQL that counts every sample of the querybench set (its six metric names)
# in the 7 h before the evaluation time: the same check as the peers' querybench/load.sh.
querybench_count_query() {
  local q="" m
  for m in node_cpu_seconds_total http_request_duration_seconds_bucket http_request_duration_seconds_sum \
           http_request_duration_seconds_count node_memory_MemAvailable_bytes node_memory_MemTotal_bytes; do
    q+="${q:+ + }sum(count_over_time($m[7h]))"
  done
  echo "$q"
}
