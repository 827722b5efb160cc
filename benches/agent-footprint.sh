#!/usr/bin/env bash
# The agent's footprint next to the exporter stack it replaces, in one run on this machine:
#   - the exporter stack: Debian's node_exporter, blackbox_exporter (5 probes), redis_exporter,
#     postgres_exporter and nginx-prometheus-exporter, scraped every 10 s for MINUTES minutes by the
#     peers' load script (a copy of ../shared/peers/exporters/run.sh run from a work directory, so
#     the shared samples and results stay as they are), against its own redis, PostgreSQL and nginx;
#   - at the same time one pharos-agent doing the same work on the same servers every 10 s: host
#     metrics, the containers of a running Docker engine (cAdvisor is not in the stack: extra work
#     for the agent), the 3 services, the same 5 probes, and 2 scrape targets (a throwaway
#     aggregator's /metrics and a static exposition served by python3 -m http.server), pushing to
#     that aggregator over QUIC.
# Prints the agent's RSS after the run and its CPU seconds over the run, next to the stack's sum.
# The agent measured is the shipped build, the size-optimised `agent` profile (target/agent/):
#   cargo build --profile agent -p pharos-agent && cargo build --release -p pharos-aggregator
# AGENT_BIN=path/to/pharos-agent measures another build, e.g. target/release/pharos-agent.
# (A fully static build, `RUSTFLAGS="-C target-feature=+crt-static" ... --target
# x86_64-unknown-linux-gnu`, would also drop libc's mapping, about 1.4 MiB, but glibc then loads
# NSS modules other than files/dns from the host's own glibc: not shipped.)
# Usage: benches/agent-footprint.sh [MINUTES=10]   (root; installs the Debian packages it needs)
source "$(dirname "$0")/scripts/common.sh"
MINUTES=${1:-10}
PEERS=${PEERS_DIR:-$ROOT/../shared/peers}
AGENT_BIN=${AGENT_BIN:-$ROOT/target/agent/pharos-agent}
[ -x "$AGENT_BIN" ] || { echo "build the agent first: cargo build --profile agent -p pharos-agent" >&2; exit 1; }
[ -x "$BIN/pharos-aggregator" ] || { echo "build the aggregator first: cargo build --release -p pharos-aggregator" >&2; exit 1; }

# A Docker engine with the test containers (the agent's container collector reads it).
if ! docker info >/dev/null 2>&1; then
  "$PEERS/../scripts/container-engine.sh" up >"$WORK/engine.log" 2>&1 || { tail -5 "$WORK/engine.log" >&2; exit 1; }
fi

# The stack's own script, from a copy: it writes its samples and results next to itself.
mkdir -p "$WORK/exporters"
# PostgreSQL's initdb runs as the postgres user and must reach its data directory under $WORK.
chmod 755 "$WORK"
cp "$PEERS/exporters/run.sh" "$PEERS/exporters/summarize.py" "$WORK/exporters/"
BASE=$WORK/stack RESULTS=$WORK/exporters/results "$WORK/exporters/run.sh" "$MINUTES" >"$WORK/stack.log" 2>&1 &
STACK_PID=$!; PIDS+=("$STACK_PID")
# Its servers (ports as in run.sh) come up first; wait for all three.
for _ in $(seq 1 300); do
  (exec 3<>/dev/tcp/127.0.0.1/41379) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/41432) 2>/dev/null &&
    curl -fs http://127.0.0.1:8080/stub_status >/dev/null && break
  kill -0 "$STACK_PID" 2>/dev/null || break
  sleep 1
done
curl -fs http://127.0.0.1:8080/stub_status >/dev/null || { tail -20 "$WORK/stack.log" >&2; echo "the stack's servers did not start" >&2; exit 1; }

start_aggregator
mkdir -p "$WORK/static"; cp "$PEERS/exporters/samples/redis_exporter.prom" "$WORK/static/metrics"
STATIC_PORT=$(free_port)
python3 -m http.server "$STATIC_PORT" --bind 127.0.0.1 --directory "$WORK/static" >/dev/null 2>&1 &
PIDS+=("$!")

