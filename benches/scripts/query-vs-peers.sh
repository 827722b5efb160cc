#!/usr/bin/env bash
# Query latency of Pharos next to Prometheus 2.42 and VictoriaMetrics 1.79 (Debian packages) on the
# shared querybench data set, in one interleaved run of its bench.py; plus load time and disk use
# of each, and compare.py of Prometheus against Pharos.
# Usage: benches/scripts/query-vs-peers.sh [REPS=5] [STEPS=15,60]
# Env: PEERS_DIR (default <repo>/../shared/peers), QB_DIR (default /tmp/querybench-pharos: data,
#      peer servers, results), GEN_ARGS (extra gen_data.py flags, e.g. "--instances 25 --hours 2"),
#      REUSE_DATA=1 (keep an existing $QB_DIR/data), PROM_PORT / VM_PORT (default: free ports).
# Needs target/release/pharos-aggregator (cargo build --release --workspace). Installs the peers
# (peers/install.sh) and numpy (pip) if missing. Results go to $QB_DIR/results/vs-pharos-<time>/.
source "$(dirname "$0")/common.sh"
REPS=${1:-5}; STEPS=${2:-15,60}
PEERS_DIR=${PEERS_DIR:-$(cd "$ROOT/.." && pwd)/shared/peers}
QB="$PEERS_DIR/querybench"
export QB_DIR=${QB_DIR:-/tmp/querybench-pharos}
export PROM_PORT=${PROM_PORT:-$(free_port)} VM_PORT=${VM_PORT:-$(free_port)}
DATA=$QB_DIR/data
RES=$QB_DIR/results/vs-pharos-$(date +%Y%m%dT%H%M%S)
mkdir -p "$RES"
# The peers load.sh started are stopped by their pidfiles, then common.sh's cleanup stops the aggregator.
trap '"$QB/load.sh" stop >/dev/null 2>&1 || true; cleanup' EXIT

[ -x "$BIN/pharos-aggregator" ] || { echo "build first: cargo build --release --workspace" >&2; exit 1; }
[ -f "$QB/bench.py" ] || { echo "no querybench under $PEERS_DIR" >&2; exit 1; }
for b in prometheus promtool victoria-metrics; do command -v "$b" >/dev/null || { "$PEERS_DIR/install.sh"; break; }; done
python3 -c 'import numpy' 2>/dev/null || python3 -m pip install --quiet numpy
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", b-a}'; }
meta() { python3 -c "import json,sys; print(json.load(open('$DATA/meta.json'))[sys.argv[1]])" "$1"; }

# 1. Data set (gen_data.py), then Prometheus (promtool blocks) and VictoriaMetrics (import) with load.sh.
if [ "${REUSE_DATA:-0}" != 1 ] || [ ! -f "$DATA/meta.json" ]; then
  # shellcheck disable=SC2086  # GEN_ARGS is a list of flags
  python3 "$QB/gen_data.py" --out-dir "$DATA" ${GEN_ARGS:-} >"$RES/gen_data.json"
fi
SAMPLES=$(meta samples)
echo "data: $(meta series) series, $SAMPLES samples, $(meta start_iso) .. $(meta end_iso)"
"$QB/load.sh" all | tee "$RES/load_peers.txt"

# 2. A fresh Pharos aggregator (127.0.0.1, own data dir under $WORK), loaded through the import endpoint.
start_aggregator
t0=$(now)
# -T streams the file (curl would read all of it into memory with --data-binary @file).
code=$(curl -sS -X POST -H 'Expect:' -H 'Content-Type: text/plain' -T "$DATA/data.vm.prom" \
  "http://$HTTP/api/v1/import/prometheus" -o "$RES/pharos_import_response.txt" -w '%{http_code}')
