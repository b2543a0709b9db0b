#!/usr/bin/env bash
# Makes tasks.sql and outputs.txt, the fixture of the schema-4 upgrade tests: a task
# database written by a qsh of schema version 3 (the release before schema 4), and what
# that qsh printed for it. Run it with that qsh, once; the files are committed as they
# came out.
#   Tests/Fixtures/schema3/make.sh /path/to/old/qsh
# It needs bash and sqlite3. A task is queued at the end, so that the upgraded file's
# queue can be run.
set -euo pipefail
qsh="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
out="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
export QSH_DB="$work/tasks.sqlite" QSH_NO_AUTOSTART=1 LC_ALL=C

mkdir -p lib
printf 'gate bell a, b { h a; cx a, b; }\n' > lib/bell.inc
printf 'OPENQASM 2.0;\ninclude "qelib1.inc";\ninclude "lib/bell.inc";\nqreg q[2];\ncreg c[2];\nbell q[0], q[1];\nmeasure q -> c;\n' > bell.qasm
printf 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\nccz q[0], q[1], q[2];\n' > bad.qasm

submit() { "$qsh" tasks submit "$@" -q; }
completed=$(submit bell.qasm --shots 1000 --seed 7 --name bell --tag team=q --tag run=1)
invalid=$(submit bad.qasm --seed 1 --name bad)
"$qsh" worker --once 2>/dev/null
cancelled=$(submit bell.qasm --seed 4 --name cancelled)
"$qsh" tasks cancel "$cancelled" >/dev/null
queued=$(submit bell.qasm --seed 10 --tag team=q)

{
    echo "PRAGMA application_id = $(sqlite3 "$QSH_DB" 'PRAGMA application_id');"
    echo "PRAGMA user_version = $(sqlite3 "$QSH_DB" 'PRAGMA user_version');"
    sqlite3 "$QSH_DB" .dump
} > "$out/tasks.sql"

# The outputs: each command, its exit status, stdout and stderr.
{
    for id in "$completed" "$invalid" "$cancelled" "$queued"; do
        for command in "get $id -o json" "get $id -o table" "results $id -o json" "results $id -o table" \
            "events $id -o json" "events $id -o table"; do
            echo "\$ qsh tasks $command"
            # shellcheck disable=SC2086
            set +e; "$qsh" tasks $command > stdout 2> stderr; status=$?; set -e
            echo "[exit $status]"; echo "--- stdout"; cat stdout; echo "--- stderr"; cat stderr; echo "--- end"
        done
    done
    for command in "list --limit 50 -o json" "list --limit 50 -o wide" "list --tag team=q -o csv"; do
        echo "\$ qsh tasks $command"
        # shellcheck disable=SC2086
        set +e; "$qsh" tasks $command > stdout 2> stderr; status=$?; set -e
        echo "[exit $status]"; echo "--- stdout"; cat stdout; echo "--- stderr"; cat stderr; echo "--- end"
    done
} > "$out/outputs.txt"
