#!/usr/bin/env bash
# Ingestion of Pharos next to VictoriaMetrics 1.79 and Prometheus 2.42 (Debian packages) on the same
# machine, in one run. Ends with one markdown table (rows Pharos / VictoriaMetrics / Prometheus), a
# fleet line, and LAST the line
#   pharos/victoriametrics: ingest=<ratio> bytes_per_sample=<ratio>      (needs the base section)
# Usage: benches/ingest-vs-peers.sh [REPS=3] [SERIES=1000] [SAMPLES=1000]
#
# Sections (SECTIONS=base,rss,read,node,fleet, the default, ~13 min in all; any comma list, run in this
# order). Each starts its own fresh servers on 127.0.0.1 and stops them (by pid) before the next one
# starts, so the sections never share CPU, memory or data. Times are on the project machine (2 cores):
#   base  (~2.5 min at the defaults) samples/s (medians of REPS runs at concurrency 1 and 2), bytes per
#         stored sample on disk, RSS after ingest. Same data for the peers and Pharos' import path: the
#         peers' ingest_bench.py (SERIES x SAMPLES per run, 10,000 samples per request, pre-encoded;
#         each run writes new series), remote-write 1.0 to Prometheus and VM, text with ms timestamps to
#         VM and to Pharos' /api/v1/import/prometheus. Pharos' product path: fleet-sim over QUIC + mTLS
#         into its own aggregator, concurrency C = C agents x SERIES/C series, pushing as fast as acks
#         allow (FLEET_DURATION per run, in whole seconds), its batches encoded before the run as the
#         generator's requests are (--pre-encode), so the client's encoding does not take the CPU.
#   rss   (~3 min at 1 M) RSS per active series: RSS_SERIES distinct series x RSS_SAMPLES samples
#         (15 s apart, ending now) into a fresh instance of each system, one system at a time
#         (ingest_bench.py: remote-write to VM and Prometheus, the same text to Pharos' import);
#         (VmRSS RSS_SETTLE s after the load - VmRSS 5 s after start) / series, and each system's own
#         series count (Pharos: pharos_storage_series or, with the new engine, pharos_storage_active_series;
#         Prometheus: prometheus_tsdb_head_series; VM: /api/v1/series/count).
#   read  (~2.5 min; 3.2 GB of text under $WORK meanwhile) Range-selector read of 10,000 series x 6 h:
#         the shared querybench data set (11,450 series x 6 h at 15 s; gen_data.py) loaded as
#         query-vs-peers.sh does (querybench/load.sh: promtool blocks for Prometheus, import for VM;
#         Pharos' import), then instant queries at the end of the data,
#         sum(count_over_time(node_cpu_seconds_total[6h])) (the table's figure) and
#         max(max_over_time(...[6h])) (values decoded), 1 warm-up + READ_REPS timed rounds, targets
#         interleaved, VM with nocache=1; medians, and a check that all three give the same answer.
#   node  (~2.5 min at the defaults: 14 M samples, 2.7 GB of text meanwhile) Bytes per sample on
#         node-exporter-like data: a real pharos-agent (1 s interval, NODE_CAPTURE s) into a throwaway
#         aggregator, its stored samples read back through the query API, replayed by
#         benches/tools/node_replay.py as NODE_HOSTS hosts x NODE_HOURS h at 15 s (captured value
#         patterns kept, counters monotone), written once as text (ms) and as OpenMetrics (s); the text
#         imported into Pharos and VM, the OpenMetrics turned into blocks by promtool for Prometheus
#         (its long-term format: a remote-written Prometheus keeps < 3 h in WAL + head and cuts such
#         2 h blocks later). Bytes = data dir once settled (as base) / samples counted by query on each.
#   fleet (~4.5 min) FLEET_AGENTS simulated agents x FLEET_SERIES series every FLEET_INTERVAL into one
#         fresh aggregator (fleet-sim, checkpoints every 60 s), twice: cold for FLEET_RUN (the series
#         are created during the run) and warm for FLEET_WARM_RUN after a FLEET_WARMUP warm-up (they
#         exist; the steady state): samples/s sustained, ack p50/p99/max, p99 < 100 ms, checkpoints
#         crossed, seconds with an ack over 100 ms (their timeline in fleet_<phase>_stderr.txt).
# base, node and fleet use QUIC: a 4 s fleet-sim preflight first checks that fleet-sim/pharos-agent and
# pharos-aggregator were built from the same protocol version.
#
# Env: SECTIONS; PEERS_DIR (default <repo>/../shared/peers); FLEET_DURATION (base: fleet-sim time per
#      run, 5s); FLEET_PER_SERIES (base: samples per series per batch, 10: the generator's requests
#      carry 10 consecutive samples per series, and so does an agent draining its buffer); RSS_SERIES (1000000), RSS_SAMPLES (4), RSS_SETTLE (10); READ_REPS (5), QB_DATA (an
#      existing gen_data.py output dir to reuse instead of generating one); NODE_HOSTS (40), NODE_HOURS
#      (6), NODE_CAPTURE (45); FLEET_AGENTS (2000), FLEET_SERIES (500), FLEET_INTERVAL (10s),
#      FLEET_RUN (60s), FLEET_WARM_RUN (150s), FLEET_WARMUP (12s); KEEP=DIR (copy the raw results and logs there).
# Needs target/release/{pharos-aggregator,pharos-agent,fleet-sim} (cargo build --release --workspace);
# installs the peers (peers/install.sh), cramjam and numpy (pip) if missing.
source "$(dirname "$0")/scripts/common.sh"
REPS=${1:-3}; SERIES=${2:-1000}; SAMPLES=${3:-1000}
SECTIONS=${SECTIONS:-base,rss,read,node,fleet}
FLEET_DURATION=${FLEET_DURATION:-5s}; FLEET_PER_SERIES=${FLEET_PER_SERIES:-10}
RSS_SERIES=${RSS_SERIES:-1000000}; RSS_SAMPLES=${RSS_SAMPLES:-4}; RSS_SETTLE=${RSS_SETTLE:-10}
READ_REPS=${READ_REPS:-5}
NODE_HOSTS=${NODE_HOSTS:-40}; NODE_HOURS=${NODE_HOURS:-6}; NODE_CAPTURE=${NODE_CAPTURE:-45}
FLEET_AGENTS=${FLEET_AGENTS:-2000}; FLEET_SERIES=${FLEET_SERIES:-500}
FLEET_WARM_RUN=${FLEET_WARM_RUN:-150s}; FLEET_WARMUP=${FLEET_WARMUP:-12s}
FLEET_INTERVAL=${FLEET_INTERVAL:-10s}; FLEET_RUN=${FLEET_RUN:-60s}
PEERS_DIR=${PEERS_DIR:-$(cd "$ROOT/.." && pwd)/shared/peers}
GEN="$PEERS_DIR/ingest_bench.py"
QB="$PEERS_DIR/querybench"
TOOLS="$ROOT/benches/tools"
die() { echo "ingest-vs-peers: $*" >&2; exit 1; }
has() { [[ ",$SECTIONS," == *",$1,"* ]]; }
for s in ${SECTIONS//,/ }; do
  case $s in base|rss|read|node|fleet) ;; *) die "unknown section $s (base,rss,read,node,fleet)" ;; esac
