// Where the local task database is (`--db`, else $QSH_DB, else the XDG data folder) and
// how this process opens it: the one place the executable opens a task store (the local
// client's and the worker's): an SQLite file, or PostgreSQL for a postgres:// URL or
// libpq's key/value form.
import QshCore

/// The task database file a command works on.
struct LocalDatabase {
    /// `--db` as given, nil when absent.
    var option: String?
    /// Which word of the command line gave `--db`, for the caret of its usage error.
    var optionWord: Int?
    var environment: [String: String]
    var home: String
    /// The working directory, for a relative path made absolute (asked only then).
    var currentDirectory: () -> String

    init(option: String?, environment: [String: String], home: String, currentDirectory: @escaping () -> String) {
        self.option = option
        self.environment = environment
        self.home = home
        self.currentDirectory = currentDirectory
    }

    /// The database of an invocation: its `--db`, its context's environment.
    init(_ invocation: Invocation) {
        let context = invocation.context
        self.init(
            option: invocation.arguments.value("--db"), environment: context.environment, home: context.home,
            currentDirectory: { context.currentDirectory })
        optionWord = invocation.arguments.word(of: "--db")
    }

    /// `--db`, else $QSH_DB, else $XDG_DATA_HOME/qsh/tasks.sqlite, else ~/.local/share/qsh/tasks.sqlite.
    /// An empty QSH_DB counts as unset (as an empty XDG_DATA_HOME does).
    /// - Throws: `UsageError` for `--db ""`: an empty path is a mistake, not the default.
    func path() throws -> String {
        if let db = option {
            guard !db.isEmpty else {
                throw UsageError(
                    "option '--db' needs a path; leave it out to use $QSH_DB or the default database",
                    argument: optionWord)
            }
            return db
        }
        if let db = environment["QSH_DB"], !db.isEmpty { return db }
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/qsh/tasks.sqlite" }
        return home + "/.local/share/qsh/tasks.sqlite"
    }

    /// The path made absolute (for a worker started in another folder); a PostgreSQL
    /// address as it is.
    func absolutePath() throws -> String {
        let path = try path()
        if PostgresAddress.isPostgres(path) { return path }
        return path.hasPrefix("/") ? path : currentDirectory() + "/" + path
    }

    /// The database as messages name it: a path, or a PostgreSQL address without its password.
    func displayName() throws -> String { Self.displayName(try path()) }

    /// `path` as messages name it (a PostgreSQL address without its password).
    static func displayName(_ path: String) -> String { PostgresAddress(path)?.redacted ?? path }

    /// Opens the store for `access`. Reading and changing need an existing database: they
    /// never create one.
    /// - Throws: `CommandFailure` (`no_database`) when there is no database at the path,
    ///   else what opening throws (`StoreError`, `SQLiteError`).
    func open(_ access: StoreAccess) throws -> any TaskRepository {
        try Self.open(path: path(), access: access)
    }

    /// Opens the store at `path` for `access` (a worker's heartbeat thread opens its own).
    /// A PostgreSQL database is connected to (libpq is loaded then, and only then) and
    /// migrated whatever the access: its tables are made in a database that has none.
    /// - Throws: as `open(_:)`; `PostgresError`, `PostgresStoreError` for PostgreSQL.
    static func open(path: String, access: StoreAccess) throws -> any TaskRepository {
        if let address = PostgresAddress(path) { return try PostgresTaskStore(address: address) }
        do {
            return try SQLiteTaskStore.open(path: path, access: access)
        } catch StoreError.missing(let missing) {
            throw CommandFailure(
                code: StoreError.missing(path: missing).code,
                message: "no task database at '\(missing)'; 'qsh tasks submit' creates one, or check --db/QSH_DB")
        }
    }
}
