// Opening the task database for what a command does with it: create it (submit, a
// worker), change an existing one (cancel), or only read one (get, list, results,
// events, wait): read-only when the file is not writable, and never creating anything.
import CSQLite
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How a command uses the task database.
public enum StoreAccess: Sendable {
    /// Creates the database, and its folder, when there is none.
    case create
    /// Changes an existing database; a missing or empty file is `StoreError.missing`.
    case write
    /// Reads an existing database; a missing or empty file is `StoreError.missing`, and a
    /// file this process may not write is opened read-only.
    case read
}

extension SQLiteTaskStore {
    /// Opens the database at `path` for `access`. Creating makes its directory (0700) and
    /// the file (0600); reading and writing never create a file, a folder, or a -wal or
    /// -shm file beside a database that is not there.
    /// - Throws: `StoreError` (`missing`, `cannotCreate`, `foreignFile`, `newerSchema`...),
    ///   `SQLiteError`.
    public static func open(
        path: String, access: StoreAccess = .create, migrator: Migrator = Schema.migrator
    ) throws -> SQLiteTaskStore {
        if path == ":memory:" { return try SQLiteTaskStore(connection: Connection(path: path), migrator: migrator) }
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR { throw StoreError.notAFile(path: path) }
        switch access {
        case .create:
            return try openCreating(path, migrator: migrator)
        case .write:
            try requireDatabase(path)
            return try SQLiteTaskStore(connection: Connection(path: path, create: false), migrator: migrator)
        case .read:
            try requireDatabase(path)
            // A file we may write opens as usual (and is upgraded if its schema is older);
            // SQLite may still refuse to write it (a -shm of another user), then read it.
            if isWritable(path), let writable = try? Connection(path: path, create: false) {
                return try SQLiteTaskStore(connection: writable, migrator: migrator)
            }
            return try openReadOnly(path, migrator: migrator)
        }
    }

    /// Throws `StoreError.missing` unless `path` is a non-empty file (or something SQLite
    /// will explain, such as a folder or a file it may not read).
    static func requireDatabase(_ path: String) throws {
        var info = stat()
        if stat(path, &info) != 0 {
            if errno == ENOENT || errno == ENOTDIR { throw StoreError.missing(path: path) }
            return
        }
        if (info.st_mode & S_IFMT) == S_IFREG && info.st_size == 0 { throw StoreError.missing(path: path) }
    }

    /// Opens a database this process may not write. SQLite reads a WAL database through
    /// its -shm file, even one it may not write, but cannot create a missing one in a
    /// folder it may not write; then, if the -wal is empty too, the main file holds every
    /// committed change and is read on its own (SQLite's `immutable`).
    static func openReadOnly(_ path: String, migrator: Migrator) throws -> SQLiteTaskStore {
        do {
            return try SQLiteTaskStore(connection: Connection(path: path, readOnly: true), migrator: migrator)
        } catch let error as SQLiteError where error.resultCode == SQLITE_READONLY || error.resultCode == SQLITE_CANTOPEN {
            var info = stat()
            let walSize = stat(path + "-wal", &info) == 0 ? Int(info.st_size) : 0
            guard walSize == 0 else { throw StoreError.unreadableWAL(path: path) }
            return try SQLiteTaskStore(
                connection: Connection(path: path, readOnly: true, immutable: true), migrator: migrator)
        }
    }

    /// Opens `path`, creating its directory (0700) and the file (0600) when missing.
    static func openCreating(_ path: String, migrator: Migrator) throws -> SQLiteTaskStore {
        // The common case, an existing file, opens without touching the file system API.
        if let existing = try? Connection(path: path, create: false) {
            return try SQLiteTaskStore(connection: existing, migrator: migrator)
        }
        let files = FileManager.default
        let directory = Self.directory(of: path)
        if !directory.isEmpty && !files.fileExists(atPath: directory) {
            do {
                try files.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                if !files.fileExists(atPath: directory) {
                    throw StoreError.cannotCreate(path: directory, reason: "cannot create the directory")
                }
            }
        }
        let existed = files.fileExists(atPath: path)
        let connection = try Connection(path: path)
        if !existed {
            // SQLite creates files 0644 (less the umask); tighten before the WAL and shm
            // files exist, since SQLite gives those the database file's mode.
            try? files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        }
        return try SQLiteTaskStore(connection: connection, migrator: migrator)
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

/// True when this process may write the file at `path` (its permission bits, or root).
private func isWritable(_ path: String) -> Bool { access(path, W_OK) == 0 }
