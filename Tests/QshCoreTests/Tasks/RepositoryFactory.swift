// The conformances of TaskRepository the contract suite runs against, each as a factory
// of fresh, empty repositories (GRDB's way: one test body, every writer). Add a store's
// factory to `all`, and every contract test runs on it.
import QshCore
import Testing
import TestSupport

/// Makes empty repositories of one conformance.
struct RepositoryFactory: Sendable, CustomTestStringConvertible {
    let name: String
    /// True when a second repository can be opened on the same storage (what another
    /// process sees): the tests of racing claimers need it.
    let sharesStorage: Bool
    let make: @Sendable () throws -> OpenedRepository

    var testDescription: String { name }

    static let sqliteInMemory = RepositoryFactory(name: "SQLite in memory", sharesStorage: false) {
        OpenedRepository(try SQLiteTaskStore.open(path: ":memory:"))
    }

    static let sqliteWALFile = RepositoryFactory(name: "SQLite WAL file", sharesStorage: true) {
        let dir = try TempDirectory()
        let path = dir.file("tasks.sqlite")
        return OpenedRepository(try SQLiteTaskStore.open(path: path), keeping: dir) {
            try SQLiteTaskStore.open(path: path)
        }
    }

    /// Every conformance.
    static let all: [RepositoryFactory] = [sqliteInMemory, sqliteWALFile]
    /// The conformances whose storage a second repository can open.
    static let shared: [RepositoryFactory] = all.filter(\.sharesStorage)
}

/// A repository under test, with what keeps its storage alive.
final class OpenedRepository {
    let repository: any TaskRepository
    /// Opens another repository on the same storage; nil when it cannot be shared.
    let another: (@Sendable () throws -> any TaskRepository)?
    private let kept: AnyObject?

    init(
        _ repository: any TaskRepository, keeping kept: AnyObject? = nil,
        another: (@Sendable () throws -> any TaskRepository)? = nil
    ) {
        self.repository = repository
        self.kept = kept
        self.another = another
    }
}
