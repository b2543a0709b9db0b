// Migrations in PostgreSQL: the metadata table (`qsh_metadata`: application id and schema
// version) says whose database it is; a foreign or newer one is refused untouched. Missing
// steps run in one transaction under an advisory lock, so replicas starting together
// migrate once (the others wait, then find the work done).

/// Why a PostgreSQL database cannot be used; every case names it (without its password).
public enum PostgresStoreError: QshError, Equatable {
    /// The schema holds tables but no qsh metadata, or another application's id.
    case foreign(location: String, schema: String, applicationID: Int64?)
    /// A newer qsh wrote it.
    case newerSchema(location: String, version: Int, supported: Int)
    /// A migration step failed; the database keeps its previous version.
    case migrationFailed(location: String, version: Int, name: String, reason: String)
    /// The connection has no schema to create tables in (an empty or wrong search_path).
    case noSchema(location: String)

    public var code: ErrorCode {
        switch self {
        case .foreign: return .foreignDatabase
        case .newerSchema: return .newerDatabase
        case .migrationFailed, .noSchema: return .databaseError
        }
    }

    public var message: String {
        switch self {
        case .foreign(let location, let schema, let id):
            let what = id.map { " (application id \($0))" } ?? ""
            return "'\(location)' is not a qsh task database: its schema '\(schema)' holds tables of another "
                + "application\(what); it was left untouched. Give qsh a database (or a schema, with "
                + "options=-csearch_path=...) of its own"
        case .newerSchema(let location, let version, let supported):
            return "'\(location)' was written by a newer qsh (schema version \(version), this qsh supports up to "
                + "\(supported)); upgrade qsh to use it"
        case .migrationFailed(let location, let version, let name, let reason):
            return "cannot upgrade '\(location)' to schema version \(version) (\(name)): \(reason); it was left as it was"
        case .noSchema(let location):
            return "'\(location)' has no schema to keep tasks in (its search_path names none that exists); "
                + "create one, or fix options=-csearch_path=... in the URL"
        }
    }
}

/// Checks and migrates a PostgreSQL database.
struct PostgresMigrator {
    /// 'QSHT' in ASCII, as SQLite's `PRAGMA application_id`.
    static let applicationID = Int64(Schema.applicationID)

    var migrations: [Migration] = PostgresSchema.migrations

    var latestVersion: Int { migrations.last?.version ?? 0 }

    /// What the database is, read without writing anything.
    enum State: Equatable {
        case fresh
        case ours(version: Int)
    }

    /// Reads the metadata and refuses foreign and newer databases.
    func inspect(_ db: PostgresConnection) throws -> State {
        do {
            let rows = try db.query("SELECT application_id, schema_version FROM qsh_metadata")
            guard rows.count == 1 else {
                throw PostgresStoreError.foreign(location: db.location, schema: try schemaName(db), applicationID: nil)
            }
            let id = rows.int64(0, 0)
            guard id == Self.applicationID else {
                throw PostgresStoreError.foreign(location: db.location, schema: try schemaName(db), applicationID: id)
            }
            let version = rows.int(0, 1)
            if version > latestVersion {
                throw PostgresStoreError.newerSchema(location: db.location, version: version, supported: latestVersion)
            }
            return .ours(version: version)
        } catch let error as PostgresError where error.sqlState == "42P01" {
            // No metadata table: a fresh schema, unless it holds anything else.
            if db.inTransaction {
                // The failed statement aborted the transaction; start it again under the lock.
                throw error
            }
            return try freshOrForeign(db)
        }
    }

    private func schemaName(_ db: PostgresConnection) throws -> String {
        let rows = try db.query("SELECT current_schema()")
        return rows.count > 0 ? rows.optionalText(0, 0) ?? "" : ""
    }

    /// Fresh when the first schema of the search path holds no table, view or sequence.
    private func freshOrForeign(_ db: PostgresConnection) throws -> State {
        let rows = try db.query(
            """
            SELECT current_schema(), (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'm', 'S', 'p', 'f'))
            """)
        guard !rows.isNull(0, 0) else { throw PostgresStoreError.noSchema(location: db.location) }
        if rows.int64(0, 1) == 0 { return .fresh }
        throw PostgresStoreError.foreign(location: db.location, schema: rows.text(0, 0), applicationID: nil)
    }

    /// Checks the database and applies every missing step in one transaction under the
    /// advisory lock of this application and schema.
    /// - Returns: the versions applied.
    @discardableResult
    func migrate(_ db: PostgresConnection) throws -> [Int] {
        // The usual case, an up-to-date database, costs one query and no lock.
        if case .ours(let version) = try inspect(db), version >= latestVersion { return [] }
        return try db.transaction { db in
            try db.query("SELECT pg_advisory_xact_lock(\(Self.applicationID), hashtext(current_schema()))")
            let exists = try db.query("SELECT to_regclass('qsh_metadata') IS NOT NULL").text(0, 0) == "t"
            var state: State
            if exists {
                state = try inspect(db)
            } else {
                state = try freshOrForeign(db)
                try db.execute(PostgresSchema.metadata)
                try db.query(
                    "INSERT INTO qsh_metadata (application_id, schema_version) VALUES ($1, 0)",
                    [.integer(Self.applicationID)])
                state = .ours(version: 0)
            }
            var applied: [Int] = []
            for step in migrations {
                if case .ours(let version) = state, version >= step.version { continue }
                do {
                    try db.execute(step.sql)
                } catch let error as PostgresError where !error.isRetryable {
                    throw PostgresStoreError.migrationFailed(
                        location: db.location, version: step.version, name: step.name, reason: error.detail)
                }
                try db.query("UPDATE qsh_metadata SET schema_version = $1", [.int(step.version)])
                state = .ours(version: step.version)
                applied.append(step.version)
            }
            return applied
        }
    }
}
