// The task database's schema in PostgreSQL: the same tables and columns, in the same
// order, as the SQLite schema at the same version (so exported records move between the two
// unchanged), BIGINT for SQLite's INTEGER, BYTEA for BLOB, TEXT COLLATE "C" (byte order, as
// SQLite compares), plus what SQLite gets for free: an insertion order for tasks and
// batches (`row_order`, SQLite's rowid; never exported) and per-connection counter slots.

/// The schema of the task database in PostgreSQL.
public enum PostgresSchema {
    /// The versions are SQLite's (Schema.migrations): PostgreSQL support starts at version 6,
    /// so its first step makes version 6's tables at once. Add a step with the version of
    /// the SQLite step it mirrors; never edit a released step.
    public static let migrations: [Migration] = [
        Migration(version: 6, name: "create-schema", sql: version6)
    ]

    /// The schema version this binary writes.
    public static var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Counter rows per state: a transition adds to the row of its connection's slot, so
    /// that concurrent writers rarely wait on one row (arbitrary: enough for a few dozen
    /// connections; totals sum the slots).
    static let countSlots = 16

    static let metadata = """
        CREATE TABLE qsh_metadata (
            singleton       BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
            application_id  BIGINT NOT NULL,
            schema_version  INTEGER NOT NULL
        );
        """

