// Housekeeping end to end: export then import into a new database gives identical get,
// results, events and list output; duplicates are refused; delete and prune remove tasks
// with everything of their own; doctor finds a task stranded past its lease. The task commands
// run through both doors (local, and qsh as a client of `qsh serve` on the same database; a
// copy is a second sandbox behind the same door); doctor always reads the local database.
import Foundation
import Testing
import TestSupport

@Suite struct HousekeepingTests {
    /// A sandbox with a Completed task (tags, a name), a PayloadProcessingError, a
    /// Cancelled and a Created one, in that order.
    static func populated(_ door: Door) throws
        -> (TaskSandbox, completed: String, refused: String, cancelled: String, queued: String)
    {
        let box = try TaskSandbox(door)
        let completed = try box.submit(["--shots", "100", "--seed", "7", "--name", "bell", "--tag", "team=q"])
        let refused = try box.submit(text: TaskSandbox.badArity, name: "bad.qasm")
        #expect(try box.run(["worker", "--once"]).status == 0)
        let cancelled = try box.submit(["--shots", "5"])
        #expect(try box.run(["tasks", "cancel", cancelled]).status == 0)
        let queued = try box.submit(["--seed", "9"])
        return (box, completed, refused, cancelled, queued)
    }

    /// Every reading command's whole answer (status, stdout, stderr) for `id`.
    static func readings(_ box: TaskSandbox, _ id: String) throws -> [String] {
        var out: [String] = []
        for command in ["get", "results", "events"] {
            for format in ["json", "table", "csv"] {
                let run = try box.run(["tasks", command, id, "-o", format])
                out.append("\(command) \(format): \(run.status)\n\(run.stdout)\(run.stderr)")
            }
        }
        return out
    }

    // MARK: Export and import

    @Test(arguments: Door.allCases) func exportThenImportIntoANewDatabaseGivesIdenticalOutput(door: Door) throws {
        let (box, completed, refused, cancelled, queued) = try Self.populated(door)
        let export = try box.run(["tasks", "export"])
        #expect(export.status == 0 && export.stderr == "")
        let lines = try ndjson(export.stdout)
        #expect(lines.map { $0["record"].string ?? "" } == ["definition", "task", "definition", "task", "task", "task"])
        let latest = try box.latestSchemaVersion()
        #expect(lines.allSatisfy { $0["qsh_export"].int == 1 && $0["schema"].int == latest })
        try box.dir.write("tasks.ndjson", export.stdout)

        let copy = try TaskSandbox(door)
        let imported = try copy.run(["tasks", "import", box.dir.file("tasks.ndjson"), "-o", "table"])
        #expect(imported.status == 0)
        #expect(imported.stdout == "imported 4 tasks (2 new programs)\n")
        #expect(imported.stderr == "")
        for id in [completed, refused, cancelled, queued] {
            #expect(try Self.readings(copy, id) == Self.readings(box, id))
        }
        for format in ["json", "table", "tsv"] {
            #expect(try copy.run(["tasks", "list", "-o", format]).stdout == box.run(["tasks", "list", "-o", format]).stdout)
        }
        // The copy exports the same records, byte for byte.
        #expect(try copy.run(["tasks", "export"]).stdout == export.stdout)
        // And the task left queued in the copy still runs there.
        #expect(try copy.run(["worker", "--once"]).status == 0)
        #expect(try copy.status(queued) == "Completed")
    }

