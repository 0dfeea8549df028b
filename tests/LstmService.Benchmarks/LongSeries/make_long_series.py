#!/usr/bin/env python3
"""Writes three long synthetic series (a random-walk level plus daily and weekly cycles and noise) in the forecast suite's
layout, to time the default recipe on series longer than the suite's: a year of half-hours (17,520 values, seasons 48 and
336), a year of hours (8,760, seasons 24 and 168) and ten years of days (3,650, weekly and yearly cycles).

    python3 tests/LstmService.Benchmarks/LongSeries/make_long_series.py /tmp/longsuite
    dotnet run -c Release --project tests/LstmService.Benchmarks -- suite --data /tmp/longsuite

They measure training time (the suite command's "train s"); r_baselines.tsv holds placeholders (every R method at MASE 1.0),
so the suite's columns against R mean nothing here. Deterministic (seed 1)."""
import json, math, os, random, sys

out = sys.argv[1] if len(sys.argv) > 1 else "longsuite"
os.makedirs(out, exist_ok=True)
random.seed(1)
manifest, rows = [], ["series\tm\th\ttest\torigins\tpoints\tmethod\tmodel\trmse\tmae\tmase\tcov80\tscale\tfit_s\tforecast_s\tfailures"]

def write(name, values, m, h, test, kind):
    with open(os.path.join(out, name + ".csv"), "w") as f:
        f.write("time,value\n")
        for i, v in enumerate(values):
            f.write(f"{i},{v:.4f}\n")
    manifest.append(dict(name=name, file=name + ".csv", kind=kind, m=m, horizon=h, test=test, n=len(values)))
    for method in ["auto.arima", "ets", "theta", "snaive", "naive"]:
        rows.append(f"{name}\t{m}\t{h}\t{test}\t1\t1\t{method}\tplaceholder\t1\t1\t1\t0.8\t1\t0\t0\t0")

def series(n, level, step, cycles, noise):
    values = []
    for t in range(n):
        level += random.gauss(0, step)
        values.append(level + sum(a * math.sin(2 * math.pi * t / p) for a, p in cycles) + random.gauss(0, noise))
    return values

write("halfhourly17k", series(17520, 1000, 2, [(200, 48), (80, 336)], 20), 48, 48, 336, "half-hourly")
write("hourly8760", series(8760, 500, 1, [(100, 24), (40, 168)], 10), 24, 24, 168, "hourly")
write("daily3650", series(3650, 100, 0.5, [(10, 7), (20, 365.25)], 3), 7, 14, 56, "daily")
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1)
with open(os.path.join(out, "r_baselines.tsv"), "w") as f:
    f.write("\n".join(rows) + "\n")
print(f"wrote {len(manifest)} series to {out}")
