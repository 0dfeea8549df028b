#!/bin/bash
# Peak memory of a weights export in torch's format (README, "Heavy requests"): registers a GRU of hidden size 1024
# (3.2 million parameters) from a generated state_dict, restarts the service so the network is not loaded, downloads
# ?format=torch and prints the process's VmHWM before and after. Usage: tools/torch-export-memory.sh PUBLISH_DIR [PORT]
# (dotnet publish src/LstmService -c Release -o PUBLISH_DIR first). FORMAT=binary downloads the binary file (12.8 MB) instead,
# and PARALLEL=N downloads it N times at once (README, "Concurrent heavy requests and the model cache").
set -euo pipefail
PUB=$1; PORT=${2:-18955}
WORK=$(mktemp -d); trap 'kill $PID 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT

start() {
  (cd "$WORK" && exec env Demo__TrainSampleOnFirstStart=false Storage__DataDirectory="$WORK/data" RequestLimits__MaxBodyBytes=268435456 \
    dotnet "$PUB/LstmService.dll" --urls "http://127.0.0.1:$PORT" > "$WORK/log" 2>&1) &
  PID=$!
  for _ in $(seq 1 60); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health/ready")" = 200 ] && return; sleep 1; done
  echo "service did not start" >&2; cat "$WORK/log" >&2; exit 1
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; }

python3 - "$WORK/register.json" <<'EOF'
import json, random, sys
random.seed(1)
H, W, steps = 1024, 24, 3
def tensor(*shape):
    n = 1
    for d in shape: n *= d
    return {"shape": list(shape), "data": [round(random.uniform(-0.03, 0.03), 6) for _ in range(n)]}
state = {"gru.weight_ih_l0": tensor(3 * H, 1), "gru.weight_hh_l0": tensor(3 * H, H), "gru.bias_ih_l0": tensor(3 * H),
         "gru.bias_hh_l0": tensor(3 * H), "head.weight": tensor(steps, H), "head.bias": tensor(steps)}
json.dump({"stateDict": state, "inputWindow": W, "horizon": steps}, open(sys.argv[1], "w"))
EOF

start
code=$(curl -s -o "$WORK/registered.json" -w "%{http_code}" -H "Content-Type: application/json" --data-binary @"$WORK/register.json" "http://127.0.0.1:$PORT/models/big/versions")
[ "$code" = 201 ] || { echo "register: $code $(head -c 600 "$WORK/registered.json")" >&2; exit 1; }
stop
start
echo "before: $(grep VmHWM /proc/$PID/status)"
downloads=()
for i in $(seq 1 "${PARALLEL:-1}"); do
  curl -sf -o "$WORK/export.$i" -w "export: %{http_code}, %{size_download} bytes\n" "http://127.0.0.1:$PORT/models/big/versions/1/weights?format=${FORMAT:-torch}" &
  downloads+=($!)
done
wait "${downloads[@]}"
echo "after:  $(grep VmHWM /proc/$PID/status)"
stop
