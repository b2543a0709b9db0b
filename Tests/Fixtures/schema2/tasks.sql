PRAGMA application_id = 1364412500;
PRAGMA user_version = 2;
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE definitions (
    id          TEXT PRIMARY KEY,
    file_name   TEXT NOT NULL,
    source      TEXT NOT NULL,
    created_ms  INTEGER NOT NULL
, program BLOB) STRICT;
INSERT INTO definitions VALUES('62a30fa9-bed0-4bdb-8287-f9000ab9f124','bell.qasm','',1796662408959,X'4f50454e5141534d20322e303b0a696e636c756465202271656c6962312e696e63223b0a696e636c75646520226c69622f62656c6c2e696e63223b0a7172656720715b325d3b0a6372656720635b325d3b0a62656c6c20715b305d2c20715b315d3b0a6d6561737572652071202d3e20633b0a');
INSERT INTO definitions VALUES('c54ce5c6-17b2-420e-9a5e-5105629e2b3c','bad.qasm','',1796662408984,X'4f50454e5141534d20322e303b0a696e636c75646520226d697373696e672e696e63223b0a7172656720715b335d3b0a63637820715b305d2c20715b315d2c20715b325d3b0a');
INSERT INTO definitions VALUES('cea1ad26-4ec5-425c-8930-68b286ab63ba','<stdin>','',1796662409004,X'4f50454e5141534d20322e303b0a7172656720715b315d3b0a6372656720635b315d3b0a6d6561737572652071202d3e20633b0a');
INSERT INTO definitions VALUES('9534c5d7-591f-4c89-a123-3020d380614c','bell.qasm','',1796662409146,X'4f50454e5141534d20322e303b0a696e636c756465202271656c6962312e696e63223b0a696e636c75646520226c69622f62656c6c2e696e63223b0a7172656720715b325d3b0a6372656720635b325d3b0a62656c6c20715b305d2c20715b315d3b0a6d6561737572652071202d3e20633b0a');
INSERT INTO definitions VALUES('3ed98fe6-f63e-42cc-9d7a-016cbb8a3ba2','one.qasm','',1796662409190,X'4f50454e5141534d20322e303b0a7172656720715b315d3b0a6372656720635b315d3b0a6d6561737572652071202d3e20633b0a');
INSERT INTO definitions VALUES('7db0e0fc-4a44-488e-9d4b-98780ef2a9eb','one.qasm','',1796662411071,X'4f50454e5141534d20322e303b0a7172656720715b315d3b0a6372656720635b315d3b0a6d6561737572652071202d3e20633b0a');
INSERT INTO definitions VALUES('bb9e21ea-53de-4634-8d3d-18e4b21c4005','one.qasm','',1796662412963,X'4f50454e5141534d20322e303b0a7172656720715b315d3b0a6372656720635b315d3b0a6d6561737572652071202d3e20633b0a');
INSERT INTO definitions VALUES('b8a1fad3-7b7c-4c17-bd5f-d2e113fbc365','one.qasm','',1796662413242,X'4f50454e5141534d20322e303b0a7172656720715b315d3b0a6372656720635b315d3b0a6d6561737572652071202d3e20633b0a');
INSERT INTO definitions VALUES('43c8dede-4dd9-41f1-8b87-f4955cf69c2d','bell.qasm','',1796662413530,X'4f50454e5141534d20322e303b0a696e636c756465202271656c6962312e696e63223b0a696e636c75646520226c69622f62656c6c2e696e63223b0a7172656720715b325d3b0a6372656720635b325d3b0a62656c6c20715b305d2c20715b315d3b0a6d6561737572652071202d3e20633b0a');
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
INSERT INTO tasks VALUES('05c12c55-5a03-4d35-8a7c-a18695b9d967','Completed','sim:statevector',1000,7,'bell','{"run": "1", "team": "q"}','62a30fa9-bed0-4bdb-8287-f9000ab9f124','7559d172-e8ab-439d-b716-1bd2e3416fdd','uid 0',1796662408959,1796662409096,1796662409061,1796662409061,1796662409096,NULL,'[]',1000,NULL,NULL);
INSERT INTO tasks VALUES('47576100-f8a6-4083-8f0c-3d8a6d6cf6b3','PayloadProcessingError','sim:statevector',1000,1,NULL,'{}','c54ce5c6-17b2-420e-9a5e-5105629e2b3c',NULL,'uid 0',1796662408984,1796662409096,NULL,NULL,1796662409096,'invalid_program','["bad.qasm:2:1: unable to find ''missing.inc'' in the program''s directory", "bad.qasm:4:1: ''ccx'' is not defined in this scope (note: ''ccx'' is defined in qelib1.inc; add ''include \"qelib1.inc\";'' after the OPENQASM line)"]',0,NULL,NULL);
INSERT INTO tasks VALUES('c1ffda73-b223-42cf-8343-12516239feb2','Completed','sim:statevector',64,3,NULL,'{}','cea1ad26-4ec5-425c-8930-68b286ab63ba','8cd63f84-2cf5-4312-812b-009e21ef4d2c','uid 0',1796662409004,1796662409097,1796662409097,1796662409097,1796662409097,NULL,'[]',64,NULL,NULL);
INSERT INTO tasks VALUES('841409b7-58e5-41b3-a494-3a280220df4c','Cancelled','sim:statevector',1000,4,'cancelled','{}','9534c5d7-591f-4c89-a123-3020d380614c',NULL,'uid 0',1796662409146,1796662409169,NULL,NULL,1796662409169,NULL,'[]',0,NULL,NULL);
INSERT INTO tasks VALUES('7c0c31c3-f554-4f66-869a-9cdd965225a1','Failed','test:sleep',400,5,'lost','{}','3ed98fe6-f63e-42cc-9d7a-016cbb8a3ba2','c3ab2dd9-cb2e-4606-b941-0f6b1c8eaa8f','uid 0',1796662409190,1796662411029,1796662409236,1796662409236,1796662411029,'internal_error','["worker ''pid 9718 on vm'' was lost: its lease expired at 2026-12-07T16:53:30Z while the task was ExecutionStarted"]',9,NULL,NULL);
INSERT INTO tasks VALUES('bcb6662b-12b4-4fdc-a06b-0b0f3d2e559b','Completed','test:sleep',10,6,'finished','{}','7db0e0fc-4a44-488e-9d4b-98780ef2a9eb','872102aa-26d6-4465-9287-bdab3ce20ee4','uid 0',1796662411071,1796662412925,1796662411181,1796662411181,1796662412925,NULL,'[]',10,NULL,NULL);
INSERT INTO tasks VALUES('f4b5fab2-4d9b-4a54-a5de-80aee61d8fee','ExecutionStarted','test:sleep',400,8,'running','{}','bb9e21ea-53de-4634-8d3d-18e4b21c4005','2223a921-41c1-48ab-82f6-40449555c651','uid 0',1796662412963,1796662412992,1796662412992,1796662412992,NULL,NULL,'[]',8,'pid 9808 on vm',4102444800000);
INSERT INTO tasks VALUES('2c05949d-ca56-492e-a358-075fac4e28e7','ExecutionCompleted','test:sleep',10,9,'held','{}','b8a1fad3-7b7c-4c17-bd5f-d2e113fbc365','dc424210-b175-467f-8a1b-c7b06ec15f67','uid 0',1796662413242,1796662413506,1796662413284,1796662413284,NULL,NULL,'[]',10,'pid 9824 on vm',4102444800000);
INSERT INTO tasks VALUES('026f6e43-2514-4162-9afc-2a16e4d501e8','Created','sim:statevector',1000,10,NULL,'{"team": "q"}','43c8dede-4dd9-41f1-8b87-f4955cf69c2d',NULL,'uid 0',1796662413530,1796662413530,NULL,NULL,NULL,NULL,'[]',0,NULL,NULL);
CREATE TABLE task_tags (
    task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    key     TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (task_id, key)
) STRICT, WITHOUT ROWID;
INSERT INTO task_tags VALUES('05c12c55-5a03-4d35-8a7c-a18695b9d967','run','1');
INSERT INTO task_tags VALUES('026f6e43-2514-4162-9afc-2a16e4d501e8','team','q');
INSERT INTO task_tags VALUES('05c12c55-5a03-4d35-8a7c-a18695b9d967','team','q');
CREATE TABLE task_events (
    seq          INTEGER PRIMARY KEY,
    task_id      TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    from_status  TEXT,
    to_status    TEXT NOT NULL,
    at_ms        INTEGER NOT NULL,
    actor        TEXT NOT NULL,
    detail       TEXT
) STRICT;
INSERT INTO task_events VALUES(1,'05c12c55-5a03-4d35-8a7c-a18695b9d967',NULL,'Created',1796662408959,'cli',NULL);
INSERT INTO task_events VALUES(2,'47576100-f8a6-4083-8f0c-3d8a6d6cf6b3',NULL,'Created',1796662408984,'cli',NULL);
INSERT INTO task_events VALUES(3,'c1ffda73-b223-42cf-8343-12516239feb2',NULL,'Created',1796662409004,'cli',NULL);
INSERT INTO task_events VALUES(4,'05c12c55-5a03-4d35-8a7c-a18695b9d967','Created','PayloadProcessing',1796662409041,'worker pid 9709 on vm',NULL);
INSERT INTO task_events VALUES(5,'05c12c55-5a03-4d35-8a7c-a18695b9d967','PayloadProcessing','Scheduled',1796662409061,'worker pid 9709 on vm',NULL);
INSERT INTO task_events VALUES(6,'05c12c55-5a03-4d35-8a7c-a18695b9d967','Scheduled','ExecutionStarted',1796662409061,'worker pid 9709 on vm',NULL);
INSERT INTO task_events VALUES(7,'05c12c55-5a03-4d35-8a7c-a18695b9d967','ExecutionStarted','ExecutionCompleted',1796662409096,'worker pid 9709 on vm',NULL);
INSERT INTO task_events VALUES(8,'05c12c55-5a03-4d35-8a7c-a18695b9d967','ExecutionCompleted','Completed',1796662409096,'worker pid 9709 on vm',NULL);
INSERT INTO task_events VALUES(9,'47576100-f8a6-4083-8f0c-3d8a6d6cf6b3','Created','PayloadProcessing',1796662409096,'worker pid 9709 on vm',NULL);
INSERT INTO task_events VALUES(10,'47576100-f8a6-4083-8f0c-3d8a6d6cf6b3','PayloadProcessing','PayloadProcessingError',1796662409096,'worker pid 9709 on vm','bad.qasm:2:1: unable to find ''missing.inc'' in the program''s directory');
INSERT INTO task_events VALUES(11,'c1ffda73-b223-42cf-8343-12516239feb2','Created','PayloadProcessing',1796662409097,'worker pid 9709 on vm',NULL);
INSERT INTO task_events VALUES(12,'c1ffda73-b223-42cf-8343-12516239feb2','PayloadProcessing','Scheduled',1796662409097,'worker pid 9709 on vm',NULL);
INSERT INTO task_events VALUES(13,'c1ffda73-b223-42cf-8343-12516239feb2','Scheduled','ExecutionStarted',1796662409097,'worker pid 9709 on vm',NULL);
INSERT INTO task_events VALUES(14,'c1ffda73-b223-42cf-8343-12516239feb2','ExecutionStarted','ExecutionCompleted',1796662409097,'worker pid 9709 on vm',NULL);
INSERT INTO task_events VALUES(15,'c1ffda73-b223-42cf-8343-12516239feb2','ExecutionCompleted','Completed',1796662409097,'worker pid 9709 on vm',NULL);
INSERT INTO task_events VALUES(16,'841409b7-58e5-41b3-a494-3a280220df4c',NULL,'Created',1796662409146,'cli',NULL);
INSERT INTO task_events VALUES(17,'841409b7-58e5-41b3-a494-3a280220df4c','Created','Cancelled',1796662409169,'cli uid 0','cancelled by the user');
INSERT INTO task_events VALUES(18,'7c0c31c3-f554-4f66-869a-9cdd965225a1',NULL,'Created',1796662409190,'cli',NULL);
INSERT INTO task_events VALUES(19,'7c0c31c3-f554-4f66-869a-9cdd965225a1','Created','PayloadProcessing',1796662409235,'worker pid 9718 on vm',NULL);
INSERT INTO task_events VALUES(20,'7c0c31c3-f554-4f66-869a-9cdd965225a1','PayloadProcessing','Scheduled',1796662409236,'worker pid 9718 on vm',NULL);
INSERT INTO task_events VALUES(21,'7c0c31c3-f554-4f66-869a-9cdd965225a1','Scheduled','ExecutionStarted',1796662409236,'worker pid 9718 on vm',NULL);
INSERT INTO task_events VALUES(22,'7c0c31c3-f554-4f66-869a-9cdd965225a1','ExecutionStarted','Failed',1796662411029,'sweep cli','worker ''pid 9718 on vm'' was lost: its lease expired at 2026-12-07T16:53:30Z while the task was ExecutionStarted');
INSERT INTO task_events VALUES(23,'bcb6662b-12b4-4fdc-a06b-0b0f3d2e559b',NULL,'Created',1796662411071,'cli',NULL);
INSERT INTO task_events VALUES(24,'bcb6662b-12b4-4fdc-a06b-0b0f3d2e559b','Created','PayloadProcessing',1796662411158,'worker pid 9754 on vm',NULL);
INSERT INTO task_events VALUES(25,'bcb6662b-12b4-4fdc-a06b-0b0f3d2e559b','PayloadProcessing','Scheduled',1796662411181,'worker pid 9754 on vm',NULL);
INSERT INTO task_events VALUES(26,'bcb6662b-12b4-4fdc-a06b-0b0f3d2e559b','Scheduled','ExecutionStarted',1796662411181,'worker pid 9754 on vm',NULL);
INSERT INTO task_events VALUES(27,'bcb6662b-12b4-4fdc-a06b-0b0f3d2e559b','ExecutionStarted','ExecutionCompleted',1796662411413,'worker pid 9754 on vm',NULL);
INSERT INTO task_events VALUES(28,'bcb6662b-12b4-4fdc-a06b-0b0f3d2e559b','ExecutionCompleted','Completed',1796662412925,'sweep cli','worker ''pid 9754 on vm'' was lost after the run: its lease expired at 2026-12-07T16:53:32Z; the results were complete');
INSERT INTO task_events VALUES(29,'f4b5fab2-4d9b-4a54-a5de-80aee61d8fee',NULL,'Created',1796662412963,'cli',NULL);
INSERT INTO task_events VALUES(30,'f4b5fab2-4d9b-4a54-a5de-80aee61d8fee','Created','PayloadProcessing',1796662412991,'worker pid 9808 on vm',NULL);
INSERT INTO task_events VALUES(31,'f4b5fab2-4d9b-4a54-a5de-80aee61d8fee','PayloadProcessing','Scheduled',1796662412992,'worker pid 9808 on vm',NULL);
INSERT INTO task_events VALUES(32,'f4b5fab2-4d9b-4a54-a5de-80aee61d8fee','Scheduled','ExecutionStarted',1796662412992,'worker pid 9808 on vm',NULL);
INSERT INTO task_events VALUES(33,'2c05949d-ca56-492e-a358-075fac4e28e7',NULL,'Created',1796662413242,'cli',NULL);
INSERT INTO task_events VALUES(34,'2c05949d-ca56-492e-a358-075fac4e28e7','Created','PayloadProcessing',1796662413283,'worker pid 9824 on vm',NULL);
INSERT INTO task_events VALUES(35,'2c05949d-ca56-492e-a358-075fac4e28e7','PayloadProcessing','Scheduled',1796662413284,'worker pid 9824 on vm',NULL);
INSERT INTO task_events VALUES(36,'2c05949d-ca56-492e-a358-075fac4e28e7','Scheduled','ExecutionStarted',1796662413284,'worker pid 9824 on vm',NULL);
INSERT INTO task_events VALUES(37,'2c05949d-ca56-492e-a358-075fac4e28e7','ExecutionStarted','ExecutionCompleted',1796662413506,'worker pid 9824 on vm',NULL);
INSERT INTO task_events VALUES(38,'026f6e43-2514-4162-9afc-2a16e4d501e8',NULL,'Created',1796662413530,'cli',NULL);
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
INSERT INTO results VALUES('05c12c55-5a03-4d35-8a7c-a18695b9d967',1000,1000,0,'{"c": {"00": 484, "11": 516}}','{"queue": 0.083, "compile": 0.019, "simulate": 0.000519, "sample": 0.034053, "execute": 0.035}','{"qubits": 2, "clbits": 2, "gates": {"cx": 1, "h": 1, "measure": 2}, "depth": 3, "fused_gates": 1}','{"qpu_id": "sim:statevector", "method": "sampled", "passes": 1, "precision": "double", "product_blocks": 0, "seed": 7, "simulator": "sim:statevector", "threads": 2}',1796662409096);
INSERT INTO results VALUES('c1ffda73-b223-42cf-8343-12516239feb2',64,64,0,'{"c": {"0": 64}}','{"queue": 0.093, "compile": 0.0, "simulate": 4.8e-05, "sample": 0.000101, "execute": 0.0}','{"qubits": 1, "clbits": 1, "gates": {"measure": 1}, "depth": 1, "fused_gates": 0}','{"qpu_id": "sim:statevector", "method": "sampled", "passes": 0, "precision": "double", "product_blocks": 0, "seed": 3, "simulator": "sim:statevector", "threads": 2}',1796662409097);
INSERT INTO results VALUES('7c0c31c3-f554-4f66-869a-9cdd965225a1',400,9,1,'{"c": {"0": 9}}','{}','{}','{}',1796662409460);
INSERT INTO results VALUES('bcb6662b-12b4-4fdc-a06b-0b0f3d2e559b',10,10,0,'{"c": {"0": 10}}','{"queue": 0.087, "compile": 0.023, "simulate": 0.0, "sample": 0.0, "execute": 0.231}','{"qubits": 1, "clbits": 1, "gates": {}, "depth": 0, "fused_gates": 0}','{"qpu_id": "test:sleep", "precision": "double", "seed": 6, "simulator": "test:sleep", "threads": 2}',1796662411412);
INSERT INTO results VALUES('f4b5fab2-4d9b-4a54-a5de-80aee61d8fee',400,8,1,'{"c": {"0": 8}}','{}','{}','{}',1796662413202);
INSERT INTO results VALUES('2c05949d-ca56-492e-a358-075fac4e28e7',10,10,0,'{"c": {"0": 10}}','{"queue": 0.042, "compile": 0.0, "simulate": 0.0, "sample": 0.0, "execute": 0.222}','{"qubits": 1, "clbits": 1, "gates": {}, "depth": 0, "fused_gates": 0}','{"qpu_id": "test:sleep", "precision": "double", "seed": 9, "simulator": "test:sleep", "threads": 2}',1796662413506);
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
INSERT INTO diagnostics VALUES('47576100-f8a6-4083-8f0c-3d8a6d6cf6b3',0,'error','include-not-found','unable to find ''missing.inc'' in the program''s directory','bad.qasm',2,1,'[]');
INSERT INTO diagnostics VALUES('47576100-f8a6-4083-8f0c-3d8a6d6cf6b3',1,'error','unknown-gate','''ccx'' is not defined in this scope','bad.qasm',4,1,'["''ccx'' is defined in qelib1.inc; add ''include \"qelib1.inc\";'' after the OPENQASM line"]');
CREATE TABLE workers (
    owner       TEXT PRIMARY KEY,
    pid         INTEGER NOT NULL,
    started_ms  INTEGER NOT NULL,
    expires_ms  INTEGER NOT NULL
) STRICT;
INSERT INTO workers VALUES('pid 9808 on vm',9808,1796662412991,4102444800000);
INSERT INTO workers VALUES('pid 9824 on vm',9824,1796662413277,4102444800000);
CREATE TABLE task_counts (
    task_status TEXT PRIMARY KEY,
    n           INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO task_counts VALUES('Cancelled',1);
INSERT INTO task_counts VALUES('Completed',3);
INSERT INTO task_counts VALUES('Created',1);
INSERT INTO task_counts VALUES('ExecutionCompleted',1);
INSERT INTO task_counts VALUES('ExecutionStarted',1);
INSERT INTO task_counts VALUES('Failed',1);
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
INSERT INTO definition_includes VALUES('62a30fa9-bed0-4bdb-8287-f9000ab9f124',0,'lib/bell.inc','loaded',X'676174652062656c6c20612c2062207b206820613b20637820612c20623b207d0a',NULL);
INSERT INTO definition_includes VALUES('c54ce5c6-17b2-420e-9a5e-5105629e2b3c',0,'missing.inc','not_found',NULL,NULL);
INSERT INTO definition_includes VALUES('9534c5d7-591f-4c89-a123-3020d380614c',0,'lib/bell.inc','loaded',X'676174652062656c6c20612c2062207b206820613b20637820612c20623b207d0a',NULL);
INSERT INTO definition_includes VALUES('43c8dede-4dd9-41f1-8b87-f4955cf69c2d',0,'lib/bell.inc','loaded',X'676174652062656c6c20612c2062207b206820613b20637820612c20623b207d0a',NULL);
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
COMMIT;