done

for b in pharos-aggregator pharos-agent fleet-sim; do
  [ -x "$BIN/$b" ] || die "$BIN/$b missing: cargo build --release --workspace"
done
[ -f "$GEN" ] || die "no ingest_bench.py under $PEERS_DIR"
[ $((SERIES % 2)) = 0 ] && [ "$SERIES" -ge 100 ] || die "SERIES must be even and >= 100 (fleet-sim: 2 agents x SERIES/2)"
[ $((RSS_SERIES % 10000)) = 0 ] || die "RSS_SERIES must be a multiple of 10000 (10,000 series per request)"
for b in prometheus promtool victoria-metrics; do command -v "$b" >/dev/null || { "$PEERS_DIR/install.sh"; break; }; done
python3 -c 'import cramjam' 2>/dev/null || python3 -m pip install --quiet cramjam
if has read && [ -z "${QB_DATA:-}" ]; then python3 -c 'import numpy' 2>/dev/null || python3 -m pip install --quiet numpy; fi
RES=$WORK/results; mkdir -p "$RES"; : >"$RES/runs.jsonl"; : >"$RES/sizes.jsonl"
T_START=$(date +%s)
# The binaries' build times: printed, and checked again at the end (a rebuild during the run would mix builds).
bin_stamps() { (cd "$BIN" && stat -c '%n %y' pharos-aggregator pharos-agent fleet-sim | cut -d. -f1); }
BIN_STAMPS=$(bin_stamps); echo "binaries: $(paste -sd ';' <<<"$BIN_STAMPS")" >&2
# querybench/load.sh starts its servers with pidfiles under $QB_DIR; stop them (by those pids) on any exit.
on_exit() { if [ -n "${QB_DIR:-}" ]; then QB_DIR=$QB_DIR "$QB/load.sh" stop >/dev/null 2>&1 || true; fi; cleanup; }
trap on_exit EXIT

