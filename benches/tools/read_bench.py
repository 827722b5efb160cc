#!/usr/bin/env python3
"""Instant-query latency of a few queries on several Prometheus-API targets, interleaved.

  read_bench.py --time T --reps N --url NAME=URL[?extra=params] ... --query ID=PROMQL ... [--json FILE]

Per query: one untimed warm-up per target, then N rounds; in each round every target answers once, in
turn (so background load falls on all alike). Timed from sending the request to reading the last byte
of the body, one keep-alive connection per target, no gzip: the server's JSON encoding is included,
JSON decoding is not. A URL's query string (e.g. VictoriaMetrics' nocache=1, which turns off its
rollup result cache) is added to every request. Prints one JSON line per target and query:
median_ms, all_ms, and the answer (the first value of the result vector) plus `same`, whether every
target gave the same answer (exact for these integer-valued queries).
"""
import argparse
import http.client
import json
import statistics
import sys
import time
import urllib.parse


class Target:
    def __init__(self, spec):
        self.name, url = spec.split("=", 1)
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port
        self.extra = urllib.parse.parse_qsl(u.query)
        self.conn = None

    def query(self, q, t, timeout):
        params = urllib.parse.urlencode([("query", q), ("time", t)] + self.extra)
        for attempt in (1, 2):  # one retry on a dropped keep-alive connection
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
            try:
                t0 = time.perf_counter()
                self.conn.request("GET", "/api/v1/query?" + params,
                                  headers={"Accept-Encoding": "identity", "Connection": "keep-alive"})
                r = self.conn.getresponse()
                body = r.read()
                dt = time.perf_counter() - t0
                break
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        if r.status != 200:
            sys.exit(f"read_bench: {self.name}: HTTP {r.status} {body[:300]!r}")
        d = json.loads(body)
        res = d["data"]["result"]
        if d["data"]["resultType"] == "scalar":
            return dt, res[1]
        return dt, (res[0]["value"][1] if res else None)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", action="append", required=True)
    ap.add_argument("--query", action="append", required=True, help="ID=PROMQL")
    ap.add_argument("--time", required=True, help="evaluation time (unix seconds)")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--json", help="append the JSON lines to this file too")
    a = ap.parse_args()
    targets = [Target(s) for s in a.url]
    out = open(a.json, "a") if a.json else None
    for spec in a.query:
        qid, q = spec.split("=", 1)
        answers, times = {}, {t.name: [] for t in targets}
        for t in targets:
            _, answers[t.name] = t.query(q, a.time, a.timeout)  # warm-up
        for _ in range(a.reps):
            for t in targets:
                dt, v = t.query(q, a.time, a.timeout)
                times[t.name].append(dt * 1000)
                if v != answers[t.name]:
                    sys.exit(f"read_bench: {t.name} answered {answers[t.name]} in the warm-up, then {v}, for {qid}")
        same = len({float(v) if v is not None else None for v in answers.values()}) == 1
        for t in targets:
            line = json.dumps({"target": t.name, "query_id": qid, "query": q, "time": a.time, "reps": a.reps,
                               "median_ms": round(statistics.median(times[t.name]), 2),
                               "all_ms": [round(x, 2) for x in times[t.name]],
                               "answer": answers[t.name], "same": same})
            print(line)
            if out:
                out.write(line + "\n")
    if out:
        out.close()


if __name__ == "__main__":
    main()
