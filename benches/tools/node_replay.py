#!/usr/bin/env python3
"""Node-exporter-like data set from a real pharos-agent's stored batches, for bytes-per-sample comparisons.

  node_replay.py capture --url http://AGG --instance NAME --out capture.json
      Reads back, through the Prometheus query API, every raw sample the aggregator stored for the agent
      (an instant query of the range selector {instance="NAME"}[W] returns the stored samples with their
      own timestamps). `up` is left out: the aggregator writes it, not the agent.

  node_replay.py build --capture capture.json --out-dir DIR --hosts N --hours H [--step 15] [--end T]
      Writes DIR/data.prom (Prometheus text, ms timestamps: Pharos' and VictoriaMetrics'
      /api/v1/import/prometheus), DIR/data.om (the same samples as OpenMetrics, s timestamps, `# EOF`:
      promtool tsdb create-blocks-from openmetrics) and DIR/meta.json (counts, window, metric names).

The replay keeps the captured value patterns: N hosts (the `instance` label is host-NNN) x every
captured series, one sample every STEP seconds over H hours ending at END (default: now rounded down
to 2 h, so promtool's 2 h blocks line up with the window).
  - counters (name ends in _total/_count/_sum/_bucket and never decreased in the capture): start at
    the captured first value plus a whole-number per-host offset, then add the captured deltas in a
    loop; exact decimal arithmetic, so the values keep the captured number of decimals (no float noise);
  - everything else (gauges): the captured values verbatim, played forward then backward in a loop
    (no artificial jump at the wrap);
  - each host starts its loop at its own phase and has its own whole-second scrape offset within STEP.
Samples are written time-major (all series at t, then t + STEP), each series in time order, as a
fleet of agents would deliver them.
"""
import argparse
import json
import os
import sys
import time
import urllib.parse
import urllib.request
from decimal import Decimal

COUNTER_SUFFIXES = ("_total", "_count", "_sum", "_bucket")


def capture(a):
    q = urllib.parse.urlencode({"query": '{instance="%s"}[%ds]' % (a.instance, a.window), "time": f"{time.time():.3f}"})
    with urllib.request.urlopen(f"{a.url}/api/v1/query?{q}", timeout=300) as r:
        d = json.load(r)
    if d.get("status") != "success" or d["data"]["resultType"] != "matrix":
        sys.exit(f"capture: unexpected answer {str(d)[:300]}")
    series = [s for s in d["data"]["result"] if s["metric"].get("__name__") != "up"]
    if not series:
        sys.exit("capture: no series stored for instance %s" % a.instance)
    n = min(len(s["values"]) for s in series)
    out = {"instance": a.instance, "samples_per_series": n,
           "series": [{"metric": s["metric"], "values": [v for _, v in s["values"][-n:]]} for s in series]}
    with open(a.out, "w") as f:
        json.dump(out, f)
    print(json.dumps({"captured_series": len(series), "samples_per_series": n,
                      "names": len({s["metric"]["__name__"] for s in series})}))


def esc(v):
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")


def fmt_scaled(x, d):
    """x * 10**-d as the shortest decimal text (what a float formatter prints for such a value)."""
    if d == 0:
        return str(x)
    q, r = divmod(x, 10 ** d)
    s = ("%d.%0*d" % (q, d, r)).rstrip("0").rstrip(".")
    return s


class Series:
    def __init__(self, metric, values):
        self.name = metric["__name__"]
        self.labels = {k: v for k, v in metric.items() if k not in ("__name__", "instance")}
        dec = [Decimal(v) if v not in ("NaN", "+Inf", "-Inf") else None for v in values]
        mono = all(x is not None for x in dec) and all(b >= a for a, b in zip(dec, dec[1:]))
        self.counter = self.name.endswith(COUNTER_SUFFIXES) and mono and len(values) > 1
        if self.counter:
            # exact integer arithmetic in units of 10**-d
            self.d = max(max(0, -x.as_tuple().exponent) for x in dec)
            ints = [int(x.scaleb(self.d)) for x in dec]
            self.first = ints[0]
            self.deltas = [b - a for a, b in zip(ints, ints[1:])]
        else:
            # forward then backward: v0 .. v(n-1) .. v1
            self.cycle = values + values[-2:0:-1] if len(values) > 2 else values

    def prefix(self, instance):
        labels = dict(self.labels, instance=instance)
        body = ",".join('%s="%s"' % (k, esc(labels[k])) for k in sorted(labels))
        return "%s{%s} " % (self.name, body)


