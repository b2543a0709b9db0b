// `qsh tasks export` and `qsh tasks import`: tasks with their programs (bytes and
// includes), events, compilations, runs and diagnostics as NDJSON records
// (TaskArchiveFormat), moved between databases without loss; duplicates are refused.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import QshCore

enum TasksExportCommand {
    static let command = Command(
        name: "export",
        summary: "Write tasks as NDJSON records, for 'tasks import'",
        synopsis: [
            "tasks export [--status <state>]... [--qpu <id>] [--tag <key>=<value>]... [--since <time>] "
                + "[--until <time>] [<id>...]"
        ],
        details: """
            Writes the named tasks, or every task the filters select (as in 'tasks list', without paging),
            oldest first, to stdout: one JSON object per line, each program before the first task that uses
            it. A task's record holds its events, compilations, runs (results) and diagnostics; a program's
            holds its bytes and the files it included. The manual describes the records.
            """,
        examples: [
            "qsh tasks export > tasks.ndjson",
            "qsh tasks export --status Completed --since 7d | qsh --db other.sqlite tasks import -",
        ],
        options: [
            OptionSpec(
                "--status", value: "<state>", help: "only tasks in this state; may be repeated", repeatable: true),
            OptionSpec("--qpu", value: "<id>", help: "only tasks for this QPU"),
            OptionSpec("--tag", value: "<key>=<value>", help: "only tasks with this tag; may be repeated",
                       repeatable: true),
            OptionSpec("--since", value: "<time>", help: "only tasks created at or after this time"),
            OptionSpec("--until", value: "<time>", help: "only tasks created before this time"),
            CommonOptions.database, CommonOptions.api, CommonOptions.offline,
        ],
        arguments: 0...Int.max,
        argumentKind: "task",
        run: { invocation in
            for id in invocation.positionals { try TaskCLI.checkID(id) }
            let selection = ExportSelection(ids: invocation.positionals, query: try TasksListCommand.query(invocation))
            var definitions = 0
            let count: Int
            do {
                count = try invocation.taskClient().export(selection) { record in
                    if record.kind == .definition { definitions += 1 }
                    invocation.stdout.line(TaskArchiveFormat.line(record))
                    // Nobody reads any more (a closed pipe, a failed write): stop reading the database.
                    if invocation.stdout.isDead { throw OutputGone() }
                }
            } catch is OutputGone {
                return .ok
            }
            if invocation.context.terminal.stderrIsTTY {
                invocation.stderr.line(
                    "exported \(HousekeepingRenderer.count(count)) and \(definitions) program\(definitions == 1 ? "" : "s")")
            }
            return .ok
        })
}

/// Thrown out of an export's writing when stdout is dead; the dispatcher reports why.
private struct OutputGone: Error {}

enum TasksImportCommand {
    static let command = Command(
        name: "import",
        summary: "Store tasks from a 'tasks export' file",
        synopsis: ["tasks import [--skip-existing] <file>|-"],
        details: """
            Stores every task of the file (or of stdin for -) as it was exported: its id, states, times,
            events, runs and results, with its program. All of them or none: a task the database already
            has refuses the import (exit 1) unless --skip-existing, which leaves it as it is. Creates the
            database when there is none.
            """,
        examples: ["qsh --db new.sqlite tasks import tasks.ndjson", "qsh tasks import --skip-existing - < tasks.ndjson"],
        options: [
            OptionSpec("--skip-existing", help: "leave tasks the database already has instead of refusing"),
            CommonOptions.database, CommonOptions.api, CommonOptions.offline,
        ] + CommonOptions.output,
        arguments: 1...1,
        argumentKind: "file",
        run: { invocation in
            let format = try OutputFormat.resolve(invocation)
            let path = invocation.positionals[0]
            let records = try read(path)
            let summary = try invocation.taskClient().importRecords(
                records, skipExisting: invocation.arguments.has("--skip-existing"))
            invocation.stdout.write(HousekeepingRenderer.imported(summary, format: format))
            return .ok
        })

    /// The records of an export file (or stdin for `-`); blank lines are skipped, and an
    /// end line (as `GET /v2/export` sends) is checked against the records before it.
    /// - Throws: `CommandFailure` when it cannot be read, `ArchiveFormatError` for a line
    ///   that is not a record, or an end line that does not fit.
    static func read(_ path: String) throws -> [ArchiveRecord] {
        let bytes = try QasmInput.readFileOrStandardInput(path, limit: 1 << 40)
        var reader = ArchiveReader(source: path == "-" ? "<stdin>" : path)
        var number = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            try reader.read(Substring(decoding: line, as: UTF8.self), lineNumber: number)
        }
        return reader.records
    }
}
