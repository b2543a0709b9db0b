#!/usr/bin/env bash
# bench/batch.sh QSH: batches, run by `make bench` (bench/run.sh, part `batch`).
#   - `qsh tasks submit --batch` of 10,000 small programs, each its own file (target: < 2 s);
#   - the same 10,000 as files on the command line;
#   - `qsh batches results` of the 10,000 items once a worker has run them: one call.
# Knobs: BATCH_BENCH_ITEMS (default 10000), BATCH_BENCH_RUNS (timed runs per cell, default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
qsh="$(cd "$(dirname "${1:-.build/release/qsh}")" && pwd)/$(basename "${1:-.build/release/qsh}")"
items="${BATCH_BENCH_ITEMS:-10000}"
runs="${BATCH_BENCH_RUNS:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export QSH_NO_AUTOSTART=1 LC_ALL=C

# Distinct programs (one definition each): a rotation by i/items of pi, then a measurement.
mkdir -p "$work/progs"
python3 - "$work" "$items" <<'PY'
import json, sys
work, n = sys.argv[1], int(sys.argv[2])
manifest = {}
for i in range(n):
    name = f"p{i:05d}.qasm"
    with open(f"{work}/progs/{name}", "w") as f:
        f.write(f'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\n'
                f'ry({i}*pi/{n}) q[0];\ncx q[0], q[1];\nmeasure q -> c;\n')
    manifest[f"item{i:05d}"] = f"progs/{name}"
with open(f"{work}/batch.json", "w") as f:
    json.dump(manifest, f)
PY

# Seconds taken by a command (stdout to /dev/null), and the median of a list.
seconds() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N); awk -v d=$((t1 - t0)) 'BEGIN {printf "%.3f", d / 1e9}'; }
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

manifest_times=() files_times=() results_times=()
for run in $(seq 1 "$runs"); do
    db="$work/run$run.sqlite"
    manifest_times+=("$(QSH_DB=$db seconds "$qsh" tasks submit --batch "$work/batch.json" --shots 100 -q)")
    (cd "$work" && QSH_DB="$work/files$run.sqlite" seconds "$qsh" tasks submit progs/*.qasm --shots 100 -q) \
        > "$work/t" && files_times+=("$(cat "$work/t")")
done
printf '   %-38s %s\n' "submit --batch, $items items:" "$(median "${manifest_times[@]}") s (median of $runs; target < 2 s)"
printf '   %-38s %s\n' "submit of $items files:" "$(median "${files_times[@]}") s (median of $runs)"

db="$work/run1.sqlite"
id=$(QSH_DB=$db "$qsh" batches list --limit 1 -o tsv | cut -f1)
t0=$(date +%s%N)
QSH_DB=$db "$qsh" worker --once 2>/dev/null
t1=$(date +%s%N)
printf '   %-38s %s\n' "worker --once over the batch:" "$(awk -v d=$((t1 - t0)) 'BEGIN {printf "%.2f", d / 1e9}') s (not a target)"
status=$(QSH_DB=$db "$qsh" batches get "$id" -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["batch_status"])')
for run in $(seq 1 "$runs"); do
    results_times+=("$(QSH_DB=$db seconds "$qsh" batches results "$id" -o json)")
done
completed=$(QSH_DB=$db "$qsh" batches results "$id" -o json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["results"]))')
printf '   %-38s %s\n' "batches results, one call:" "$(median "${results_times[@]}") s (median of $runs; $completed items with counts, batch $status)"
