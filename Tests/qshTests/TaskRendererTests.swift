// Tests for the task renderers and the database path rule, in process.
import QshCore
import Testing
@testable import qsh

@Suite struct TaskRendererTests {
    let task = QuantumTask(
        id: "550e8400-e29b-41d4-a716-446655440000", status: .executionStarted, qpuID: "sim:statevector", shots: 1000,
        seed: 7, name: "bell, \"quoted\"", tags: ["b": "2", "a": "1"], definitionID: "d", createdBy: "alice",
        createdDate: Timestamp(milliseconds: 1_769_421_600_000), updatedDate: Timestamp(milliseconds: 1_769_421_690_000),
        shotsDone: 250)

    @Test func tableShowsShortIdsAndProgress() {
        let text = TaskRenderer.tasks([task], page: nil, format: .table, color: false)
        #expect(text == """
            ID        STATUS            QPU                 SHOTS  CREATED               NAME
            550e8400  ExecutionStarted  sim:statevector  250/1000  2026-01-26T10:00:00Z  bell, "quoted"

            """)
    }

    @Test func tableShowsControlCharactersInNamesAndTagsAsSymbols() {
        var hostile = task
        hostile.name = "x\u{1B}]0;pwned\u{07}\ny"
        hostile.tags = ["k": "\u{1B}[41mred"]
        let text = TaskRenderer.tasks([hostile], page: nil, format: .wide, color: false)
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(text.contains("x\u{241B}]0;pwned\u{2407}\u{240A}y"))
        #expect(text.contains("k=\"\u{241B}[41mred\""))
        #expect(text.split(separator: "\n").count == 2)
    }

    @Test func csvHasAHeaderAndQuotes() {
        let text = TaskRenderer.tasks([task], page: nil, format: .csv, color: false)
        let lines = text.split(separator: "\n")
        #expect(lines.first == "id,task_status,qpu_id,shots,shots_done,created_date,updated_date,created_by,name,tags,error_class")
        #expect(lines.last == "550e8400-e29b-41d4-a716-446655440000,ExecutionStarted,sim:statevector,1000,250,2026-01-26T10:00:00Z,2026-01-26T10:01:30Z,alice,\"bell, \"\"quoted\"\"\",\"{\"\"a\"\": \"\"1\"\", \"\"b\"\": \"\"2\"\"}\",")
    }

    @Test func tsvHasNoHeader() {
        let text = TaskRenderer.tasks([task], page: nil, format: .tsv, color: false)
        #expect(text.split(separator: "\n").count == 1)
        #expect(text.hasPrefix("550e8400-e29b-41d4-a716-446655440000\tExecutionStarted\t"))
    }

    @Test func ndjsonIsOneCompactObjectPerLine() {
        let text = TaskRenderer.tasks([task, task], page: nil, format: .ndjson, color: false)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("{\"id\": \"550e8400-e29b-41d4-a716-446655440000\", \"task_status\": \"ExecutionStarted\""))
    }

    @Test func resultsTableHasShares() {
        let result = TaskResult(
            taskID: task.id, shots: 1000, shotsDone: 1000, partial: false,
            registers: [RegisterCounts(name: "c", width: 2, counts: ["11": 497, "00": 503])])
        #expect(TaskRenderer.result(result, format: .table, color: false) == """
            REGISTER  BITS  COUNT   SHARE
            c         00      503  0.5030
            c         11      497  0.4970

            """)
        #expect(TaskRenderer.result(result, format: .ndjson, color: false).hasPrefix(
            "{\"task_id\": \"550e8400-e29b-41d4-a716-446655440000\", \"shots\": 1000, \"shots_done\": 1000, \"data\": {\"c\": {\"00\": 503, \"11\": 497}}, \"partial\": false"))
    }

    @Test func statusEventsCarryTheTransitionTimeAndProgressEventsTheObservation() {
        let seen = Timestamp(milliseconds: 1_769_421_754_000)
        #expect(TaskRenderer.streamEvent(task, kind: "status", observed: seen) == "{\"event\": \"status\", \"id\": \"550e8400-e29b-41d4-a716-446655440000\", \"task_status\": \"ExecutionStarted\", \"shots\": 1000, \"shots_done\": 250, \"at\": \"2026-01-26T10:01:30Z\"}\n")
        #expect(TaskRenderer.streamEvent(task, kind: "progress", observed: seen) == "{\"event\": \"progress\", \"id\": \"550e8400-e29b-41d4-a716-446655440000\", \"task_status\": \"ExecutionStarted\", \"shots\": 1000, \"shots_done\": 250, \"at\": \"2026-01-26T10:02:34Z\"}\n")
    }

    @Test(arguments: [
        (["a": "1", "b": "2"], "a=1,b=2"),
        (["a,b": "\"c\"=d"], "\"a,b\"=\"\\\"c\\\"=d\""),
        (["a": "", "k": "two words"], "a=\"\",k=\"two words\""),
        (["back\\slash": "x"], "\"back\\\\slash\"=x"),
    ])
    func tagsAreQuotedWhenTheyCouldBeMisread(tags: [String: String], text: String) {
        #expect(TaskRenderer.tagsText(tags) == text)
    }

    @Test func csvAndTsvGiveTagsAsTheirJSONObjectAndDefuseControls() {
        var hostile = task
        hostile.name = "\u{1B}]0;pwned\u{07}\tx\u{202E}y"
        hostile.tags = ["a,b": "\"c\"=d"]
        let tsv = TaskRenderer.tasks([hostile], page: nil, format: .tsv, color: false)
        #expect(tsv.split(separator: "\t", omittingEmptySubsequences: false).count == 11)
        #expect(tsv.contains("\t\u{241B}]0;pwned\u{2407}\u{2409}x\u{FFFD}y\t{\"a,b\": \"\\\"c\\\"=d\"}\t"))
        let csv = TaskRenderer.tasks([hostile], page: nil, format: .csv, color: false)
        #expect(csv.hasSuffix(",\u{241B}]0;pwned\u{2407}\u{2409}x\u{FFFD}y,\"{\"\"a,b\"\": \"\"\\\"\"c\\\"\"=d\"\"}\",\n"))
        #expect(!(tsv + csv).unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
    }

    @Test(arguments: [
        ([String: String](), [String](), "/home/u/.local/share/qsh/tasks.sqlite"),
        (["XDG_DATA_HOME": "/x"], [], "/x/qsh/tasks.sqlite"),
        (["XDG_DATA_HOME": "relative"], [], "/home/u/.local/share/qsh/tasks.sqlite"),
        (["XDG_DATA_HOME": "/x", "QSH_DB": "/q.db"], [], "/q.db"),
        (["QSH_DB": "/q.db"], ["--db", "/flag.db"], "/flag.db"),
        // An empty QSH_DB counts as unset, as an empty XDG_DATA_HOME does.
        (["QSH_DB": "", "XDG_DATA_HOME": "/x"], [], "/x/qsh/tasks.sqlite"),
    ])
    func databasePathPrecedence(environment: [String: String], flags: [String], expected: String) throws {
        var env = environment
        env["HOME"] = "/home/u"
        let context = CommandContext.capturing(environment: env)
        let arguments = try ArgumentCursor(specs: [CommonOptions.database]).parse(flags)
        let invocation = Invocation(context: context, arguments: arguments, path: ["tasks", "list"])
        #expect(try LocalDatabase(invocation).path() == expected)
    }

    @Test func anEmptyDbOptionIsAUsageErrorNotTheDefault() throws {
        let context = CommandContext.capturing(environment: ["HOME": "/home/u", "QSH_DB": "/q.db"])
        let arguments = try ArgumentCursor(specs: [CommonOptions.database]).parse(["--db", ""])
        let invocation = Invocation(context: context, arguments: arguments, path: ["tasks", "list"])
        #expect(throws: UsageError.self) { try LocalDatabase(invocation).path() }
    }
}
