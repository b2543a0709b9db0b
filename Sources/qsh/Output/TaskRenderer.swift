// Renders tasks, pages of tasks, results and events in every output format:
// table and wide for people, json (one document), ndjson (one object per line),
// csv (with a header) and tsv (without) for scripts.
import QshCore

/// Turns task values into text for stdout.
enum TaskRenderer {
    /// A column of the task tables: header, wire key (csv/tsv header), cell; `value` is the
    /// cell of csv and tsv when it differs from the table's (the same value as in JSON).
    struct TaskColumn: Sendable {
        var header: String
        var key: String
        var alignment: Alignment = .left
        var value: (@Sendable (QuantumTask) -> String)? = nil
        var cell: @Sendable (QuantumTask) -> String
    }

    static func shortID(_ id: String) -> String { String(id.prefix(8)) }

    /// Tags for people: `key=value` pairs separated by commas, sorted by key. A key or value
    /// that is empty or holds a comma, `=`, `"`, a backslash or white space is written in
    /// double quotes, with `"` and backslash escaped by a backslash, so `a,b="c"=d` (one tag)
    /// reads `"a,b"="\"c\"=d"`, never as two tags.
    static func tagsText(_ tags: [String: String]) -> String {
        tags.keys.sorted().map { quotedTagPart($0) + "=" + quotedTagPart(tags[$0] ?? "") }.joined(separator: ",")
    }

    /// A tag's key or value, quoted when it could be misread (see `tagsText`).
    static func quotedTagPart(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { c in
            !(c == "," || c == "=" || c == "\"" || c == "\\" || c.properties.isWhitespace || c.value < 0x20
                || (0x7F...0x9F).contains(c.value))
        }
        if plain { return text }
        var out = "\""
        for c in text.unicodeScalars {
            if c == "\"" || c == "\\" { out += "\\" }
            out.unicodeScalars.append(c)
        }
        return out + "\""
    }

    /// Tags for csv and tsv: the compact JSON object, as in the task's JSON.
    static func tagsJSON(_ tags: [String: String]) -> String {
        JSONValue.object(tags.keys.sorted().map { ($0, .string(tags[$0] ?? "")) }).serialized()
    }

    static func progressText(_ t: QuantumTask) -> String {
        t.status == .executionStarted ? "\(t.shotsDone)/\(t.shots)" : String(t.shots)
    }

    /// The columns of `tasks list` in table form.
    static let tableColumns: [TaskColumn] = [
        TaskColumn(header: "ID", key: "id") { shortID($0.id) },
        TaskColumn(header: "STATUS", key: "task_status") { $0.status.rawValue },
        TaskColumn(header: "QPU", key: "qpu_id") { $0.qpuID },
        TaskColumn(header: "SHOTS", key: "shots", alignment: .right) { progressText($0) },
        TaskColumn(header: "CREATED", key: "created_date") { $0.createdDate.rfc3339 },
        TaskColumn(header: "NAME", key: "name") { $0.name ?? "" },
    ]

    /// The columns of `-o wide`, csv and tsv: full ids and more fields.
    static let wideColumns: [TaskColumn] = [
        TaskColumn(header: "ID", key: "id") { $0.id },
        TaskColumn(header: "STATUS", key: "task_status") { $0.status.rawValue },
        TaskColumn(header: "QPU", key: "qpu_id") { $0.qpuID },
        TaskColumn(header: "SHOTS", key: "shots", alignment: .right) { String($0.shots) },
        TaskColumn(header: "DONE", key: "shots_done", alignment: .right) { String($0.shotsDone) },
        TaskColumn(header: "CREATED", key: "created_date") { $0.createdDate.rfc3339 },
        TaskColumn(header: "UPDATED", key: "updated_date") { $0.updatedDate.rfc3339 },
        TaskColumn(header: "BY", key: "created_by") { $0.createdBy },
        TaskColumn(header: "NAME", key: "name") { $0.name ?? "" },
        TaskColumn(header: "TAGS", key: "tags", value: { tagsJSON($0.tags) }) { tagsText($0.tags) },
        TaskColumn(header: "ERROR_CLASS", key: "error_class") { $0.errorClass?.rawValue ?? "" },
    ]

