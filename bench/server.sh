#!/usr/bin/env bash
# bench/server.sh QSH: the Direct API under load, run by `make bench` (bench/run.sh, part `server`).
# Drives `qsh serve` on a loopback port with wrk (-t1 -c64 -d10s --latency):
#   - GET /v2/{mode}/tasks/{id} at 64 connections (target >= 10,000 requests/s, p99 <= 10 ms),
#     beside GET /health in the same run: the framework's own ceiling on this machine;
#   - durable submits, POST /v2/{mode}/tasks from 32 connections (target >= 1,000 tasks/s);
#   - `qsh tasks get ID` as a whole process, through the server vs on the file (target <= 2x).
# The GETs read a finished task, as a client polling for results does. The server runs no
# workers here (--workers 0): submitted tasks stay queued, so the simulator takes no core
# from the server. Knobs: SERVER_BENCH_SECONDS (default 10). Also `make bench-server`.
set -euo pipefail
cd "$(dirname "$0")/.."
qsh="$(cd "$(dirname "${1:-.build/release/qsh}")" && pwd)/$(basename "${1:-.build/release/qsh}")"
seconds="${SERVER_BENCH_SECONDS:-10}"
for tool in wrk hyperfine; do
    command -v "$tool" >/dev/null || { echo "   $tool not found (apt-get install $tool); part skipped" >&2; exit 0; }
done
work="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export QSH_NO_AUTOSTART=1 LC_ALL=C XDG_CACHE_HOME="$work/cache" XDG_CONFIG_HOME="$work/config"
db="$work/tasks.sqlite"

cat > "$work/bell.qasm" <<'QASM'
OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
cx q[0], q[1];
measure q -> c;
QASM
id=$(QSH_DB=$db "$qsh" tasks submit "$work/bell.qasm" --shots 100 -q)
QSH_DB=$db "$qsh" worker --once 2>/dev/null
export QSH_TOKEN
QSH_TOKEN=$(QSH_DB=$db "$qsh" tokens create --user bench --scope admin -o json 2>/dev/null |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])')

QSH_DB=$db "$qsh" serve --listen 127.0.0.1:0 --workers 0 --rate-limit 0 2> "$work/server.log" &
server=$!
for _ in $(seq 1 100); do
    url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/server.log" | head -1)
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { echo "   the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
mode=$(QSH_DB=$db "$qsh" qpus get sim:statevector -o json | python3 -c 'import json, sys; print(json.load(sys.stdin)["mode"])')

# wrk's summary: requests/s and the 99th percentile latency.
wrk_line() {
    awk '/Requests\/sec/ {r=$2} / 99%/ {p=$2} /Non-2xx/ {e=$NF}
        END {printf "%8.0f requests/s, p99 %s%s", r, p, (e ? ", " e " answers not 2xx" : "")}'
}
cat > "$work/auth.lua" <<'LUA'
wrk.headers["Authorization"] = "Bearer " .. os.getenv("QSH_TOKEN")
LUA
cat > "$work/submit.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("QSH_TOKEN")
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"program": "OPENQASM 2.0;\\ninclude \\"qelib1.inc\\";\\nqreg q[1];\\ncreg c[1];\\nh q[0];\\nmeasure q -> c;\\n", "shots": 10}'
LUA

health=$(wrk -t1 -c64 -d"${seconds}s" --latency "$url/health" | wrk_line)
get=$(wrk -t1 -c64 -d"${seconds}s" --latency -s "$work/auth.lua" "$url/v2/$mode/tasks/$id" | wrk_line)
before=$(sqlite3 "$db" 'SELECT count(*) FROM tasks')
submit=$(wrk -t1 -c32 -d"${seconds}s" --latency -s "$work/submit.lua" "$url/v2/$mode/tasks" | wrk_line)
after=$(sqlite3 "$db" 'SELECT count(*) FROM tasks')
printf '   %-50s %s\n' "GET /health, 64 connections:" "$health (the framework's ceiling)"
printf '   %-50s %s\n' "GET /v2/$mode/tasks/{id}, 64 connections:" "$get (target >= 10,000/s, p99 <= 10 ms)"
printf '   %-50s %s\n' "POST /v2/$mode/tasks, 32 connections:" "$submit (target >= 1,000/s)"
printf '   %-50s %s\n' "tasks stored by the submits:" "$((after - before)) in ${seconds} s"

hyperfine -N --warmup 10 --runs 200 --export-json "$work/get.json" \
    -n local "env QSH_DB=$db $qsh tasks get $id -o json" \
    -n remote "env QSH_API=$url QSH_TOKEN=$QSH_TOKEN $qsh tasks get $id -o json" >/dev/null
python3 - "$work/get.json" <<'PY'
import json, statistics, sys
runs = {r["command"]: statistics.median(r["times"]) * 1000 for r in json.load(open(sys.argv[1]))["results"]}
local, remote = runs["local"], runs["remote"]
print(f"   {'qsh tasks get, whole process (median):':50} local {local:.2f} ms, remote {remote:.2f} ms, "
      f"{remote / local:.2f}x (target <= 2x)")
PY
