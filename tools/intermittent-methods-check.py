#!/usr/bin/env python3
"""Intermittent-demand methods on a suite's intermittent series, on the suite's protocol: Croston's method with the
Syntetos-Boylan correction (SBA, alpha 0.1) and Teunter-Syntetos-Babai's (TSB: the demand probability updated every
period, so a demand that fades is forecast down), with alpha 0.1 and beta 0.1 or both chosen by the one-step absolute
errors over the training part. Each forecasts h steps from every origin of the test region with the values before it;
MASE on r_baselines.tsv's scale. Prints each series' MASE beside the recipe's (read from a `suite` command's output) and
R's theta and best, and the geometric means of the ratios to the per-series best R. Python's standard library only.

    dotnet run -c Release --project tests/LstmService.Benchmarks -- suite --data tests/LstmService.Benchmarks/CountSuite > count.txt
    python3 tools/intermittent-methods-check.py tests/LstmService.Benchmarks/CountSuite count.txt
"""
import csv
import json
import math
import sys

folder, suite_output = sys.argv[1], sys.argv[2]
manifest = json.load(open(f"{folder}/manifest.json"))
r_mase, r_scale = {}, {}
for row in csv.DictReader(open(f"{folder}/r_baselines.tsv"), delimiter="\t"):
    r_mase[(row["series"], row["method"])] = float(row["mase"])
    r_scale[row["series"]] = float(row["scale"])
ours = {}
for line in open(suite_output):
    fields = line.split()
    if len(fields) > 4 and fields[0] in r_scale and fields[1].isdigit():
        ours[fields[0]] = float(fields[3])


def sba(history, alpha=0.1):
    size = interval = None
    since = 1
    for v in history:
        if v > 0:
            if size is None:
                size, interval = v, since
            else:
                size += alpha * (v - size)
                interval += alpha * (since - interval)
            since = 1
        else:
            since += 1
    return 0.0 if size is None else (1 - alpha / 2) * size / interval


def tsb(history, alpha, beta):
    demands = [v for v in history if v > 0]
    size, probability = (demands[0] if demands else 0.0), len(demands) / len(history)
    for v in history:
        if v > 0:
            size += alpha * (v - size)
        probability += beta * ((v > 0) - probability)
    return probability * size


def tsb_fitted(train):
    grid = [(a, b) for a in (0.05, 0.1, 0.2, 0.3) for b in (0.02, 0.05, 0.1, 0.2, 0.3)]
    return min(grid, key=lambda ab: sum(abs(train[i] - tsb(train[:i], *ab)) for i in range(6, len(train))))


methods = {
    "SBA": lambda train: sba,
    "TSB 0.1": lambda train: (lambda h: tsb(h, 0.1, 0.1)),
    "TSB fitted": lambda train: (lambda h, ab=tsb_fitted(train): tsb(h, *ab)),
}
ratios = {name: [] for name in [*methods, "ours"]}
print(f"{'series':20} " + " ".join(f"{m:>10}" for m in methods) + f" {'ours':>8} {'theta':>8} {'best R':>8}")
for s in manifest:
    if s["kind"] != "intermittent" or s["name"] not in ours:
        continue
    y = [float(row["value"]) for row in csv.DictReader(open(f"{folder}/{s['file']}"))]
    n, h = s["n_train"], s["horizon"]
    best = min(r_mase[(s["name"], m)] for m in ("auto.arima", "ets", "theta"))
    scores = []
    for name, make in methods.items():
        forecast = make(y[:n])
        errors = [abs(y[o + t] - forecast(y[:o])) for o in range(n, n + s["test"] - h + 1) for t in range(h)]
        mase = sum(errors) / len(errors) / r_scale[s["name"]]
        ratios[name].append(mase / best)
        scores.append(mase)
    ratios["ours"].append(ours[s["name"]] / best)
    print(f"{s['name']:20} " + " ".join(f"{v:10.3f}" for v in scores) + f" {ours[s['name']]:8.3f} {r_mase[(s['name'], 'theta')]:8.3f} {best:8.3f}")
print("geometric mean / best R: " + ", ".join(f"{name} {math.exp(sum(map(math.log, v)) / len(v)):.3f}" for name, v in ratios.items() if v))