    /// Several tasks as rows (list, wait), or for json a page envelope.
    static func tasks(_ tasks: [QuantumTask], page: TaskPage?, format: OutputFormat, color: Bool) -> String {
        switch format {
        case .json:
            if let page { return page.wireJSON.prettySerialized() + "\n" }
            return JSONValue.array(tasks.map(\.wireJSON)).prettySerialized() + "\n"
        case .ndjson:
            return tasks.map { $0.wireJSON.serialized() + "\n" }.joined()
        case .table, .wide:
            let columns = format == .table ? tableColumns : wideColumns
            return TableRenderer.table(
                columns.map { Column($0.header, $0.alignment) }, tasks.map { t in columns.map { $0.cell(t) } },
                color: color)
        case .csv:
            return TableRenderer.csv(
                wideColumns.map { Column($0.key) }, tasks.map { t in wideColumns.map { ($0.value ?? $0.cell)(t) } })
        case .tsv:
            return TableRenderer.tsv(tasks.map { t in wideColumns.map { ($0.value ?? $0.cell)(t) } })
        }
    }

    /// One task: a field list for people, one object for json, one row for csv/tsv; with
    /// `queue` (a waiting task's place), its `queue` member and line.
    static func task(_ task: QuantumTask, queue: TaskQueueInfo? = nil, format: OutputFormat, color: Bool) -> String {
        switch format {
        case .json: return taskJSON(task, queue: queue).prettySerialized() + "\n"
        case .ndjson: return taskJSON(task, queue: queue).serialized() + "\n"
        case .csv, .tsv: return tasks([task], page: nil, format: format, color: color)
        case .table, .wide:
            var rows: [(String, String)] = [
                ("id", task.id),
                ("status", task.status.rawValue),
                ("qpu", task.qpuID),
                ("shots", task.status == .executionStarted ? "\(task.shotsDone)/\(task.shots)" : String(task.shots)),
            ]
            if let name = task.name { rows.append(("name", name)) }
            if !task.tags.isEmpty { rows.append(("tags", tagsText(task.tags))) }
            rows.append(("created", "\(task.createdDate.rfc3339) by \(task.createdBy)"))
            rows.append(("updated", task.updatedDate.rfc3339))
            if let batch = task.batchID { rows.append(("batch", "\(batch) (\(task.batchLabel ?? "-"))")) }
            if let earlier = task.rerunOf { rows.append(("rerun of", earlier)) }
            if let queue { rows.append(("queue", queue.text(qpu: task.qpuID))) }
            if let errorClass = task.errorClass { rows.append(("error class", errorClass.rawValue)) }
            for reason in task.errorReasons { rows.append(("error", reason)) }
            if format == .wide {
                rows.append(("seed", String(task.seed)))
                rows.append(("definition", task.definitionID))
                rows.append(("compilation", task.compilationID ?? "-"))
                if let d = task.scheduledDate { rows.append(("scheduled", d.rfc3339)) }
                if let d = task.startedDate { rows.append(("started", d.rfc3339)) }
                if let d = task.endedDate { rows.append(("ended", d.rfc3339)) }
                if let owner = task.leaseOwner { rows.append(("worker", owner)) }
            }
            let width = rows.map(\.0.count).max() ?? 0
            return rows.map { key, value in
                Style.bold.apply(key + ":", if: color) + String(repeating: " ", count: width - key.count + 1)
                    + value.terminalSafe()
                    + "\n"
            }.joined()
        }
    }

