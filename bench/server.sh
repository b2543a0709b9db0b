#!/usr/bin/env bash
# The HTTP API under load (wrk, Debian's): GET /v2/{mode}/tasks/{id} of a finished task
# and the server's own /health at 64 connections, then durable submits from 32
# connections (one in-process worker running them meanwhile), against the release
# qsh-server on a temporary database on loopback. Prints wrk's figures.
#   SERVER_DURATION   seconds per wrk run (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
qsh=.build/release/qsh
duration="${SERVER_DURATION:-10}"
command -v wrk >/dev/null || { echo "bench/server.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
dir=$(mktemp -d)
server_pid=
trap '[[ -n "$server_pid" ]] && kill -TERM "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
export QSH_DB="$dir/tasks.sqlite" QSH_NO_AUTOSTART=1
token=$($qsh tokens create --user bench --scope submit --expires 1h -q)
$qsh serve --listen 127.0.0.1:0 --workers 1 --rate-limit 0 2>"$dir/server.log" &
server_pid=$!
for _ in $(seq 100); do grep -q 'listening on' "$dir/server.log" && break; sleep 0.05; done
port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$dir/server.log" | grep -o '[0-9]*$')
base="http://127.0.0.1:$port"
program='OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n'
id=$(curl -s -X POST "$base/v2/tasks" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"program\": \"$program\", \"shots\": 100}" | sed -n 's/.*"id": "\([^"]*\)".*/\1/p' | head -1)
# The task the GETs read has run (a finished task, as a client polling for results sees it).
for _ in $(seq 100); do
    curl -s "$base/v2/tasks/$id" -H "Authorization: Bearer $token" | grep -q '"Completed"' && break
    sleep 0.05
done
cat > "$dir/get.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $token"
LUA
cat > "$dir/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"program": "$program", "shots": 100}]]
LUA
echo "== GET /v2/sim-statevector/tasks/{id}, 64 connections, ${duration}s"
wrk -t1 -c64 -d"${duration}s" --latency -s "$dir/get.lua" "$base/v2/sim-statevector/tasks/$id" | sed -n '/Latency Distribution/,$p'
echo "== GET /health (the framework's ceiling), 64 connections, ${duration}s"
wrk -t1 -c64 -d"${duration}s" --latency "$base/health" | sed -n '/Latency Distribution/,$p'
echo "== POST /v2/tasks (durable submits), 32 connections, ${duration}s"
wrk -t1 -c32 -d"${duration}s" --latency -s "$dir/post.lua" "$base/v2/tasks" | sed -n '/Latency Distribution/,$p'
echo "tasks stored: $($qsh tasks list --json --limit 1 | sed -n 's/.*"total": \([0-9]*\).*/\1/p')"