# ---------------------------------------------------------------------------------------------------
# Helpers

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
# promq BASE EXPR [PARAM]: first value of an instant query, as an integer (0 when empty). Evaluated 10 min
# after now (the count windows are hours long): fleet-sim in throughput mode stamps each batch 1 ms after
# the previous one, so above 1,000 batches/s per agent its timestamps run ahead of the clock, and a count
# at now would miss them (and then find more of them later, e.g. after settle's restart).
promq() {
  curl -fsS --max-time 600 "$1/api/v1/query" --data-urlencode "query=$2" --data-urlencode "time=$(( $(date +%s) + 600 ))" \
    ${3:+--data-urlencode "$3"} |
    python3 -c "import json,sys; r=json.load(sys.stdin)['data']['result']; print(int(float(r[0]['value'][1])) if r else 0)"
}
# promq_sum BASE 'EXPR1;EXPR2;…': the sum of promq over each expression (one query per expression keeps
# each under the engine's limit on samples loaded by one query).
promq_sum() {
  local total=0 q
  IFS=';' read -ra qs <<<"$2"
  for q in "${qs[@]}"; do total=$(( total + $(promq "$1" "$q") )); done
  echo "$total"
}
# metric_sum BASE NAME: sum of every series of metric NAME on BASE/metrics, as an integer.
metric_sum() {
  curl -fsS "$1/metrics" | awk -v m="$2" 'index($0, m" ")==1 || index($0, m"{")==1 {print $NF}' |
    python3 -c 'import sys; print(int(sum(float(x) for x in sys.stdin.read().split())))'
}
# pharos_series BASE: the aggregator's own count of series, from its self-metrics (the name follows the
# storage engine: pharos_storage_series, then pharos_storage_active_series); prints "COUNT METRIC".
pharos_series() {
  local m v metrics; metrics=$(curl -fsS "$1/metrics")
  for m in pharos_storage_series pharos_storage_active_series pharos_storage_series_created_total; do
    v=$(awk -v m="$m" '$1==m {print $2}' <<<"$metrics")
    [ -z "$v" ] || { echo "$(python3 -c 'import sys; print(int(float(sys.argv[1])))' "$v") $m"; return 0; }
  done
  echo "0 none"
}
# pharos_bytes DIR: bytes of an aggregator's data dir (DIR/aggregator: RocksDB, and any WAL or head
# files the engine keeps beside it), without its TLS files and RocksDB's info logs (LOG, LOG.old.*).
pharos_bytes() {
  local all tls logs
  all=$(du -sb "$1/aggregator" | cut -f1); tls=$(du -sb "$1/aggregator/tls" 2>/dev/null | cut -f1)
  logs=$(find "$1/aggregator" -type f \( -name LOG -o -name 'LOG.old.*' \) -printf '%s\n' | awk '{s+=$1} END {print s+0}')
  echo $((all - ${tls:-0} - logs))
}
# quic_preflight: a 1 s fleet-sim run against its own aggregator (~4 s). fleet-sim and pharos-agent
# speak the aggregator's frame protocol; when they were built from another protocol version than
# pharos-aggregator, every push fails, so say so now rather than after the slow sections.
quic_preflight() {
  local line
  line=$("$BIN/fleet-sim" --agents 1 --series 10 --interval 0s --duration 1s 2>"$WORK/preflight.err" || true)
  if ! grep -q 'samples=[1-9]' <<<"$line"; then
    echo "fleet-sim: ${line:-no output}" >&2; sort "$WORK/preflight.err" | uniq -c | head -3 >&2
    die "fleet-sim got no ack from pharos-aggregator. If the error above is a decode error, the binaries were built
from different protocol versions: $(cd "$BIN" && ls -l --time-style=+%H:%M pharos-aggregator fleet-sim pharos-agent |
      awk '{printf "%s %s, ", $NF, $(NF-1)}')rebuild them together (cargo build --release --workspace),
or run only SECTIONS=rss,read (no QUIC)."
  fi
}
# start_vm DIR: a fresh victoria-metrics with its data under DIR, on a free port; sets VM_PID and VM.
start_vm() {
  local port; port=$(free_port); mkdir -p "$1"
  setsid victoria-metrics -storageDataPath="$1/data" -httpListenAddr="127.0.0.1:$port" -retentionPeriod=100y \
    >"$1/vm.log" 2>&1 </dev/null &
  VM_PID=$!; PIDS+=("$VM_PID"); VM=http://127.0.0.1:$port
  wait_ready victoria-metrics "$VM/health" "$VM_PID" "$1/vm.log"
}
# start_prom DIR: a prometheus on DIR/data (fresh, or promtool's blocks), no scrape jobs (it holds only
# what we write), remote-write receiver on; sets PROM_PID and PROM.
start_prom() {
  local port; port=$(free_port); mkdir -p "$1/data"
  printf 'global:\n  scrape_interval: 15s\n' >"$1/prometheus.yml"
  setsid prometheus --config.file="$1/prometheus.yml" --storage.tsdb.path="$1/data" \
    --storage.tsdb.retention.time=10y --web.listen-address="127.0.0.1:$port" --web.enable-remote-write-receiver \
    >"$1/prom.log" 2>&1 </dev/null &
  PROM_PID=$!; PIDS+=("$PROM_PID"); PROM=http://127.0.0.1:$port
  wait_ready prometheus "$PROM/-/ready" "$PROM_PID" "$1/prom.log"
}
# start_pharos DIR: a fresh aggregator (common.sh's start_aggregator) under DIR; sets AGG_PID, HTTP, QUIC.
start_pharos() { mkdir -p "$1"; WORK=$1 start_aggregator; }
# vm_settle BASE: force_flush, then wait until no merge runs (3 zero readings in a row), as querybench/load.sh.
vm_settle() {
  local zeros=0
  curl -fsS "$1/internal/force_flush" >/dev/null
  for _ in $(seq 1 600); do
    if [ "$(metric_sum "$1" vm_active_merges)" = 0 ]; then zeros=$((zeros + 1)); else zeros=0; fi
    [ "$zeros" -ge 3 ] && return 0; sleep 1
  done
  die "victoria-metrics still merging after 600 s"
}
# sizes NAME RSS_KIB STORED DIR: one line of sizes.jsonl (data dir bytes now).
sizes() {
  printf '{"target": "%s", "stored": %s, "bytes": %s, "rss_kib": %s}\n' "$1" "$3" "$(du -sb "$4" | cut -f1)" "$2" >>"$RES/sizes.jsonl"
}
# settle NAME PID DIR QUERY: Pharos' settled size. Count, SIGTERM, restart (the one-key-per-sample store:
# RocksDB replays its WAL into SST files on open and drops it), count again (the data survived), SIGTERM;
# appends to sizes.jsonl the data dir's bytes then (pharos_bytes).
settle() {
  local rss before after
  HTTP=$(awk -F'"' '/http_listen/ {print $2}' "$3/aggregator.toml")   # restart_aggregator polls $HTTP
  rss=$(rss_kib "$2"); before=$(promq_sum "http://$HTTP" "$4")
  stop_pid "$1" "$2"
  echo "$1 stopped: $(pharos_bytes "$3") B ($(pharos_wal "$3") B of it WAL)" >&2
  WORK=$3 restart_aggregator || die "$1 did not restart: $3/aggregator.log"
  # Its first compaction pass (a few seconds after start) merges the small chunks the final seal
  # left; the size is measured after it, as VM's after its merges.
  for _ in $(seq 1 600); do
    [ "$(metric_sum "http://$HTTP" pharos_storage_compactions_total)" -ge 1 ] 2>/dev/null && break; sleep 1
  done
  after=$(promq_sum "http://$HTTP" "$4")
  [ "$after" = "$before" ] || die "$1: $before samples before the restart, $after after"
  stop_pid "$1" "$AGG_PID"
  printf '{"target": "%s", "stored": %s, "bytes": %s, "rss_kib": %s, "wal_bytes": %s}\n' \
    "$1" "$after" "$(pharos_bytes "$3")" "$rss" "$(pharos_wal "$3")" >>"$RES/sizes.jsonl"
  echo "$1 settled: $(pharos_bytes "$3") B ($(pharos_wal "$3") B of it WAL)" >&2
}
# pharos_wal DIR: bytes of write-ahead log in an aggregator's data dir (RocksDB's *.log, a wal/ dir).
pharos_wal() {
  find "$1/aggregator" -type f \( -name '*.log' -o -path '*/wal/*' \) -printf '%s\n' | awk '{s+=$1} END {print s+0}'
}
# keep_logs DIR: copy DIR's logs into the results (KEEP copies those), before DIR is removed.
keep_logs() { local f; for f in "$1"/*.log; do [ -f "$f" ] && cp "$f" "$RES/$(basename "$1")_$(basename "$f")"; done; return 0; }
section() { echo "=== $1 ($(( $(date +%s) - T_START )) s in)" >&2; }

# ---------------------------------------------------------------------------------------------------
# base: samples/s, bytes per sample, RSS after ingest (the original comparison).
base_section() {
  section "base: REPS=$REPS SERIES=$SERIES SAMPLES=$SAMPLES"
  local c r line
  # 1. Peers: fresh data dirs, own free ports, own sessions; stopped by pid.
  start_vm "$WORK/vm"; start_prom "$WORK/prom"
  # 2. Two fresh aggregators: one fed by fleet-sim over QUIC, one by the import endpoint, so each data
  #    dir holds one path's data.
  start_pharos "$WORK/quic"; local q_pid=$AGG_PID q_quic=$QUIC q_http=http://$HTTP
  start_pharos "$WORK/import"; local i_pid=$AGG_PID i_http=http://$HTTP
  echo "vm=$VM prometheus=$PROM pharos-quic=$q_http (quic $q_quic) pharos-import=$i_http work=$WORK" >&2

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
      gen pharos-import text "$i_http/api/v1/import/prometheus" prometheus "$c"
      # Pre-encoded batches, as the generator's requests are: enough for 5 M samples/s over the
      # warm-up and the run (fleet-sim reports live_encoded > 0 if they ran out).
      line=$("$BIN/fleet-sim" --addr "$q_quic" --ca-dir "$WORK/quic/aggregator/tls" --agents "$c" \
        --series $((SERIES / c)) --samples-per-series "$FLEET_PER_SERIES" --interval 0s --duration "$FLEET_DURATION" \
        --pre-encode $(( (${FLEET_DURATION%s} + 3) * 8000000 / (SERIES * FLEET_PER_SERIES) )))
      echo "$line" >&2
      printf '{"target": "pharos-quic", "format": "quic", "concurrency": %s, "samples_per_s": %s, "http_errors": 0, "line": "%s"}\n' \
        "$c" "$(sed -E 's/.*samples_per_sec=([0-9.]+).*/\1/' <<<"$line")" "$line" >>"$RES/runs.jsonl"
    done
  done

  # 4. Stored samples (by query) and bytes on disk, after each system has flushed.
  #    VM: vm_settle. Prometheus: everything is still in the head, so its data dir is WAL + head chunks
  #    (no block is cut before the head spans 3 h); that is what a live Prometheus holds for this data.
  #    Pharos: settle (stop, restart, count again, stop): the settled size (its WAL share is printed).
  local bg='sum(count_over_time(bench_gen[3h]))' simq="" k
  # fleet-sim: 50 names (sim_metric_K_total) with the same other labels, so one count per name.
  for k in $(seq 0 49); do simq+="${simq:+;}sum(count_over_time(sim_metric_${k}_total[3h]))"; done
  vm_settle "$VM"
  sizes victoriametrics "$(rss_kib "$VM_PID")" "$(promq "$VM" "$bg" nocache=1)" "$WORK/vm/data"
  sizes prometheus "$(rss_kib "$PROM_PID")" "$(promq "$PROM" "$bg")" "$WORK/prom/data"
  echo "prometheus data dir: $(du -sb "$WORK/prom/data/wal" | cut -f1) B WAL, $(du -sb "$WORK/prom/data/chunks_head" 2>/dev/null | cut -f1) B head chunks" >&2
  curl -fsS "$q_http/metrics" | grep -E '^pharos_(ingest_(samples|batches)_total|storage_(series|active_series|series_created_total|disk_bytes)) ' >"$RES/quic_metrics.txt" || true
  curl -fsS "$i_http/metrics" | grep -E '^pharos_(import_samples_total|storage_(series|active_series|series_created_total|disk_bytes)) ' >"$RES/import_metrics.txt" || true
  settle pharos-quic "$q_pid" "$WORK/quic" "$simq"
  settle pharos-import "$i_pid" "$WORK/import" "$bg"
  sed 's/^/  /' "$RES/quic_metrics.txt" "$RES/import_metrics.txt" >&2
  stop_pid victoria-metrics "$VM_PID"; stop_pid prometheus "$PROM_PID"
  keep_logs "$WORK/vm"; keep_logs "$WORK/prom"
  rm -rf "$WORK/vm" "$WORK/prom" "$WORK/quic/aggregator" "$WORK/import/aggregator"
}

# ---------------------------------------------------------------------------------------------------
# rss: RSS per active series. One system at a time (a fresh process each), so neither the load nor the
# memory of one touches another's reading. Same data for all: ingest_bench.py with one run id, so the
# same RSS_SERIES label sets and values; RSS_SAMPLES samples per series 15 s apart ending now (inside
# Prometheus' head window), all of one series' samples in one request, 10,000 series per request.
rss_section() {
  section "rss: $RSS_SERIES series x $RSS_SAMPLES samples, one system at a time"
  : >"$RES/rss.jsonl"
  local target fmt url pid base dir before after series how accepted out
  for target in pharos victoriametrics prometheus; do
    dir=$WORK/rss-$target
    case $target in
      pharos) start_pharos "$dir"; pid=$AGG_PID; base=http://$HTTP; fmt=text; url=$base/api/v1/import/prometheus ;;
      victoriametrics) start_vm "$dir"; pid=$VM_PID; base=$VM; fmt=rw; url=$VM/api/v1/write ;;
      prometheus) start_prom "$dir"; pid=$PROM_PID; base=$PROM; fmt=rw; url=$PROM/api/v1/write ;;
    esac
    sleep 5; before=$(rss_kib "$pid")   # idle, after start-up
    out=$(python3 "$GEN" --json --format "$fmt" --url "$url" --verify none --run-id rss --series "$RSS_SERIES" \
      --samples "$RSS_SAMPLES" --step-ms 15000 --slices $((RSS_SERIES / 10000)))
    # VM buffers fresh rows in memory for up to a second or so; make them searchable like the others'.
    [ "$target" != victoriametrics ] || curl -fsS "$VM/internal/force_flush" >/dev/null
    sleep "$RSS_SETTLE"; after=$(rss_kib "$pid")
    # Each system's own count of series and of accepted samples (read after the RSS).
    case $target in
      pharos) read -r series how < <(pharos_series "$base"); accepted=$(metric_sum "$base" pharos_import_samples_total) ;;
      victoriametrics) how=/api/v1/series/count
                       series=$(curl -fsS "$VM/api/v1/series/count" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0])')
                       accepted=$(metric_sum "$VM" vm_rows_inserted_total) ;;
      prometheus) how=prometheus_tsdb_head_series; series=$(metric_sum "$PROM" prometheus_tsdb_head_series); accepted=$(metric_sum "$PROM" prometheus_tsdb_head_samples_appended_total) ;;
    esac
    [ "$series" = "$RSS_SERIES" ] || echo "WARNING $target counts $series series, expected $RSS_SERIES" >&2
    printf '{"target": "%s", "series": %s, "series_by": "%s", "samples_accepted": %s, "rss_before_kib": %s, "rss_after_kib": %s, "push": %s}\n' \
      "$target" "$series" "$how" "$accepted" "$before" "$after" "$out" >>"$RES/rss.jsonl"
    echo "$target: RSS $before -> $after KiB, $series series ($how), $accepted samples accepted" >&2
    stop_pid "$target" "$pid"
    keep_logs "$dir"; rm -rf "$dir"
  done
}

