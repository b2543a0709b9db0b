// `tasks get` beyond the task itself: a waiting task's place in its QPU's queue, and
// with --diagnostics every run's timings, metrics and metadata and the compile's
// located diagnostics, as sections for people and members of the task's JSON object.
import QshCore

extension TaskRenderer {
    /// The task's object, with `queue` after its members when it waits.
    static func taskJSON(_ task: QuantumTask, queue: TaskQueueInfo?) -> JSONValue { task.wireJSON(queue: queue) }

    /// `tasks get --diagnostics`: the task with its runs and compile diagnostics.
    static func diagnostics(
        _ d: TaskDiagnostics, queue: TaskQueueInfo?, format: OutputFormat, color: Bool
    ) -> String {
        switch format {
        case .json, .ndjson:
            let document = d.wireJSON(queue: queue)
            return (format == .json ? document.prettySerialized() : document.serialized()) + "\n"
        case .csv, .tsv:
            // One row per run: the flat values; nested ones as compact JSON.
            let keys = ["task_id", "attempt", "started_date", "ended_date", "timings", "metrics", "metadata"]
            let rows = d.runs.map { run -> [String] in
                [d.task.id, String(run.attempt), run.started.rfc3339, run.ended?.rfc3339 ?? "",
                 JSONValue.object((run.result?.timings ?? []).map { ($0.0, .double($0.1)) }).serialized(),
                 (run.result?.metrics ?? .object([])).serialized(), (run.result?.metadata ?? .object([])).serialized()]
            }
            return format == .csv ? TableRenderer.csv(keys.map { Column($0) }, rows) : TableRenderer.tsv(rows)
        case .table, .wide:
            var out = task(d.task, queue: queue, format: format, color: color)
            if d.runs.isEmpty { out += "\n" + Style.bold.apply("runs:", if: color) + " none (the task has not run)\n" }
            for run in d.runs {
                out += "\n" + Style.bold.apply("run \(run.attempt):", if: color)
                out += " started \(run.started.rfc3339)" + (run.ended.map { ", ended \($0.rfc3339)" } ?? "")
                out += run.worker.map { " by \($0.terminalSafe())" } ?? ""
                out += "\n"
                guard let result = run.result else {
                    out += "  (no results recorded)\n"
                    continue
                }
                let timings = result.timings.map { "\($0.0) \(formatSeconds($0.1))" }.joined(separator: ", ")
                out += "  timings:  \(timings.isEmpty ? "-" : timings)\n"
                out += "  metrics:  \(flat(result.metrics))\n"
                out += "  metadata: \(flat(result.metadata))\n"
            }
            if !d.diagnostics.isEmpty {
                out += "\n" + Style.bold.apply("diagnostics:", if: color) + "\n"
                for diagnostic in d.diagnostics {
                    out += "  \(diagnostic.location): \(diagnostic.severity.rawValue): \(diagnostic.message)".terminalSafe()
                        + "\n"
                    for note in diagnostic.notes { out += "    note: \(note)".terminalSafe() + "\n" }
                }
            }
            return out
        }
    }

    /// `a 1, b {c 2}`: an object's members for people, nested objects in braces.
    static func flat(_ value: JSONValue) -> String {
        guard let members = value.objectValue else { return value.serialized() }
        if members.isEmpty { return "-" }
        return members.map { key, member in
            member.objectValue != nil ? "\(key) {\(flat(member))}" : "\(key) \(member.stringValue ?? member.serialized())"
        }.joined(separator: ", ").terminalSafe()
    }
}
