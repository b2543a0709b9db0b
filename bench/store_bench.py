#!/usr/bin/env python3
"""The task store benchmark (bench/store.sh runs it): cold `tasks get` against the
sqlite3 CLI, `tasks list --limit 50` on a million tasks, and submit throughput.
Databases are filled with SQL through the sqlite3 CLI after qsh created and
migrated the file, so they have qsh's real schema, indexes and triggers.
Runs alternate between the tools so machine drift hits both alike; medians are
reported. Standard library only."""
import argparse
import os
import statistics
import subprocess
import sys
import threading
import time

COLUMNS = ("id, task_status, qpu_id, shots, seed, name, tags, definition_id, compilation_id, created_by, "
           "created_ms, updated_ms, scheduled_ms, started_ms, ended_ms, error_class, error_reasons, shots_done, "
           "lease_owner, lease_expires_ms")

FILL = """
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})
INSERT INTO definitions (id, file_name, source, created_ms)
SELECT 'def-' || i, 'bell.qasm', 'OPENQASM 2.0;', 1700000000000 + i * 1000 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})
INSERT INTO tasks (id, task_status, qpu_id, shots, seed, name, tags, definition_id, created_by,
                   created_ms, updated_ms, ended_ms, error_reasons, shots_done)
SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'
             || substr('89ab', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2) || '-'
             || hex(randomblob(6))),
       CASE i % 10 WHEN 0 THEN 'Failed' WHEN 1 THEN 'Cancelled' ELSE 'Completed' END,
       'sim:statevector', 1024, i, NULL, '{{}}', 'def-' || i, 'bench',
       1700000000000 + i * 1000, 1700000000000 + i * 1000 + 500, 1700000000000 + i * 1000 + 500, '[]', 1024
FROM n;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
"""


def run(argv, env=None):
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)


def make_db(qsh, path, n):
    env = dict(os.environ, QSH_NO_AUTOSTART="1")
    # Read commands refuse a missing database; a worker with an empty queue creates it.
    run([qsh, "--db", path, "worker", "--once"], env)
    started = time.perf_counter()
    subprocess.run(["sqlite3", path], input=FILL.format(n=n), text=True, check=True, stdout=subprocess.DEVNULL)
    print(f"   filled {n:,} tasks in {time.perf_counter() - started:.1f}s", file=sys.stderr)


def time_one(argv, env):
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
    return (time.perf_counter() - started) * 1000


def alternate(cells, runs, env):
    times = {name: [] for name, _ in cells}
    for _ in range(3):  # warm the page cache and the binaries
        for _, argv in cells:
            time_one(argv, env)
    for _ in range(runs):
        for name, argv in cells:
            times[name].append(time_one(argv, env))
    return {name: statistics.median(values) for name, values in times.items()}


def some_id(path, offset):
    out = subprocess.run(["sqlite3", path, f"SELECT id FROM tasks ORDER BY rowid LIMIT 1 OFFSET {offset}"],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def submits(qsh, work, processes, per_process):
    path = os.path.join(work, f"submit-{processes}.sqlite")
    program = os.path.join(work, "bell.qasm")
    with open(program, "w") as f:
        f.write('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\n'
                'measure q -> c;\n')
    env = dict(os.environ, QSH_NO_AUTOSTART="1")
    # Read commands refuse a missing database; a worker with an empty queue creates it.
    run([qsh, "--db", path, "worker", "--once"], env)
    failures = []

    def loop():
        for _ in range(per_process):
            r = subprocess.run([qsh, "--db", path, "tasks", "submit", program, "-q"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if r.returncode != 0 or r.stderr:
                failures.append(r.stderr.strip() or f"exit {r.returncode}")

    threads = [threading.Thread(target=loop) for _ in range(processes)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    count = subprocess.run(["sqlite3", path, "SELECT count(*) FROM tasks"], capture_output=True, text=True).stdout
    return processes * per_process / elapsed, int(count.strip() or 0), failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--qsh", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--submits", type=int, default=200)
    parser.add_argument("--skip-million", action="store_true")
    a = parser.parse_args()
    env = dict(os.environ, QSH_NO_AUTOSTART="1")

    print("== tasks get, cold process, 100,000 tasks (median ms; target qsh <= 2x sqlite3)")
    small = os.path.join(a.work, "100k.sqlite")
    make_db(a.qsh, small, 100_000)
    task_id = some_id(small, 54_321)
    sql = f"SELECT {COLUMNS} FROM tasks WHERE id = '{task_id}'"
    medians = alternate([
        ("qsh tasks get -o json", [a.qsh, "--db", small, "tasks", "get", task_id, "-o", "json"]),
        ("qsh tasks get <8-char prefix>", [a.qsh, "--db", small, "tasks", "get", task_id[:8], "-o", "json"]),
        ("sqlite3 -json (same SELECT)", ["sqlite3", "-json", small, sql]),
    ], a.runs, env)
    base = medians["sqlite3 -json (same SELECT)"]
    for name, ms in medians.items():
        print(f"   {name:32s} {ms:7.2f} ms   {ms / base:5.2f}x")

    if not a.skip_million:
        print("== tasks list --limit 50, 1,000,000 tasks (median ms of a cold process; target <= 20 ms)")
        big = os.path.join(a.work, "1m.sqlite")
        make_db(a.qsh, big, 1_000_000)
        medians = alternate([
            ("qsh tasks list --limit 50 -o json", [a.qsh, "--db", big, "tasks", "list", "--limit", "50", "-o", "json"]),
            ("qsh ... --status Failed", [a.qsh, "--db", big, "tasks", "list", "--limit", "50", "--status", "Failed",
                                         "-o", "json"]),
            ("qsh ... --page 1000", [a.qsh, "--db", big, "tasks", "list", "--limit", "50", "--page", "1000",
                                     "-o", "json"]),
            ("sqlite3 -json (first page)", ["sqlite3", "-json", big,
                                            f"SELECT {COLUMNS} FROM tasks ORDER BY created_ms DESC, rowid DESC LIMIT 50"]),
        ], max(20, a.runs // 4), env)
        for name, ms in medians.items():
            print(f"   {name:36s} {ms:7.2f} ms")

    print(f"== submits per second ({a.submits} per process, one process per submit, QSH_NO_AUTOSTART=1)")
    for processes in (1, 4):
        rate, count, failures = submits(a.qsh, a.work, processes, a.submits)
        locked = sum("locked" in f for f in failures)
        print(f"   {processes} process(es): {rate:7.1f} submits/s   stored {count} of {processes * a.submits}"
              f"   failures {len(failures)} (database is locked: {locked})")


if __name__ == "__main__":
    main()