def build(a):
    cap = json.load(open(a.capture))
    series = [Series(s["metric"], s["values"]) for s in cap["series"]]
    end = int(a.end) if a.end else int(time.time()) // 7200 * 7200
    start = end - int(a.hours * 3600)
    n = int(a.hours * 3600) // a.step
    os.makedirs(a.out_dir, exist_ok=True)
    hosts = ["host-%03d" % h for h in range(a.hosts)]
    # Per (host, series) state: line prefix, and for counters the running value and delta index.
    state = []
    for h, inst in enumerate(hosts):
        row = []
        for s in series:
            if s.counter:
                phase = (h * 7) % len(s.deltas) if s.deltas else 0
                # whole-number per-host offset keeps the captured decimals; 0 stays 0 on every host
                base = s.first + (s.first // 10 ** s.d) // max(1, a.hosts) * h * 10 ** s.d
                row.append([s.prefix(inst), s, base, phase])
            else:
                row.append([s.prefix(inst), s, None, (h * 7) % len(s.cycle)])
        state.append(row)
    prom = open(os.path.join(a.out_dir, "data.prom"), "w", buffering=1 << 22)
    om = open(os.path.join(a.out_dir, "data.om"), "w", buffering=1 << 22)
    for k in range(n):
        for h in range(a.hosts):
            ts = start + (h * 7) % a.step + k * a.step
            ts_ms = " %d000\n" % ts
            ts_s = " %d\n" % ts
            pl, ol = [], []
            for st in state[h]:
                pre, s = st[0], st[1]
                if s.counter:
                    v = fmt_scaled(st[2], s.d)
                    if s.deltas:
                        st[2] += s.deltas[st[3]]
                        st[3] = (st[3] + 1) % len(s.deltas)
                else:
                    v = s.cycle[st[3]]
                    st[3] = (st[3] + 1) % len(s.cycle)
                pl.append(pre + v + ts_ms)
                ol.append(pre + v + ts_s)
            prom.write("".join(pl))
            om.write("".join(ol))
    om.write("# EOF\n")
    prom.close()
    om.close()
    meta = {"hosts": a.hosts, "series": a.hosts * len(series), "series_per_host": len(series),
            "counters_per_host": sum(s.counter for s in series), "samples_per_series": n,
            "samples": a.hosts * len(series) * n, "start": start, "end": end, "step": a.step,
            "names": sorted({s.name for s in series}),
            "captured_samples_per_series": cap["samples_per_series"],
            "bytes_prom": os.path.getsize(os.path.join(a.out_dir, "data.prom"))}
    json.dump(meta, open(os.path.join(a.out_dir, "meta.json"), "w"))
    print(json.dumps({k: v for k, v in meta.items() if k != "names"}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("capture")
    c.add_argument("--url", required=True)
    c.add_argument("--instance", required=True)
    c.add_argument("--window", type=int, default=3600, help="seconds to read back (default 3600)")
    c.add_argument("--out", required=True)
    b = sub.add_parser("build")
    b.add_argument("--capture", required=True)
    b.add_argument("--out-dir", required=True)
    b.add_argument("--hosts", type=int, default=40)
    b.add_argument("--hours", type=float, default=6.0)
    b.add_argument("--step", type=int, default=15)
    b.add_argument("--end", default=None, help="unix seconds (exclusive); default now rounded down to 2 h")
    a = ap.parse_args()
    capture(a) if a.cmd == "capture" else build(a)


if __name__ == "__main__":
    main()
