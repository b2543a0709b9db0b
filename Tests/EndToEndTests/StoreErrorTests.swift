// End-to-end: every database error names the file and says what to check (a full
// disk, a malformed file, a write SQLite refuses, a file with qsh's id but no schema
// version), and a stored value that does not decode is an error naming the task, with
// exit status 1: never empty counts or a guessed state.
import Foundation
import Testing
import TestSupport

@Suite struct StoreErrorTests {
    /// A tmpfs of `kilobytes` mounted at `path` for the test (root only), unmounted after.
    final class SmallDisk {
        let path: String
        init?(at path: String, kilobytes: Int) {
            self.path = path
            guard geteuid() == 0, let mount = ["/usr/bin/mount", "/bin/mount"].first(where: FileManager.default.isExecutableFile) else { return nil }
            try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            guard (try? Subprocess.run(mount, ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", path]))?.status == 0
            else { return nil }
        }
        /// Unmounts the disk (once).
        func unmount() {
            guard !unmounted else { return }
            unmounted = true
            let umount = ["/usr/bin/umount", "/bin/umount"].first(where: FileManager.default.isExecutableFile) ?? "umount"
            _ = try? Subprocess.run(umount, [path])
        }
        private var unmounted = false
        deinit { unmount() }
    }

    static let canMount: Bool = {
        let dir = NSTemporaryDirectory() + "qsh-mount-probe-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        return SmallDisk(at: dir, kilobytes: 64) != nil
    }()

    @Test(.enabled(if: canMount, "needs root and a tmpfs mount to fill a disk"))
    func aFullDiskNamesTheFile() throws {
        let box = try TaskSandbox()
        let mountPoint = box.dir.file("disk")
        let disk = try #require(SmallDisk(at: mountPoint, kilobytes: 400))
        defer { disk.unmount() }
        let db = mountPoint + "/tasks.sqlite"
        // A program that fits the limits but not the disk: comments are cheap to check.
        let padding = (0..<3000).map { "// \($0) " + String(repeating: "x", count: 60) }.joined(separator: "\n")
        try box.program("padded.qasm", TaskSandbox.bell + padding + "\n")
        var last: QshRun?
        for _ in 0..<10 {
            let run = try box.run(["--db", db, "tasks", "submit", "padded.qasm", "-o", "table"])
            last = run
            if run.status != 0 { break }
        }
        let run = try #require(last)
        #expect(run.status == 1)
        #expect(
            run.stderr
                == "qsh: database error: database or disk is full on '\(db)'; free space on the disk that holds it "
                + "(see 'df') and try again\n")
    }

    @Test(.enabled(if: TaskSandbox.sqlite3 != nil))
    func aMalformedFileNamesTheFileAndHowToSaveWhatIsLeft() throws {
        let box = try TaskSandbox()
        for _ in 0..<20 { _ = try box.submit() }
        // Fold the WAL into the file (the sqlite3 shell removes it as it closes), then
        // overwrite every page but the first, which holds the header and the schema.
        #expect(try box.sqlite("PRAGMA wal_checkpoint(TRUNCATE)").status == 0)
        #expect(!FileManager.default.fileExists(atPath: box.db + "-wal"))
        let size = try #require(try FileManager.default.attributesOfItem(atPath: box.db)[.size] as? Int)
        #expect(size > 8192)
        let writer = try FileHandle(forWritingTo: URL(fileURLWithPath: box.db))
        try writer.seek(toOffset: 4096)
        writer.write(Data(repeating: 0xFF, count: size - 4096))
        try writer.close()
        for command in [["tasks", "list", "-o", "table", "--limit", "100"], ["tasks", "submit", "bell.qasm", "-o", "table"]] {
            let run = try box.run(command)
            #expect(run.status == 1, "\(command)")
            #expect(
                run.stderr
                    == "qsh: database error: database disk image is malformed on '\(box.db)'; the file is damaged: restore "
                    + "it from a copy, or save what can still be read with 'sqlite3 \(box.db) .recover | sqlite3 "
                    + "recovered.sqlite'\n",
                "\(command)")
        }
    }