# ---------------------------------------------------------------------------------------------------
# read: range-selector read of 10,000 series x 6 h on the querybench data set, loaded as
# query-vs-peers.sh does: querybench/load.sh (Prometheus from promtool blocks, VM by import, both
# settled), Pharos by its import endpoint. Instant queries at the end of the window: every one of the
# 1,440 samples of each node_cpu_seconds_total series (exactly 10,000 series) is inside [6h] and no
# sample sits on the window's edge, so Prometheus' closed and VM's half-open windows give the same answer.
read_section() {
  section "read: querybench data, 10,000 series x 6 h"
  QB_DIR=$WORK/qb; mkdir -p "$QB_DIR"
  if [ -n "${QB_DATA:-}" ]; then
    ln -s "$(cd "$QB_DATA" && pwd)" "$QB_DIR/data"
  else
    python3 "$QB/gen_data.py" --out-dir "$QB_DIR/data" >"$RES/read_gen_data.json"
  fi
  local meta=$QB_DIR/data/meta.json end samples q m seen t0
  end=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['end'])" "$meta")
  samples=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['samples'])" "$meta")
  local prom_port vm_port; prom_port=$(free_port); vm_port=$(free_port)
  while [ "$vm_port" = "$prom_port" ]; do vm_port=$(free_port); done
  QB_DIR=$QB_DIR PROM_PORT=$prom_port VM_PORT=$vm_port "$QB/load.sh" all | tee "$RES/read_load_peers.txt" >&2
  start_pharos "$WORK/read"; local r_pid=$AGG_PID r_http=http://$HTTP
  t0=$(date +%s.%N)
  local code
  # -T streams the file (curl would read all of it into memory with --data-binary @file).
  code=$(curl -sS -X POST -H 'Expect:' -H 'Content-Type: text/plain' -T "$QB_DIR/data/data.vm.prom" \
    "$r_http/api/v1/import/prometheus" -o "$RES/read_pharos_import.txt" -w '%{http_code}')
  [ "$code" = 204 ] || die "pharos import: HTTP $code $(cat "$RES/read_pharos_import.txt")"
  q=$(querybench_count_query)
  seen=$(curl -fsS --max-time 900 "$r_http/api/v1/query" --data-urlencode "query=$q" --data-urlencode "time=$end" |
    python3 -c "import json,sys; r=json.load(sys.stdin)['data']['result']; print(int(float(r[0]['value'][1])) if r else 0)")
  echo "pharos: imported and counted $seen of $samples samples in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s" >&2
  [ "$seen" = "$samples" ] || die "pharos sees $seen samples of the querybench set, expected $samples"
  : >"$RES/read.jsonl"
  python3 "$TOOLS/read_bench.py" --time $((end - 1)) --reps "$READ_REPS" --json "$RES/read.jsonl" \
    --url "pharos=$r_http" --url "victoriametrics=http://127.0.0.1:$vm_port?nocache=1" \
    --url "prometheus=http://127.0.0.1:$prom_port" \
    --query 'count=sum(count_over_time(node_cpu_seconds_total[6h]))' \
    --query 'max=max(max_over_time(node_cpu_seconds_total[6h]))' >&2
  echo "rss after the reads: pharos $(rss_kib "$r_pid") KiB, victoriametrics $(rss_kib "$(cat "$QB_DIR/vm.pid")") KiB," \
    "prometheus $(rss_kib "$(cat "$QB_DIR/prom.pid")") KiB" >&2
  stop_pid pharos-read "$r_pid"
  QB_DIR=$QB_DIR "$QB/load.sh" stop >&2
  keep_logs "$QB_DIR"; keep_logs "$WORK/read"; rm -rf "$QB_DIR" "$WORK/read"; QB_DIR=""
}

