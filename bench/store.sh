#!/usr/bin/env bash
# bench/store.sh QSH: the task store's figures, run by `make bench` (bench/run.sh).
#   - `qsh tasks get` (a cold process) on 100,000 tasks vs the sqlite3 CLI running the
#     same SELECT on the same file (target: qsh <= 2x sqlite3);
#   - `qsh tasks list --limit 50` on 1,000,000 tasks (target: <= 20 ms);
#   - tasks submitted per second from one process and from four at once.
# Knobs: STORE_BENCH_RUNS (timed runs per cell, default 200), STORE_BENCH_SUBMITS (per process, default 200).
set -euo pipefail
cd "$(dirname "$0")/.."
qsh="$(cd "$(dirname "${1:-.build/release/qsh}")" && pwd)/$(basename "${1:-.build/release/qsh}")"
command -v sqlite3 >/dev/null || { echo "bench/store.sh: needs the sqlite3 command" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
exec python3 bench/store_bench.py --qsh "$qsh" --work "$work" \
    --runs "${STORE_BENCH_RUNS:-200}" --submits "${STORE_BENCH_SUBMITS:-200}"
