#!/usr/bin/env python3
"""The report of benches/ingest-vs-peers.sh: per-section details, one summary table (rows Pharos /
VictoriaMetrics / Prometheus), the fleet line and, when the base section ran, the ratio line LAST.

  ingest_report.py RESULTS_DIR REPS FLEET_DURATION SECTIONS
"""
import json
import os
import statistics as st
import sys

res, reps, dur, sections = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(",")
nan = float("nan")


def lines(name):
    p = os.path.join(res, name)
    return [json.loads(l) for l in open(p) if l.strip()] if os.path.exists(p) else []


runs = lines("runs.jsonl")
sizes = {s["target"]: s for s in lines("sizes.jsonl")}


def med(t, f, c):
    v = [r["samples_per_s"] for r in runs if (r["target"], r["format"], r["concurrency"]) == (t, f, c)]
    return st.median(v) if v else nan


def bps(t):
    s = sizes.get(t)
    return s["bytes"] / s["stored"] if s and s["stored"] else nan


def num(v, fmt="{:,.0f}"):
    return "-" if v != v else fmt.format(v)  # NaN -> "-"


# --- base: the detailed ingest table -------------------------------------------------------------
if "base" in sections:
    bad = [r for r in runs if r["http_errors"] or r.get("stored_samples", r.get("samples")) != r.get("samples")]
    for r in bad:
        print(f"WARNING {r['target']} {r['format']} c={r['concurrency']}: http_errors={r['http_errors']} "
              f"stored {r.get('stored_samples')} of {r.get('samples')} {r.get('first_error', '')}", file=sys.stderr)
    rows = [("pharos-quic", "quic", "Pharos, QUIC + mTLS (fleet-sim)"),
            ("pharos-import", "text", "Pharos, /api/v1/import/prometheus text"),
            ("victoriametrics", "rw", "VictoriaMetrics 1.79, remote-write"),
            ("victoriametrics", "text", "VictoriaMetrics 1.79, import text"),
            ("prometheus", "rw", "Prometheus 2.42, remote-write")]
    print(f"\nbase: medians of {reps} runs per cell; fleet-sim {dur} per run; bytes = data dir after flush / samples counted by query")
    print(f"| {'target':40} | {'samples/s c=1':>13} | {'samples/s c=2':>13} | {'bytes/sample':>12} | {'samples stored':>14} | {'RSS KiB':>9} |")
    print(f"|{'-'*42}|{'-'*15}|{'-'*15}|{'-'*14}|{'-'*16}|{'-'*11}|")
    for t, f, name in rows:
        s = sizes[t]
        print(f"| {name:40} | {med(t, f, 1):>13,.0f} | {med(t, f, 2):>13,.0f} | {num(bps(t), '{:.2f}'):>12} | {s['stored']:>14,} | {s['rss_kib']:>9,} |")
    acked = 0
    qm = os.path.join(res, "quic_metrics.txt")
    if os.path.exists(qm):
        acked = next((float(l.split()[1]) for l in open(qm) if l.startswith("pharos_ingest_samples_total ")), 0)
    if acked > sizes["pharos-quic"]["stored"]:
        print(f"note: pharos-quic acked {acked:,.0f} samples in all, {sizes['pharos-quic']['stored']:,} distinct are stored: "
              "fleet-sim stamps each batch with the wall clock in ms, so batches sent within one ms overwrite")
    print(f"also: c=1 quic/vm_rw={med('pharos-quic', 'quic', 1) / med('victoriametrics', 'rw', 1):.3f} "
          f"import/vm_rw c=2={med('pharos-import', 'text', 2) / med('victoriametrics', 'rw', 2):.3f} "
          f"import/vm_text c=2={med('pharos-import', 'text', 2) / med('victoriametrics', 'text', 2):.3f} "
          f"quic_bytes/vm={bps('pharos-quic') / bps('victoriametrics'):.2f}")

# --- rss ---------------------------------------------------------------------------------------------
rss = {r["target"]: r for r in lines("rss.jsonl")}


def rss_per_series(t):
    r = rss.get(t)
    if not r:
        return nan
    return (r["rss_after_kib"] - r["rss_before_kib"]) * 1024 / r["push"]["series"]


if rss:
    n = next(iter(rss.values()))["push"]["series"]
    print(f"\nrss: {n:,} series x {next(iter(rss.values()))['push']['samples_per_series']} samples into a fresh process "
          "each; (RSS after - RSS before) / series")
    for t, r in rss.items():
        p = r["push"]
        print(f"  {t:16} RSS {r['rss_before_kib']:>9,} -> {r['rss_after_kib']:>10,} KiB = {rss_per_series(t):>7,.0f} B/series; "
              f"own count {r['series']:,} series ({r.get('series_by', '?')}), {r['samples_accepted']:,} samples accepted; "
              f"push {p['samples_per_s']:,} samples/s ({p['format']}, {p['http_errors']} HTTP errors)")

# --- read --------------------------------------------------------------------------------------------
read = lines("read.jsonl")


def read_ms(t, q="count"):
    v = [r["median_ms"] for r in read if r["target"] == t and r["query_id"] == q]
    return v[0] if v else nan


if read:
    print(f"\nread: instant queries at the end of the querybench window (10,000 series x 1,440 samples), "
          f"medians of {read[0]['reps']} timed rounds after 1 warm-up; VM with nocache=1")
    for q in dict.fromkeys(r["query_id"] for r in read):
        rs = [r for r in read if r["query_id"] == q]
        print(f"  {q}: {rs[0]['query']}")
        for r in rs:
            print(f"    {r['target']:16} {r['median_ms']:>9,.1f} ms (all {r['all_ms']})  answer {r['answer']}")
        print("    answers " + ("equal" if rs[0]["same"] else "DIFFER"))

