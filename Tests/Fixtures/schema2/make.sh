#!/usr/bin/env bash
# Makes tasks.sql and outputs.txt, the fixture of SchemaUpgradeTests: a task database
# written by a qsh of schema version 2 (the release before schema 3), and what that qsh
# printed for it. Run it with that qsh, once; the files are committed as they came out.
#   Tests/Fixtures/schema2/make.sh /path/to/old/qsh
# It needs bash, sqlite3 and a qsh built with its test QPU (any debug build).
# Every lease left behind is moved to 2100, so that reading the file sweeps nothing.
set -euo pipefail
qsh="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
out="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
export QSH_DB="$work/tasks.sqlite" QSH_NO_AUTOSTART=1 QSH_TEST_QPU=1 QSH_TEST_SHOT_MS=20 LC_ALL=C

mkdir -p lib
printf 'gate bell a, b { h a; cx a, b; }\n' > lib/bell.inc
printf 'OPENQASM 2.0;\ninclude "qelib1.inc";\ninclude "lib/bell.inc";\nqreg q[2];\ncreg c[2];\nbell q[0], q[1];\nmeasure q -> c;\n' > bell.qasm
printf 'OPENQASM 2.0;\ninclude "missing.inc";\nqreg q[3];\nccx q[0], q[1], q[2];\n' > bad.qasm
printf 'OPENQASM 2.0;\nqreg q[1];\ncreg c[1];\nmeasure q -> c;\n' > one.qasm

submit() { "$qsh" tasks submit "$@" -q; }
# Waits until `tasks results` has something for the task (partial counts).
await_counts() { for _ in $(seq 1 500); do "$qsh" tasks results "$1" >/dev/null 2>&1 && return; sleep 0.02; done; exit 1; }
await_state() { for _ in $(seq 1 500); do [ "$("$qsh" tasks get "$1" -o json | sed -n 's/.*"task_status": "\([A-Za-z]*\)".*/\1/p')" = "$2" ] && return; sleep 0.02; done; exit 1; }

completed=$(submit bell.qasm --shots 1000 --seed 7 --name bell --tag team=q --tag run=1)
invalid=$(submit bad.qasm --seed 1)
stdin=$("$qsh" tasks submit - --shots 64 --seed 3 -q < one.qasm)
"$qsh" worker --once 2>/dev/null
cancelled=$(submit bell.qasm --seed 4 --name cancelled)
"$qsh" tasks cancel "$cancelled" >/dev/null

# A run whose worker was killed: its partial counts stay, and the sweep fails it.
lost=$(submit one.qasm --qpu test:sleep --shots 400 --seed 5 --name lost)
"$qsh" worker --lease 1 2>/dev/null & pid=$!
await_counts "$lost"; kill -9 $pid; wait $pid 2>/dev/null || true
sleep 1.5; "$qsh" tasks get "$lost" >/dev/null
# A run that finished, its worker killed before Completed: the sweep completes it.
finished=$(submit one.qasm --qpu test:sleep --shots 10 --seed 6 --name finished)
QSH_TEST_HOLD_AFTER=ExecutionCompleted "$qsh" worker --lease 1 2>/dev/null & pid=$!
await_state "$finished" ExecutionCompleted; kill -9 $pid; wait $pid 2>/dev/null || true
sleep 1.5; "$qsh" tasks get "$finished" >/dev/null
# Held mid-run and after the run, with leases that outlive the test.
running=$(submit one.qasm --qpu test:sleep --shots 400 --seed 8 --name running)
"$qsh" worker --lease 3600 2>/dev/null & pid=$!
await_counts "$running"; kill -9 $pid; wait $pid 2>/dev/null || true
held=$(submit one.qasm --qpu test:sleep --shots 10 --seed 9 --name held)
QSH_TEST_HOLD_AFTER=ExecutionCompleted "$qsh" worker --lease 3600 2>/dev/null & pid=$!
await_state "$held" ExecutionCompleted; kill -9 $pid; wait $pid 2>/dev/null || true
queued=$(submit bell.qasm --seed 10 --tag team=q)
sqlite3 "$QSH_DB" "UPDATE tasks SET lease_expires_ms = 4102444800000 WHERE lease_owner IS NOT NULL;
    UPDATE workers SET expires_ms = 4102444800000 WHERE expires_ms > strftime('%s', 'now') * 1000;"

{
    echo "PRAGMA application_id = $(sqlite3 "$QSH_DB" 'PRAGMA application_id');"
    echo "PRAGMA user_version = $(sqlite3 "$QSH_DB" 'PRAGMA user_version');"
    sqlite3 "$QSH_DB" .dump
} > "$out/tasks.sql"

# The outputs: each command, its exit status, stdout and stderr.
{
    for id in "$completed" "$invalid" "$stdin" "$cancelled" "$lost" "$finished" "$running" "$held" "$queued"; do
        for command in "get $id -o json" "get $id -o table" "results $id -o json" "results $id -o table" \
            "events $id -o json" "events $id -o table"; do
            echo "\$ qsh tasks $command"
            # shellcheck disable=SC2086
            set +e; "$qsh" tasks $command > stdout 2> stderr; status=$?; set -e
            echo "[exit $status]"; echo "--- stdout"; cat stdout; echo "--- stderr"; cat stderr; echo "--- end"
        done
    done
    for command in "list --limit 50 -o json" "list --limit 50 -o table" "list --status Failed --status Completed -o wide" \
        "list --tag team=q -o table" "list --sort shots,asc -o csv"; do
        echo "\$ qsh tasks $command"
        # shellcheck disable=SC2086
        set +e; "$qsh" tasks $command > stdout 2> stderr; status=$?; set -e
        echo "[exit $status]"; echo "--- stdout"; cat stdout; echo "--- stderr"; cat stderr; echo "--- end"
    done
} > "$out/outputs.txt"
