#!/usr/bin/env bash
# `make bench`: qsh against its peers, side by side in one run (ratios, not absolute
# times, are the figures to quote). Uses the kit in ../shared/bench.
#   BENCH_CIRCUITS  circuits for the simulator table (default: the 24-qubit set)
#   BENCH_THREADS   thread counts (default 1,2)
#   BENCH_REPS      timed runs per cell (default 3)
#   BENCH_SKIP      space-separated parts to skip: parse sim single bandwidth store batch server postgres
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${QSH_SHARED:-../shared}"
qsh=.build/release/qsh
circuits="${BENCH_CIRCUITS:-ghz_24 qft_24 rqc_24 qv_24}"
threads="${BENCH_THREADS:-1,2}"
reps="${BENCH_REPS:-3}"
skip=" ${BENCH_SKIP:-} "

bandwidth_args=()
if [[ "$skip" != *" bandwidth "* ]] && command -v gcc >/dev/null; then
    echo "== memory bandwidth (stream.c c128gate median, GB/s)" >&2
    gcc -O3 -march=native -fopenmp "$shared/bench/stream.c" -o /tmp/qsh-stream 2>/dev/null
    bw=()
    for t in ${threads//,/ }; do
        v=$(OMP_NUM_THREADS=$t OMP_PROC_BIND=true /tmp/qsh-stream | awk '/c128gate/ {v=$NF} END {print v}')
        echo "   $t thread(s): $v" >&2
        bw+=("$v")
    done
    bandwidth_args=(--bandwidth "$(IFS=,; echo "${bw[*]}")")
fi

if [[ "$skip" != *" parse "* ]]; then
    echo "== parser: qsh qasm check vs qiskit.qasm2.loads on big_parse.qasm"
    python3 "$shared/bench/compare.py" --parse --qsh "$qsh" --reps "$reps"
fi

if [[ "$skip" != *" sim "* ]]; then
    echo "== simulator, double precision: qsh vs qsim, Aer, qulacs"
    # shellcheck disable=SC2086
    python3 "$shared/bench/compare.py" --qsh "$qsh" --threads "$threads" --reps "$reps" \
        "${bandwidth_args[@]}" $circuits
fi

if [[ "$skip" != *" single "* ]]; then
    echo "== simulator, single precision: qsh vs qsim"
    # shellcheck disable=SC2086
    python3 "$shared/bench/compare.py" --qsh "$qsh" --precision single --peers qsim \
        --threads "$threads" --reps "$reps" $circuits
fi

if [[ "$skip" != *" store "* ]] && [ -x bench/store.sh ]; then
    echo "== task store"
    bench/store.sh "$qsh"
fi

if [[ "$skip" != *" batch "* ]] && [ -x bench/batch.sh ]; then
    echo "== batches: a 10,000-item submit and its results in one call"
    bench/batch.sh "$qsh"
fi

if [[ "$skip" != *" server "* ]] && [ -x bench/server.sh ]; then
    echo "== the Direct API: qsh serve under wrk, and a remote tasks get"
    bench/server.sh "$qsh"
fi

if [[ "$skip" != *" postgres "* ]] && [ -x bench/postgres.sh ]; then
    echo "== the PostgreSQL store beside SQLite: workers draining a queue, get and list at 1M tasks"
    bench/postgres.sh "$qsh"
fi
