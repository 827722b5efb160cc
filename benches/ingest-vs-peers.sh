#!/usr/bin/env bash
# Ingestion of Pharos next to VictoriaMetrics 1.79 and Prometheus 2.42 (Debian packages) on the same
# machine, in one interleaved run: samples/s (medians of REPS runs at concurrency 1 and 2), bytes per
# stored sample on disk, RSS after ingest. Ends with
#   pharos/victoriametrics: ingest=<ratio> bytes_per_sample=<ratio>
# Usage: benches/ingest-vs-peers.sh [REPS=3] [SERIES=1000] [SAMPLES=1000]
# Env: PEERS_DIR (default <repo>/../shared/peers), FLEET_DURATION (fleet-sim measuring time per run, 5s),
#      KEEP=DIR (copy the raw results there).
# Same data for the peers and Pharos' import path: the peers' ingest_bench.py (SERIES x SAMPLES per run,
# 10,000 samples per request, pre-encoded; each run writes new series), remote-write 1.0 to Prometheus
# and VM, text with ms timestamps to VM and to Pharos' /api/v1/import/prometheus. Pharos' product path:
# fleet-sim over QUIC + mTLS into its own aggregator, concurrency C = C agents x SERIES/C series, pushing
# as fast as acks allow. Needs target/release/{pharos-aggregator,fleet-sim} (cargo build --release
# --workspace); installs the peers (peers/install.sh) and cramjam (pip) if missing.
source "$(dirname "$0")/scripts/common.sh"
REPS=${1:-3}; SERIES=${2:-1000}; SAMPLES=${3:-1000}
FLEET_DURATION=${FLEET_DURATION:-5s}
PEERS_DIR=${PEERS_DIR:-$(cd "$ROOT/.." && pwd)/shared/peers}
GEN="$PEERS_DIR/ingest_bench.py"
die() { echo "ingest-vs-peers: $*" >&2; exit 1; }

for b in pharos-aggregator fleet-sim; do
  [ -x "$BIN/$b" ] || die "$BIN/$b missing: cargo build --release --workspace"
done
[ -f "$GEN" ] || die "no ingest_bench.py under $PEERS_DIR"
[ $((SERIES % 2)) = 0 ] && [ "$SERIES" -ge 100 ] || die "SERIES must be even and >= 100 (fleet-sim: 2 agents x SERIES/2)"
for b in prometheus victoria-metrics; do command -v "$b" >/dev/null || { "$PEERS_DIR/install.sh"; break; }; done
python3 -c 'import cramjam' 2>/dev/null || python3 -m pip install --quiet cramjam
RES=$WORK/results; mkdir -p "$RES"; : >"$RES/runs.jsonl"

# wait_ready NAME URL PID LOG: polls URL until it answers 2xx; fails loudly if PID exits or after 60 s.
wait_ready() {
  for _ in $(seq 1 300); do
    curl -fsS -o /dev/null --max-time 2 "$2" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { tail -20 "$4" >&2; die "$1 exited during startup (log above)"; }
    sleep 0.2
  done
  tail -20 "$4" >&2; die "$1: $2 not ready after 60 s"
}
# stop_pid NAME PID: SIGTERM, wait up to 60 s for the process to exit (graceful: flushes), else fail.
stop_pid() {
  kill -TERM "$2"
  for _ in $(seq 1 600); do kill -0 "$2" 2>/dev/null || { wait "$2" 2>/dev/null || true; return 0; }; sleep 0.1; done
  die "$1 (pid $2) did not exit 60 s after SIGTERM"
}
# promq BASE EXPR [PARAM]: first value of an instant query at now, as an integer (0 when empty).
promq() {
  curl -fsS --max-time 600 "$1/api/v1/query" --data-urlencode "query=$2" --data-urlencode "time=$(date +%s)" \
    ${3:+--data-urlencode "$3"} |
    python3 -c "import json,sys; r=json.load(sys.stdin)['data']['result']; print(int(float(r[0]['value'][1])) if r else 0)"
}

