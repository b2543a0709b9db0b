// qsh on PostgreSQL, end to end: the same commands give the same output on a PostgreSQL
// database as on an SQLite file (submit, a worker, get, results, events, list), a move
// from SQLite is one export | import pipeline, and a server that cannot be reached is
// one line naming the host, without the password, and exit 1.
import Foundation
import Testing
import TestSupport

@Suite(.disabled(if: TestPostgres.url == nil && !TestPostgres.required, Comment(rawValue: TestPostgres.unavailableReason ?? "")))
struct PostgresTests {
    /// A URL whose search path is a fresh schema of the test server.
    static func freshDatabase() throws -> String {
        let url = try #require(TestPostgres.url)
        let schema = "e_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let made = try Subprocess.run("/usr/bin/env", ["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", "CREATE SCHEMA \(schema)"])
        #expect(made.status == 0, Comment(rawValue: made.stderr))
        return try #require(TestPostgres.url(schema: schema))
    }

    /// Runs the same commands on `db`: submit, one worker pass, then the readers.
    static func session(_ sandbox: TaskSandbox, db: String) throws -> [QshRun] {
        let env = ["QSH_DB": db]
        let submit = try sandbox.run(["tasks", "submit", "bell.qasm", "-q", "--seed", "7", "--shots", "200"], extra: env)
        let id = submit.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        // The worker's log names the database and its pid: its status is what compares.
        let worker = try sandbox.run(["worker", "--once"], extra: env)
        return [
            submit, worker,
            try sandbox.run(["tasks", "results", id, "-o", "table"], extra: env),
            try sandbox.run(["tasks", "events", id, "-o", "json"], extra: env),
            try sandbox.run(["tasks", "list", "--status", "Completed", "-o", "json"], extra: env),
            try sandbox.run(["tasks", "get", "nothing-like-an-id"], extra: env),
        ]
    }

    @Test func theSameCommandsGiveTheSameAnswersAsOnSQLite() throws {
        let sandbox = try TaskSandbox()
        try sandbox.program()
        let postgres = try Self.session(sandbox, db: try Self.freshDatabase())
        let sqlite = try Self.session(sandbox, db: sandbox.db)
        #expect(postgres.map(\.status) == [0, 0, 0, 0, 0, 2])
        #expect(postgres.map(\.status) == sqlite.map(\.status))
        #expect(postgres[2].stdout == sqlite[2].stdout && postgres[2].stdout.hasPrefix("REGISTER  BITS  COUNT"))
        #expect(postgres[5].stderr == sqlite[5].stderr)
        // Events: the same states in the same order (ids and times differ).
        func states(_ run: QshRun) -> [String] {
            run.stdout.split(separator: "\n").filter { $0.contains("\"to\"") }.map(String.init)
        }
        #expect(!states(postgres[3]).isEmpty && states(postgres[3]) == states(sqlite[3]))
    }

    @Test func movingUpIsOneExportImportPipeline() throws {
        let sandbox = try TaskSandbox()
        try sandbox.program()
        let id = try sandbox.submit(["--seed", "3"])
        #expect(try sandbox.run(["worker", "--once"]).status == 0)
        let exported = try sandbox.run(["tasks", "export"])
        #expect(exported.status == 0)
        let target = try Self.freshDatabase()
        let imported = try sandbox.run(["tasks", "import", "-"], stdin: exported.stdout, extra: ["QSH_DB": target])
        #expect(imported.status == 0, Comment(rawValue: imported.stderr))
        for command in [["tasks", "get", id, "-o", "json"], ["tasks", "results", id, "-o", "json"], ["tasks", "events", id]] {
            let there = try sandbox.run(command, extra: ["QSH_DB": target])
            let here = try sandbox.run(command)
            #expect(there.status == 0 && there.stdout == here.stdout, "\(command)")
        }
        // And back: what PostgreSQL exports is what SQLite exported.
        #expect(try sandbox.run(["tasks", "export"], extra: ["QSH_DB": target]).stdout == exported.stdout)
    }

    @Test func aServerThatCannotBeReachedIsOneLineWithoutThePassword() throws {
        let sandbox = try TaskSandbox()
        for db in ["postgresql://alice:s3cret@127.0.0.1:1/qsh", "host=127.0.0.1 port=1 user=alice password=s3cret dbname=qsh"] {
            let run = try sandbox.run(["tasks", "list"], extra: ["QSH_DB": db])
            #expect(run.status == 1)
            #expect(run.stdout == "")
            let shown = db.hasPrefix("postgresql") ? "postgresql://alice@127.0.0.1:1/qsh" : "host=127.0.0.1 port=1 user=alice dbname=qsh"
            #expect(run.stderr == "qsh: cannot connect to PostgreSQL at '127.0.0.1' port 1 ('\(shown)'): Connection refused; "
                + "check that the server is running there and accepts connections (host, port and database in the URL)\n")
        }
    }
}
