#!/usr/bin/env python3
# Writes this folder's four daily series (t,value; a missing day as an empty value) and manifest.json from their public
# sources, cloned beside each other:
#   git clone https://github.com/facebook/prophet /tmp/prophet      (examples/: Wikipedia page views, pedestrian counts)
#   git clone https://github.com/selva86/datasets /tmp/selva86      (daily-min-temperatures.csv: Melbourne, 1981-1990)
#   python3 export.py /tmp/prophet /tmp/selva86 && Rscript r_baselines.R
# The series were chosen for being multi-year daily data of other sources before any was forecast. The protocol is the
# second suite's: horizon 14 (two weeks), a test region of three horizons, m = 7 (R's usual frequency for daily data).
import csv, datetime, json, os, sys

prophet, selva = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
SERIES = [
    ("melbourne_min_temp", os.path.join(selva, "daily-min-temperatures.csv"), "daily minimum temperature, Melbourne 1981-1990 (Australian Bureau of Meteorology)"),
    ("wp_log_peyton", os.path.join(prophet, "examples", "example_wp_log_peyton_manning.csv"), "log daily Wikipedia views of Peyton Manning's page, 2007-2016 (Prophet's example)"),
    ("wp_log_R", os.path.join(prophet, "examples", "example_wp_log_R.csv"), "log daily Wikipedia views of the R language's page, 2008-2015 (Prophet's example)"),
    ("pedestrians", os.path.join(prophet, "examples", "example_pedestrians_covid.csv"), "daily pedestrian counts, 2017-2021, through COVID-19 (Prophet's example)"),
]
H, TEST, M = 14, 42, 7


def daily(path):
    """The file's (date, value) rows on a calendar of every day from the first to the last (None where a day is missing)."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))[1:]
    values = {datetime.date.fromisoformat(r[0].strip('"')): float(r[1]) for r in rows}
    day, last, out = min(values), max(values), []
    while day <= last:
        out.append((day, values.get(day)))
        day += datetime.timedelta(days=1)
    return out


manifest = []
for name, path, note in SERIES:
    series = daily(path)
    with open(os.path.join(here, name + ".csv"), "w") as f:
        f.write("t,value\n")
        for day, v in series:
            f.write(f"{day.isoformat()},{'' if v is None else repr(v)}\n")
    manifest.append(dict(name=name, file=name + ".csv", kind="daily", m=M, horizon=H, test=TEST, n=len(series),
                         n_train=len(series) - TEST, origins=TEST - H + 1, na=sum(v is None for _, v in series),
                         r_frequency=M, source="public", note=note))
with open(os.path.join(here, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1)
    f.write("\n")