    @Test(arguments: Door.allCases) func batchesReRunsAndIdempotencyKeysSurviveExportAndImport(door: Door) throws {
        let box = try TaskSandbox(door)
        try box.program("bell.qasm")
        try box.program("bad.qasm", TaskSandbox.badArity)
        let submitted = try box.run(
            ["tasks", "submit", "bell.qasm", "bad.qasm", "--idempotency-key", "nightly-1", "--seed", "3", "-o", "json"])
        #expect(submitted.status == 0)
        let batch = try J.parse(submitted.stdout)["id"].string ?? ""
        #expect(try box.run(["worker", "--once"]).status == 0)
        let items = try J.parse(box.run(["tasks", "list", "--batch", batch, "-o", "json"]).stdout)["elements"].array
        let first = try #require(items.first { $0["batch_label"].string == "bell" }?["id"].string)
        let rerun = try box.run(["tasks", "rerun", first, "--shots", "10", "-q"])
        #expect(rerun.status == 0)
        #expect(try box.run(["worker", "--once"]).status == 0)

        let export = try box.run(["tasks", "export"])
        #expect(export.status == 0)
        try box.dir.write("tasks.ndjson", export.stdout)
        let copy = try TaskSandbox(door)
        try copy.program("bell.qasm")
        try copy.program("bad.qasm", TaskSandbox.badArity)
        #expect(try copy.run(["tasks", "import", box.dir.file("tasks.ndjson")]).status == 0)
        for command in [
            ["batches", "list"], ["batches", "get", batch], ["batches", "results", batch], ["tasks", "history", first],
            ["tasks", "list", "--batch", batch],
        ] {
            for format in ["json", "table"] {
                let here = try box.run(command + ["-o", format])
                let there = try copy.run(command + ["-o", format])
                #expect(there.status == here.status && there.stdout == here.stdout && there.stderr == here.stderr)
            }
        }
        // The key came along: the same submit in the copy returns the imported batch.
        let again = try copy.run(
            ["tasks", "submit", "bell.qasm", "bad.qasm", "--idempotency-key", "nightly-1", "--seed", "3", "-o", "json"])
        #expect(again.status == 0)
        #expect(try J.parse(again.stdout)["id"].string == batch)

        // Deleting every item of a batch deletes the batch and its key.
        let ids = items.compactMap { $0["id"].string }
        #expect(try box.run(["tasks", "delete"] + ids).status == 0)
        let gone = try box.run(["batches", "get", batch])
        #expect(gone.status == 5 && gone.stderr == "qsh: batch '\(batch)' not found\n")
        let fresh = try box.run(
            ["tasks", "submit", "bell.qasm", "bad.qasm", "--idempotency-key", "nightly-1", "--seed", "3", "-o", "json"])
        #expect(fresh.status == 0)
        #expect(try J.parse(fresh.stdout)["id"].string != batch)
    }

    @Test(arguments: Door.allCases) func importRefusesDuplicatesUnlessToldToSkipThem(door: Door) throws {
        let (box, completed, refused, cancelled, queued) = try Self.populated(door)
        let copy = try TaskSandbox(door)
        try copy.dir.write("some.ndjson", try box.run(["tasks", "export", completed, refused]).stdout)
        try copy.dir.write("all.ndjson", try box.run(["tasks", "export"]).stdout)
        #expect(try copy.run(["tasks", "import", "some.ndjson"]).status == 0)

        let refusedRun = try copy.run(["tasks", "import", "all.ndjson", "-o", "table"])
        #expect(refusedRun.status == 1)
        #expect(refusedRun.stdout == "")
        #expect(refusedRun.stderr == "qsh: task '\(completed)' is already in the database; nothing was imported "
            + "(use --skip-existing to import the others)\n")
        let json = try copy.run(["tasks", "import", "all.ndjson", "--json"])
        #expect(json.status == 1 && json.stdout == "")
        #expect(try J.parse(json.stderr)["error"]["code"].string == "already_exists")
        #expect(try J.parse(copy.run(["tasks", "list", "-o", "json"]).stdout)["total"].int == 2)

