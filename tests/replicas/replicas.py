#!/usr/bin/env python3
"""Several service processes on one PostgreSQL database: the multi-replica check and the README's "Scaling out" figures.

  python3 tests/replicas/replicas.py [--jobs 20] [--replicas 3] [--throughput 1,2,3] [--prometheus]

Needs a Release build (dotnet build LstmService.sln -c Release) and a PostgreSQL server: LSTMSERVICE_TEST_POSTGRES (a role
that may create databases), else a throwaway cluster from Debian's postgresql (.ci/postgres.sh). Each run uses a fresh
database, dropped at the end. Steps:
  1. kill:       N replicas, J jobs submitted round-robin; the replica that runs a job is killed with SIGKILL while it
                 trains; every job must end succeeded exactly once (one version each, numbers unique), every version
                 forecasts from every surviving replica, and the aliases agree. Prints the time from the kill to the
                 job running on another replica.
  2. visibility: an alias moved and a version trained through one replica, seen by another (time to first answer).
  3. throughput: training jobs per minute with 1, 2 and 3 replicas (same jobs, fresh database each), and one-series
                 forecasts per second with wrk (16 connections split over the replicas), when wrk is installed.
  4. prometheus: (with --prometheus and Debian's prometheus) a real Prometheus scrapes the replicas; its API must
                 report them up and carry the service's metrics.
Exits non-zero when a check fails.
"""
import argparse, json, math, os, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.error, urllib.parse, urllib.request, uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DLL = os.path.join(ROOT, "src/LstmService/bin/Release/net10.0/LstmService.dll")
failures = []


def check(ok, message):
    print(("  ok    " if ok else "  FAIL  ") + message, flush=True)
    if not ok:
        failures.append(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, timeout=30):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw and r.headers.get_content_type().endswith("json") else raw.decode())
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def psql_args(cs):
    parts = dict(p.split("=", 1) for p in cs.split(";") if "=" in p)
    return parts.get("Host", "127.0.0.1"), parts.get("Port", "5432"), parts.get("Username", "postgres"), parts.get("Database", "postgres")


def admin_sql(cs, sql):
    host, port, user, db = psql_args(cs)
    subprocess.run(["psql", "-h", host, "-p", port, "-U", user, "-d", db, "-qtAc", sql], check=True, stdout=subprocess.PIPE)


def server():
    cs = os.environ.get("LSTMSERVICE_TEST_POSTGRES")
    if cs:
        return cs, None
    out = subprocess.run(["bash", "-c", f". '{ROOT}/.ci/postgres.sh' && start_test_postgres >&2 && trap - EXIT && "
                          "echo \"$LSTMSERVICE_TEST_POSTGRES\" && echo \"$PG_TEST_STOP\""], check=True, stdout=subprocess.PIPE, text=True).stdout.splitlines()
    if not out or not out[0]:
        sys.exit("no PostgreSQL: set LSTMSERVICE_TEST_POSTGRES or install Debian's postgresql")
    return out[0], out[1]


