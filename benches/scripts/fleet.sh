#!/usr/bin/env bash
# Samples/s acked by one aggregator from the fleet simulator with 1, 10 and 100 agents, REPS runs
# each, medians. Usage: benches/scripts/fleet.sh [REPS=3] [SERIES=500] [INTERVAL=0s] [DURATION=15s]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
REPS=${1:-3}; SERIES=${2:-500}; INTERVAL=${3:-0s}; DURATION=${4:-15s}
for agents in 1 10 100; do
  rates=(); p50s=(); p99s=()
  for _ in $(seq 1 "$REPS"); do
    line=$("$ROOT/target/release/fleet-sim" --agents "$agents" --series "$SERIES" --interval "$INTERVAL" --duration "$DURATION")
    echo "  $line" >&2
    rates+=("$(sed -E 's/.*samples_per_sec=([0-9.]+).*/\1/' <<<"$line")")
    p50s+=("$(sed -E 's/.*ack_ms_p50=([0-9.]+).*/\1/' <<<"$line")")
    p99s+=("$(sed -E 's/.*ack_ms_p99=([0-9.]+).*/\1/' <<<"$line")")
  done
  med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2)? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
  echo "agents=$agents series=$SERIES interval=$INTERVAL median_samples_per_sec=$(med "${rates[@]}") median_ack_ms_p50=$(med "${p50s[@]}") median_ack_ms_p99=$(med "${p99s[@]}")"
done
