// The conformances of TaskRepository the contract suite runs against, each as a factory
// of fresh, empty repositories (GRDB's way: one test body, every writer). Add a store's
// factory to `all`, and every contract test runs on it. PostgreSQL joins when the test
// run has a server (TestPostgres): each repository gets a schema of its own.
import Foundation
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

    /// A fresh schema on the test run's PostgreSQL server per repository; another
    /// repository on it is another connection (another process's view).
    static let postgres = RepositoryFactory(name: "PostgreSQL", sharesStorage: true) {
        let schema = try PostgresTestSchema()
        let address = schema.address
        return OpenedRepository(try PostgresTaskStore(address: address), keeping: schema) {
            try PostgresTaskStore(address: address)
        }
    }

    /// Every conformance (PostgreSQL when the run has a server).
    static let all: [RepositoryFactory] =
        [sqliteInMemory, sqliteWALFile] + (TestPostgres.url == nil ? [] : [postgres])
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

/// A schema of its own on the test server. It is left there when the test ends (a test may
/// keep using the repository after dropping what made it), and goes with the throwaway
/// cluster; on a server of your own, drop the `t_...` schemas after the run.
final class PostgresTestSchema: @unchecked Sendable {
    let name: String
    let address: PostgresAddress

    init() throws {
        guard let url = TestPostgres.url, let base = PostgresAddress(url) else {
            throw PostgresTestUnavailable()
        }
        name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        address = PostgresAddress(TestPostgres.url(schema: name)!)!
        try PostgresConnection(base).execute("CREATE SCHEMA \(name)")
    }
}

struct PostgresTestUnavailable: Error {}