class Replica:
    def __init__(self, name, cs, logdir, lease, workers=1):
        self.name, self.port = name, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = os.path.join(logdir, name + ".log")
        args = ["dotnet", DLL, "--urls", self.url, "--Storage:Provider=postgres", f"--Storage:ConnectionString={cs}",
                "--Storage:SyncIntervalMilliseconds=500", f"--TrainingQueue:Workers={workers}", "--TrainingQueue:Capacity=1000",
                f"--TrainingQueue:LeaseSeconds={lease}", "--TrainingQueue:PollMilliseconds=200", "--TrainingQueue:ProgressWriteIntervalMilliseconds=50",
                "--Demo:TrainSampleOnFirstStart=false",
                "--RateLimits:ForecastPermits=0", "--RateLimits:ForecastPointPermits=0", "--RateLimits:TrainingSubmitPermits=0", "--Logs:Format=json",
                "--Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware=Warning"]
        self.process = subprocess.Popen(args, stdout=open(self.log, "w"), stderr=subprocess.STDOUT, cwd=os.path.dirname(DLL))
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if http("GET", self.url + "/health/ready", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not become ready (see {self.log})")

    def started_jobs(self):
        with open(self.log) as f:
            return [json.loads(l).get("JobId") for l in f if '"@m":"Job ' in l and " started:" in l]

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def job_request(seed, epochs):
    values = [10 + 5 * math.sin(2 * math.pi * t / 12) + (t % 7) * 0.1 for t in range(600)]
    return {"seed": seed, "series": [{"id": "s", "values": values}], "inputWindow": 24, "horizon": 6, "hiddenSize": 16,
            "epochs": epochs, "patience": epochs, "batchSize": 32, "ensemble": 1}


def wait_all(url, ids, timeout):
    deadline, jobs = time.time() + timeout, {}
    while time.time() < deadline:
        jobs = {i: http("GET", f"{url}/training-jobs/{i}")[1] for i in ids}
        if all(j["status"] in ("succeeded", "failed", "cancelled") for j in jobs.values()):
            return jobs
        time.sleep(0.25)
    raise RuntimeError("jobs did not end: " + ", ".join(f"{i}:{j['status']}" for i, j in jobs.items()))


class Database:
    def __init__(self, admin):
        self.admin, self.name = admin, "lstm_replicas_" + uuid.uuid4().hex[:12]
        admin_sql(admin, f"CREATE DATABASE {self.name}")
        self.cs = ";".join(p for p in admin.split(";") if p and not p.startswith("Database=")) + f";Database={self.name}"

    def drop(self):
        admin_sql(self.admin, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


def kill_scenario(admin, logdir, replicas, jobs, epochs, lease):
    print(f"== kill: {replicas} replicas, {jobs} jobs round-robin, one replica SIGKILLed while training (LeaseSeconds {lease})", flush=True)
    db = Database(admin)
    nodes = [Replica(f"kill-r{i}", db.cs, logdir, lease) for i in range(replicas)]
    try:
        ids = []
        for i in range(jobs):
            status, job = http("POST", f"{nodes[i % replicas].url}/models/bench/training-jobs", job_request(i, epochs))
            assert status == 202, (status, job)
            ids.append(job["id"])
        victim = nodes[-1]
        deadline, orphan, before = time.time() + 300, None, None
        while orphan is None and time.time() < deadline:  # the victim's job, caught while it trains (past its first epoch)
            for started in reversed(victim.started_jobs()):
                j = http("GET", f"{nodes[0].url}/training-jobs/{started}")[1]
                if j["status"] == "running" and j["epoch"] >= 1:
                    orphan, before = started, j
                    break
            else:
                time.sleep(0.02)
        if orphan is None:
            raise RuntimeError(f"{victim.name} was never seen training a job")
        killed_at = time.time()
        victim.kill()
        survivors = nodes[:-1]
        print(f"  killed {victim.name} (pid {victim.process.pid}) running job {orphan} at epoch {before['epoch']}", flush=True)
        takeover = None
        while time.time() < killed_at + lease * 4 + 60:
            j = http("GET", f"{survivors[0].url}/training-jobs/{orphan}")[1]
            if j["status"] in ("running", "succeeded") and j["attempts"] == 2:
                takeover = time.time() - killed_at
                break
            time.sleep(0.05)
        check(takeover is not None, f"the killed replica's job ran again elsewhere after {takeover or float('nan'):.1f} s (lease {lease} s)")
        done = wait_all(survivors[0].url, ids, 900)
        check(all(j["status"] == "succeeded" for j in done.values()), f"all {jobs} jobs succeeded: "
              + ", ".join(sorted({j['status'] for j in done.values()})))
        versions = sorted(j["version"] for j in done.values())
        check(versions == list(range(1, jobs + 1)), f"one version per job, numbers unique 1..{jobs}: {versions}")
        check(done[orphan]["attempts"] == 2 and all(j["attempts"] == 1 for i, j in done.items() if i != orphan),
              "the killed job ran twice (attempts 2), every other job once")
        by_finish = [j["version"] for j in sorted(done.values(), key=lambda j: j["finishedAt"])]
        check(by_finish == sorted(by_finish), "version numbers increase with the jobs' finishing order")
        history = {"series": [{"history": [10 + (t % 12) for t in range(48)]}]}
        ok = all(http("POST", f"{n.url}/models/bench/forecast?version={v}", history)[1]["version"] == v
                 for n in survivors for v in range(1, jobs + 1))
        check(ok, f"every version forecasts from every surviving replica ({len(survivors)} x {jobs})")
        http("PUT", f"{survivors[0].url}/models/bench/aliases/production", {"version": 1})
        http("PUT", f"{survivors[-1].url}/models/bench/aliases/canary", {"version": jobs})
        aliases = [http("GET", f"{n.url}/models/bench")[1]["aliases"] for n in survivors]
        check(all(a == {"production": 1, "canary": jobs} for a in aliases), f"aliases agree on every replica: {aliases}")
        check(all(http("POST", f"{n.url}/models/bench/forecast?alias=canary", history)[1]["version"] == jobs for n in survivors),
              "every surviving replica forecasts through the alias set on another")
        return takeover
    finally:
        for n in nodes:
            n.stop()
        db.drop()


def visibility(admin, logdir, rounds):
    print(f"== visibility: change through replica A, first answer reflecting it from replica B ({rounds} rounds)", flush=True)
    db = Database(admin)
    a, b = Replica("vis-a", db.cs, logdir, 30), Replica("vis-b", db.cs, logdir, 30, workers=0)
    try:
        history = {"series": [{"history": [10 + (t % 12) for t in range(48)]}]}
        for i in range(2):
            j = http("POST", f"{a.url}/models/vis/training-jobs", job_request(i, 2))[1]
            wait_all(a.url, [j["id"]], 300)
        for v in (1, 2):  # B loads both versions first, so the delays below are the database round trip, not a model load
            http("POST", f"{b.url}/models/vis/forecast?version={v}", history)
        alias_delays, version_delays, delete_delays = [], [], []
        for r in range(rounds):
            target = 1 + r % 2
            http("PUT", f"{a.url}/models/vis/aliases/live", {"version": target})
            t0 = time.perf_counter()
            while http("POST", f"{b.url}/models/vis/forecast?alias=live", history)[1]["version"] != target:
                pass
            alias_delays.append(time.perf_counter() - t0)
        j = http("POST", f"{a.url}/models/vis/training-jobs", job_request(9, 2))[1]
        while http("GET", f"{a.url}/training-jobs/{j['id']}")[1]["status"] != "succeeded":
            time.sleep(0.001)
        t0 = time.perf_counter()
        while http("POST", f"{b.url}/models/vis/forecast", history)[1]["version"] != 3:
            pass
        version_delays.append(time.perf_counter() - t0)
        http("DELETE", f"{a.url}/models/vis")
        t0 = time.perf_counter()
        while http("POST", f"{b.url}/models/vis/forecast", history)[0] != 404:
            pass
        delete_delays.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        while "lstm_model_cache_models 0" not in http("GET", f"{b.url}/metrics")[1]:
            time.sleep(0.01)
        evicted = time.perf_counter() - t0
        alias_delays.sort()
        print(f"  alias moved on A -> B forecasts with it: median {alias_delays[len(alias_delays) // 2] * 1000:.1f} ms, "
              f"max {alias_delays[-1] * 1000:.1f} ms (one forecast round trip: B resolves in the database)", flush=True)
        print(f"  version stored by A -> B's newest: {version_delays[0] * 1000:.1f} ms; model deleted on A -> B answers 404: "
              f"{delete_delays[0] * 1000:.1f} ms; B's cache emptied after {evicted:.2f} s (Storage:SyncIntervalMilliseconds 500)", flush=True)
        check(alias_delays[-1] < 1 and version_delays[0] < 1 and delete_delays[0] < 1, "every change visible on the other replica within 1 s")
        check(evicted < 2, "the deleted model left the other replica's cache within 2 s")
    finally:
        a.stop(); b.stop(); db.drop()


def throughput(admin, logdir, counts, jobs, epochs):
    results = {}
    for n in counts:
        db = Database(admin)
        nodes = [Replica(f"tp{n}-r{i}", db.cs, logdir, 30) for i in range(n)]
        try:
            t0 = time.time()
            ids = [http("POST", f"{nodes[i % n].url}/models/tp/training-jobs", job_request(i, epochs))[1]["id"] for i in range(jobs)]
            done = wait_all(nodes[0].url, ids, 1800)
            elapsed = time.time() - t0
            check(all(j["status"] == "succeeded" for j in done.values()), f"{n} replica(s): {jobs} jobs succeeded")
            results[n] = jobs / elapsed * 60
            forecasts = forecast_rate(nodes, logdir) if shutil.which("wrk") else float("nan")
            print(f"  {n} replica(s): {jobs} jobs in {elapsed:.1f} s = {results[n]:.1f} jobs/min; "
                  f"forecasts (one series of 48, 16 connections split over the replicas, 10 s): {forecasts:,.0f} req/s", flush=True)
        finally:
            for node in nodes:
                node.stop()
            db.drop()
    return results


def forecast_rate(nodes, logdir, connections=16, seconds=10):
    """Requests per second of one-series forecasts of version 1 with wrk, the connections split over the replicas at once."""
    body = json.dumps({"series": [{"history": [10 + (t % 12) for t in range(48)]}]})
    script = os.path.join(logdir, "forecast.lua")
    with open(script, "w") as f:
        f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = ' + json.dumps(body) + "\n")
    for node in nodes:  # each replica loads the model before the clock starts
        http("POST", f"{node.url}/models/tp/forecast?version=1", json.loads(body))
    share = [connections // len(nodes) + (1 if i < connections % len(nodes) else 0) for i in range(len(nodes))]
    runs = [subprocess.Popen(["wrk", "-t1", f"-c{c}", f"-d{seconds}s", "-s", script, f"{node.url}/models/tp/forecast?version=1"],
                             stdout=subprocess.PIPE, text=True) for node, c in zip(nodes, share)]
    total = 0.0
    for run in runs:
        out, _ = run.communicate()
        total += float(next(l.split()[1] for l in out.splitlines() if l.startswith("Requests/sec:")))
    return total


def prometheus_scrape(admin, logdir):
    print("== prometheus: a real Prometheus scrapes two replicas", flush=True)
    if not shutil.which("prometheus"):
        check(False, "no prometheus binary (apt-get install prometheus)")
        return
    db = Database(admin)
    nodes = [Replica(f"prom-r{i}", db.cs, logdir, 30) for i in range(2)]
    work = tempfile.mkdtemp(prefix="lstm-prom-")
    port = free_port()
    config = os.path.join(work, "prometheus.yml")
    with open(config, "w") as f:
        f.write("global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: lstm-service\n    static_configs:\n"
                f"      - targets: [{', '.join(repr(n.url[7:]) for n in nodes)}]\n")
    prom = subprocess.Popen(["prometheus", f"--config.file={config}", f"--storage.tsdb.path={work}/data",
                             f"--web.listen-address=127.0.0.1:{port}"], stdout=open(os.path.join(logdir, "prometheus.log"), "w"), stderr=subprocess.STDOUT)
    try:
        j = http("POST", f"{nodes[0].url}/models/prom/training-jobs", job_request(1, 2))[1]
        wait_all(nodes[0].url, [j["id"]], 300)
        http("POST", f"{nodes[1].url}/models/prom/forecast", {"series": [{"history": [10 + (t % 12) for t in range(48)]}]})
        def query(q):
            # Prometheus may still be starting (the job and the forecast can finish before it listens): keep polling.
            try:
                status, body = http("GET", f"http://127.0.0.1:{port}/api/v1/query?query=" + urllib.parse.quote(q))
            except urllib.error.URLError:
                return []
            return body["data"]["result"] if status == 200 else []
        deadline, up, jobs, forecasts = time.time() + 60, [], [], []
        while time.time() < deadline:
            up = query("up{job='lstm-service'} == 1")
            jobs = query("sum(lstm_training_jobs_total{outcome='succeeded'})")
            forecasts = query("sum(lstm_forecast_requests_total)")
            if len(up) == 2 and jobs and float(jobs[0]["value"][1]) == 1 and forecasts and float(forecasts[0]["value"][1]) == 1:
                break
            time.sleep(0.5)
        check(len(up) == 2, f"Prometheus scrapes both replicas (up == 1 for {len(up)} targets)")
        check(bool(jobs) and float(jobs[0]["value"][1]) == 1, "Prometheus has lstm_training_jobs_total{outcome=succeeded} = 1")
        check(bool(forecasts) and float(forecasts[0]["value"][1]) == 1, "Prometheus has lstm_forecast_requests_total = 1")
    finally:
        prom.send_signal(signal.SIGTERM); prom.wait(30)
        for n in nodes:
            n.stop()
        db.drop()
        shutil.rmtree(work, ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--replicas", type=int, default=3)
    p.add_argument("--jobs", type=int, default=20)
    p.add_argument("--epochs", type=int, default=20, help="epochs of each job (about 1 s of training per 10 on this machine)")
    p.add_argument("--lease", type=int, default=5, help="TrainingQueue:LeaseSeconds of the kill scenario")
    p.add_argument("--throughput", default="1,2,3", help="replica counts to time; empty to skip")
    p.add_argument("--throughput-jobs", type=int, default=12)
    p.add_argument("--prometheus", action="store_true")
    p.add_argument("--skip-kill", action="store_true")
    args = p.parse_args()
    if not os.path.exists(DLL):
        sys.exit(f"build first: dotnet build LstmService.sln -c Release ({DLL} is missing)")
    admin, stop = server()
    logdir = tempfile.mkdtemp(prefix="lstm-replicas-")
    print(f"logs in {logdir}", flush=True)
    try:
        if not args.skip_kill:
            kill_scenario(admin, logdir, args.replicas, args.jobs, args.epochs, args.lease)
        visibility(admin, logdir, 20)
        if args.throughput:
            print(f"== throughput: {args.throughput_jobs} jobs of {args.epochs} epochs, one worker per replica", flush=True)
            throughput(admin, logdir, [int(n) for n in args.throughput.split(",")], args.throughput_jobs, args.epochs)
        if args.prometheus:
            prometheus_scrape(admin, logdir)
    finally:
        if stop:
            subprocess.run(["bash", "-c", stop])
    print(f"{len(failures)} failed checks" if failures else "all checks passed", flush=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