# 1. Peers: fresh data dirs under $WORK, own free ports on 127.0.0.1, own sessions; stopped by pid.
VM_PORT=$(free_port); PROM_PORT=$(free_port)
while [ "$PROM_PORT" = "$VM_PORT" ]; do PROM_PORT=$(free_port); done
VM="http://127.0.0.1:$VM_PORT"; PROM="http://127.0.0.1:$PROM_PORT"
mkdir -p "$WORK/vm" "$WORK/prom"
setsid victoria-metrics -storageDataPath="$WORK/vm/data" -httpListenAddr="127.0.0.1:$VM_PORT" -retentionPeriod=100y \
  >"$WORK/vm.log" 2>&1 </dev/null &
VM_PID=$!; PIDS+=("$VM_PID")
printf 'global:\n  scrape_interval: 15s\n' >"$WORK/prom/prometheus.yml"   # no scrape jobs: only what we write
setsid prometheus --config.file="$WORK/prom/prometheus.yml" --storage.tsdb.path="$WORK/prom/data" \
  --storage.tsdb.retention.time=10y --web.listen-address="127.0.0.1:$PROM_PORT" --web.enable-remote-write-receiver \
  >"$WORK/prom.log" 2>&1 </dev/null &
PROM_PID=$!; PIDS+=("$PROM_PID")
wait_ready victoria-metrics "$VM/health" "$VM_PID" "$WORK/vm.log"
wait_ready prometheus "$PROM/-/ready" "$PROM_PID" "$WORK/prom.log"

# 2. Two fresh aggregators (common.sh's start_aggregator with WORK pointed at a subdirectory): one
#    fed by fleet-sim over QUIC, one by the import endpoint, so each data dir holds one path's data.
mkdir -p "$WORK/quic" "$WORK/import"
WORK=$WORK/quic start_aggregator; Q_PID=$AGG_PID; Q_HTTP=http://$HTTP; Q_QUIC=$QUIC
WORK=$WORK/import start_aggregator; I_PID=$AGG_PID; I_HTTP=http://$HTTP
echo "vm=$VM prometheus=$PROM pharos-quic=$Q_HTTP (quic $Q_QUIC) pharos-import=$I_HTTP work=$WORK" >&2

# 3. Interleaved runs: per concurrency and rep, every target once.
gen() {  # TARGET FORMAT URL VERIFY C
  local out
  out=$(python3 "$GEN" --json --format "$2" --url "$3" --verify "$4" --series "$SERIES" --samples "$SAMPLES" --concurrency "$5")
  echo "$out" | sed "s/^{/{\"target\": \"$1\", /" | tee -a "$RES/runs.jsonl" >&2
}
for c in 1 2; do
  for r in $(seq 1 "$REPS"); do
    echo "--- concurrency $c, rep $r/$REPS" >&2
    gen prometheus rw "$PROM/api/v1/write" prometheus "$c"
    gen victoriametrics rw "$VM/api/v1/write" vm "$c"
    gen victoriametrics text "$VM/api/v1/import/prometheus" vm "$c"
    gen pharos-import text "$I_HTTP/api/v1/import/prometheus" prometheus "$c"
    line=$("$BIN/fleet-sim" --addr "$Q_QUIC" --ca-dir "$WORK/quic/aggregator/tls" --agents "$c" \
      --series $((SERIES / c)) --interval 0s --duration "$FLEET_DURATION")
    echo "$line" >&2
    printf '{"target": "pharos-quic", "format": "quic", "concurrency": %s, "samples_per_s": %s, "http_errors": 0, "line": "%s"}\n' \
      "$c" "$(sed -E 's/.*samples_per_sec=([0-9.]+).*/\1/' <<<"$line")" "$line" >>"$RES/runs.jsonl"
  done
done

