#!/usr/bin/env python3
"""The PostgreSQL store beside SQLite (bench/postgres.sh runs it), in one run:
  - 1, 2 and 4 `qsh worker` processes draining 10,000 small queued tasks: tasks per second
    (first claim to last completion, from the tasks' own event times) and the claim gap
    (a worker's Completed to its next PayloadProcessing: the claim and its bookkeeping);
    PostgreSQL durable (every commit flushed, its default) and with synchronous_commit=off
    (closer to SQLite's synchronous=NORMAL, which qsh uses: no flush per commit);
  - `qsh tasks get` and `qsh tasks list --limit 50` as cold processes on 1,000,000 tasks
    (target <= 20 ms each).
The PostgreSQL server runs with its durable defaults (fsync, synchronous commit), as SQLite
keeps its own. Databases are filled with SQL (psql, sqlite3) after qsh created and migrated
them, so they have qsh's real schema and indexes. Standard library only."""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

PROGRAM = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0], q[1];\nmeasure q -> c;\n'

SQLITE_FILL = """
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})
INSERT INTO definitions (id, file_name, source, created_ms)
SELECT 'def-' || i, 'bell.qasm', 'OPENQASM 2.0;', 1700000000000 + i * 1000 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})
INSERT INTO tasks (id, task_status, qpu_id, shots, seed, name, tags, definition_id, created_by,
                   created_ms, updated_ms, ended_ms, error_reasons, shots_done)
SELECT printf('%08x-0000-4000-8000-%012x', i, i),
       CASE i % 10 WHEN 0 THEN 'Failed' WHEN 1 THEN 'Cancelled' ELSE 'Completed' END,
       'sim:statevector', 1024, i, NULL, '{{}}', 'def-' || i, 'bench',
       1700000000000 + i * 1000, 1700000000000 + i * 1000 + 500, 1700000000000 + i * 1000 + 500, '[]', 1024
FROM n;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
"""

# The counting trigger stands aside (as for qsh's own bulk inserts) and the counters get
# the totals in one statement.
POSTGRES_FILL = """
BEGIN;
SET LOCAL qsh.bulk_insert = 'on';
INSERT INTO definitions (id, file_name, source, created_ms)
SELECT 'def-' || i, 'bell.qasm', 'OPENQASM 2.0;', 1700000000000 + i * 1000 FROM generate_series(1, {n}) i;
INSERT INTO tasks (id, task_status, qpu_id, shots, seed, name, tags, definition_id, created_by,
                   created_ms, updated_ms, ended_ms, error_reasons, shots_done)
SELECT lpad(to_hex(i), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(i), 12, '0'),
       CASE i % 10 WHEN 0 THEN 'Failed' WHEN 1 THEN 'Cancelled' ELSE 'Completed' END,
       'sim:statevector', 1024, i, NULL, '{{}}', 'def-' || i, 'bench',
       1700000000000 + i * 1000, 1700000000000 + i * 1000 + 500, 1700000000000 + i * 1000 + 500, '[]', 1024
FROM generate_series(1, {n}) i;
UPDATE task_counts c SET n = c.n + a.k FROM (SELECT task_status, count(*) AS k FROM tasks GROUP BY task_status) a
WHERE c.task_status = a.task_status AND c.slot = 0;
COMMIT;
VACUUM ANALYZE definitions;
VACUUM ANALYZE tasks;
"""

# The drain's figures from the events the workers wrote (the database's clock, in ms).
DRAIN_SQL = """
SELECT task_id, to_status, at_ms, actor FROM task_events
WHERE to_status IN ('PayloadProcessing', 'Completed') ORDER BY at_ms, seq
"""


class Store:
    """One backend: how qsh names it, and how to run SQL on it."""

    def __init__(self, name, db, sql_argv):
        self.name, self.db, self.sql_argv = name, db, sql_argv

    def sql(self, text, capture=False):
        r = subprocess.run(self.sql_argv(self.db), input=text, text=True, check=True,
                           capture_output=True)
        return r.stdout if capture else None


def sqlite_store(path):
    return Store("SQLite", path, lambda db: ["sqlite3", "-batch", "-separator", "|", db])


def postgres_store(url):
    return Store("PostgreSQL", url, lambda db: ["psql", "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", db])


def drain_schema(url, schema, options=""):
    """A fresh schema of the cluster's database as a store; `options` are more server
    settings for its sessions (synchronous_commit=off: the row an operator who accepts
    losing the last moments of transitions on a PostgreSQL crash would see)."""
    postgres_store(url).sql(f"CREATE SCHEMA {schema}")
    store = postgres_store(url + f"{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
                           + (f"%20{options}" if options else ""))
    if options:
        store.name = "PostgreSQL, " + options.lstrip("-c").replace("%3D", "=")
    return store