t1=$(now)
[ "$code" = 204 ] || { echo "pharos import: HTTP $code $(cat "$RES/pharos_import_response.txt")" >&2; exit 1; }
db_bytes=$(du -sb "$WORK/aggregator/db" | cut -f1)
# The same check as load.sh: every sample of the window, counted by an instant query at `end`.
q=$(querybench_count_query)
seen=$(curl -fsS --max-time 900 "http://$HTTP/api/v1/query" --data-urlencode "query=$q" --data-urlencode "time=$(meta end)" |
  python3 -c "import json,sys; r=json.load(sys.stdin)['data']['result']; print(int(float(r[0]['value'][1])) if r else 0)")
t2=$(now)
[ "$seen" = "$SAMPLES" ] || echo "WARNING pharos sees $seen samples, expected $SAMPLES" >&2
line=$(printf '{"target":"pharos","import_s":%s,"first_full_count_query_s":%s,"samples_seen":%s,"samples_expected":%s,"db_bytes":%s,"bytes_per_sample":%s,"rss_kib_after_import":%s}' \
  "$(elapsed "$t0" "$t1")" "$(elapsed "$t1" "$t2")" "$seen" "$SAMPLES" "$db_bytes" \
  "$(awk -v b="$db_bytes" -v s="$SAMPLES" 'BEGIN{printf "%.3f", b/s}')" "$(rss_kib "$AGG_PID")")
echo "$line" | tee "$RES/load_pharos.json"

# 3. One bench.py run, the three targets interleaved; then the summary and Pharos' results against Prometheus.
echo "bench: reps=$REPS steps=$STEPS (output in $RES)"
python3 "$QB/bench.py" --meta "$DATA/meta.json" --steps "$STEPS" --reps "$REPS" --label vs-pharos \
  --url "prom=http://127.0.0.1:$PROM_PORT" --url "vm=http://127.0.0.1:$VM_PORT?nocache=1" --url "pharos=http://$HTTP" \
  --json "$RES/bench.jsonl" | tee "$RES/bench.txt"
python3 "$QB/summarize.py" "$RES/bench.jsonl" --targets pharos,vm,prom | tee "$RES/summary.md"
python3 "$QB/compare.py" --meta "$DATA/meta.json" --steps "$STEPS" --a "prom=http://127.0.0.1:$PROM_PORT" \
  --b "pharos=http://$HTTP" --json "$RES/compare_prom_pharos.jsonl" >"$RES/compare_prom_pharos.txt" 2>&1 || true
echo "compare.py prom vs pharos: $RES/compare_prom_pharos.txt"
echo "after the bench: pharos db $(du -sb "$WORK/aggregator/db" | cut -f1) B, RSS KiB pharos $(rss_kib "$AGG_PID")" \
  "prom $(rss_kib "$(cat "$QB_DIR/prom.pid")") vm $(rss_kib "$(cat "$QB_DIR/vm.pid")")" | tee "$RES/after.txt"

# 4. One line per query and step: medians over all timed reps (as summarize.py) and the ratios.
python3 - "$RES/bench.jsonl" <<'EOF' | tee "$RES/ratios.txt"
import json, math, sys
by = {}
for l in open(sys.argv[1]):
    r = json.loads(l)
    by.setdefault((r["query_id"], r["step"]), {})[r["target"]] = r
def med(r):
    if r is None or r["error"]:
        return None
    s = sorted(r["all_ms"])
    return s[max(0, math.ceil(len(s) / 2) - 1)]
ratio = lambda a, b: "%.2f" % (a / b) if a and b else "-"
fmt = lambda v: "%.1f" % v if v is not None else "ERR"
for (q, step), t in by.items():
    p, v, m = med(t.get("pharos")), med(t.get("vm")), med(t.get("prom"))
    print("%s %s pharos_ms=%s vm_ms=%s prom_ms=%s pharos/vm=%s pharos/prom=%s" % (
        q, "%ds" % step if step else "instant", fmt(p), fmt(v), fmt(m), ratio(p, v), ratio(p, m)))
EOF
