// Which file a database path named when it was opened (its device and inode), so that a
// long-lived process (a worker) can tell that the file was deleted or replaced while it
// kept the old one open: SQLite would go on writing into the unlinked file, unseen.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The file a database path named when it was opened: its device and inode.
public struct DatabaseFileIdentity: Hashable, Sendable {
    /// The path as the database was opened with it.
    public let path: String
    let device: UInt64
    let inode: UInt64

    /// The file at `path` now; nil for an in-memory database or a path that names no file.
    public init?(path: String) {
        guard path != ":memory:", !path.isEmpty else { return nil }
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.path = path
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    /// What became of the file since it was opened.
    /// - Throws: `DatabaseFileChanged` when `path` names no file or another one.
    public func check() throws(DatabaseFileChanged) {
        var info = stat()
        if stat(path, &info) != 0 {
            // A path that cannot be looked at for another reason (a permission taken away)
            // is not evidence that the file went away.
            if errno == ENOENT || errno == ENOTDIR { throw DatabaseFileChanged(path: path, replaced: false) }
            return
        }
        if UInt64(info.st_dev) != device || UInt64(info.st_ino) != inode {
            throw DatabaseFileChanged(path: path, replaced: true)
        }
    }
}

/// The database file was deleted or replaced while a worker had it open: what it
/// writes from now on goes into the old file, which nothing else will read.
public struct DatabaseFileChanged: QshError, Equatable {
    public var path: String
    /// True when another file now has the path; false when nothing has.
    public var replaced: Bool
    /// The task the worker was running then, whose run is lost with the file.
    public var taskID: String?

    public init(path: String, replaced: Bool, taskID: String? = nil) {
        self.path = path
        self.replaced = replaced
        self.taskID = taskID
    }

    public var code: ErrorCode { .databaseError }
    public var message: String {
        var text = "the task database '\(path)' \(replaced ? "was replaced by another file" : "was deleted")"
        if let taskID {
            text += " while a worker ran task '\(taskID)' on it, and that run is lost"
        } else {
            text += " while a worker had it open"
        }
        return text + "; stop every qsh worker on it, then restore the file (with its -wal and -shm files) "
            + "or start again with a new database"
    }
}