def qsh_env():
    return dict(os.environ, QSH_NO_AUTOSTART="1")


def fresh(qsh, store):
    """Creates (or migrates) the store's database: a worker with an empty queue does."""
    subprocess.run([qsh, "--db", store.db, "worker", "--once"], check=True, env=qsh_env(),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def drain(qsh, store, work, tasks, workers):
    """Queues `tasks` bell tasks (one batch), runs `workers` workers until the queue is
    empty, and reads tasks/s and the claim gaps from the events."""
    manifest = os.path.join(work, "drain.json")
    with open(manifest, "w") as f:
        json.dump({f"t{i:05d}": "bell.qasm" for i in range(tasks)}, f)
    subprocess.run([qsh, "--db", store.db, "tasks", "submit", "--batch", manifest, "--shots", "10", "-q"],
                   check=True, env=qsh_env(), cwd=work, stdout=subprocess.DEVNULL)
    procs = [subprocess.Popen([qsh, "--db", store.db, "worker", "--idle-exit", "1"], env=qsh_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)]
    for p in procs:
        p.wait()
    rows = [line.split("|") for line in store.sql(DRAIN_SQL, capture=True).splitlines() if line]
    claims = [int(r[2]) for r in rows if r[1] == "PayloadProcessing"]
    done = [int(r[2]) for r in rows if r[1] == "Completed"]
    # Per worker (the actor), the gap from one task's Completed to its next PayloadProcessing.
    gaps, last = [], {}
    for _, status, at, actor in rows:
        at = int(at)
        if status == "Completed":
            last[actor] = at
        elif actor in last:
            gaps.append(at - last.pop(actor))
    seconds = (max(done) - min(claims)) / 1000
    gaps.sort()
    return {
        "completed": len(done),
        "rate": len(done) / seconds if seconds > 0 else float("inf"),
        "gap_median": statistics.median(gaps) if gaps else 0,
        "gap_p99": gaps[int(len(gaps) * 0.99)] if gaps else 0,
    }


def time_one(argv):
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=qsh_env())
    return (time.perf_counter() - started) * 1000


def alternate(cells, runs):
    times = {name: [] for name, _ in cells}
    for _ in range(3):  # warm the page cache and the binaries
        for _, argv in cells:
            time_one(argv)
    for _ in range(runs):
        for name, argv in cells:
            times[name].append(time_one(argv))
    return {name: statistics.median(values) for name, values in times.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--qsh", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--url", required=True, help="an empty PostgreSQL database")
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--million", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=50)
    a = parser.parse_args()
    with open(os.path.join(a.work, "bell.qasm"), "w") as f:
        f.write(PROGRAM)

    print(f"== draining {a.tasks:,} queued tasks (10 shots each) with N `qsh worker` processes")
    print(f"   {'':34s} {'workers':>7s} {'tasks/s':>9s} {'claim gap p50':>14s} {'p99':>6s}")
    for workers in (1, 2, 4):
        for store in (sqlite_store(os.path.join(a.work, f"drain-{workers}.sqlite")),
                      drain_schema(a.url, f"drain{workers}"),
                      drain_schema(a.url, f"drain{workers}_async", "-csynchronous_commit%3Doff")):
            fresh(a.qsh, store)
            r = drain(a.qsh, store, a.work, a.tasks, workers)
            note = "" if r["completed"] == a.tasks else f"   (only {r['completed']} completed)"
            print(f"   {store.name:34s} {workers:7d} {r['rate']:9.0f} {r['gap_median']:11.0f} ms {r['gap_p99']:3.0f} ms{note}")

    print(f"== cold `qsh tasks get` and `tasks list --limit 50` on {a.million:,} tasks "
          "(median ms; target <= 20 ms each)")
    sqlite = sqlite_store(os.path.join(a.work, "million.sqlite"))
    postgres = postgres_store(a.url)
    cells = []
    for store, fill in ((sqlite, SQLITE_FILL), (postgres, POSTGRES_FILL)):
        fresh(a.qsh, store)
        started = time.perf_counter()
        store.sql(fill.format(n=a.million))
        print(f"   filled {store.name} in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        task_id = "%08x-0000-4000-8000-%012x" % (a.million // 2, a.million // 2)
        cells += [
            (f"{store.name} tasks get", [a.qsh, "--db", store.db, "tasks", "get", task_id, "-o", "json"]),
            (f"{store.name} tasks list --limit 50",
             [a.qsh, "--db", store.db, "tasks", "list", "--limit", "50", "-o", "json"]),
        ]
    for name, ms in alternate(cells, a.runs).items():
        print(f"   {name:36s} {ms:7.2f} ms")


if __name__ == "__main__":
    main()