# ---------------------------------------------------------------------------------------------------
# node: bytes per sample on node-exporter-like data made from a real agent's batches.
node_section() {
  section "node: capture ${NODE_CAPTURE}s of a real agent, replay as $NODE_HOSTS hosts x ${NODE_HOURS}h"
  local src=$WORK/node-src data=$WORK/node-data k exp q names
  # 1. A real pharos-agent at 1 s into a throwaway aggregator; its first seconds are left out of the
  #    capture (self-metrics start at 0, the uplink is still connecting).
  start_pharos "$src"; local s_pid=$AGG_PID s_http=http://$HTTP
  WORK=$src start_agent node-src 1s; local a_pid=$AGENT_PID
  sleep "$NODE_CAPTURE"
  [ "$(metric_sum "$s_http" pharos_ingest_samples_total)" -gt 0 ] ||
    { tail -5 "$src/agent-node-src.log" >&2; die "the agent stored nothing in ${NODE_CAPTURE} s (its log above)"; }
  python3 "$TOOLS/node_replay.py" capture --url "$s_http" --instance node-src --window $((NODE_CAPTURE - 5)) \
    --out "$RES/node_capture.json" >&2
  stop_pid pharos-agent "$a_pid"; stop_pid pharos-node-src "$s_pid"; rm -rf "$src/aggregator"
  # 2. The data set, once, in both formats.
  python3 "$TOOLS/node_replay.py" build --capture "$RES/node_capture.json" --out-dir "$data" \
    --hosts "$NODE_HOSTS" --hours "$NODE_HOURS" | tee "$RES/node_meta.json" >&2
  exp=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['samples'])" "$data/meta.json")
  # Stored samples by query, one term per metric name (count_over_time drops __name__, so one selector
  # over several names would collide); at now, over a window that covers the data (it ends <= 2 h ago).
  q=""
  names=$(python3 -c "import json,sys; print(' '.join(json.load(open(sys.argv[1]))['names']))" "$data/meta.json")
  for k in $names; do q+="${q:+ + }(sum(count_over_time($k[$((NODE_HOURS + 3))h])) or vector(0))"; done
  # 3. Pharos: import, then settle (restart, count, stop).
  start_pharos "$WORK/node-pharos"; local p_pid=$AGG_PID
  local code
  code=$(curl -sS -X POST -H 'Expect:' -H 'Content-Type: text/plain' -T "$data/data.prom" \
    "http://$HTTP/api/v1/import/prometheus" -o "$RES/node_pharos_import.txt" -w '%{http_code}')
  [ "$code" = 204 ] || die "pharos import: HTTP $code $(cat "$RES/node_pharos_import.txt")"
  settle pharos-node "$p_pid" "$WORK/node-pharos" "$q"
  rm -rf "$WORK/node-pharos/aggregator"
  # 4. VictoriaMetrics: the same file to its import endpoint, then flush and merges settled.
  start_vm "$WORK/node-vm"
  curl -fsS -X POST -H 'Expect:' -H 'Content-Type: text/plain' -T "$data/data.prom" "$VM/api/v1/import/prometheus"
  vm_settle "$VM"
  sizes victoriametrics-node "$(rss_kib "$VM_PID")" "$(promq "$VM" "$q" nocache=1)" "$WORK/node-vm/data"
  stop_pid victoria-metrics "$VM_PID"; keep_logs "$WORK/node-vm"; rm -rf "$WORK/node-vm"
  # 5. Prometheus: promtool blocks from the OpenMetrics copy (same samples, s timestamps), then a server
  #    on them to count (the data dir is measured before it starts: blocks only).
  mkdir -p "$WORK/node-prom/data"
  promtool tsdb create-blocks-from openmetrics "$data/data.om" "$WORK/node-prom/data" >"$WORK/node-prom/promtool.out" 2>&1 ||
    { tail -20 "$WORK/node-prom/promtool.out" >&2; die "promtool failed"; }
  local blocks; blocks=$(du -sb "$WORK/node-prom/data" | cut -f1)
  start_prom "$WORK/node-prom"
  printf '{"target": "prometheus-node", "stored": %s, "bytes": %s, "rss_kib": %s}\n' \
    "$(promq "$PROM" "$q")" "$blocks" "$(rss_kib "$PROM_PID")" >>"$RES/sizes.jsonl"
  stop_pid prometheus "$PROM_PID"; keep_logs "$WORK/node-prom"; rm -rf "$WORK/node-prom" "$data"
  grep -- '-node"' "$RES/sizes.jsonl" | while read -r l; do
    python3 -c "import json,sys; s=json.loads(sys.argv[1]); e=int(sys.argv[2]); print(f\"{s['target']}: {s['stored']:,} of {e:,} samples, {s['bytes']:,} B\" + ('' if s['stored']==e else '  WARNING: not all samples stored'))" "$l" "$exp" >&2
  done
}

