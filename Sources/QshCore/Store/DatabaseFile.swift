// Which file a database path named when it was opened (its device and inode), so that a
// long-lived process (a worker) can tell that the file was deleted or replaced while it
// kept the old one open: SQLite would go on writing into the unlinked file, unseen.
// The error it throws, `DatabaseFileChanged`, is the repository protocol's (Tasks/).
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