# --- node --------------------------------------------------------------------------------------------
if "node" in sections and os.path.exists(os.path.join(res, "node_meta.json")):
    m = json.loads(open(os.path.join(res, "node_meta.json")).read())
    print(f"\nnode: a real agent's {m['series_per_host']} series ({m['counters_per_host']} counters), captured at 1 s for "
          f"{m['captured_samples_per_series']} samples, replayed as {m['hosts']} hosts x {m['samples_per_series']} samples "
          f"at {m['step']} s = {m['samples']:,} samples")
    for t in ("pharos-node", "victoriametrics-node", "prometheus-node"):
        s = sizes.get(t)
        if s:
            flag = "" if s["stored"] == m["samples"] else f"  WARNING: expected {m['samples']:,}"
            wal = f" ({s['wal_bytes']:,} B of it WAL)" if s.get("wal_bytes") else ""
            print(f"  {t:22} {s['bytes']:>12,} B / {s['stored']:,} samples = {bps(t):.3f} B/sample{wal}{flag}")

# --- summary table -----------------------------------------------------------------------------------
fleet = lines("fleet.json")
print("\nsummary (medians where repeated)")
print("| system | samples/s c=1 | samples/s c=2 | bytes/sample (synthetic) | bytes/sample (node-like) | "
      "RSS B/series at %s (RSS after) | 10k x 6h read ms |" % (f"{next(iter(rss.values()))['push']['series']:,}" if rss else "1M"))
print("|---|---|---|---|---|---|---|")


def rss_cell(t):
    r = rss.get(t)
    return "-" if not r else f"{rss_per_series(t):,.0f} ({r['rss_after_kib'] / 1024:,.0f} MiB)"


def pair(a, b, la, lb):
    return "-" if a != a and b != b else f"{num(a)} {la}" + (f" / {num(b)} {lb}" if lb else "")


for sysname, label, c1, c2, syn, node in [
        ("pharos", "Pharos",
         pair(med('pharos-quic', 'quic', 1), med('pharos-import', 'text', 1), "QUIC", "import"),
         pair(med('pharos-quic', 'quic', 2), med('pharos-import', 'text', 2), "QUIC", "import"),
         "pharos-import", "pharos-node"),
        ("victoriametrics", "VictoriaMetrics 1.79",
         pair(med('victoriametrics', 'rw', 1), med('victoriametrics', 'text', 1), "rw", "text"),
         pair(med('victoriametrics', 'rw', 2), med('victoriametrics', 'text', 2), "rw", "text"),
         "victoriametrics", "victoriametrics-node"),
        ("prometheus", "Prometheus 2.42",
         pair(med('prometheus', 'rw', 1), nan, "rw", ""), pair(med('prometheus', 'rw', 2), nan, "rw", ""),
         "prometheus", "prometheus-node")]:
    print(f"| {label} | {c1} | {c2} | {num(bps(syn), '{:.2f}')} | {num(bps(node), '{:.2f}')} | {rss_cell(sysname)} | "
          f"{num(read_ms(sysname), '{:,.1f}')} |")
if "base" in sections:
    print("synthetic bytes/sample: Pharos' import-path aggregator (the peers' data); Prometheus' is WAL + head "
          "(the data is younger than its first block); node-like: Prometheus from promtool blocks")


def seconds(d):  # "10s", "500ms", "1m"
    for unit, k in (("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)):
        if d.endswith(unit) and d[:-len(unit)].replace(".", "").isdigit():
            return float(d[:-len(unit)]) * k
    return float(d)


for f in fleet:
    kv = dict(x.split("=", 1) for x in f["line"].split())
    want = f["agents"] * f["series"] / seconds(kv["interval"])
    p99 = float(kv["ack_ms_p99"])
    phase = {"cold": "cold (series created in the run)", "warm": "warm (series exist; steady state)"}.get(f.get("phase"), "")
    extra = ""
    if "checkpoints" in f:
        extra = (f" after a {f['warmup']} warm-up, {f['checkpoints']} checkpoint(s) crossed, "
                 f"{f['slow_seconds']} second(s) with an ack over 100 ms")
    print(f"fleet {phase}: {f['agents']:,} agents x {f['series']} series every {f['interval']} for {f['run']}{extra}: "
          f"{float(kv['samples_per_sec']):,.0f} samples/s sustained (offered {want:,.0f}), "
          f"ack p50 {kv['ack_ms_p50']} ms, p99 {kv['ack_ms_p99']} ms, max {kv['ack_ms_max']} ms; "
          f"p99 < 100 ms: {'yes' if p99 < 100 else 'NO'}; {f['series_stored']:,} series stored (with one `up` per agent), "
          f"aggregator RSS {f['aggregator_rss_kib'] / 1024:,.0f} MiB"
          + (f"; fleet-sim stderr {f['stderr_lines']} lines" if f["stderr_lines"] else ""))

# --- the ratio line, last ------------------------------------------------------------------------------
# Pharos' product path (QUIC, 2 agents) over VM's remote-write at 2 connections; bytes from the
# import-path aggregator, which holds exactly the peers' data (fleet-sim's data differs).
if "base" in sections:
    print(f"pharos/victoriametrics: ingest={med('pharos-quic', 'quic', 2) / med('victoriametrics', 'rw', 2):.3f} "
          f"bytes_per_sample={bps('pharos-import') / bps('victoriametrics'):.2f}")
else:
    print("(no ratio line: the base section did not run)", file=sys.stderr)
