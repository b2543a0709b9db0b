// End-to-end: which commands may create the task database (submit, worker) and which
// only read or change an existing one (get, list, results, events, wait, cancel: they
// create nothing, not even a folder or a -wal file); `--db ""`; an empty QSH_DB; and a
// database the user may only read, which reads work on and writes refuse clearly.
import Foundation
import Testing
import TestSupport

/// How to run qsh as a user who may not write files that root's tests made read-only.
enum OtherUser {
    /// The words that run a command as such a user: none when the tests do not run as
    /// root (permissions then apply to them), setpriv or runuser to become `nobody` when
    /// they do; nil when neither tool is there.
    static let prefix: [String]? = {
        if geteuid() != 0 { return [] }
        for setpriv in ["/usr/bin/setpriv", "/bin/setpriv"] where FileManager.default.isExecutableFile(atPath: setpriv) {
            return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
        }
        for runuser in ["/usr/sbin/runuser", "/sbin/runuser"] where FileManager.default.isExecutableFile(atPath: runuser) {
            return [runuser, "-u", "nobody", "--"]
        }
        return nil
    }()

    /// Runs qsh with `arguments` as that user, in `directory`.
    static func run(_ arguments: [String], environment: [String: String], directory: String) throws -> QshRun {
        let prefix = Self.prefix ?? []
        var env = ["PATH": "/usr/bin:/bin", "LC_ALL": "C", "HOME": "/nonexistent", "QSH_NO_AUTOSTART": "1"]
        for (k, v) in environment { env[k] = v }
        let words = prefix + [Qsh.binary] + arguments
        return try Subprocess.run(words[0], Array(words.dropFirst()), environment: env, directory: directory)
    }
}

@Suite struct DatabaseAccessTests {
    /// Everything under the sandbox's directory but the programs it wrote.
    static func created(_ box: TaskSandbox) -> [String] {
        (FileManager.default.subpaths(atPath: box.dir.path) ?? []).filter { !$0.hasSuffix(".qasm") }.sorted()
    }

    static let readers: [[String]] = [
        ["tasks", "list"], ["tasks", "get", "abcd1234"], ["tasks", "results", "abcd1234"],
        ["tasks", "events", "abcd1234"], ["tasks", "wait", "abcd1234", "--timeout", "1"],
        ["tasks", "get", "abcd1234", "--wait", "--timeout", "1"], ["tasks", "cancel", "abcd1234"],
    ]

    @Test(arguments: readers)
    func commandsThatDoNotSubmitRefuseAMissingDatabaseAndCreateNothing(command: [String]) throws {
        let box = try TaskSandbox()
        let path = box.dir.file("no/such/dir/tasks.sqlite")
        let message = "no task database at '\(path)'; 'qsh tasks submit' creates one, or check --db/QSH_DB"
        let viaOption = try box.run(["--db", path] + command + ["-o", "table"])
        #expect(viaOption.status == 1)
        #expect(viaOption.stdout == "")
        #expect(viaOption.stderr == "qsh: \(message)\n")
        let viaEnvironment = try box.run(command + ["-o", "json"], extra: ["QSH_DB": path])
        #expect(viaEnvironment.status == 1)
        #expect(viaEnvironment.stdout == "")
        #expect(viaEnvironment.stderr == "{\"error\": {\"code\": \"no_database\", \"message\": \"\(message)\"}}\n")
        // The sandbox's own database does not exist either: nothing at all was created.
        let plain = try box.run(command + ["-o", "table"])
        #expect(plain.status == 1)
        #expect(plain.stderr == "qsh: no task database at '\(box.db)'; 'qsh tasks submit' creates one, or check --db/QSH_DB\n")
        #expect(Self.created(box) == [])
    }

    @Test(arguments: readers)
    func anEmptyFileIsNoDatabaseAndIsLeftAlone(command: [String]) throws {
        let box = try TaskSandbox()
        let path = try box.dir.write("empty.sqlite", "")
        let run = try box.run(["--db", path] + command + ["-o", "table"])
        #expect(run.status == 1)
        #expect(run.stderr == "qsh: no task database at '\(path)'; 'qsh tasks submit' creates one, or check --db/QSH_DB\n")
        #expect(Self.created(box) == ["empty.sqlite"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
    }

