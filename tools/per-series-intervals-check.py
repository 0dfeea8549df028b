#!/usr/bin/env python3
"""Intervals per series over HTTP: trains one model on four daily series of 200 values (a weekly pattern about 100 with
noise, an intermittent shop selling 0, 5 or 10 a day, an all-zero shop and a flat one at 7.5) on a running service, then
forecasts 40 fresh draws of the intermittent shop 7 days ahead, under its id and without one, and prints how often the
0.9 quantile held the next values and how often the 0.1-0.9 interval did. Python's standard library only.

    python3 tools/per-series-intervals-check.py [http://localhost:8080]
"""
import json
import math
import random
import sys
import time
import urllib.request

URL = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://localhost:8080"


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(URL + path, data, {"Content-Type": "application/json"} if data is not None else {}, method=method)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read().decode() or "null")


def sparse(n):
    return [random.choice([0, 0, 0, 0, 5, 10]) for _ in range(n)]


random.seed(131)
n = 200
series = [{"id": "normal", "values": [round(100 + 20 * math.sin(2 * math.pi * i / 7) + random.gauss(0, 4), 1) for i in range(n)]},
          {"id": "closed", "values": [0] * n},
          {"id": "sparse", "values": sparse(n)},
          {"id": "flat7", "values": [7.5] * n}]
job = call("POST", "/models/per-series-check/training-jobs", {"frequency": "daily", "horizon": 7, "series": [dict(s, start="2024-01-01") for s in series]})
while job["status"] not in ("succeeded", "failed", "cancelled"):
    time.sleep(1)
    job = call("GET", f"/training-jobs/{job['id']}")
print("job", job["status"], job.get("error") or "")

random.seed(7)
counts = {label: [0, 0] for label in ("under its id", "without an id")}
values = 0
for _ in range(40):
    draw = sparse(207)
    for label, item in (("under its id", {"id": "sparse", "history": draw[:200]}), ("without an id", {"history": draw[:200]})):
        forecast = call("POST", "/models/per-series-check/forecast", {"series": [item]})["forecasts"][0]
        for t in range(7):
            actual = draw[200 + t]
            counts[label][0] += actual <= forecast["quantiles"]["0.9"][t]
            counts[label][1] += forecast["quantiles"]["0.1"][t] <= actual <= forecast["quantiles"]["0.9"][t]
    values += 7
for label, (below, inside) in counts.items():
    print(f"{label}: 0.9 quantile held {below / values:.2f} (0.90 asked), 0.1-0.9 interval {inside / values:.2f} (0.80 asked) of {values} values")
