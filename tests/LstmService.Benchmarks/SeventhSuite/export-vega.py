import csv, json, datetime, collections
# Writes the vega-datasets half of the seventh suite into this folder and joins export.R's manifest (run from it, after
# export.R): npm install vega-datasets@3.2.1 --prefix /tmp/vega && python3 export-vega.py /tmp/vega/node_modules/vega-datasets/data/
import sys
D = sys.argv[1].rstrip("/") + "/"
out = "./"
man = []
def add(name, t, y, kind, m, h, test, note):
    with open(out + name + ".csv", "w") as f:
        f.write("t,value\n")
        for a, b in zip(t, y): f.write(f"{a},{b}\n")
    n = len(y)
    man.append(dict(name=name, file=name + ".csv", kind=kind, m=m, horizon=h, test=test, n=n, n_train=n - test,
                    origins=test - h + 1, na=0, na_train=0, r_frequency=m, source="vega-datasets (npm)", note=note))
rows = list(csv.DictReader(open(D + "seattle-weather-hourly-normals.csv")))
rows = rows[-1008:]
add("seattle_temp_hourly", [r["date"] for r in rows], [r["temperature"] for r in rows], "hourly", 24, 48, 96, "Seattle hourly temperature normals, Nov-Dec (last 1008 h)")
# github hourly counts, missing hours are zero
cnt = {}
for r in csv.DictReader(open(D + "github.csv")):
    cnt[datetime.datetime.strptime(r["time"], "%Y/%m/%d %H:%M:%S")] = int(r["count"])
t0, t1 = min(cnt), max(cnt)
ts = []; t = t0
while t <= t1: ts.append(t); t += datetime.timedelta(hours=1)
ts = ts[-1008:]
add("github_hourly", [x.strftime("%Y-%m-%dT%H") for x in ts], [cnt.get(x, 0) for x in ts], "hourly", 24, 48, 96, "hourly commit counts of one repo, mostly zero (last 1008 h)")
sw = list(csv.DictReader(open(D + "seattle-weather.csv")))
add("seattle_tmax", [r["date"] for r in sw], [r["temp_max"] for r in sw], "daily", 7, 14, 42, "Seattle daily max temperature 2012-15, annual cycle")
add("seattle_precip", [r["date"] for r in sw], [r["precipitation"] for r in sw], "daily", 7, 14, 42, "Seattle daily precipitation, many zeros, heavy tail")
wk = collections.OrderedDict()
for i, r in enumerate(sw):
    wk.setdefault(i // 7, []).append(float(r["temp_max"]))
wv = [round(sum(v) / len(v), 3) for v in wk.values() if len(v) == 7]
add("seattle_tmax_weekly", list(range(1, len(wv) + 1)), wv, "weekly", 52, 13, 26, "weekly mean of Seattle daily max temperature (208 weeks), annual cycle")
ua = json.load(open(D + "unemployment-across-industries.json"))
for ser, nm in [("Construction", "unemp_construction"), ("Leisure and hospitality", "unemp_leisure")]:
    v = sorted([x for x in ua if x["series"] == ser], key=lambda x: (x["year"], x["month"]))
    add(nm, [f'{x["year"]}-{x["month"]:02d}' for x in v], [x["count"] for x in v], "monthly", 12, 12, 36, f"US unemployed in {ser} (thousands), monthly 2000-10, recession")
st = [r for r in csv.DictReader(open(D + "stocks.csv")) if r["symbol"] == "AAPL"]
add("AAPL_monthly", [r["date"].replace(" ", "_") for r in st], [r["price"] for r in st], "monthly", 12, 12, 36, "AAPL monthly price 2000-10, exponential growth and crash")
gt = list(csv.DictReader(open(D + "global-temp.csv")))
add("global_temp", [r["year"] for r in gt], [r["temp"] for r in gt], "yearly", 1, 8, 24, "global temperature anomaly 1880-2023, trend, negative values")
mr = json.load(open("manifest-r.json"))
json.dump(mr + man, open(out + "manifest.json", "w"), indent=2)
print(len(mr + man))
