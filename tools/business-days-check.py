#!/usr/bin/env python3
"""Business days over HTTP: trains a CSV of 400 weekdays (a pattern over the week, a slow trend, noise of deviation 4,
the last 10 held out) on a running service, then forecasts the 10 held-out days from the history's last 120 values and
from its plain values under the series' id, and prints the frequency, the season, the forecast dates, the mean absolute
error against a seasonal naive forecast's (5 business days) and the 0.1-0.9 coverage. Python's standard library only.

    python3 tools/business-days-check.py [http://localhost:8080]
"""
import datetime as dt
import json
import random
import sys
import time
import urllib.request
import uuid

URL = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://localhost:8080"


def call(method, path, body=None, raw=None, ctype="application/json"):
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(URL + path, data, {"Content-Type": ctype} if data is not None else {}, method=method)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read().decode() or "null")


def train_csv(model, csv, fields):
    boundary = "----check" + uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="orders.csv"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n')
    job = call("POST", f"/models/{model}/training-jobs", raw="".join(parts).encode(), ctype="multipart/form-data; boundary=" + boundary)
    while job["status"] not in ("succeeded", "failed", "cancelled"):
        time.sleep(1)
        job = call("GET", f"/training-jobs/{job['id']}")
    return job


random.seed(1)
day, rows, level = dt.date(2023, 1, 2), [], 0.0
pattern = [120, 135, 140, 130, 95]  # Monday to Friday
while len(rows) < 400:
    if day.weekday() < 5:
        level += 0.05
        rows.append((day.isoformat(), round(pattern[day.weekday()] + level + random.gauss(0, 4), 2)))
    day += dt.timedelta(days=1)
horizon = 10
train, test = rows[:-horizon], rows[-horizon:]
job = train_csv("business-days-check", "date,orders\n" + "\n".join(f"{d},{v}" for d, v in train) + "\n", {"horizon": str(horizon)})
print("job", job["status"], job.get("error") or "")
version = call("GET", f"/models/business-days-check/versions/{job['version']}")
print("frequency", version["timing"]["frequency"], "season", version["architecture"]["seasonLength"])

history = [v for _, v in train]
actual = [v for _, v in test]
naive = [history[len(history) - 5 + (i % 5)] for i in range(horizon)]
for label, series in (("last 120 values with timestamps", {"id": "orders", "history": history[-120:], "timestamps": [d for d, _ in train][-120:]}),
                      ("plain values under the id", {"id": "orders", "history": history})):
    forecast = call("POST", "/models/business-days-check/forecast", {"series": [series]})["forecasts"][0]
    mae = sum(abs(m - a) for m, a in zip(forecast["mean"], actual)) / horizon
    covered = sum(lo <= a <= hi for lo, hi, a in zip(forecast["quantiles"]["0.1"], forecast["quantiles"]["0.9"], actual)) / horizon
    print(f"{label}: dates {forecast['timestamps'][0][:10]} .. {forecast['timestamps'][-1][:10]}, "
          f"MAE {mae:.2f} (seasonal naive {sum(abs(n - a) for n, a in zip(naive, actual)) / horizon:.2f}), 0.1-0.9 coverage {covered:.1f}")
