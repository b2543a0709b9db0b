PRAGMA application_id = 1364412500;
PRAGMA user_version = 3;
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE definitions (
    id          TEXT PRIMARY KEY,
    file_name   TEXT NOT NULL,
    source      TEXT NOT NULL,
    created_ms  INTEGER NOT NULL
, program BLOB) STRICT;
INSERT INTO definitions VALUES('9eec7eda53bce6128855bf13ccbf1b7d7019a7023b9262f66f93038629ddde85','bell.qasm','',1796669677670,X'4f50454e5141534d20322e303b0a696e636c756465202271656c6962312e696e63223b0a696e636c75646520226c69622f62656c6c2e696e63223b0a7172656720715b325d3b0a6372656720635b325d3b0a62656c6c20715b305d2c20715b315d3b0a6d6561737572652071202d3e20633b0a');
INSERT INTO definitions VALUES('5aaf3739018f554d0f9f377e1bf15a4c249422ac3f9fe650c4558f8ab0f40967','bad.qasm','',1796669677681,X'4f50454e5141534d20322e303b0a696e636c756465202271656c6962312e696e63223b0a7172656720715b335d3b0a63637a20715b305d2c20715b315d2c20715b325d3b0a');
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
, batch_id TEXT) STRICT;
INSERT INTO tasks VALUES('ffdacfc4-d4a4-48d2-a7c9-0117866749b5','Completed','sim:statevector',1000,7,'bell','{"run": "1", "team": "q"}','9eec7eda53bce6128855bf13ccbf1b7d7019a7023b9262f66f93038629ddde85','887688b6-7b8e-4220-9f7a-b28ade545fff','uid 0',1796669677670,1796669677698,1796669677695,1796669677695,1796669677698,NULL,'[]',1000,NULL,NULL,NULL);
INSERT INTO tasks VALUES('6fd52725-5d4a-42c1-adea-3ca4152d0bcd','PayloadProcessingError','sim:statevector',1000,1,'bad','{}','5aaf3739018f554d0f9f377e1bf15a4c249422ac3f9fe650c4558f8ab0f40967',NULL,'uid 0',1796669677681,1796669677700,NULL,NULL,1796669677700,'invalid_program','["bad.qasm:4:1: ''ccz'' is not defined in this scope"]',0,NULL,NULL,NULL);
INSERT INTO tasks VALUES('07539f80-66c2-4b1b-a805-fb05d336a1d3','Cancelled','sim:statevector',1000,4,'cancelled','{}','9eec7eda53bce6128855bf13ccbf1b7d7019a7023b9262f66f93038629ddde85',NULL,'uid 0',1796669677712,1796669677721,NULL,NULL,1796669677721,NULL,'[]',0,NULL,NULL,NULL);
INSERT INTO tasks VALUES('b51e8f6a-86d5-4d86-b24e-9ac7b8cf8d8f','Created','sim:statevector',1000,10,NULL,'{"team": "q"}','9eec7eda53bce6128855bf13ccbf1b7d7019a7023b9262f66f93038629ddde85',NULL,'uid 0',1796669677732,1796669677732,NULL,NULL,NULL,NULL,'[]',0,NULL,NULL,NULL);
CREATE TABLE task_tags (
    task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    key     TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (task_id, key)
) STRICT, WITHOUT ROWID;
INSERT INTO task_tags VALUES('ffdacfc4-d4a4-48d2-a7c9-0117866749b5','run','1');
INSERT INTO task_tags VALUES('b51e8f6a-86d5-4d86-b24e-9ac7b8cf8d8f','team','q');
INSERT INTO task_tags VALUES('ffdacfc4-d4a4-48d2-a7c9-0117866749b5','team','q');
CREATE TABLE task_events (
    seq          INTEGER PRIMARY KEY,
    task_id      TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    from_status  TEXT,
    to_status    TEXT NOT NULL,
    at_ms        INTEGER NOT NULL,
    actor        TEXT NOT NULL,
    detail       TEXT
) STRICT;
INSERT INTO task_events VALUES(1,'ffdacfc4-d4a4-48d2-a7c9-0117866749b5',NULL,'Created',1796669677670,'cli',NULL);
INSERT INTO task_events VALUES(2,'6fd52725-5d4a-42c1-adea-3ca4152d0bcd',NULL,'Created',1796669677681,'cli',NULL);
INSERT INTO task_events VALUES(3,'ffdacfc4-d4a4-48d2-a7c9-0117866749b5','Created','PayloadProcessing',1796669677691,'worker pid 864 on vm',NULL);
INSERT INTO task_events VALUES(4,'ffdacfc4-d4a4-48d2-a7c9-0117866749b5','PayloadProcessing','Scheduled',1796669677695,'worker pid 864 on vm',NULL);
INSERT INTO task_events VALUES(5,'ffdacfc4-d4a4-48d2-a7c9-0117866749b5','Scheduled','ExecutionStarted',1796669677695,'worker pid 864 on vm',NULL);
INSERT INTO task_events VALUES(6,'ffdacfc4-d4a4-48d2-a7c9-0117866749b5','ExecutionStarted','ExecutionCompleted',1796669677698,'worker pid 864 on vm',NULL);
INSERT INTO task_events VALUES(7,'ffdacfc4-d4a4-48d2-a7c9-0117866749b5','ExecutionCompleted','Completed',1796669677698,'worker pid 864 on vm',NULL);
INSERT INTO task_events VALUES(8,'6fd52725-5d4a-42c1-adea-3ca4152d0bcd','Created','PayloadProcessing',1796669677698,'worker pid 864 on vm',NULL);
INSERT INTO task_events VALUES(9,'6fd52725-5d4a-42c1-adea-3ca4152d0bcd','PayloadProcessing','PayloadProcessingError',1796669677700,'worker pid 864 on vm','bad.qasm:4:1: ''ccz'' is not defined in this scope');
INSERT INTO task_events VALUES(10,'07539f80-66c2-4b1b-a805-fb05d336a1d3',NULL,'Created',1796669677712,'cli',NULL);
INSERT INTO task_events VALUES(11,'07539f80-66c2-4b1b-a805-fb05d336a1d3','Created','Cancelled',1796669677721,'cli uid 0','cancelled by the user');
INSERT INTO task_events VALUES(12,'b51e8f6a-86d5-4d86-b24e-9ac7b8cf8d8f',NULL,'Created',1796669677732,'cli',NULL);
CREATE TABLE diagnostics (
    task_id   TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    severity  TEXT NOT NULL,
    code      TEXT NOT NULL,
    message   TEXT NOT NULL,
    file      TEXT NOT NULL,
    line      INTEGER NOT NULL,
    col       INTEGER NOT NULL, notes TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (task_id, seq)
) STRICT, WITHOUT ROWID;
INSERT INTO diagnostics VALUES('6fd52725-5d4a-42c1-adea-3ca4152d0bcd',0,'error','unknown_gate','''ccz'' is not defined in this scope','bad.qasm',4,1,'[]');
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
INSERT INTO task_counts VALUES('Cancelled',1);
INSERT INTO task_counts VALUES('Completed',1);
INSERT INTO task_counts VALUES('Created',1);
INSERT INTO task_counts VALUES('ExecutionCompleted',0);
INSERT INTO task_counts VALUES('ExecutionStarted',0);
INSERT INTO task_counts VALUES('Failed',0);
INSERT INTO task_counts VALUES('PayloadProcessing',0);
INSERT INTO task_counts VALUES('PayloadProcessingError',1);
INSERT INTO task_counts VALUES('Scheduled',0);
CREATE TABLE definition_includes (
    definition_id  TEXT NOT NULL REFERENCES definitions(id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    path           TEXT NOT NULL,
    outcome        TEXT NOT NULL CHECK (outcome IN ('loaded', 'not_found', 'failed', 'too_large')),
    bytes          BLOB,
    reason         TEXT,
    PRIMARY KEY (definition_id, seq)
) STRICT;
INSERT INTO definition_includes VALUES('9eec7eda53bce6128855bf13ccbf1b7d7019a7023b9262f66f93038629ddde85',0,'lib/bell.inc','loaded',X'676174652062656c6c20612c2062207b206820613b20637820612c20623b207d0a',NULL);
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
INSERT INTO compilations VALUES('887688b6-7b8e-4220-9f7a-b28ade545fff','9eec7eda53bce6128855bf13ccbf1b7d7019a7023b9262f66f93038629ddde85','sim:statevector',1796669677695,2,2,4,'{"cx": 1, "h": 1, "measure": 2}');
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
INSERT INTO runs VALUES('99666bcd-12a6-4c9f-8205-8fcca98dc02a','ffdacfc4-d4a4-48d2-a7c9-0117866749b5',1,'887688b6-7b8e-4220-9f7a-b28ade545fff','pid 864 on vm',1796669677695,1796669677698,1000,1000,0,'{"c": {"00": 484, "11": 516}}','{"queue": 0.022, "compile": 0.003, "simulate": 0.000422, "sample": 0.002007, "execute": 0.003}','{"qubits": 2, "clbits": 2, "gates": {"cx": 1, "h": 1, "measure": 2}, "depth": 3, "fused_gates": 1}','{"qpu_id": "sim:statevector", "method": "sampled", "passes": 1, "precision": "double", "product_blocks": 0, "seed": 7, "simulator": "sim:statevector", "threads": 2}',1796669677698);
CREATE INDEX tasks_by_created ON tasks(created_ms);
CREATE INDEX tasks_by_status ON tasks(task_status, created_ms);
CREATE INDEX tasks_by_qpu ON tasks(qpu_id, created_ms);
CREATE INDEX tasks_by_lease ON tasks(lease_expires_ms) WHERE lease_owner IS NOT NULL;
CREATE INDEX task_tags_by_pair ON task_tags(key, value);
CREATE INDEX task_events_by_task ON task_events(task_id, seq);
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
CREATE INDEX tasks_by_batch ON tasks(batch_id, created_ms) WHERE batch_id IS NOT NULL;
COMMIT;
