#!/bin/bash
# Stream appends under load: /health/live alone and beside 64 concurrent appends (to 100 streams on the demo model).
# usage: dotnet publish src/LstmService -c Release -o /tmp/pub && tools/stream-load.sh /tmp/pub 18900   (needs wrk, python3)
PUB=$1; PORT=$2; D=/tmp/sl-data-$PORT; rm -rf $D; mkdir -p $D
cd /tmp
ASPNETCORE_URLS=http://127.0.0.1:$PORT Storage__DataDirectory=$D RateLimits__ForecastPermits=0 RateLimits__ForecastPointPermits=0 RateLimits__TrainingSubmitPermits=0 Serilog__MinimumLevel=Warning \
  dotnet $PUB/LstmService.dll > /tmp/sl-$PORT.log 2>&1 &
PID=$!
for i in $(seq 1 120); do s=$(curl -s http://127.0.0.1:$PORT/models/sunspots 2>/dev/null | python3 -c 'import sys,json; d=json.load(sys.stdin); print(len(d.get("versions",[])))' 2>/dev/null); [ "$s" = "1" ] && break; sleep 1; done
H=$(python3 -c 'print(",".join(str(50+40*__import__("math").sin(i/1.7)) for i in range(60)))')
python3 - $PORT "$H" <<'PY'
import sys, json, urllib.request
port, h = sys.argv[1], [float(x) for x in sys.argv[2].split(",")]
ids = []
for i in range(100):
    r = urllib.request.Request(f"http://127.0.0.1:{port}/models/sunspots/streams", data=json.dumps({"seriesId": f"s{i}", "history": h}).encode(), headers={"Content-Type": "application/json"})
    ids.append(json.load(urllib.request.urlopen(r))["id"])
open(f"/tmp/sl-ids-{port}.lua", "w").write("ids={" + ",".join('"%s"' % i for i in ids) + "}\n")
PY
cat > /tmp/sl-append-$PORT.lua <<LUA
dofile("/tmp/sl-ids-$PORT.lua")
wrk.method="POST"; wrk.headers["Content-Type"]="application/json"; wrk.body='{"values":[42.5]}'
request=function() return wrk.format(nil, "/streams/"..ids[math.random(#ids)].."/observations") end
LUA
health(){ wrk -t1 -c8 -d6s --latency http://127.0.0.1:$PORT/health/live 2>&1 | awk '/Requests\/sec/{rps=$2} / 50%/{p50=$2} / 99%/{p99=$2} END{print "health c8: "rps" req/s p50 "p50" p99 "p99}'; }
echo "alone: $(health)"
wrk -t1 -c64 -d10s --timeout 10s --latency -s /tmp/sl-append-$PORT.lua http://127.0.0.1:$PORT > /tmp/sl-app-$PORT.txt 2>&1 & WPID=$!
sleep 2; echo "with appends: $(health)"; wait $WPID
echo "appends c64: $(awk '/Requests\/sec/{rps=$2} / 50%/{p50=$2} / 99%/{p99=$2} /Non-2xx/{e=$0} END{print rps" req/s p50 "p50" p99 "p99" "e}' /tmp/sl-app-$PORT.txt)"
echo "alone again: $(health)"
kill $PID; wait $PID 2>/dev/null
