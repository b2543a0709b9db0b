#!/usr/bin/env bash
# bench/postgres.sh QSH: the PostgreSQL store beside SQLite, run by `make bench` (bench/run.sh,
# part `postgres`): workers draining 10,000 tasks (1, 2 and 4 of them: tasks/s, claim gap),
# and cold `tasks get` / `tasks list --limit 50` on 1,000,000 tasks. A throwaway cluster
# (scripts/pg-cluster) with PostgreSQL's durable defaults, removed afterwards.
# Knobs: PG_BENCH_TASKS (default 10000), PG_BENCH_MILLION (default 1000000), PG_BENCH_RUNS (50).
set -euo pipefail
cd "$(dirname "$0")/.."
qsh="$(cd "$(dirname "${1:-.build/release/qsh}")" && pwd)/$(basename "${1:-.build/release/qsh}")"
for tool in psql sqlite3; do
    command -v "$tool" >/dev/null || { echo "   $tool not found; part skipped" >&2; exit 0; }
done
work="$(mktemp -d)"
cluster="$(mktemp -d -u "${TMPDIR:-/tmp}/qsh-bench-pg.XXXXXX")"
trap 'scripts/pg-cluster stop "$cluster"; rm -rf "$work"' EXIT
url=$(PG_CLUSTER_DURABLE=1 scripts/pg-cluster start "$cluster") || { echo "   PostgreSQL did not start; part skipped" >&2; exit 0; }
python3 bench/postgres_bench.py --qsh "$qsh" --work "$work" --url "$url" \
    --tasks "${PG_BENCH_TASKS:-10000}" --million "${PG_BENCH_MILLION:-1000000}" --runs "${PG_BENCH_RUNS:-50}"
