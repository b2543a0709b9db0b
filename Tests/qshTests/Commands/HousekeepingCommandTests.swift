// The housekeeping commands against a client double: what delete, prune, export, import
// and doctor ask the client, what they print in each format, their exit statuses, and
// their completion from the real command table.
import QshCore
import Testing
import TestSupport
@testable import qsh

@Suite struct HousekeepingCommandTests {
    let a = "550e8400-e29b-41d4-a716-446655440000"
    let b = "66660000-e29b-41d4-a716-446655440000"

    func run(_ words: [String], _ client: TaskClientDouble, tty: Bool = false) -> (QshCore.ExitStatus, CommandContext) {
        let context = CommandContext.capturing(client: client, tty: tty)
        return (Dispatcher.run(words, context: context), context)
    }

    @Test func deleteCancelsWhatItCanAndRefusesAnExecutingTaskUnlessForced() {
        let client = TaskClientDouble()
        client.tasks[a] = TaskClientDouble.task(a, .completed)
        client.tasks[b] = TaskClientDouble.task(b, .executionStarted)
        var (status, context) = run(["tasks", "delete", "550e", "6666", "-o", "csv"], client)
        #expect(status == .failure)
        #expect(context.stdout.text == "")
        #expect(context.stderr.text.hasPrefix("qsh: task '\(b)' cannot be deleted: it is ExecutionStarted"))
        (status, context) = run(["tasks", "delete", "--force", "550e", "6666", "-o", "csv"], client)
        #expect(status == .ok)
        #expect(context.stdout.text == "id,task_status,cancelled\n\(a),Completed,false\n\(b),ExecutionStarted,false\n")
        #expect(client.calls == ["delete 550e 6666", "delete --force 550e 6666"])

        client.tasks[a] = TaskClientDouble.task(a, .created)
        (status, context) = run(["tasks", "delete", a, "-o", "ndjson"], client)
        #expect(context.stdout.text == #"{"id": "\#(a)", "task_status": "Cancelled", "cancelled": true}"# + "\n")
        (status, context) = run(["tasks", "delete", "xyz"], client)
        #expect(status == .usage)
        #expect(client.calls.count == 3)
    }

    @Test func pruneAsksForEndedTasksByStateAndAge() throws {
        let client = TaskClientDouble()
        client.prunable = [a, b]
        var (status, context) = run(["tasks", "prune", "--dry-run", "--status", "Failed", "-o", "ndjson"], client)
        #expect(status == .ok)
        #expect(context.stdout.text == #"{"dry_run": true, "count": 2, "ids": ["\#(a)", "\#(b)"]}"# + "\n")
        #expect(client.deleted.isEmpty)
        (status, context) = run(["tasks", "prune", "--older-than", "2h", "-o", "table"], client)
        #expect(context.stdout.text == "pruned 2 tasks\n" && client.deleted == [a, b])
        let filter = try TasksPruneCommand.filter(
            try ArgumentCursor(specs: TasksPruneCommand.command.allOptions)
                .parse(["--status", "Failed", "--status", "Cancelled", "--status", "Failed", "--older-than", "2h"]),
            now: Timestamp(milliseconds: 10_000_000))
        #expect(filter == PruneFilter(statuses: [.failed, .cancelled], endedBefore: Timestamp(milliseconds: 2_800_000)))
    }

    @Test func exportWritesOneLinePerRecordAndImportReadsThemBack() throws {
        let client = TaskClientDouble()
        client.exportRecords = [
            ArchiveRecord(kind: .definition, id: "d", schemaVersion: 3, tables: [
                ArchiveTable("definitions", [ArchiveRow([ArchiveField("id", .text("d")), ArchiveField("program", .blob([1]))])]),
            ]),
            ArchiveRecord(kind: .task, id: a, schemaVersion: 3, tables: [
                ArchiveTable("tasks", [ArchiveRow([ArchiveField("id", .text(a)), ArchiveField("definition_id", .text("d"))])]),
            ]),
        ]
        let (status, context) = run(["tasks", "export", "--status", "Completed"], client)
        #expect(status == .ok && context.stderr.text == "")
        #expect(context.stdout.text == client.exportRecords.map { TaskArchiveFormat.line($0) + "\n" }.joined())

        let dir = try TempDirectory()
        let file = try dir.write("t.ndjson", context.stdout.text + "\n\n")
        let importer = TaskClientDouble()
        let (imported, output) = run(["tasks", "import", file, "--skip-existing", "-o", "tsv"], importer)
        #expect(imported == .ok)
        #expect(importer.imported == client.exportRecords)
        #expect(importer.calls == ["import --skip-existing"])
        #expect(output.stdout.text == "\(a)\timported\n")
    }

