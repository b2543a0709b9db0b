// The SQLite wrapper: binding, the step loop, typed errors carrying the SQL but
// never the bound values, and scoped transactions that roll back on throw.
import Foundation
@testable import QshCore
import Testing
import TestSupport

@Suite struct ConnectionTests {
    struct Boom: Error {}

    @Test func bindsAndReadsEveryType() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, n TEXT)")
        try db.run("INSERT INTO t VALUES (?, ?, ?, ?)", [.integer(-42), .real(2.5), .text("héllo 'x'"), .null])
        let row = try db.prepare("SELECT i, r, s, n FROM t").first { row in
            (row.int64(0), row.double(1), row.text(2), row.optionalText(3), row.isNull(3))
        }
        #expect(row?.0 == -42)
        #expect(row?.1 == 2.5)
        #expect(row?.2 == "héllo 'x'")
        #expect(row?.3 == nil)
        #expect(row?.4 == true)
    }

    @Test func errorsCarryTheSQLButNotTheValues() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (k TEXT PRIMARY KEY)")
        try db.run("INSERT INTO t VALUES (?)", [.text("secret-value")])
        do {
            try db.run("INSERT INTO t VALUES (?)", [.text("secret-value")])
            Issue.record("expected a constraint error")
        } catch {
            #expect(error.resultCode == 19)  // SQLITE_CONSTRAINT
            #expect(error.extendedResultCode == 1555)  // SQLITE_CONSTRAINT_PRIMARYKEY
            #expect(error.sql == "INSERT INTO t VALUES (?)")
            #expect(!error.description.contains("secret-value"))
            #expect(error.message == "database error: UNIQUE constraint failed: t.k")
        }
    }

    @Test func wrongParameterCountIsAnError() throws {
        let db = try Connection(path: ":memory:")
        #expect(throws: SQLiteError.self) { try db.run("SELECT ?, ?", [.integer(1)]) }
    }

    @Test func syntaxErrorsNameTheStatement() throws {
        let db = try Connection(path: ":memory:")
        do {
            _ = try db.prepare("SELEC 1")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.sql == "SELEC 1")
            #expect(error.detail.contains("syntax error"))
        }
    }

    @Test func transactionCommitsAndRollsBack() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (x INTEGER)")
        try db.transaction { try $0.run("INSERT INTO t VALUES (1)") }
        #expect(throws: Boom.self) {
            try db.transaction { db in
                try db.run("INSERT INTO t VALUES (2)")
                throw Boom()
            }
        }
        #expect(try db.scalar("SELECT count(*) FROM t") == 1)
        #expect(!db.inTransaction)
    }

    @Test func cannotOpenAMissingDirectory() {
        do {
            _ = try Connection(path: "/nonexistent-qsh-dir/x.sqlite")
            Issue.record("expected an error")
        } catch {
            #expect(error.detail.hasPrefix("cannot open '/nonexistent-qsh-dir/x.sqlite'"))
        }
    }

    @Test func aFileThatCannotBeWrittenIsAnErrorNotAReadOnlyHandle() throws {
        // SQLite would open such a file read-only and fail at the first write. Root may
        // write any ordinary file, so it gets a sysfs file that no one may write.
        let dir = try TempDirectory()
        var path = try dir.write("locked.sqlite", "")
        if geteuid() == 0 {
            path = "/sys/kernel/notes"
            try #require(FileManager.default.fileExists(atPath: path))
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        }
        do {
            _ = try Connection(path: path, create: false)
            Issue.record("expected an error")
        } catch {
            #expect(error.resultCode == 8)  // SQLITE_READONLY
            #expect(
                error.detail
                    == "cannot open '\(path)' for writing; check that you may write the file, the -wal and -shm files "
                    + "beside it and its folder")
        }
        // Asked for read-only, the same file opens.
        #expect(throws: Never.self) { _ = try Connection(path: path, readOnly: true) }
    }
}

/// Blobs, read-only and immutable opening, and errors that name the file.
@Suite struct ConnectionFileTests {
    @Test func blobsRoundTripByteForByte() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (b BLOB)")
        let bytes: [UInt8] = [0x00, 0xE9, 0xFF, 0x0A, 0x00]
        try db.run("INSERT INTO t VALUES (?), (?), (NULL)", [.blob(bytes), .blob([])])
        let rows = try db.prepare("SELECT b, typeof(b) FROM t ORDER BY rowid").rows { ($0.optionalBlob(0), $0.text(1)) }
        #expect(rows.map(\.0) == [bytes, [], nil])
        #expect(rows.map(\.1) == ["blob", "blob", "null"])
    }

    @Test func immutableURIsEscapeWhatURIsGiveMeaningTo() {
        #expect(Connection.immutableURI("/tmp/a b/t.sqlite") == "file:/tmp/a%20b/t.sqlite?immutable=1")
        #expect(Connection.immutableURI("rel/x%?#.db") == "file:rel/x%25%3F%23.db?immutable=1")
        #expect(Connection.immutableURI("//host/x") == "file:////host/x?immutable=1")
        #expect(Connection.immutableURI("caf\u{E9}") == "file:caf%C3%A9?immutable=1")
    }

    @Test func errorsOnAFileNameItAndSayWhatToCheck() throws {
        let dir = try TempDirectory()
        let path = dir.file("t.sqlite")
        let db = try Connection(path: path)
        try db.execute("CREATE TABLE t (k TEXT PRIMARY KEY)")
        try db.run("INSERT INTO t VALUES ('a')")
        do {
            try db.run("INSERT INTO t VALUES ('a')")
            Issue.record("expected a constraint error")
        } catch {
            #expect(error.path == path)
            #expect(
                error.message
                    == "database error: UNIQUE constraint failed: t.k on '\(path)'; the file may have been changed "
                    + "outside qsh or be damaged; check it with 'sqlite3 \(path) \"PRAGMA integrity_check\"'")
        }
        // Opening a folder that does not exist says what to check, with the path.
        do {
            _ = try Connection(path: dir.file("none/t.sqlite"), create: false)
            Issue.record("expected an open error")
        } catch {
            #expect(
                error.message
                    == "database error: cannot open '\(dir.file("none/t.sqlite"))': unable to open database file; check "
                    + "that its folder exists and that you may read and write the file, the -wal and -shm files beside "
                    + "it and the folder")
        }
        #expect(SQLiteError.shellQuoted("/tmp/a b/$x") == "\"/tmp/a b/\\$x\"")
    }
}
