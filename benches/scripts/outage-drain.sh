#!/usr/bin/env bash
# Time to drain the agent's buffer after an aggregator outage of OUTAGE seconds at a 1 s interval.
# Usage: benches/scripts/outage-drain.sh [OUTAGE_SECONDS=300]
source "$(dirname "$0")/common.sh"
OUTAGE=${1:-300}
start_aggregator
start_agent drain 1s
sleep 5
kill "$AGG_PID"; wait "$AGG_PID" 2>/dev/null || true
sleep "$OUTAGE"
bytes=$(du -sb "$WORK/agent-drain/buffer" | cut -f1)
t0=$(date +%s.%N)
restart_aggregator
# Drained when the newest stored host sample is from the last 2 s and covers the outage start.
while :; do
  n=$(query 'count_over_time(node_time_seconds{instance="drain"}['$((OUTAGE + 60))'s])')
  newest=$(query 'time() - timestamp(node_time_seconds{instance="drain"})')
  if [ -n "$n" ] && [ -n "$newest" ] && python3 -c "import sys; sys.exit(0 if float('$newest') < 2 and float('$n') >= $OUTAGE else 1)"; then break; fi
  sleep 0.2
done
t1=$(date +%s.%N)
echo "outage_s=$OUTAGE buffer_bytes=$bytes drain_s=$(python3 -c "print(round($t1-$t0,2))") samples_in_window=$n"