    @Test func aFolderIsNotADatabase() throws {
        let box = try TaskSandbox()
        let program = try box.program()
        for command in [["tasks", "list", "-o", "table"], ["tasks", "submit", program, "-o", "table"], ["worker", "--once"]] {
            let run = try box.run(["--db", box.dir.path] + command)
            #expect(run.status == 1, "\(command)")
            #expect(run.stderr == "qsh: '\(box.dir.path)' is a folder, not a task database file; give the path of a file\n")
        }
    }

    @Test func submitAndTheWorkerCreateTheDatabase() throws {
        let box = try TaskSandbox()
        #expect(try box.run(["worker", "--once"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: box.db))
        let other = box.dir.file("elsewhere/t.sqlite")
        let run = try box.run(["--db", other, "tasks", "submit", try box.program(), "-q"])
        #expect(run.status == 0)
        #expect(FileManager.default.fileExists(atPath: other))
        let list = try box.run(["--db", other, "tasks", "list", "-o", "tsv"])
        #expect(list.stdout.hasPrefix(String(run.stdout.prefix(36))))
    }

    @Test(arguments: [
        ["tasks", "list"], ["tasks", "get", "abcd1234"], ["tasks", "submit", "bell.qasm"], ["tasks", "cancel", "abcd"],
        ["worker", "--once"],
    ])
    func anEmptyDbOptionIsAUsageError(command: [String]) throws {
        let box = try TaskSandbox()
        try box.program()
        for words in [["--db", ""] + command, command + ["--db", ""], command + ["--db="]] {
            let run = try box.run(words)
            #expect(run.status == 2, "\(words)")
            #expect(run.stdout == "")
            #expect(run.stderr.hasPrefix(
                "qsh: option '--db' needs a path; leave it out to use $QSH_DB or the default database\nusage: qsh "))
        }
        #expect(Self.created(box) == [])
    }

    @Test func anEmptyQSHDBMeansTheDefaultDatabase() throws {
        let box = try TaskSandbox()
        let home = box.dir.file("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let environment = ["QSH_DB": "", "HOME": home, "XDG_DATA_HOME": ""]
        let submit = try box.run(["tasks", "submit", try box.program(), "-q"], extra: environment)
        #expect(submit.status == 0)
        #expect(FileManager.default.fileExists(atPath: home + "/.local/share/qsh/tasks.sqlite"))
        let list = try box.run(["tasks", "list", "-o", "tsv"], extra: environment)
        #expect(list.status == 0)
        #expect(list.stdout.hasPrefix(String(submit.stdout.prefix(36))))
    }
}

/// A database another user owns, readable but not writable: reads work, read-only; every
/// write says which file it could not write and what to check; nothing is changed.
@Suite(.enabled(
    if: OtherUser.prefix != nil,
    "needs a user who cannot write the files: run the tests as a user other than root, or install setpriv or runuser"))
struct ReadOnlyDatabaseTests {
    /// A database with a Completed task, made read-only: files 0444, folder 0555.
    static func readOnlyDatabase() throws -> (TaskSandbox, String) {
        let box = try TaskSandbox()
        let id = try box.submit(["--seed", "7", "--shots", "100"])
        #expect(try box.run(["worker", "--once"]).status == 0)
        // Readable by everyone, as the directory above it is.
        chmod(box.dir.path, 0o755)
        try box.program()
        chmod(box.dir.file("bell.qasm"), 0o644)
        return (box, id)
    }

