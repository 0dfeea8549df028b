#!/usr/bin/env python3
"""A model of several series over HTTP (a QA pass's data): eight daily series of a year (weekly patterns at scales from
20 to 50,000, white noise, a trend, a clean weekly series, an intermittent one, a random walk and a short weekly one of
56 days) trained as one model, the random walk one value longer than the others with --walk-longer. Prints the season
found, then for each series, over DRAWS fresh continuations forecast 7 days ahead under its id and without one, the
0.1-0.9 coverage, the mean absolute error and a seasonal naive forecast's (7 days); with --by-step, each step's coverage
under the id too. Python's standard library only.

    python3 tools/global-model-check.py [http://localhost:8080] [--walk-longer] [--draws 40] [--by-step]
"""
import json
import math
import random
import sys
import time
import urllib.request
import zlib

args = [a for a in sys.argv[1:] if not a.startswith("--")]
URL = args[0].rstrip("/") if args and args[0].startswith("http") else "http://localhost:8080"
LONGER = "--walk-longer" in sys.argv
DRAWS = int(sys.argv[sys.argv.index("--draws") + 1]) if "--draws" in sys.argv else 40
H = 7


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(URL + path, data, {"Content-Type": "application/json"} if data is not None else {}, method=method)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read().decode() or "null")


def weekly(level, amp, sd, integer=False):
    pattern = [0.0, 0.3, 0.5, 0.4, 0.9, 1.0, -0.6]
    def step(t, h, r):
        v = level * (1 + amp * pattern[t % 7]) + r.gauss(0, sd)
        return float(round(max(0.0, v))) if integer else round(v, 2)
    return step


PROCESSES = {
    "units": (weekly(20, 0.4, 3, integer=True), 365),
    "revenue_k": (weekly(50000, 0.2, 2000), 365),
    "noisy": (lambda t, h, r: round(100 + r.gauss(0, 30), 2), 365),
    "trend": (lambda t, h, r: round(200 + 2.0 * t + 15 * math.sin(2 * math.pi * t / 7) + r.gauss(0, 5), 2), 365),
    "seasonal": (weekly(500, 0.2, 1), 365),
    "intermittent": (lambda t, h, r: float(r.randint(1, 10)) if r.random() < 0.2 else 0.0, 365),
    "randomwalk": (lambda t, h, r: round((h[-1] if h else 1000) + r.gauss(0, 10), 2), 365),
    "short": (weekly(40, 0.25, 4), 56),
}


def path(sid, n, seed, history=(), t0=0):
    step, r, h, out = PROCESSES[sid][0], random.Random(seed), list(history), []
    for i in range(n):
        h.append(step(t0 + i, h, r))
        out.append(h[-1])
    return out


training = {sid: (365 - n, path(sid, n, 1000 + k, t0=365 - n)) for k, (sid, (_, n)) in enumerate(PROCESSES.items())}
series = []
for sid, (t0, values) in training.items():
    start = 19723 + t0  # days from 1970-01-01 to 2024-01-01
    if LONGER and sid == "randomwalk":
        values, start = [1000.0] + values, start - 1
    series.append({"id": sid, "start": time.strftime("%Y-%m-%d", time.gmtime(start * 86400)), "values": values})
job = call("POST", "/models/global-model-check/training-jobs", {"frequency": "daily", "horizon": H, "series": series})
while job["status"] not in ("succeeded", "failed", "cancelled"):
    time.sleep(1)
    job = call("GET", f"/training-jobs/{job['id']}")
print("job", job["status"], job.get("error") or "")
version = call("GET", f"/models/global-model-check/versions/{job['version']}")
print("season", version["architecture"]["seasonLength"], "weights", version["architecture"]["statistics"]["weights"])

stats = {}
for d in range(DRAWS):
    k = d % 10
    items, truth = [], []
    for sid, (t0, values) in training.items():
        cont = path(sid, k + H, 777000 + d * 31 + zlib.crc32(sid.encode()) % 1000, values, t0 + len(values))
        history = values + cont[:k]
        truth.append((sid, history, cont[k:]))
        items += [{"id": sid, "history": history}, {"history": history}]
    forecasts = call("POST", "/models/global-model-check/forecast", {"series": items})["forecasts"]
    for i, (sid, history, actual) in enumerate(truth):
        naive = [history[-7 + t % 7] for t in range(H)]
        for mode, f in (("under its id", forecasts[2 * i]), ("without an id", forecasts[2 * i + 1])):
            s = stats.setdefault((sid, mode), [0, 0, 0.0, 0.0, [0] * H])
            for t in range(H):
                inside = f["quantiles"]["0.1"][t] <= actual[t] <= f["quantiles"]["0.9"][t]
                s[0] += 1
                s[1] += inside
                s[4][t] += inside
                s[2] += abs(actual[t] - f["mean"][t])
                s[3] += abs(actual[t] - naive[t])
print(f"{'series':13} {'':14} {'coverage':>8} {'MAE':>10} {'seasonal naive':>14}")
for (sid, mode), (n, inside, error, naive, by_step) in stats.items():
    print(f"{sid:13} {mode:14} {inside / n:8.2f} {error / n:10.2f} {naive / n:14.2f}")
if "--by-step" in sys.argv:
    print(f"{'series':13} coverage under its id at steps 1 to {H}")
    for (sid, mode), (n, _, _, _, by_step) in stats.items():
        if mode == "under its id":
            print(f"{sid:13} " + " ".join(f"{c / (n / H):5.2f}" for c in by_step))