    static func report(stranded: [QuantumTask]) -> StoreHealth {
        StoreHealth(
            location: "/db", engineVersion: "3.40.1", schemaVersion: 3, latestSchemaVersion: 3, pageCount: 2,
            pageSize: 4096, freePages: 0, integrity: ["ok"], workers: [], counts: [.completed: 1],
            queues: ["sim": 2, "aer": 1], stranded: stranded,
            checkedAt: TaskClientDouble.time)
    }

    @Test func doctorExitsOneWithTheReasonOnOneLineWhenUnhealthy() {
        let client = TaskClientDouble()
        client.healthReport = Self.report(stranded: [])
        var (status, context) = run(["doctor", "-o", "tsv"], client)
        #expect(status == .ok && context.stderr.text == "")
        #expect(context.stdout.text == """
            status\thealthy
            database\t/db
            engine\tSQLite 3.40.1
            schema\t3 (this qsh: 3)
            size\t8192 bytes (2 pages of 4096, 0 free)
            integrity\tok
            workers\t0 live
            tasks\tCompleted 1
            queued\taer 1, sim 2
            stranded\t0

            """)
        var lost = TaskClientDouble.task(a, .scheduled)
        lost.leaseOwner = "w"
        lost.leaseExpires = TaskClientDouble.time
        client.healthReport = Self.report(stranded: [lost])
        (status, context) = run(["doctor", "-o", "table"], client)
        #expect(status == .failure)
        #expect(context.stderr.text == "qsh: unhealthy: 1 task stranded past its lease (550e8400)\n")
        #expect(context.stdout.text.hasSuffix("""
            STRANDED                              STATUS     WORKER  LEASE EXPIRED
            \(a)  Scheduled  w       2026-01-26T10:00:00Z

            """))
        (status, context) = run(["doctor", "--json"], client)
        #expect(context.stderr.text == #"{"error": {"code": "unhealthy", "message": "unhealthy: 1 task stranded past its lease (550e8400)", "problems": ["1 task stranded past its lease (550e8400)"]}}"# + "\n")
    }

    @Test func theNewCommandsAndOptionsComplete() {
        let real = Completer(commands: CommandTable.root, metaCommands: [], sources: CompletionSources())
        #expect(real.complete(line: "doc").candidates == ["doctor"])
        #expect(real.complete(line: "tasks de").candidates == ["delete"])
        #expect(real.complete(line: "tasks ex").candidates == ["export"])
        #expect(real.complete(line: "tasks im").candidates == ["import"])
        #expect(real.complete(line: "tasks pr").candidates == ["prune"])
        #expect(real.complete(line: "tasks delete --f").candidates == ["--force"])
        #expect(real.complete(line: "tasks prune --d").candidates == ["--dry-run", "--db"])
        #expect(real.complete(line: "tasks prune --o").candidates == ["--older-than", "--offline", "--output"])
        #expect(real.complete(line: "tasks prune --status ").candidates
            == ["Completed", "Failed", "Cancelled", "PayloadProcessingError"])
        #expect(real.complete(line: "tasks import --s").candidates == ["--skip-existing"])
        #expect(real.complete(line: "tasks list --no-p").candidates == ["--no-pager"])
        #expect(real.complete(line: "tasks events x --no-p").candidates == ["--no-pager"])
        #expect(real.complete(line: "--no-p").candidates == ["--no-pager"])
    }
}
