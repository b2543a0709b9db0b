// The client-side cache: per server, one SQLite file under $XDG_CACHE_HOME/qsh/ (default
// ~/.cache/qsh) holding what never changes once a task ended: the task, its results and its
// event log, as the wire JSON the server sent. WAL and a busy timeout let several qsh
// processes share it. A cache is only a cache: any failure to open, read or write it is
// ignored (the server answers instead), and a row that does not decode is a miss.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import QshCore

/// The finished tasks of one server, kept on disk. Not Sendable: it owns a connection.
final class ResultCache {
    /// The database file.
    let path: String
    /// The server's URL, recorded in the file for `qsh cache info`.
    let serverURL: String
    private var connection: Connection?
    private var failed = false

    init(path: String, serverURL: String) {
        self.path = path
        self.serverURL = serverURL
    }

    /// The cache folder: $XDG_CACHE_HOME/qsh, else ~/.cache/qsh (a relative XDG_CACHE_HOME is ignored).
    static func folder(environment: [String: String], home: String) -> String {
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") { return cache + "/qsh" }
        return home + "/.cache/qsh"
    }

    /// `<host>_<port>-<8 hex digits of SHA-256 of the URL>.sqlite`: readable, and distinct for
    /// two URLs of one host and port (http and https, a path prefix).
    static func fileName(for server: ServerAddress) -> String {
        let host = String(server.host.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" })
        let digest = SHA256.hex(SHA256.hash(Array(server.url.utf8)))
        return "\(host)_\(server.port)-\(digest.prefix(8)).sqlite"
    }

    /// The cache of `server` in `folder`.
    convenience init(server: ServerAddress, folder: String) {
        self.init(path: folder + "/" + Self.fileName(for: server), serverURL: server.url)
    }

    /// The connection, opened (and the folder and tables made) on first use; nil once that failed.
    private func open() -> Connection? {
        if let connection { return connection }
        if failed { return nil }
        do {
            let folder = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
            try Self.makeFolder(folder)
            let db = try Connection(path: path, busyTimeout: 2000)
            try db.enableWAL(attempts: 50)
            try db.setCheckpointOnClose(false)
            try db.execute(
                """
                CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS tasks(id TEXT PRIMARY KEY, json TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS results(task_id TEXT PRIMARY KEY, json TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS events(task_id TEXT PRIMARY KEY, json TEXT NOT NULL);
                INSERT OR IGNORE INTO meta(key, value) VALUES ('server', \(Self.quoted(serverURL)));
                """)
            connection = db
            return db
        } catch {
            failed = true
            return nil
        }
    }

    /// Creates `folder` and its parents, mode 0700 (the cache holds what a token could read).
    static func makeFolder(_ folder: String) throws {
        var built = ""
        for part in folder.split(separator: "/", omittingEmptySubsequences: true) {
            built += "/" + part
            if mkdir(built, 0o700) != 0 && errno != EEXIST {
                throw CommandFailure(code: .ioError, message: "cannot create '\(built)': \(String(cString: strerror(errno)))")
            }
        }
    }

    static func quoted(_ text: String) -> String { "'" + text.replacingAll("'", with: "''") + "'" }

    /// The JSON of `table`'s row `key`, nil when absent or unreadable.
    private func json(_ table: String, _ column: String, _ key: String) -> JSONValue? {
        guard let db = open(),
            let text = try? db.cached("SELECT json FROM \(table) WHERE \(column) = ?").first([.text(key)], { $0.text(0) })
        else { return nil }
        return try? JSONValue.parse(text)
    }

    private func put(_ table: String, _ column: String, _ key: String, _ value: JSONValue) {
        guard let db = open() else { return }
        try? db.cached("INSERT OR REPLACE INTO \(table)(\(column), json) VALUES (?, ?)")
            .execute([.text(key), .text(value.serialized())])
    }

    /// The cached task with this full id (only terminal tasks are stored).
    func task(id: String) -> QuantumTask? {
        json("tasks", "id", id).flatMap { try? QuantumTask(wireJSON: $0) }
    }

    /// The cached tasks whose id starts with `prefix` (for --offline).
    func tasks(prefix: String) -> [QuantumTask] {
        guard let db = open(),
            let texts = try? db.cached("SELECT json FROM tasks WHERE substr(id, 1, ?) = ? ORDER BY id")
                .rows([.integer(Int64(prefix.utf8.count)), .text(prefix)], { $0.text(0) })
        else { return [] }
        return texts.compactMap { text in (try? JSONValue.parse(text)).flatMap { try? QuantumTask(wireJSON: $0) } }
    }

    func result(taskID: String) -> TaskResult? {
        json("results", "task_id", taskID).flatMap { try? TaskResult(wireJSON: $0) }
    }

    func events(taskID: String) -> [TaskEvent]? {
        json("events", "task_id", taskID).flatMap { try? TaskEvent.list(wireJSON: $0) }
    }

    /// Keeps a task that ended; a task that has not is not kept (it will change).
    func store(_ task: QuantumTask) {
        guard task.status.isTerminal else { return }
        put("tasks", "id", task.id, task.wireJSON)
    }

    /// Keeps the final results of a Completed task.
    func store(_ result: TaskResult) {
        guard !result.partial else { return }
        put("results", "task_id", result.taskID, result.wireJSON)
    }

    /// Keeps the whole event log of a task that ended.
    func store(_ events: [TaskEvent], taskID: String) {
        put("events", "task_id", taskID, .array(events.map(\.wireJSON)))
    }

    /// Forgets a task (deleted on the server).
    func remove(taskID: String) {
        guard let db = open() else { return }
        for table in ["tasks", "results", "events"] {
            try? db.run("DELETE FROM \(table) WHERE \(table == "tasks" ? "id" : "task_id") = ?", [.text(taskID)])
        }
    }
}

// MARK: - Housekeeping (`qsh cache`)

extension ResultCache {
    /// The cache files in `folder`, sorted (none when it does not exist).
    static func files(in folder: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".sqlite") { names.append(folder + "/" + name) }
        }
        return names.sorted()
    }

    /// Empties the cache in place (rows deleted, the file kept), so that another qsh
    /// process using it at the same moment never sees a file vanish under it.
    /// - Throws: `CommandFailure` when the file cannot be opened or changed.
    func clear() throws {
        guard let db = open() else {
            throw CommandFailure(code: .ioError, message: "cannot open the cache '\(path.terminalSafe())'")
        }
        do {
            try db.execute("BEGIN IMMEDIATE; DELETE FROM tasks; DELETE FROM results; DELETE FROM events; COMMIT")
            try db.execute("VACUUM")
        } catch {
            throw CommandFailure(
                code: .ioError, message: "cannot clear the cache '\(path.terminalSafe())': \(error)")
        }
    }

    /// The server the file caches and how many tasks it holds (nil when unreadable).
    func summary() -> (server: String, tasks: Int)? {
        guard let db = open(), let count = try? db.scalar("SELECT count(*) FROM tasks"),
            let server = try? db.cached("SELECT value FROM meta WHERE key = 'server'").first([], { $0.text(0) })
        else { return nil }
        return (server, Int(count))
    }
}
