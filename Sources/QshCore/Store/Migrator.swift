// The Migrator: checks that a file is ours (PRAGMA application_id) and not newer
// than this binary (PRAGMA user_version), stamps a fresh file, and applies the
// ordered migrations, each in its own transaction with its version bump.

/// One step of the schema's history.
public struct Migration: Sendable {
    /// The `user_version` the database has once this step ran; 1, 2, 3... in order.
    public var version: Int
    /// A short name for logs, e.g. `create-tasks`.
    public var name: String
    /// The statements of the step (no transaction control; the Migrator adds it).
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

/// Why a database file cannot be used. Every case names the file and says what to do.
public enum StoreError: QshError, Equatable {
    /// The file is an SQLite database of another application (or not SQLite at all).
    case foreignFile(path: String, applicationID: Int32)
    /// The file was written by a newer qsh.
    case newerSchema(path: String, version: Int, supported: Int)
    /// The database directory or file could not be created.
    case cannotCreate(path: String, reason: String)
    /// There is no database at the path (or only an empty file), and the caller asked
    /// not to create one.
    case missing(path: String)
    /// The path names a folder (or another thing that is not a file).
    case notAFile(path: String)
    /// The file has qsh's application id but no schema version, yet holds tables: it
    /// was not made by qsh, or was damaged.
    case unversioned(path: String)
    /// The file has an older schema, and this process may not write it to upgrade it.
    case readOnlyOldSchema(path: String, version: Int, needed: Int)
    /// The file may only be read, and its -wal holds changes that SQLite reads only
    /// through a -shm file, which this process may not create.
    case unreadableWAL(path: String)
    /// A migration step failed; the file keeps its previous version.
    case migrationFailed(path: String, version: Int, name: String, reason: String)
    /// A stored value does not decode: `what` says which row and column, `reason` why.
    case corrupt(path: String, taskID: String?, what: String, reason: String)

    public var code: ErrorCode {
        switch self {
        case .foreignFile: return .foreignDatabase
        case .newerSchema: return .newerDatabase
        case .missing: return .noDatabase
        case .cannotCreate, .notAFile, .unversioned, .readOnlyOldSchema, .unreadableWAL, .migrationFailed, .corrupt:
            return .databaseError
        }
    }

    public var message: String {
        switch self {
        case .foreignFile(let path, let id):
            if id == 0 { return "'\(path)' is not a qsh task database; it was left untouched" }
            return "'\(path)' is not a qsh task database (application id \(id)); it was left untouched"
        case .newerSchema(let path, let version, let supported):
            return "'\(path)' was written by a newer qsh (schema version \(version), this qsh supports up to "
                + "\(supported)); upgrade qsh to use it"
        case .cannotCreate(let path, let reason):
            return "cannot create '\(path)': \(reason)"
        case .missing(let path):
            return "no task database at '\(path)'"
        case .notAFile(let path):
            return "'\(path)' is a folder, not a task database file; give the path of a file"
        case .unversioned(let path):
            return "'\(path)' has the application id of a qsh task database but no schema version (user_version 0), "
                + "and it already holds tables: it was not made by qsh, or it is damaged; it was left untouched. "
                + "Restore it from a copy, or move it aside to start a new database"
        case .readOnlyOldSchema(let path, let version, let needed):
            return "'\(path)' has schema version \(version) and this qsh reads version \(needed), but it cannot upgrade "
                + "a file it may not write; run a qsh command as a user who may write it (any command that writes, "
                + "such as 'qsh worker --once', upgrades it), or ask its owner to"
        case .unreadableWAL(let path):
            return "cannot read '\(path)': its -wal file holds recent changes, which SQLite reads only through a -shm "
                + "file beside it, and this process may not create one in its folder; ask the file's owner to run a "
                + "qsh command on it, or copy the file and its -wal file to a folder you may write and read the copy"
        case .migrationFailed(let path, let version, let name, let reason):
            return "cannot upgrade '\(path)' to schema version \(version) (\(name)): \(reason); it was left as it was. "
                + "Check it with 'sqlite3 \(SQLiteError.shellQuoted(path)) \"PRAGMA integrity_check\"'"
        case .corrupt(let path, let taskID, let what, let reason):
            let subject = taskID.map { "task '\($0)' in '\(path)'" } ?? "'\(path)'"
            return "cannot read \(subject): \(what) \(reason); the file was changed outside qsh or is damaged. "
                + "Restore it from a copy, or look at the row with sqlite3"
        }
    }
}

/// Applies an ordered list of migrations to a connection.
public struct Migrator: Sendable {
    /// The value stamped in `PRAGMA application_id`.
    public var applicationID: Int32
    /// The steps in version order.
    public var migrations: [Migration]