    /// Counts as rows: register, bitstring, count, share of the shots.
    static func countRows(_ result: TaskResult) -> [[String]] {
        var rows: [[String]] = []
        let total = max(1, result.shotsDone)
        for register in result.registers {
            for bits in register.counts.keys.sorted() {
                let n = register.counts[bits] ?? 0
                rows.append([register.name, bits, String(n), formatShare(Double(n) / Double(total))])
            }
        }
        return rows
    }

    static func formatShare(_ x: Double) -> String {
        let scaled = Int((x * 10000).rounded())
        let whole = scaled / 10000
        var frac = String(scaled % 10000)
        while frac.count < 4 { frac = "0" + frac }
        return "\(whole).\(frac)"
    }

    /// `tasks results`: the results object, or the counts as a table.
    static func result(_ result: TaskResult, format: OutputFormat, color: Bool) -> String {
        let columns = [Column("REGISTER"), Column("BITS"), Column("COUNT", .right), Column("SHARE", .right)]
        switch format {
        case .json: return result.wireJSON.prettySerialized() + "\n"
        case .ndjson: return result.wireJSON.serialized() + "\n"
        case .csv: return TableRenderer.csv(columns.map { Column($0.header.lowercased()) }, countRows(result))
        case .tsv: return TableRenderer.tsv(countRows(result))
        case .table, .wide:
            var out = TableRenderer.table(columns, countRows(result), color: color)
            if result.partial { out += "(partial: \(result.shotsDone) of \(result.shots) shots so far)\n" }
            if format == .wide {
                let timings = result.timings.map { "\($0.0) \(formatSeconds($0.1))" }.joined(separator: ", ")
                out += "timings: \(timings)\n"
                out += "metrics: \(result.metrics.serialized())\n"
                out += "metadata: \(result.metadata.serialized())\n"
            }
            return out
        }
    }

    static func formatSeconds(_ s: Double) -> String {
        guard s.isFinite, s >= 0 else { return "\(s)s" }
        if s < 1 { return String(Int((s * 1000).rounded())) + "ms" }
        if s >= 1e12 { return "\(s)s" }
        return String(Double(Int(s * 100)) / 100) + "s"
    }

    /// `tasks events`: the log as a table, a json array, or one object per line.
    static func events(_ events: [TaskEvent], format: OutputFormat, color: Bool) -> String {
        let columns = [Column("SEQ", .right), Column("AT"), Column("FROM"), Column("TO"), Column("ACTOR"),
                       Column("DETAIL")]
        // A missing `from` (the first event) is "-" for people and an empty cell (JSON null) in csv and tsv.
        func rows(noFrom: String) -> [[String]] {
            events.map { e in
                [String(e.sequence), e.at.rfc3339, e.from?.rawValue ?? noFrom, e.to.rawValue, e.actor, e.detail ?? ""]
            }
        }
        switch format {
        case .json: return JSONValue.array(events.map(\.wireJSON)).prettySerialized() + "\n"
        case .ndjson: return events.map { $0.wireJSON.serialized() + "\n" }.joined()
        case .csv:
            return TableRenderer.csv(["seq", "at", "from", "to", "actor", "detail"].map { Column($0) }, rows(noFrom: ""))
        case .tsv: return TableRenderer.tsv(rows(noFrom: ""))
        case .table, .wide: return TableRenderer.table(columns, rows(noFrom: "-"), color: color)
        }
    }

    /// The NDJSON line a stream prints when a task is seen in a new state (`status`; `at` is
    /// when it entered that state, its updated_date) or with more shots done in the same
    /// state (`progress`; `at` is `observed`, when qsh saw the count).
    static func streamEvent(_ task: QuantumTask, kind: String, observed: Timestamp) -> String {
        JSONValue.object([
            ("event", .string(kind)),
            ("id", .string(task.id)),
            ("task_status", .string(task.status.rawValue)),
            ("shots", .int(task.shots)),
            ("shots_done", .int(task.shotsDone)),
            ("at", .string((kind == "progress" ? observed : task.updatedDate).rfc3339)),
        ]).serialized() + "\n"
    }
}