    static func lock(_ box: TaskSandbox) {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: box.db + suffix) {
            chmod(box.db + suffix, 0o444)
        }
        chmod(box.dir.file("data"), 0o555)
    }

    static func unlock(_ box: TaskSandbox) {
        chmod(box.dir.file("data"), 0o700)
        for suffix in ["", "-wal", "-shm"] { chmod(box.db + suffix, 0o600) }
    }

    /// The database's files and their bytes.
    static func snapshot(_ box: TaskSandbox) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: box.dir.file("data")) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: box.dir.file("data/" + name)))
        }
        return files
    }

    static func reads(_ id: String) -> [[String]] {
        [
            ["tasks", "list", "-o", "tsv"], ["tasks", "get", id, "-o", "json"], ["tasks", "results", id, "-o", "json"],
            ["tasks", "events", id, "-o", "ndjson"], ["tasks", "wait", id, "-o", "json"],
        ]
    }

    /// What the reads print for the owner, before the files are locked (a read by root
    /// may recreate the -wal and -shm files).
    static func ownerReads(_ box: TaskSandbox, _ id: String) throws -> [String] {
        try reads(id).map { try box.run($0).stdout }
    }

    func checkReadsAndWrites(_ box: TaskSandbox, _ id: String, expected: [String]) throws {
        let environment = ["QSH_DB": box.db]
        let before = try Self.snapshot(box)
        for (command, mine) in zip(Self.reads(id), expected) {
            let theirs = try OtherUser.run(command, environment: environment, directory: box.dir.path)
            #expect(theirs.status == 0, "\(command): \(theirs.stderr)")
            #expect(theirs.stderr == "", "\(command)")
            #expect(theirs.stdout == mine, "\(command)")
            #expect(!mine.isEmpty, "\(command)")
        }
        let writing = "database error: cannot open '\(box.db)' for writing; check that you may write the file, the "
            + "-wal and -shm files beside it and its folder"
        for command in [
            ["tasks", "submit", "bell.qasm", "-o", "table"], ["tasks", "cancel", id, "-o", "table"],
            ["worker", "--once"],
        ] {
            let run = try OtherUser.run(command, environment: environment, directory: box.dir.path)
            #expect(run.status == 1, "\(command)")
            #expect(run.stdout == "", "\(command)")
            #expect(run.stderr == "qsh: \(writing)\n", "\(command)")
        }
        #expect(try Self.snapshot(box) == before)
    }

    @Test func readsWorkAndWritesAreRefusedWithTheWalAndShmPresent() throws {
        let (box, id) = try Self.readOnlyDatabase()
        let expected = try Self.ownerReads(box, id)
        #expect(FileManager.default.fileExists(atPath: box.db + "-wal"))
        #expect(FileManager.default.fileExists(atPath: box.db + "-shm"))
        Self.lock(box)
        defer { Self.unlock(box) }
        try checkReadsAndWrites(box, id, expected: expected)
    }

    @Test(.enabled(if: TaskSandbox.sqlite3 != nil))
    func readsWorkOnACheckpointedDatabaseInAFolderTheUserMayNotWrite() throws {
        let (box, id) = try Self.readOnlyDatabase()
        let expected = try Self.ownerReads(box, id)
        // The sqlite3 shell checkpoints and removes the -wal and -shm when it closes.
        _ = try box.sqlite("PRAGMA wal_checkpoint(TRUNCATE)")
        #expect(!FileManager.default.fileExists(atPath: box.db + "-wal"))
        #expect(!FileManager.default.fileExists(atPath: box.db + "-shm"))
        Self.lock(box)
        defer { Self.unlock(box) }
        try checkReadsAndWrites(box, id, expected: expected)
    }

    @Test func aWalThatCannotBeReadWithoutAShmSaysSo() throws {
        let (box, _) = try Self.readOnlyDatabase()
        try FileManager.default.removeItem(atPath: box.db + "-shm")
        Self.lock(box)
        defer { Self.unlock(box) }
        let run = try OtherUser.run(["tasks", "list", "-o", "table"], environment: ["QSH_DB": box.db], directory: box.dir.path)
        #expect(run.status == 1)
        #expect(
            run.stderr
                == "qsh: cannot read '\(box.db)': its -wal file holds recent changes, which SQLite reads only through a "
                + "-shm file beside it, and this process may not create one in its folder; ask the file's owner to run "
                + "a qsh command on it, or copy the file and its -wal file to a folder you may write and read the copy\n")
    }
}