    static let version6 = """
        CREATE TABLE definitions (
            id          TEXT COLLATE "C" PRIMARY KEY,
            file_name   TEXT COLLATE "C" NOT NULL,
            source      TEXT COLLATE "C" NOT NULL,
            created_ms  BIGINT NOT NULL,
            program     BYTEA
        );

        CREATE TABLE definition_includes (
            definition_id  TEXT COLLATE "C" NOT NULL REFERENCES definitions(id) ON DELETE CASCADE,
            seq            BIGINT NOT NULL,
            path           TEXT COLLATE "C" NOT NULL,
            outcome        TEXT COLLATE "C" NOT NULL CHECK (outcome IN ('loaded', 'not_found', 'failed', 'too_large')),
            bytes          BYTEA,
            reason         TEXT COLLATE "C",
            PRIMARY KEY (definition_id, seq)
        );

        CREATE TABLE tasks (
            id               TEXT COLLATE "C" PRIMARY KEY,
            task_status      TEXT COLLATE "C" NOT NULL CHECK (task_status IN ('Created', 'PayloadProcessing',
                                 'Scheduled', 'ExecutionStarted', 'ExecutionCompleted', 'Completed',
                                 'Failed', 'Cancelled', 'PayloadProcessingError')),
            qpu_id           TEXT COLLATE "C" NOT NULL,
            shots            BIGINT NOT NULL CHECK (shots > 0),
            seed             BIGINT NOT NULL,
            name             TEXT COLLATE "C",
            tags             TEXT COLLATE "C" NOT NULL DEFAULT '{}',
            definition_id    TEXT COLLATE "C" NOT NULL REFERENCES definitions(id),
            compilation_id   TEXT COLLATE "C",
            created_by       TEXT COLLATE "C" NOT NULL,
            created_ms       BIGINT NOT NULL,
            updated_ms       BIGINT NOT NULL,
            scheduled_ms     BIGINT,
            started_ms       BIGINT,
            ended_ms         BIGINT,
            error_class      TEXT COLLATE "C",
            error_reasons    TEXT COLLATE "C" NOT NULL DEFAULT '[]',
            shots_done       BIGINT NOT NULL DEFAULT 0,
            lease_owner      TEXT COLLATE "C",
            lease_expires_ms BIGINT,
            batch_id         TEXT COLLATE "C",
            batch_label      TEXT COLLATE "C",
            rerun_of         TEXT COLLATE "C",
            lineage_id       TEXT COLLATE "C",
            row_order        BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
        );
        CREATE INDEX tasks_by_created ON tasks(created_ms, row_order);
        CREATE INDEX tasks_by_status ON tasks(task_status, created_ms, row_order);
        CREATE INDEX tasks_by_qpu ON tasks(qpu_id, created_ms);
        CREATE INDEX tasks_by_lease ON tasks(lease_expires_ms) WHERE lease_owner IS NOT NULL;
        CREATE INDEX tasks_by_definition ON tasks(definition_id);
        CREATE INDEX tasks_by_batch ON tasks(batch_id, row_order) WHERE batch_id IS NOT NULL;
        CREATE UNIQUE INDEX tasks_by_batch_label ON tasks(batch_id, batch_label)
            WHERE batch_id IS NOT NULL AND batch_label IS NOT NULL;
        CREATE INDEX tasks_by_lineage ON tasks(lineage_id, created_ms) WHERE lineage_id IS NOT NULL;
        CREATE INDEX tasks_held ON tasks(created_ms, row_order) WHERE task_status = 'Scheduled' AND lease_owner IS NULL;

        CREATE TABLE task_tags (
            task_id TEXT COLLATE "C" NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
            key     TEXT COLLATE "C" NOT NULL,
            value   TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (task_id, key)
        );
        CREATE INDEX task_tags_by_pair ON task_tags(key, value);

        CREATE TABLE task_events (
            seq          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            task_id      TEXT COLLATE "C" NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
            from_status  TEXT COLLATE "C",
            to_status    TEXT COLLATE "C" NOT NULL,
            at_ms        BIGINT NOT NULL,
            actor        TEXT COLLATE "C" NOT NULL,
            detail       TEXT COLLATE "C"
        );
        CREATE INDEX task_events_by_task ON task_events(task_id, seq);

        CREATE TABLE diagnostics (
            task_id   TEXT COLLATE "C" NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
            seq       BIGINT NOT NULL,
            severity  TEXT COLLATE "C" NOT NULL,
            code      TEXT COLLATE "C" NOT NULL,
            message   TEXT COLLATE "C" NOT NULL,
            file      TEXT COLLATE "C" NOT NULL,
            line      BIGINT NOT NULL,
            col       BIGINT NOT NULL,
            notes     TEXT COLLATE "C" NOT NULL DEFAULT '[]',
            PRIMARY KEY (task_id, seq)
        );

        CREATE TABLE workers (
            owner       TEXT COLLATE "C" PRIMARY KEY,
            pid         BIGINT NOT NULL,
            started_ms  BIGINT NOT NULL,
            expires_ms  BIGINT NOT NULL
        );

        CREATE TABLE compilations (
            id             TEXT COLLATE "C" PRIMARY KEY,
            definition_id  TEXT COLLATE "C" NOT NULL REFERENCES definitions(id),
            qpu_id         TEXT COLLATE "C" NOT NULL,
            created_ms     BIGINT NOT NULL,
            qubits         BIGINT,
            clbits         BIGINT,
            operations     BIGINT,
            gates          TEXT COLLATE "C"
        );
        CREATE INDEX compilations_by_definition ON compilations(definition_id);

        CREATE TABLE runs (
            id              TEXT COLLATE "C" PRIMARY KEY,
            task_id         TEXT COLLATE "C" NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
            attempt         BIGINT NOT NULL CHECK (attempt > 0),
            compilation_id  TEXT COLLATE "C" REFERENCES compilations(id),
            worker          TEXT COLLATE "C",
            started_ms      BIGINT NOT NULL,
            ended_ms        BIGINT,
            shots           BIGINT NOT NULL,
            shots_done      BIGINT NOT NULL DEFAULT 0,
            partial         BIGINT NOT NULL DEFAULT 1,
            data            TEXT COLLATE "C",
            timings         TEXT COLLATE "C" NOT NULL DEFAULT '{}',
            metrics         TEXT COLLATE "C" NOT NULL DEFAULT '{}',
            metadata        TEXT COLLATE "C" NOT NULL DEFAULT '{}',
            updated_ms      BIGINT NOT NULL,
            UNIQUE (task_id, attempt)
        );
        CREATE INDEX runs_by_compilation ON runs(compilation_id) WHERE compilation_id IS NOT NULL;

        CREATE TABLE batches (
            id          TEXT COLLATE "C" PRIMARY KEY,
            name        TEXT COLLATE "C",
            created_by  TEXT COLLATE "C" NOT NULL,
            created_ms  BIGINT NOT NULL,
            size        BIGINT NOT NULL CHECK (size >= 0),
            row_order   BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
        );
        CREATE INDEX batches_by_created ON batches(created_ms, row_order);

        CREATE TABLE idempotency_keys (
            key          TEXT COLLATE "C" PRIMARY KEY,
            fingerprint  TEXT COLLATE "C" NOT NULL,
            task_id      TEXT COLLATE "C" REFERENCES tasks(id) ON DELETE CASCADE,
            batch_id     TEXT COLLATE "C" REFERENCES batches(id) ON DELETE CASCADE,
            created_ms   BIGINT NOT NULL,
            CHECK ((task_id IS NULL) <> (batch_id IS NULL))
        );
        CREATE INDEX idempotency_keys_by_task ON idempotency_keys(task_id) WHERE task_id IS NOT NULL;
        CREATE INDEX idempotency_keys_by_batch ON idempotency_keys(batch_id) WHERE batch_id IS NOT NULL;

        CREATE TABLE qpu_states (
            qpu_id      TEXT COLLATE "C" PRIMARY KEY,
            paused      BIGINT NOT NULL CHECK (paused IN (0, 1)),
            updated_ms  BIGINT NOT NULL,
            actor       TEXT COLLATE "C" NOT NULL
        );

        CREATE TABLE api_tokens (
            id            TEXT COLLATE "C" PRIMARY KEY,
            "user"        TEXT COLLATE "C" NOT NULL,
            scope         TEXT COLLATE "C" NOT NULL CHECK (scope IN ('read', 'submit', 'admin')),
            token_sha256  TEXT COLLATE "C" NOT NULL UNIQUE CHECK (length(token_sha256) = 64),
            created_ms    BIGINT NOT NULL,
            last_used_ms  BIGINT,
            expires_ms    BIGINT,
            revoked_ms    BIGINT
        );

        CREATE TABLE task_counts (
            task_status TEXT COLLATE "C" NOT NULL,
            slot        INTEGER NOT NULL,
            n           BIGINT NOT NULL,
            PRIMARY KEY (task_status, slot)
        );
        INSERT INTO task_counts (task_status, slot, n)
        SELECT s, slot, 0 FROM unnest(ARRAY['Created', 'PayloadProcessing', 'Scheduled', 'ExecutionStarted',
            'ExecutionCompleted', 'Completed', 'Failed', 'Cancelled', 'PayloadProcessingError']) AS s,
            generate_series(0, \(countSlots - 1)) AS slot;
        CREATE FUNCTION qsh_count_tasks() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        DECLARE
            slot_ INTEGER := pg_backend_pid() % \(countSlots);
        BEGIN
            -- A transaction storing many tasks counts them in one statement (PostgresBulkCounts).
            IF TG_OP = 'INSERT' AND current_setting('qsh.bulk_insert', true) = 'on' THEN
                RETURN NULL;
            END IF;
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                UPDATE task_counts SET n = n - 1 WHERE task_status = OLD.task_status AND slot = slot_;
            END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN
                UPDATE task_counts SET n = n + 1 WHERE task_status = NEW.task_status AND slot = slot_;
            END IF;
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER tasks_count_insert_delete AFTER INSERT OR DELETE ON tasks
            FOR EACH ROW EXECUTE FUNCTION qsh_count_tasks();
        CREATE TRIGGER tasks_count_update AFTER UPDATE OF task_status ON tasks
            FOR EACH ROW WHEN (OLD.task_status IS DISTINCT FROM NEW.task_status) EXECUTE FUNCTION qsh_count_tasks();
        """
}