"$BIN/pharos-aggregator" --config "$WORK/aggregator.toml" cert agent --name footprint --out "$WORK/agent/tls" >/dev/null
cat >"$WORK/agent.toml" <<EOT
[agent]
name = "footprint"
data_dir = "$WORK/agent"
interval = "10s"
log_level = "warn"
[uplink]
server = "$QUIC"
server_name = "localhost"
[collect.services]
detect = false
[[collect.services.redis]]
address = "127.0.0.1:41379"
[[collect.services.postgres]]
host = "127.0.0.1"
port = 41432
user = "pharos_monitor"
password = "pharos-monitor-pw"
dbname = "postgres"
[[collect.services.nginx]]
url = "http://127.0.0.1:8080/stub_status"
[[collect.probe.targets]]
name = "nginx"
prober = "http"
target = "http://127.0.0.1:8080/"
[[collect.probe.targets]]
name = "closed"
prober = "http"
target = "http://127.0.0.1:9/"
[[collect.probe.targets]]
name = "redis"
prober = "tcp"
target = "127.0.0.1:41379"
[[collect.probe.targets]]
name = "postgres"
prober = "tcp"
target = "127.0.0.1:41432"
[[collect.probe.targets]]
name = "lo"
prober = "icmp"
target = "127.0.0.1"
[[collect.scrape.targets]]
url = "http://$HTTP/metrics"
job = "pharos-aggregator"
[[collect.scrape.targets]]
url = "http://127.0.0.1:$STATIC_PORT/metrics"
job = "static"
EOT
"$AGENT_BIN" --config "$WORK/agent.toml" >"$WORK/agent.log" 2>&1 &
AGENT_PID=$!; PIDS+=("$AGENT_PID")
cpu_s() { awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$1/stat"; }
sleep 10
rss_start=$(rss_kib "$AGENT_PID"); cpu_start=$(cpu_s "$AGENT_PID")
# Halfway, while every server is up: how many samples one collection of all sources holds.
sleep $((MINUTES * 30))
sources=$("$AGENT_BIN" --config "$WORK/agent.toml" collect-once 2>/dev/null | grep -vc '^#' || true)
sleep $((MINUTES * 30 - 5))
rss_end=$(rss_kib "$AGENT_PID"); cpu_end=$(cpu_s "$AGENT_PID"); hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$AGENT_PID/status")
# What the resident memory is: file-backed (the binary's code and data pages) and anonymous (heap,
# stacks), and the threads that hold stacks.
rss_parts=$(awk '/^RssFile:|^RssShmem:/ {f+=$2} /^RssAnon:/ {a=$2} /^Threads:/ {t=$2}
  END {printf "file-backed %.1f MiB, anonymous %.1f MiB; %d threads", f/1024, a/1024, t}' "/proc/$AGENT_PID/status")
# Where it is: resident KiB per mapping (the binary, libc, heap, thread stacks, other anonymous).
rss_maps=$(awk '/^[0-9a-f]+-[0-9a-f]+ / {name = ($6 == "") ? "[anon]" : $6} /^Size:/ {z[name] += $2} /^Rss:/ {r[name] += $2}
  END {for (n in r) if (r[n] >= 64) printf "%8d KiB resident of %8d KiB  %s\n", r[n], z[n], n}' "/proc/$AGENT_PID/smaps" | sort -rn)
wait "$STACK_PID" || echo "WARNING the stack's script failed: $(tail -3 "$WORK/stack.log")" >&2

echo "== exporter stack (its own summary)"
cat "$WORK/exporters/results/summary.md" 2>/dev/null | sed -n '/^| exporter/,/^$/p'
echo "== pharos-agent ($AGENT_BIN), same $MINUTES min: host + containers + 3 services + 5 probes + 2 scrape targets every 10 s"
printf 'RSS start %.1f MiB, after %s min %.1f MiB (peak %.1f MiB); CPU %.2f s over the run; %s samples per collection\n' \
  "$(bc -l <<<"$rss_start/1024")" "$MINUTES" "$(bc -l <<<"$rss_end/1024")" "$(bc -l <<<"$hwm/1024")" \
  "$(bc -l <<<"$cpu_end - $cpu_start")" "$sources"
echo "RSS after $MINUTES min: $rss_parts"
echo "$rss_maps"
grep -iE "error|warn" "$WORK/agent.log" | sort | uniq -c | sort -rn | head -5 >&2 || true