    public init(applicationID: Int32, migrations: [Migration]) {
        self.applicationID = applicationID
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// The schema version this binary writes.
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// What a file is, read without writing anything.
    enum FileState: Equatable {
        case fresh
        case ours(version: Int)
    }

    /// Reads the header pragmas and refuses foreign and newer files, changing nothing.
    /// - Throws: `StoreError.foreignFile`, `StoreError.newerSchema`, or `SQLiteError`
    ///   (e.g. `not_a_database` for a file that is not SQLite at all).
    func inspect(_ db: Connection) throws -> FileState {
        // One statement, so one snapshot: read one at a time, the three values could straddle
        // another process's first migration (id still 0, tables already there) and a brand-new
        // qsh database would be refused as foreign.
        let header: (appID: Int64, version: Int64, objects: Int64)
        do {
            header = try db.cached(
                """
                SELECT (SELECT application_id FROM pragma_application_id), \
                (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_schema)
                """
            ).first([]) { ($0.int64(0), $0.int64(1), $0.int64(2)) } ?? (0, 0, 0)
        } catch let error as SQLiteError where error.code == .notADatabase {
            throw StoreError.foreignFile(path: db.path, applicationID: 0)
        }
        let appID = header.appID
        let version = Int(header.version)
        if appID == 0 {
            if header.objects == 0 && version == 0 { return .fresh }
            throw StoreError.foreignFile(path: db.path, applicationID: 0)
        }
        guard appID == Int64(applicationID) else {
            throw StoreError.foreignFile(path: db.path, applicationID: Int32(truncatingIfNeeded: appID))
        }
        // The id and step 1 are written in one transaction, so a file of ours with tables
        // but no version was not written by qsh; migrating it would only fail half-way.
        if version == 0 && header.objects > 0 { throw StoreError.unversioned(path: db.path) }
        if version > latestVersion {
            throw StoreError.newerSchema(path: db.path, version: version, supported: latestVersion)
        }
        return .ours(version: version)
    }

    /// Checks the file, then applies every missing step, one transaction each.
    /// Safe when several processes open a fresh file at once: each step re-reads the
    /// version under the write lock.
    /// - Returns: the versions applied by this call.
    @discardableResult
    public func migrate(_ db: Connection) throws -> [Int] {
        var state = try inspect(db)
        var applied: [Int] = []
        for step in migrations {
            if case .ours(let version) = state, version >= step.version { continue }
            let ran: Bool
            do {
                ran = try db.transaction(.immediate) { db -> Bool in
                    state = try inspect(db)
                    if case .ours(let version) = state, version >= step.version { return false }
                    if state == .fresh { try db.execute("PRAGMA application_id = \(applicationID)") }
                    try db.execute(step.sql)
                    try db.execute("PRAGMA user_version = \(step.version)")
                    return true
                }
            } catch let error as SQLiteError where !error.isBusy {
                // A busy file stays a busy error (the caller may retry); anything else says
                // which step failed on which file.
                throw StoreError.migrationFailed(
                    path: db.path, version: step.version, name: step.name, reason: error.detail)
            }
            state = .ours(version: step.version)
            if ran { applied.append(step.version) }
        }
        return applied
    }
}
