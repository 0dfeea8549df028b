#!/usr/bin/env python3
# Writes this folder's series (t,value) and manifest.json: a fixed random sample of the M4 competition's hourly and weekly
# series (Makridakis, Spiliotis & Assimakopoulos 2020), frequencies the other suites hardly hold, drawn before any was
# forecast. Each is M4's history and its held-out future joined; the test region is two of M4's horizons (48 hours,
# 13 weeks) and m is M4's frequency (24 for hourly, 1 for weekly), for the MASE and for R:
#   git clone https://github.com/Mcompetitions/M4-methods /tmp/M4-methods
#   python3 export.py /tmp/M4-methods/Dataset && Rscript r_baselines.R
import csv, json, os, random, sys

src = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
KINDS = [("Hourly", "hourly", 48, 24, 8), ("Weekly", "weekly", 13, 1, 8)]  # file, kind, horizon, m, how many


def rows(path):
    with open(path, newline="") as f:
        return {r[0]: [float(v) for v in r[1:] if v != ""] for r in list(csv.reader(f))[1:]}


manifest, draw = [], random.Random(20261203)  # one stream for both kinds
for file, kind, h, m, k in KINDS:
    train = rows(os.path.join(src, "Train", file + "-train.csv"))
    test = rows(os.path.join(src, "Test", file + "-test.csv"))
    names = sorted(train, key=lambda s: int(s[1:]))
    for name in sorted(draw.sample(names, k), key=lambda s: int(s[1:])):
        values = train[name] + test[name]
        with open(os.path.join(here, name + ".csv"), "w") as f:
            f.write("t,value\n")
            for i, v in enumerate(values, 1):
                f.write(f"{i},{v!r}\n")
        manifest.append(dict(name=name, file=name + ".csv", kind=kind, m=m, horizon=h, test=2 * h, n=len(values),
                             n_train=len(values) - 2 * h, origins=h + 1, na=0, r_frequency=m, source="M4",
                             note=f"M4 {kind} series {name}"))
with open(os.path.join(here, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1)
    f.write("\n")
