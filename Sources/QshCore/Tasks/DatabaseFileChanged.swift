// The error a repository throws when the database it opened is gone: the file was
// deleted or replaced under a long-lived process (a worker), so whatever it writes from
// now on would go where nothing else reads it.

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
