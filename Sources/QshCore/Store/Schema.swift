// The task database's schema: its application id and the ordered migrations.
// Times are INTEGER milliseconds since the Unix epoch (UTC); JSON-valued columns
// hold compact JSON text; programs are BLOBs, byte for byte. Add a step at the end;
// never edit a released step.

/// The schema of the task database.
public enum Schema {
    /// `PRAGMA application_id` of a qsh task database: 'QSHT' in ASCII.
    public static let applicationID: Int32 = 0x5153_4854

    /// The migrator for this binary's schema.
    public static var migrator: Migrator { Migrator(applicationID: applicationID, migrations: migrations) }

    /// Every step, in order.
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "create-tasks", sql: version1),
        Migration(version: 2, name: "program-bytes-and-includes", sql: version2),
        Migration(version: 3, name: "runs-compilations-batches", sql: version3),
        Migration(version: 4, name: "batches-reruns-idempotency", sql: version4),
        Migration(version: 5, name: "qpu-pause-states", sql: qpuPauseStates),
        Migration(version: 6, name: "api-tokens", sql: apiTokens),
    ]

    static let version1 = """
        CREATE TABLE definitions (
            id          TEXT PRIMARY KEY,
            file_name   TEXT NOT NULL,
            source      TEXT NOT NULL,
            created_ms  INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE tasks (
            id               TEXT PRIMARY KEY,
            task_status      TEXT NOT NULL CHECK (task_status IN ('Created', 'PayloadProcessing',
                                 'Scheduled', 'ExecutionStarted', 'ExecutionCompleted', 'Completed',
                                 'Failed', 'Cancelled', 'PayloadProcessingError')),
            qpu_id           TEXT NOT NULL,
            shots            INTEGER NOT NULL CHECK (shots > 0),
            seed             INTEGER NOT NULL,
            name             TEXT,
            tags             TEXT NOT NULL DEFAULT '{}',
            definition_id    TEXT NOT NULL REFERENCES definitions(id),
            compilation_id   TEXT,
            created_by       TEXT NOT NULL,
            created_ms       INTEGER NOT NULL,
            updated_ms       INTEGER NOT NULL,
            scheduled_ms     INTEGER,
            started_ms       INTEGER,
            ended_ms         INTEGER,
            error_class      TEXT,
            error_reasons    TEXT NOT NULL DEFAULT '[]',
            shots_done       INTEGER NOT NULL DEFAULT 0,
            lease_owner      TEXT,
            lease_expires_ms INTEGER
        ) STRICT;
        CREATE INDEX tasks_by_created ON tasks(created_ms);
        CREATE INDEX tasks_by_status ON tasks(task_status, created_ms);
        CREATE INDEX tasks_by_qpu ON tasks(qpu_id, created_ms);
        CREATE INDEX tasks_by_lease ON tasks(lease_expires_ms) WHERE lease_owner IS NOT NULL;

        CREATE TABLE task_tags (
            task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
            key     TEXT NOT NULL,
            value   TEXT NOT NULL,
            PRIMARY KEY (task_id, key)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX task_tags_by_pair ON task_tags(key, value);

        CREATE TABLE task_events (
            seq          INTEGER PRIMARY KEY,
            task_id      TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
            from_status  TEXT,
            to_status    TEXT NOT NULL,
            at_ms        INTEGER NOT NULL,
            actor        TEXT NOT NULL,
            detail       TEXT
        ) STRICT;
        CREATE INDEX task_events_by_task ON task_events(task_id, seq);

        CREATE TABLE results (
            task_id     TEXT PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
            shots       INTEGER NOT NULL,
            shots_done  INTEGER NOT NULL,
            partial     INTEGER NOT NULL,
            data        TEXT NOT NULL,
            timings     TEXT NOT NULL DEFAULT '{}',
            metrics     TEXT NOT NULL DEFAULT '{}',
            metadata    TEXT NOT NULL DEFAULT '{}',
            updated_ms  INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE diagnostics (
            task_id   TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
            seq       INTEGER NOT NULL,
            severity  TEXT NOT NULL,
            code      TEXT NOT NULL,
            message   TEXT NOT NULL,
            file      TEXT NOT NULL,
            line      INTEGER NOT NULL,
            col       INTEGER NOT NULL,
            PRIMARY KEY (task_id, seq)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE workers (
            owner       TEXT PRIMARY KEY,
            pid         INTEGER NOT NULL,
            started_ms  INTEGER NOT NULL,
            expires_ms  INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE task_counts (
            task_status TEXT PRIMARY KEY,
            n           INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;
        INSERT INTO task_counts (task_status, n) VALUES ('Created', 0), ('PayloadProcessing', 0),
            ('Scheduled', 0), ('ExecutionStarted', 0), ('ExecutionCompleted', 0), ('Completed', 0),
            ('Failed', 0), ('Cancelled', 0), ('PayloadProcessingError', 0);
        CREATE TRIGGER tasks_count_insert AFTER INSERT ON tasks BEGIN
            UPDATE task_counts SET n = n + 1 WHERE task_status = NEW.task_status;
        END;
        CREATE TRIGGER tasks_count_update AFTER UPDATE OF task_status ON tasks
            WHEN OLD.task_status <> NEW.task_status BEGIN
            UPDATE task_counts SET n = n - 1 WHERE task_status = OLD.task_status;
            UPDATE task_counts SET n = n + 1 WHERE task_status = NEW.task_status;
        END;
        CREATE TRIGGER tasks_count_delete AFTER DELETE ON tasks BEGIN
            UPDATE task_counts SET n = n - 1 WHERE task_status = OLD.task_status;
        END;
        """

    /// Version 2: a task keeps its program byte for byte and every file it includes, as
    /// read at submit time, so the worker checks exactly what `qsh qasm check` checked.
    /// - `definitions.program`: the program's bytes; NULL for tasks stored before, whose
    ///   text is in `source` (new rows leave `source` empty).
    /// - `definition_includes`: per definition, each include the front end asked for, in
    ///   the order it first asked: its normalised relative path and what reading it gave
    ///   (`loaded` with its bytes, `not_found`, `failed` with the reason, `too_large`).
    /// - `diagnostics.notes`: the notes of each diagnostic, a JSON array of strings.
    static let version2 = """
        ALTER TABLE definitions ADD COLUMN program BLOB;

        CREATE TABLE definition_includes (
            definition_id  TEXT NOT NULL REFERENCES definitions(id) ON DELETE CASCADE,
            seq            INTEGER NOT NULL,
            path           TEXT NOT NULL,
            outcome        TEXT NOT NULL CHECK (outcome IN ('loaded', 'not_found', 'failed', 'too_large')),
            bytes          BLOB,
            reason         TEXT,
            PRIMARY KEY (definition_id, seq)
        ) STRICT;

        ALTER TABLE diagnostics ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';
        """

    /// Version 3: what re-runs, batches and a second store need.
    /// - `runs` replaces `results`: a task may be run more than once, and each run (its
    ///   attempt, worker, compilation, start and end, counts, timings, metrics and
    ///   metadata) is a row; a task's results are those of its latest run. `data` is NULL
    ///   until the run reports counts. Each `results` row becomes attempt 1 of its task,
    ///   and so does a task that started executing without leaving counts; the worker
    ///   and the end of a migrated run are read from the task's events.
    /// - `compilations` is what `tasks.compilation_id` names: the definition and QPU it
    ///   was compiled for, the circuit's qubits, clbits, operations and gate counts. A
    ///   migrated compilation takes qubits, clbits and gates from its task's results
    ///   (when they hold them); its operations stay unknown (NULL).
    /// - `tasks.batch_id`: the batch a task was submitted in, NULL for most tasks (hence
    ///   the partial index).
    /// - `diagnostics.code`: stored codes take the spelling of qsh's one namespace of
    ///   codes, snake_case (`unknown-gate` becomes `unknown_gate`).
    /// New definitions are content-addressed (SHA-256, `ProgramSnapshot.definitionID`)
    /// and shared; existing ones keep their ids, so nothing here touches them.
    static let version3 = """
        ALTER TABLE tasks ADD COLUMN batch_id TEXT;
        CREATE INDEX tasks_by_batch ON tasks(batch_id, created_ms) WHERE batch_id IS NOT NULL;

        CREATE TABLE compilations (
            id             TEXT PRIMARY KEY,
            definition_id  TEXT NOT NULL REFERENCES definitions(id),
            qpu_id         TEXT NOT NULL,
            created_ms     INTEGER NOT NULL,
            qubits         INTEGER,
            clbits         INTEGER,
            operations     INTEGER,
            gates          TEXT
        ) STRICT;

        INSERT OR IGNORE INTO compilations (id, definition_id, qpu_id, created_ms, qubits, clbits, gates)
        SELECT t.compilation_id, t.definition_id, t.qpu_id, coalesce(t.scheduled_ms, t.updated_ms),
            CASE WHEN json_valid(r.metrics) THEN
                CASE WHEN json_type(r.metrics, '$.qubits') = 'integer' THEN json_extract(r.metrics, '$.qubits') END END,
            CASE WHEN json_valid(r.metrics) THEN
                CASE WHEN json_type(r.metrics, '$.clbits') = 'integer' THEN json_extract(r.metrics, '$.clbits') END END,
            CASE WHEN json_valid(r.metrics) THEN
                CASE WHEN json_type(r.metrics, '$.gates') = 'object' THEN json_extract(r.metrics, '$.gates') END END
        FROM tasks t JOIN definitions d ON d.id = t.definition_id LEFT JOIN results r ON r.task_id = t.id
        WHERE t.compilation_id IS NOT NULL;

        CREATE TABLE runs (
            id              TEXT PRIMARY KEY,
            task_id         TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
            attempt         INTEGER NOT NULL CHECK (attempt > 0),
            compilation_id  TEXT REFERENCES compilations(id),
            worker          TEXT,
            started_ms      INTEGER NOT NULL,
            ended_ms        INTEGER,
            shots           INTEGER NOT NULL,
            shots_done      INTEGER NOT NULL DEFAULT 0,
            partial         INTEGER NOT NULL DEFAULT 1,
            data            TEXT,
            timings         TEXT NOT NULL DEFAULT '{}',
            metrics         TEXT NOT NULL DEFAULT '{}',
            metadata        TEXT NOT NULL DEFAULT '{}',
            updated_ms      INTEGER NOT NULL,
            UNIQUE (task_id, attempt)
        ) STRICT;

        INSERT INTO runs (id, task_id, attempt, compilation_id, worker, started_ms, ended_ms, shots, shots_done,
            partial, data, timings, metrics, metadata, updated_ms)
        SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'
                || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
            t.id, 1, c.id,
            (SELECT CASE WHEN e.actor LIKE 'worker %' THEN substr(e.actor, 8) ELSE e.actor END FROM task_events e
                WHERE e.task_id = t.id AND e.to_status = 'ExecutionStarted' ORDER BY e.seq DESC LIMIT 1),
            coalesce(t.started_ms, r.updated_ms),
            (SELECT min(e.at_ms) FROM task_events e WHERE e.task_id = t.id AND e.from_status = 'ExecutionStarted'),
            coalesce(r.shots, t.shots), coalesce(r.shots_done, t.shots_done), coalesce(r.partial, 1), r.data,
            coalesce(r.timings, '{}'), coalesce(r.metrics, '{}'), coalesce(r.metadata, '{}'),
            coalesce(r.updated_ms, t.updated_ms)
        FROM tasks t LEFT JOIN results r ON r.task_id = t.id LEFT JOIN compilations c ON c.id = t.compilation_id
        WHERE t.started_ms IS NOT NULL OR r.task_id IS NOT NULL;

        DROP TABLE results;

        UPDATE diagnostics SET code = replace(code, '-', '_') WHERE instr(code, '-') > 0;
        """

    /// Version 4: batches, re-runs and idempotency keys.
    /// - `batches`: one row per batch (its id has the form of a task id), with how many
    ///   items it was submitted with. A batch id that tasks of an older file hold without
    ///   a row (none were written before) gets one, dated by its first task.
    /// - `tasks.batch_label`: the item's label, unique within its batch.
    /// - `tasks.rerun_of`: the task this one was re-run from; `tasks.lineage_id`: the first
    ///   task of its lineage (NULL for a task that is not a re-run: it is its own root).
    /// - `idempotency_keys`: a key given at submit, the task or batch it created and a
    ///   fingerprint of the request; it goes when that task or batch goes.
    static let version4 = """
        CREATE TABLE batches (
            id          TEXT PRIMARY KEY,
            name        TEXT,
            created_by  TEXT NOT NULL,
            created_ms  INTEGER NOT NULL,
            size        INTEGER NOT NULL CHECK (size >= 0)
        ) STRICT;
        CREATE INDEX batches_by_created ON batches(created_ms);
        INSERT INTO batches (id, name, created_by, created_ms, size)
        SELECT batch_id, NULL, min(created_by), min(created_ms), count(*) FROM tasks
        WHERE batch_id IS NOT NULL GROUP BY batch_id;

        ALTER TABLE tasks ADD COLUMN batch_label TEXT;
        CREATE UNIQUE INDEX tasks_by_batch_label ON tasks(batch_id, batch_label)
            WHERE batch_id IS NOT NULL AND batch_label IS NOT NULL;

        ALTER TABLE tasks ADD COLUMN rerun_of TEXT;
        ALTER TABLE tasks ADD COLUMN lineage_id TEXT;
        CREATE INDEX tasks_by_lineage ON tasks(lineage_id, created_ms) WHERE lineage_id IS NOT NULL;

        CREATE TABLE idempotency_keys (
            key          TEXT PRIMARY KEY,
            fingerprint  TEXT NOT NULL,
            task_id      TEXT REFERENCES tasks(id) ON DELETE CASCADE,
            batch_id     TEXT REFERENCES batches(id) ON DELETE CASCADE,
            created_ms   INTEGER NOT NULL,
            CHECK ((task_id IS NULL) <> (batch_id IS NULL))
        ) STRICT;
        CREATE INDEX idempotency_keys_by_task ON idempotency_keys(task_id) WHERE task_id IS NOT NULL;
        CREATE INDEX idempotency_keys_by_batch ON idempotency_keys(batch_id) WHERE batch_id IS NOT NULL;
        """

    /// Pausing QPUs (self-contained: it may be renumbered when steps of other work are
    /// merged before it).
    /// - `qpu_states`: one row per QPU that was ever paused or resumed (`paused` 1 or 0,
    ///   when it last changed); a QPU without a row is running. The ids are those of the
    ///   registry, not a foreign key: QPUs are built in code.
    /// - `tasks_held`: the Scheduled tasks no worker holds (they wait for a paused QPU),
    ///   which a claim looks at before the Created ones.
    /// Each run's diagnostics (timings, metrics, metadata) live in the JSON columns `runs`
    /// has since version 3, so no column is added for them.
    static let qpuPauseStates = """
        CREATE TABLE qpu_states (
            qpu_id      TEXT PRIMARY KEY,
            paused      INTEGER NOT NULL CHECK (paused IN (0, 1)),
            updated_ms  INTEGER NOT NULL,
            actor       TEXT NOT NULL
        ) STRICT;
        CREATE INDEX tasks_held ON tasks(created_ms) WHERE task_status = 'Scheduled' AND lease_owner IS NULL;
        """

    /// API tokens for `qsh serve` (self-contained: it may be renumbered when steps of other
    /// work are merged before it). One row per token, revoked and expired ones kept (so
    /// `qsh tokens list` can show them): `token_sha256` is the SHA-256 of the secret in
    /// lower-case hex, never the secret; a revoked token keeps its row with `revoked_ms` set.
    /// Tokens are not part of exports: they belong to a server, not to its tasks.
    static let apiTokens = """
        CREATE TABLE api_tokens (
            id            TEXT PRIMARY KEY,
            user          TEXT NOT NULL,
            scope         TEXT NOT NULL CHECK (scope IN ('read', 'submit', 'admin')),
            token_sha256  TEXT NOT NULL UNIQUE CHECK (length(token_sha256) = 64),
            created_ms    INTEGER NOT NULL,
            last_used_ms  INTEGER,
            expires_ms    INTEGER,
            revoked_ms    INTEGER
        ) STRICT;
        """
}