        let skipped = try copy.run(["tasks", "import", "--skip-existing", "-", "-o", "json"],
                                   stdin: try String(contentsOfFile: copy.dir.file("all.ndjson"), encoding: .utf8))
        #expect(skipped.status == 0 && skipped.stderr == "")
        let summary = try J.parse(skipped.stdout)
        #expect(summary["imported"].int == 2 && summary["skipped"].int == 2 && summary["definitions"].int == 0)
        #expect(summary["ids"].array.map { $0.string ?? "" } == [cancelled, queued])
        #expect(summary["skipped_ids"].array.map { $0.string ?? "" } == [completed, refused])
        #expect(try J.parse(copy.run(["tasks", "list", "-o", "json"]).stdout)["total"].int == 4)
    }

    @Test(arguments: Door.allCases) func aFileThatIsNotAnExportIsRefusedWithItsLine(door: Door) throws {
        let box = try TaskSandbox(door)
        try box.dir.write("bad.ndjson", "\n{\"qsh_export\": 1, \"record\": \"task\"}\n")
        let run = try box.run(["tasks", "import", "bad.ndjson"])
        #expect(run.status == 1 && run.stdout == "")
        #expect(run.stderr == "qsh: line 2 of 'bad.ndjson' is not a task export record: it has no 'id'; "
            + "nothing was imported\n")
        let newer = try box.run(
            ["tasks", "import", "-"], stdin: #"{"qsh_export": 9, "record": "task", "id": "x", "schema": 3, "tables": {}}"#)
        #expect(newer.status == 1)
        #expect(newer.stderr == "qsh: line 1 of '<stdin>' is not a task export record: its export format 9 is newer "
            + "than this qsh reads (1); upgrade qsh; nothing was imported\n")
        let missing = try box.run(["tasks", "import", "nope.ndjson"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "qsh: cannot read 'nope.ndjson': No such file or directory\n")
        // Nothing was stored: no database locally; no task on the server (whose database exists).
        if door == .local {
            #expect(!FileManager.default.fileExists(atPath: box.db))
        } else {
            #expect(try J.parse(box.run(["tasks", "list", "-o", "json"]).stdout)["total"].int == 0)
        }
        let usage = try box.run(["tasks", "import"])
        #expect(usage.status == 2)
    }

    @Test(arguments: Door.allCases) func exportWithFiltersWritesOnlyTheMatchingTasks(door: Door) throws {
        let (box, completed, refused, _, _) = try Self.populated(door)
        let run = try box.run(["tasks", "export", "--status", "Completed", "--status", "PayloadProcessingError"])
        #expect(run.status == 0)
        #expect(try ndjson(run.stdout).filter { $0["record"].string == "task" }.map { $0["id"].string ?? "" }
            == [completed, refused])
        let tagged = try box.run(["tasks", "export", "--tag", "team=q"])
        #expect(try ndjson(tagged.stdout).map { $0["record"].string ?? "" } == ["definition", "task"])
        let unknown = try box.run(["tasks", "export", "00000000"])
        #expect(unknown.status == 5 && unknown.stdout == "")
        #expect(unknown.stderr == "qsh: task '00000000' not found\n")
    }

    // MARK: Delete and prune

    @Test(arguments: Door.allCases) func deleteRemovesEndedTasksAndCancelsQueuedOnesFirst(door: Door) throws {
        let (box, completed, refused, cancelled, queued) = try Self.populated(door)
        let table = try box.run(["tasks", "delete", completed, "-o", "table"])
        #expect(table.status == 0 && table.stderr == "")
        #expect(table.stdout == """
            ID                                    STATUS     ACTION
            \(completed)  Completed  deleted
            deleted 1 task

            """)
        let json = try box.run(["tasks", "delete", String(queued.prefix(8)), refused, "-o", "json"])
        #expect(json.status == 0)
        let deleted = try J.parse(json.stdout)
        #expect(deleted["count"].int == 2)
        #expect(deleted["deleted"][0]["id"].string == queued && deleted["deleted"][0]["task_status"].string == "Cancelled")
        #expect(deleted["deleted"][0]["cancelled"].bool == true && deleted["deleted"][1]["cancelled"].bool == false)
        for id in [completed, queued, refused] {
            let gone = try box.run(["tasks", "events", id])
            #expect(gone.status == 5 && gone.stderr == "qsh: task '\(id)' not found\n")
        }
        #expect(try box.run(["tasks", "list", "-o", "tsv"]).stdout.hasPrefix(String(cancelled.prefix(8))))
        let missing = try box.run(["tasks", "delete", cancelled, "0000aaaa"])
        #expect(missing.status == 5 && missing.stderr == "qsh: task '0000aaaa' not found\n")
        #expect(try box.status(cancelled) == "Cancelled")
    }

    @Test(.enabled(if: TaskSandbox.sqlite3 != nil), arguments: Door.allCases)
    func deleteRefusesAnExecutingTaskUnlessForced(door: Door) throws {
        let box = try TaskSandbox(door)
        let done = try box.submit()
        #expect(try box.run(["worker", "--once"]).status == 0)
        let running = try box.submit()
        #expect(try box.sqlite("UPDATE tasks SET task_status = 'ExecutionStarted' WHERE id = '\(running)'").status == 0)
        let refused = try box.run(["tasks", "delete", done, running])
        #expect(refused.status == 1 && refused.stdout == "")
        #expect(refused.stderr == "qsh: task '\(running)' cannot be deleted: it is ExecutionStarted, too late to "
            + "cancel; wait for it to end, or use --force to delete it anyway\n")
        #expect(try box.status(done) == "Completed")
        let forced = try box.run(["tasks", "delete", "--force", done, running, "-o", "tsv"])
        #expect(forced.status == 0)
        #expect(forced.stdout == "\(done)\tCompleted\tfalse\n\(running)\tExecutionStarted\tfalse\n")
        #expect(try box.sqlite("SELECT count(*) FROM tasks; SELECT count(*) FROM definitions; "
            + "SELECT count(*) FROM task_events; SELECT count(*) FROM runs").stdout == "0\n0\n0\n0\n")
    }

    @Test(arguments: Door.allCases) func pruneSaysHowManyAndADryRunDeletesNothing(door: Door) throws {
        let (box, completed, refused, cancelled, queued) = try Self.populated(door)
        let dry = try box.run(["tasks", "prune", "--dry-run", "-o", "table"])
        #expect(dry.status == 0 && dry.stdout == "would prune 3 tasks (dry run: nothing was deleted)\n")
        #expect(try J.parse(box.run(["tasks", "list", "-o", "json"]).stdout)["total"].int == 4)
        let old = try box.run(["tasks", "prune", "--older-than", "30d", "-o", "table"])
        #expect(old.status == 0 && old.stdout == "pruned 0 tasks\n")
        let failed = try box.run(["tasks", "prune", "--status", "PayloadProcessingError", "-o", "json"])
        #expect(failed.status == 0)
        #expect(try J.parse(failed.stdout)["ids"].array.map { $0.string ?? "" } == [refused])
        let rest = try box.run(["tasks", "prune", "-o", "table"])
        #expect(rest.stdout == "pruned 2 tasks\n")
        #expect(try box.run(["tasks", "list", "-o", "tsv"]).stdout.hasPrefix(String(queued.prefix(8))))
        for id in [completed, cancelled] { #expect(try box.run(["tasks", "get", id]).status == 5) }
        let bad = try box.run(["tasks", "prune", "--older-than", "soon"])
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("qsh: option '--older-than' expects an age such as 30d, 12h or 90m, got 'soon'\n"))
        let running = try box.run(["tasks", "prune", "--status", "Created"])
        #expect(running.status == 2)
        #expect(running.stderr.hasPrefix(
            "qsh: option '--status' does not accept 'Created'; use one of: Completed, Failed, Cancelled, "
                + "PayloadProcessingError\n"))
    }

    // MARK: Doctor

    @Test(arguments: Door.allCases) func doctorReportsAHealthyDatabase(door: Door) throws {
        let (box, _, _, _, _) = try Self.populated(door)
        let table = try box.run(["doctor", "-o", "table"])
        #expect(table.status == 0 && table.stderr == "")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "CHECK      VALUE")
        #expect(lines[1] == "status     healthy")
        #expect(lines[2] == "database   \(box.db)")
        #expect(lines[3].hasPrefix("engine     SQLite 3."))
        let latest = try box.latestSchemaVersion()
        #expect(lines[4] == "schema     \(latest) (this qsh: \(latest))")
        #expect(lines[5].hasPrefix("size       ") && lines[5].hasSuffix(" free)"))
        #expect(lines[6] == "integrity  ok")
        #expect(lines[7] == "workers    0 live")
        #expect(lines[8] == "tasks      Created 1, Completed 1, Cancelled 1, PayloadProcessingError 1")
        #expect(lines[9] == "queued     sim:statevector 1")
        #expect(lines[10] == "stranded   0")
        let json = try J.parse(box.run(["doctor", "--json"]).stdout)
        #expect(json["healthy"].bool == true && json["reason"].isNull)
        #expect(json["database"]["engine"].string == "sqlite")
        #expect(json["database"]["engine_version"].string?.hasPrefix("3.") == true)
        #expect(json["database"]["integrity"].array.map { $0.string ?? "" } == ["ok"])
        #expect(json["database"]["schema_version"].int == latest && (json["database"]["size_bytes"].int ?? 0) > 0)
        #expect(json["database"]["free_pages"].int != nil)
        #expect(json["counts"]["Completed"].int == 1 && json["counts"]["Created"].int == 1)
        #expect(json["queues"]["sim:statevector"].int == 1)
        #expect(json["stranded"].array.isEmpty)

        let none = try TaskSandbox().run(["doctor"])
        #expect(none.status == 1 && none.stdout == "")
        #expect(none.stderr.hasPrefix("qsh: no task database at '"))
    }

    @Test(arguments: Door.allCases) func doctorFindsATaskStrandedPastItsLease(door: Door) throws {
        // The test QPU is the server's too in the client door (the submit names it there).
        let box = try TaskSandbox(door, serverEnvironment: WorkerLivenessTests.slow)
        let (id, pid) = try WorkerLivenessTests.killedWorkersTask(box)
        // doctor changes nothing, so it can be asked until the lease has run out.
        var run = try box.run(["doctor", "-o", "json"])
        let deadline = Date().addingTimeInterval(30)
        while run.status == 0 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            run = try box.run(["doctor", "-o", "json"])
        }
        #expect(run.status == 1)
        let report = try J.parse(run.stdout)
        #expect(report["healthy"].bool == false)
        #expect(report["reason"].string == "1 task stranded past its lease (\(id.prefix(8)))")
        #expect(report["stranded"][0]["id"].string == id)
        #expect(report["stranded"][0]["task_status"].string == "ExecutionStarted")
        #expect(report["stranded"][0]["lease_owner"].string?.hasPrefix("pid \(pid) on ") == true)
        #expect(report["workers"][0]["pid"].int == Int(pid) && report["workers"][0]["live"].bool == false)
        #expect(try J.parse(run.stderr)["error"]["code"].string == "unhealthy")

        let text = try box.run(["doctor", "-o", "table"])
        #expect(text.status == 1)
        #expect(text.stderr == "qsh: unhealthy: 1 task stranded past its lease (\(id.prefix(8)))\n")
        #expect(text.stdout.contains("\nstatus     unhealthy: 1 task stranded past its lease (\(id.prefix(8)))\n"))
        #expect(text.stdout.contains("\nSTRANDED  "))
        #expect(text.stdout.contains("\n\(id)  ExecutionStarted  pid \(pid) on "))

        // Any reading command runs the sweep; then the database is healthy again.
        #expect(try box.run(["tasks", "list"]).status == 0)
        let after = try box.run(["doctor", "-o", "table"])
        #expect(after.status == 0 && after.stderr == "")
        #expect(after.stdout.contains("\nstatus     healthy\n"))
        #expect(try box.status(id) == "Failed")
    }

    // MARK: The shell

    @Test(arguments: Door.allCases) func theHousekeepingCommandsRunInAShellScript(door: Door) throws {
        let (box, completed, _, _, _) = try Self.populated(door)
        let script = "tasks prune --dry-run --status Completed -o ndjson\ndoctor -o csv\ntasks delete \(completed) -o tsv\n"
            + "tasks export \(completed)\n"
        let run = try box.run(["repl"], stdin: script)
        #expect(run.status == 5)
        #expect(run.stderr == "qsh: line 4: task '\(completed)' not found\n")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == #"{"dry_run": true, "count": 1, "ids": ["\#(completed)"]}"#)
        #expect(lines[1] == "check,value" && lines[2] == "status,healthy")
        #expect(lines.last == "\(completed)\tCompleted\tfalse")
    }

    // MARK: Completion

    /// What the bash, zsh and fish scripts ask qsh for (`qsh completion --complete`).
    @Test func theShellCompletionScriptsCompleteTheNewCommandsAndOptions() throws {
        for (line, expected) in [
            ("doc", "doctor\n"), ("tasks pr", "prune\n"), ("tasks de", "delete\n"), ("tasks im", "import\n"),
            ("tasks ex", "export\n"), ("tasks prune --status F", "Failed\n"), ("tasks prune --ol", "--older-than\n"),
            ("tasks prune --dr", "--dry-run\n"), ("tasks import --sk", "--skip-existing\n"),
            ("tasks delete --f", "--force\n"), ("--no-p", "--no-pager\n"), ("tasks list --no-p", "--no-pager\n"),
        ] {
            let run = try Qsh.run(["completion", "--complete", "--", line])
            #expect(run.status == 0 && run.stdout == expected, "\(line)")
        }
    }
}