# ---------------------------------------------------------------------------------------------------
# fleet: many simulated agents at a realistic pace into one aggregator. Two runs of the same fleet
# (same agent names and series): "cold" creates every series during its measured minute, as a fleet
# arriving at a fresh aggregator does (2 s warm-up); "warm" runs once they all exist (new connections,
# as after a restart of the agents), measured after a warm-up of one interval (every agent connected
# and pushed once) for FLEET_WARM_RUN. The aggregator checkpoints every 60 s instead of its default
# 5 min, so the warm run crosses at least two checkpoints (each writes every open chunk: 1 M here).
fleet_section() {
  section "fleet: $FLEET_AGENTS agents x $FLEET_SERIES series every $FLEET_INTERVAL: cold $FLEET_RUN, then warm $FLEET_WARM_RUN"
  # fleet-sim holds one UDP socket per simulated agent.
  local need=$((FLEET_AGENTS * 2 + 256))
  [ "$(ulimit -n)" -ge "$need" ] || ulimit -n "$need" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  [ "$(ulimit -n)" -ge "$need" ] || echo "WARNING open files limit $(ulimit -n) < $need" >&2
  AGG_EXTRA_TOML=$'[storage]\ncheckpoint_interval = "60s"' start_pharos "$WORK/fleet"; local f_pid=$AGG_PID f_http=http://$HTTP
  local phase line rc errors run warmup cp_before slow
  : >"$RES/fleet.json"
  for phase in cold warm; do
    rc=0; run=$FLEET_RUN; warmup=2s
    [ "$phase" = warm ] && { run=$FLEET_WARM_RUN; warmup=$FLEET_WARMUP; }
    cp_before=$(metric_sum "$f_http" pharos_storage_checkpoints_total)
    line=$("$BIN/fleet-sim" --addr "$QUIC" --ca-dir "$WORK/fleet/aggregator/tls" --agents "$FLEET_AGENTS" \
      --series "$FLEET_SERIES" --interval "$FLEET_INTERVAL" --duration "$run" --warmup "$warmup" \
      --timeline-over-ms 100 2>"$RES/fleet_${phase}_stderr.txt") || rc=$?
    echo "$phase: $line" >&2
    [ "$rc" = 0 ] || { tail -5 "$RES/fleet_${phase}_stderr.txt" >&2; die "fleet-sim exited with $rc"; }
    grep -q 'samples=[1-9]' <<<"$line" || { sort "$RES/fleet_${phase}_stderr.txt" | uniq -c | head -5 >&2; die "fleet-sim got no acks"; }
    # The timeline (seconds with an ack over 100 ms) is not an error.
    slow=$(grep -c '^second=' "$RES/fleet_${phase}_stderr.txt" || true)
    errors=$(grep -vc '^second=' "$RES/fleet_${phase}_stderr.txt" || true)
    [ "$errors" = 0 ] || { echo "fleet-sim stderr ($errors lines):" >&2; grep -v '^second=' "$RES/fleet_${phase}_stderr.txt" | sort | uniq -c | sort -rn | head -5 >&2; }
    printf '{"phase": "%s", "agents": %s, "series": %s, "interval": "%s", "run": "%s", "warmup": "%s", "stderr_lines": %s, "slow_seconds": %s, "checkpoints": %s, "aggregator_rss_kib": %s, "series_stored": %s, "line": "%s"}\n' \
      "$phase" "$FLEET_AGENTS" "$FLEET_SERIES" "$FLEET_INTERVAL" "$run" "$warmup" "$errors" "$slow" \
      "$(( $(metric_sum "$f_http" pharos_storage_checkpoints_total) - cp_before ))" "$(rss_kib "$f_pid")" \
      "$(pharos_series "$f_http" | cut -d' ' -f1)" "$line" >>"$RES/fleet.json"
  done
  stop_pid pharos-fleet "$f_pid"
  keep_logs "$WORK/fleet"; rm -rf "$WORK/fleet"
}

if has base || has node || has fleet; then quic_preflight; fi
for s in base rss read node fleet; do
  if has "$s"; then "${s}_section"; fi
done
section "report"
[ "$(bin_stamps)" = "$BIN_STAMPS" ] ||
  echo "WARNING binaries rebuilt during the run: now $(bin_stamps | paste -sd ';'); the sections mixed builds" >&2

# Tables, then (with the base section) the ratio line, last.
python3 "$TOOLS/ingest_report.py" "$RES" "$REPS" "$FLEET_DURATION" "$SECTIONS"
[ -z "${KEEP:-}" ] || {
  mkdir -p "$KEEP"; cp -r "$RES"/. "$KEEP/"
  find "$WORK" -maxdepth 2 -name '*.log' -not -path "$RES/*" | while read -r f; do cp "$f" "$KEEP/$(realpath --relative-to="$WORK" "$f" | tr / _)"; done
}