# 4. Stored samples (by query) and bytes on disk, after each system has flushed.
#    VM: force_flush, then wait until no merge runs (3 zero readings in a row), as querybench/load.sh.
#    Prometheus: everything is still in the head, so its data dir is WAL + head chunks (no block is
#    cut before the head spans 3 h); that is what a live Prometheus holds for this data.
#    Pharos: SIGTERM, then a restart (RocksDB replays the WAL into SST files on open and drops the
#    WAL), the count again (the data survived), SIGTERM: the settled size, SST only, like VM's.
vm_active_merges() { curl -fsS "$VM/metrics" | awk 'index($0,"vm_active_merges")==1 {s+=$NF} END {printf "%d", s}'; }
BG='sum(count_over_time(bench_gen[3h]))'
# fleet-sim: 50 names (sim_metric_K_total) with the same other labels, so one count per name.
SIMQ=""; for k in $(seq 0 49); do SIMQ+="${SIMQ:+ + }(sum(count_over_time(sim_metric_${k}_total[3h])) or vector(0))"; done
sizes() {  # NAME PID STORED DIR
  printf '{"target": "%s", "stored": %s, "bytes": %s, "rss_kib": %s}\n' "$1" "$3" "$(du -sb "$4" | cut -f1)" "$2" >>"$RES/sizes.jsonl"
}
curl -fsS "$VM/internal/force_flush" >/dev/null
zeros=0
for _ in $(seq 1 600); do
  if [ "$(vm_active_merges)" = 0 ]; then zeros=$((zeros + 1)); else zeros=0; fi
  [ "$zeros" -ge 3 ] && break; sleep 1
done
[ "$zeros" -ge 3 ] || die "victoria-metrics still merging after 600 s"
sizes victoriametrics "$(rss_kib "$VM_PID")" "$(promq "$VM" "$BG" nocache=1)" "$WORK/vm/data"
sizes prometheus "$(rss_kib "$PROM_PID")" "$(promq "$PROM" "$BG")" "$WORK/prom/data"
echo "prometheus data dir: $(du -sb "$WORK/prom/data/wal" | cut -f1) B WAL, $(du -sb "$WORK/prom/data/chunks_head" 2>/dev/null | cut -f1) B head chunks" >&2
curl -fsS "$Q_HTTP/metrics" | grep -E '^pharos_(ingest_(samples|batches)_total|storage_(series|disk_bytes)) ' >"$RES/quic_metrics.txt" || true
curl -fsS "$I_HTTP/metrics" | grep -E '^pharos_(import_samples_total|storage_(series|disk_bytes)) ' >"$RES/import_metrics.txt" || true
settle() {  # NAME PID DIR QUERY: count, stop, restart, count again, stop; appends to sizes.jsonl
  local rss before after
  HTTP=$(awk -F'"' '/http_listen/ {print $2}' "$3/aggregator.toml")   # restart_aggregator polls $HTTP
  rss=$(rss_kib "$2"); before=$(promq "http://$HTTP" "$4")
  stop_pid "$1" "$2"
  echo "$1 stopped: db $(du -sb "$3/aggregator/db" | cut -f1) B ($(find "$3/aggregator/db" -name '*.log' -printf '%s\n' | awk '{s+=$1} END {print s+0}') B WAL)" >&2
  WORK=$3 restart_aggregator || die "$1 did not restart: $3/aggregator.log"
  after=$(promq "http://$HTTP" "$4")
  [ "$after" = "$before" ] || die "$1: $before samples before the restart, $after after"
  stop_pid "$1" "$AGG_PID"
  sizes "$1" "$rss" "$after" "$3/aggregator/db"
}
settle pharos-quic "$Q_PID" "$WORK/quic" "$SIMQ"
settle pharos-import "$I_PID" "$WORK/import" "$BG"
sed 's/^/  /' "$RES/quic_metrics.txt" "$RES/import_metrics.txt" >&2