    @Test(.enabled(if: TaskSandbox.sqlite3 != nil))
    func aFileWithOurIdButNoVersionIsRefusedUntouched() throws {
        let box = try TaskSandbox()
        try FileManager.default.createDirectory(atPath: box.dir.file("data"), withIntermediateDirectories: true)
        let made = try box.sqlite("PRAGMA application_id = 1364412500; CREATE TABLE definitions (x)")
        #expect(made.status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: box.db))
        let message = "'\(box.db)' has the application id of a qsh task database but no schema version (user_version 0), "
            + "and it already holds tables: it was not made by qsh, or it is damaged; it was left untouched. Restore it "
            + "from a copy, or move it aside to start a new database"
        for command in [["tasks", "list", "-o", "table"], ["tasks", "submit", try box.program(), "-o", "table"], ["worker", "--once"]] {
            let run = try box.run(command)
            #expect(run.status == 1, "\(command)")
            #expect(run.stderr == "qsh: \(message)\n", "\(command)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: box.db)) == before)
    }

    @Test(.enabled(if: OtherUser.prefix != nil, "needs a user who cannot write the -shm file"))
    func aWriteSQLiteRefusesNamesTheFile() throws {
        // The file is writable but its -shm is not: SQLite opens it, then refuses the write.
        let box = try TaskSandbox()
        let id = try box.submit()
        chmod(box.dir.path, 0o755)
        chmod(box.dir.file("data"), 0o777)
        chmod(box.db, 0o666)
        chmod(box.db + "-wal", 0o666)
        chmod(box.db + "-shm", 0o444)
        chmod(box.dir.file("bell.qasm"), 0o644)
        defer { chmod(box.dir.file("data"), 0o700) }
        let message = "qsh: database error: attempt to write a readonly database on '\(box.db)'; check that you may "
            + "write the file, the -wal and -shm files beside it and its folder\n"
        for command in [["tasks", "submit", "bell.qasm", "-o", "table"], ["tasks", "cancel", id, "-o", "table"]] {
            let run = try OtherUser.run(command, environment: ["QSH_DB": box.db], directory: box.dir.path)
            #expect(run.status == 1, "\(command)")
            #expect(run.stderr == message, "\(command)")
        }
        // Reading works.
        let list = try OtherUser.run(["tasks", "get", id, "-o", "json"], environment: ["QSH_DB": box.db], directory: box.dir.path)
        #expect(list.status == 0)
        #expect(try J.parse(list.stdout)["task_status"].string == "Created")
    }
}

/// Damaged stored values: each read that meets one fails, names the task and the
/// column, and exits 1.
@Suite(.enabled(if: TaskSandbox.sqlite3 != nil)) struct DamagedRowTests {
    /// A sandbox with one Completed task.
    static func completed() throws -> (TaskSandbox, String) {
        let box = try TaskSandbox()
        let id = try box.submit(["--shots", "50", "--tag", "k=v"])
        #expect(try box.run(["worker", "--once"]).status == 0)
        return (box, id)
    }

    static func damaged(_ box: TaskSandbox, _ id: String, _ what: String) -> String {
        "qsh: cannot read task '\(id)' in '\(box.db)': \(what); the file was changed outside qsh or is damaged. "
            + "Restore it from a copy, or look at the row with sqlite3\n"
    }

    @Test(arguments: [
        ("UPDATE runs SET data = 'garbage'", "the 'data' of its results is not valid JSON (garbage)"),
        ("UPDATE runs SET data = '{\"c\": {\"00\": \"many\"}}'",
         "the 'data' of its results has a count that is not a whole number of at least 0 at 'c'.'00'"),
        ("UPDATE runs SET timings = '[1, 2]'", "the 'timings' of its results is not a JSON object ([1, 2])"),
        ("UPDATE runs SET metrics = '{'", "the 'metrics' of its results is not valid JSON ({)"),
        ("UPDATE runs SET metadata = '\"x\"'", "the 'metadata' of its results is not a JSON object (\"x\")"),
    ])
    func aDamagedResultsRowIsAnErrorNotEmptyCounts(sql: String, what: String) throws {
        let (box, id) = try Self.completed()
        #expect(try box.sqlite(sql).status == 0)
        for format in ["table", "json"] {
            let run = try box.run(["tasks", "results", id, "-o", format])
            #expect(run.status == 1)
            #expect(run.stdout == "")
            if format == "table" { #expect(run.stderr == Self.damaged(box, id, what)) }
            else { #expect(try J.parse(run.stderr)["error"]["code"].string == "database_error") }
        }
    }

    @Test(arguments: [
        ("UPDATE tasks SET tags = '{\"k\": 5}'", "its tags has a value that is not a string at 'k'"),
        ("UPDATE tasks SET error_reasons = 'oops'", "its error_reasons is not valid JSON (oops)"),
        ("PRAGMA ignore_check_constraints = ON; UPDATE tasks SET task_status = 'Finished'",
         "its task_status is 'Finished', not a task state"),
    ])
    func aDamagedTaskRowFailsEveryReadOfIt(sql: String, what: String) throws {
        let (box, id) = try Self.completed()
        #expect(try box.sqlite(sql).status == 0)
        for command in [
            ["tasks", "get", id], ["tasks", "list"], ["tasks", "wait", id], ["tasks", "results", id], ["tasks", "events", id],
        ] {
            let run = try box.run(command + ["-o", "table"])
            #expect(run.status == 1, "\(command)")
            #expect(run.stdout == "", "\(command)")
            #expect(run.stderr == Self.damaged(box, id, what), "\(command)")
        }
    }

    @Test(arguments: [
        ("UPDATE task_events SET to_status = 'Done' WHERE seq = (SELECT min(seq) FROM task_events)",
         "the to_status of its event 1 is 'Done', not a task state"),
        ("UPDATE task_events SET from_status = 'Nowhere' WHERE seq = (SELECT max(seq) FROM task_events)",
         "the from_status of its event 6 is 'Nowhere', not a task state"),
    ])
    func anEventWithAnUnknownStateIsAnError(sql: String, what: String) throws {
        let (box, id) = try Self.completed()
        #expect(try box.sqlite(sql).status == 0)
        let run = try box.run(["tasks", "events", id, "-o", "table"])
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr == Self.damaged(box, id, what))
    }
}
