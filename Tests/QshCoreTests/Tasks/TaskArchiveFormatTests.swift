// The NDJSON lines of export records: every value survives the text, bytes as base64, a
// line that is not a record is refused with its line number and why, and the end line of
// GET /v2/export counts the records before it (a reader refuses a file it does not fit).
import QshCore
import Testing

@Suite struct TaskArchiveFormatTests {
    static let record = ArchiveRecord(
        kind: .task, id: "t1", schemaVersion: 3,
        tables: [
            ArchiveTable("tasks", [ArchiveRow([
                ArchiveField("id", .text("t1")), ArchiveField("seed", .integer(Int64.min)),
                ArchiveField("name", .null), ArchiveField("ratio", .real(0.1)),
                ArchiveField("program", .blob([0, 0xFF, 0x7F])), ArchiveField("empty", .blob([])),
                ArchiveField("text", .text("line\n\"é\"\u{1B}")),
            ])]),
            ArchiveTable("task_events", []),
        ])

    @Test func aRecordSurvivesItsLine() throws {
        let line = TaskArchiveFormat.line(Self.record)
        #expect(!line.contains("\n"))
        #expect(line.hasPrefix(#"{"qsh_export": 1, "record": "task", "id": "t1", "schema": 3, "tables": {"tasks": [{"id": "t1", "#))
        #expect(line.contains(#""program": {"base64": "AP9/"}, "empty": {"base64": ""}"#))
        #expect(try TaskArchiveFormat.record(line, source: "f", lineNumber: 1) == Self.record)
    }

    @Test(arguments: [
        ("{", "it is not JSON"),
        ("[]", "it is not a JSON object"),
        (#"{"id":"x"}"#, "it has no 'qsh_export' version"),
        (#"{"qsh_export":2,"record":"task","id":"x","schema":3,"tables":{}}"#,
         "its export format 2 is newer than this qsh reads (1); upgrade qsh"),
        (#"{"qsh_export":1,"record":"batch","id":"x","schema":3,"tables":{}}"#,
         "its 'record' is not one of: definition, task"),
        (#"{"qsh_export":1,"record":"task","id":"x","schema":3,"tables":{"tasks":[{"program":{"base64":"!"}}]}}"#,
         "the column 'program' of its table 'tasks' holds a value a database cannot"),
        (#"{"qsh_export":1,"record":"task","id":"x","schema":3,"tables":{"tasks":{}}}"#,
         "its table 'tasks' is not an array of rows"),
    ])
    func aLineThatIsNotARecordIsRefused(_ text: String, _ reason: String) {
        do {
            _ = try TaskArchiveFormat.record(text, source: "tasks.ndjson", lineNumber: 7)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.line == 7 && error.source == "tasks.ndjson" && error.reason.hasPrefix(reason))
            #expect(error.message.hasPrefix("line 7 of 'tasks.ndjson' is not a task export record: " + reason))
            #expect(error.code == .invalidRecord)
        }
    }

    @Test(arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
                      ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")])
    func base64MatchesRFC4648(_ plain: String, _ encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test func base64RefusesWhatIsNotBase64() {
        for text in ["Zg=", "Zg==Zg==", "Z===", "Zm9*", "===="] { #expect(Base64.decode(text) == nil, "\(text)") }
        let all = (0...255).map(UInt8.init)
        #expect(Base64.decode(Base64.encode(all)) == all)
    }

    @Test func theEndLineCountsTheRecordsAndTheReaderChecksIt() throws {
        let end = TaskArchiveFormat.endLine(tasks: 1, definitions: 1)
        #expect(end == #"{"qsh_export": 1, "record": "end", "tasks": 1, "definitions": 1}"#)
        guard case .end(let tasks, let definitions) = try TaskArchiveFormat.entry(end, source: "f", lineNumber: 3) else {
            Issue.record("not an end line")
            return
        }
        #expect(tasks == 1 && definitions == 1)
        #expect(throws: ArchiveFormatError(source: "f", line: 3, reason: "it is an end line, not a record")) {
            try TaskArchiveFormat.record(end, source: "f", lineNumber: 3)
        }
        var program = Self.record
        program.kind = .definition
        let lines = [TaskArchiveFormat.line(program), "", TaskArchiveFormat.line(Self.record) + "\r", end, " ", ""]
        var reader = ArchiveReader(source: "f")
        for (index, line) in lines.enumerated() { try reader.read(Substring(line), lineNumber: index + 1) }
        #expect(reader.records == [program, Self.record] && reader.ended)
        // Without an end line (a file 'tasks export' wrote), the records are all there is.
        var plain = ArchiveReader(source: "f")
        try plain.read(Substring(TaskArchiveFormat.line(Self.record)), lineNumber: 1)
        #expect(plain.records == [Self.record] && !plain.ended)
    }

    @Test func aFileCutShortOrChangedAfterItsEndIsRefused() throws {
        let record = TaskArchiveFormat.line(Self.record)
        let cases: [([String], ArchiveFormatError)] = [
            ([record, TaskArchiveFormat.endLine(tasks: 2, definitions: 0)],
             ArchiveFormatError(source: "f", line: 2, reason:
                "its end line counts 2 tasks and 0 programs, but 1 and 0 come before it: the file is incomplete or was changed")),
            ([TaskArchiveFormat.endLine(tasks: 0, definitions: 0), record],
             ArchiveFormatError(source: "f", line: 2, reason: "it comes after the end line")),
            ([#"{"qsh_export": 1, "record": "end", "tasks": 1}"#],
             ArchiveFormatError(source: "f", line: 1, reason: "its end line has no counts of 'tasks' and 'definitions'")),
        ]
        for (lines, expected) in cases {
            var reader = ArchiveReader(source: "f")
            #expect(throws: expected) {
                for (index, line) in lines.enumerated() { try reader.read(Substring(line), lineNumber: index + 1) }
            }
        }
    }
}