# 5. Table and ratios.
python3 - "$RES/runs.jsonl" "$RES/sizes.jsonl" "$REPS" "$FLEET_DURATION" "$RES/quic_metrics.txt" <<'EOF'
import json, statistics as st, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
sizes = {s["target"]: s for s in map(json.loads, open(sys.argv[2]))}
reps, dur = sys.argv[3], sys.argv[4]
bad = [r for r in runs if r["http_errors"] or r.get("stored_samples", r.get("samples")) != r.get("samples")]
for r in bad:
    print(f"WARNING {r['target']} {r['format']} c={r['concurrency']}: http_errors={r['http_errors']} "
          f"stored {r.get('stored_samples')} of {r.get('samples')} {r.get('first_error', '')}", file=sys.stderr)
def med(t, f, c):
    v = [r["samples_per_s"] for r in runs if (r["target"], r["format"], r["concurrency"]) == (t, f, c)]
    return st.median(v) if v else float("nan")
rows = [("pharos-quic", "quic", "Pharos, QUIC + mTLS (fleet-sim)"),
        ("pharos-import", "text", "Pharos, /api/v1/import/prometheus text"),
        ("victoriametrics", "rw", "VictoriaMetrics 1.79, remote-write"),
        ("victoriametrics", "text", "VictoriaMetrics 1.79, import text"),
        ("prometheus", "rw", "Prometheus 2.42, remote-write")]
print(f"\nmedians of {reps} runs per cell; fleet-sim {dur} per run; bytes = data dir after flush / samples counted by query")
print(f"| {'target':40} | {'samples/s c=1':>13} | {'samples/s c=2':>13} | {'bytes/sample':>12} | {'samples stored':>14} | {'RSS KiB':>9} |")
print(f"|{'-'*42}|{'-'*15}|{'-'*15}|{'-'*14}|{'-'*16}|{'-'*11}|")
for t, f, name in rows:
    s = sizes[t]
    bps = f"{s['bytes'] / s['stored']:.2f}" if s["stored"] else "-"
    print(f"| {name:40} | {med(t, f, 1):>13,.0f} | {med(t, f, 2):>13,.0f} | {bps:>12} | {s['stored']:>14,} | {s['rss_kib']:>9,} |")
bps = lambda t: sizes[t]["bytes"] / sizes[t]["stored"]
acked = next((float(l.split()[1]) for l in open(sys.argv[5]) if l.startswith("pharos_ingest_samples_total ")), 0)
if acked > sizes["pharos-quic"]["stored"]:
    print(f"note: pharos-quic acked {acked:,.0f} samples in all, {sizes['pharos-quic']['stored']:,} distinct are stored: "
          "fleet-sim stamps each batch with the wall clock in ms, so batches sent within one ms overwrite")
vm = med("victoriametrics", "rw", 2)
# The ratio line: Pharos' product path (QUIC, 2 agents) over VM's remote-write at 2 connections; bytes
# from the import-path aggregator, which holds exactly the peers' data (fleet-sim's data differs).
print(f"also: c=1 quic/vm_rw={med('pharos-quic', 'quic', 1) / med('victoriametrics', 'rw', 1):.3f} "
      f"import/vm_rw c=2={med('pharos-import', 'text', 2) / vm:.3f} "
      f"import/vm_text c=2={med('pharos-import', 'text', 2) / med('victoriametrics', 'text', 2):.3f} "
      f"quic_bytes/vm={bps('pharos-quic') / bps('victoriametrics'):.2f}")
print(f"pharos/victoriametrics: ingest={med('pharos-quic', 'quic', 2) / vm:.3f} "
      f"bytes_per_sample={bps('pharos-import') / bps('victoriametrics'):.2f}")
EOF
[ -z "${KEEP:-}" ] || { mkdir -p "$KEEP"; cp "$RES"/* "$WORK"/*.log "$KEEP/"; }
