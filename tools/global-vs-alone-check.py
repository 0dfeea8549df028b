#!/usr/bin/env python3
"""A model of several series against a model of each alone, over HTTP (a QA pass's data): twelve daily series of 400
values (weekly patterns at several scales, a multiplicative one, trends, two intermittent counts, one that starts late,
one with a trailing gap, a random walk and an AR(1)) trained as one model with ids on their first 344 values, and four of
them trained alone on the same values; each then forecasts its last 56 values from 4 origins of 14 steps, under its id.
Prints both mean absolute errors per series. Python's standard library only.

    python3 tools/global-vs-alone-check.py [http://localhost:8080]
"""
import json
import math
import random
import sys
import time
import urllib.request

URL = (sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8080").rstrip("/")
N, CUT, H = 400, 344, 14
PATTERN = [0, -3, -2, 1, 4, 9, -9]


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(URL + path, data, {"Content-Type": "application/json"} if data is not None else {}, method=method)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read().decode() or "null")


def poisson(rng, rate):
    limit, k, product = math.exp(-rate), 0, 1.0
    while True:
        product *= rng.random()
        if product <= limit:
            return k
        k += 1


def weekly(level, amplitude, sd):
    return lambda t, rng, prev: level + amplitude * PATTERN[t % 7] + rng.gauss(0, sd)


def weekly_multiplicative(level, sd):
    factors = [1.0, 0.85, 0.9, 1.0, 1.1, 1.4, 0.75]
    return lambda t, rng, prev: level * factors[t % 7] * (1 + rng.gauss(0, sd))


SERIES = [  # id, generator, leading nulls, trailing nulls
    ("weekly_small", weekly(20, 1, 1.0), 0, 0),
    ("weekly_mid", weekly(200, 10, 8), 0, 0),
    ("weekly_big", weekly(50000, 800, 1000), 0, 0),
    ("weekly_mult", weekly_multiplicative(500, 0.05), 0, 0),
    ("trend_weekly", lambda t, rng, prev: 100 + 0.3 * t + 2 * PATTERN[t % 7] + rng.gauss(0, 5), 0, 0),
    ("trend_only", lambda t, rng, prev: 50 + 0.5 * t + rng.gauss(0, 4), 0, 0),
    ("inter_a", lambda t, rng, prev: poisson(rng, 3) if rng.random() < 0.3 else 0, 0, 0),
    ("inter_b", lambda t, rng, prev: poisson(rng, 0.5), 0, 0),
    ("late_start", weekly(80, 2, 3), 250, 0),
    ("trailing_gap", weekly(300, 6, 10), 0, 6),
    ("rw", lambda t, rng, prev: (100 if prev is None else prev) + rng.gauss(0, 3), 0, 0),
    ("ar1", lambda t, rng, prev: 60 + 0.7 * ((60 if prev is None else prev) - 60) + rng.gauss(0, 4), 0, 0),
]
ALONE = ["weekly_mid", "trend_only", "rw", "ar1"]

rng = random.Random(1)
given = {}
for sid, step, lead, trail in SERIES:
    values, prev = [], None
    for t in range(N):
        prev = step(t, rng, prev)
        values.append(round(prev, 3))
    given[sid] = [None if i < lead or i >= N - trail else v for i, v in enumerate(values)]


def train(model, series):
    job = call("POST", f"/models/{model}/training-jobs", {"frequency": "daily", "horizon": H, "series": series})
    while job["status"] not in ("succeeded", "failed", "cancelled"):
        time.sleep(1)
        job = call("GET", f"/training-jobs/{job['id']}")
    if job["status"] != "succeeded":
        sys.exit(f"{model}: {job['status']} {job.get('error') or ''}")


def error(model, sid):
    values, total, count = given[sid], 0.0, 0
    for origin in range(CUT, N - H + 1, H):
        mean = call("POST", f"/models/{model}/forecast", {"series": [{"id": sid, "history": values[:origin]}]})["forecasts"][0]["mean"]
        for t in range(H):
            total += abs(values[origin + t] - mean[t])
            count += 1
    return total / count


train("global-vs-alone", [{"id": sid, "start": "2023-01-02", "values": v[:CUT]} for sid, v in given.items()])
print(f"{'series':12} {'together':>9} {'alone':>9}")
for sid in ALONE:
    train(f"alone-{sid.replace('_', '-')}", [{"id": sid, "start": "2023-01-02", "values": given[sid][:CUT]}])
    print(f"{sid:12} {error('global-vs-alone', sid):9.2f} {error('alone-' + sid.replace('_', '-'), sid):9.2f}")
