// Renders batches, their items and results, and task histories in every output format:
// table and wide for people, json (one document), ndjson (one object per line), csv and
// tsv (the wire fields, nested values as compact JSON) for scripts.
import QshCore

enum BatchRenderer {
    /// `Completed 2, Failed 1` (lifecycle order); `-` for a batch without items.
    static func countsText(_ summary: BatchSummary) -> String {
        let parts = TaskStatus.allCases.compactMap { s in summary.counts[s].map { "\(s.rawValue) \($0)" } }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }

    /// A field list for people: `key: value` lines, keys aligned and bold on colour.
    static func fields(_ rows: [(String, String)], color: Bool) -> String {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { key, value in
            Style.bold.apply(key + ":", if: color) + String(repeating: " ", count: width - key.count + 1)
                + value.terminalSafe() + "\n"
        }.joined()
    }

    static func summaryFields(_ s: BatchSummary, wide: Bool) -> [(String, String)] {
        var rows: [(String, String)] = [("id", s.batch.id), ("status", s.status.rawValue)]
        if let name = s.batch.name { rows.append(("name", name)) }
        rows.append(("items", "\(s.done)/\(s.total) done"))
        rows.append(("counts", countsText(s)))
        rows.append(("created", "\(s.batch.createdDate.rfc3339) by \(s.batch.createdBy)"))
        if wide && s.total != s.batch.size { rows.append(("submitted", "\(s.batch.size) items")) }
        return rows
    }

    static let summaryKeys = ["id", "batch_status", "name", "created_by", "created_date", "size", "items", "done", "counts"]
    static let itemKeys = ["label", "task_id", "task_status", "shots", "error_class", "error_reasons"]

    /// One batch's aggregate (submit, wait).
    static func summary(_ s: BatchSummary, format: OutputFormat, color: Bool) -> String {
        switch format {
        case .json: return s.wireJSON.prettySerialized() + "\n"
        case .ndjson: return s.wireJSON.serialized() + "\n"
        case .csv, .tsv: return TableRenderer.delimited([s.wireJSON], keys: summaryKeys, format: format)
        case .table, .wide: return fields(summaryFields(s, wide: format == .wide), color: color)
        }
    }

    /// `batches get`: the aggregate and every item (csv and tsv: one row per item).
    static func detail(_ d: BatchDetail, format: OutputFormat, color: Bool) -> String {
        switch format {
        case .json: return d.wireJSON.prettySerialized() + "\n"
        case .ndjson: return d.wireJSON.serialized() + "\n"
        case .csv, .tsv:
            let items = d.wireJSON["elements"]?.arrayValue ?? []
            return TableRenderer.delimited(items, keys: itemKeys, format: format)
        case .table, .wide:
            let wide = format == .wide
            let columns = [Column("LABEL"), Column("TASK"), Column("STATUS"), Column("SHOTS", .right), Column("ERROR")]
            let rows = d.items.map { item -> [String] in
                let t = item.task
                let error = t.errorReasons.first.map { (t.errorClass.map { "\($0.rawValue): " } ?? "") + $0 } ?? ""
                return [item.label, wide ? t.id : TaskRenderer.shortID(t.id), t.status.rawValue,
                        TaskRenderer.progressText(t), error]
            }
            return fields(summaryFields(d.summary, wide: wide), color: color) + "\n"
                + TableRenderer.table(columns, rows, color: color)
        }
    }

    /// `batches list`: one row per batch, or for json a page envelope.
    static func list(_ page: BatchPage, format: OutputFormat, color: Bool) -> String {
        switch format {
        case .json: return page.wireJSON.prettySerialized() + "\n"
        case .ndjson: return page.batches.map { $0.wireJSON.serialized() + "\n" }.joined()
        case .csv, .tsv: return TableRenderer.delimited(page.batches.map(\.wireJSON), keys: summaryKeys, format: format)
        case .table, .wide:
            let wide = format == .wide
            var columns = [Column("ID"), Column("STATUS"), Column("DONE", .right), Column("CREATED"), Column("NAME")]
            if wide { columns.append(Column("COUNTS")) }
            let rows = page.batches.map { s -> [String] in
                var row = [wide ? s.batch.id : TaskRenderer.shortID(s.batch.id), s.status.rawValue,
                           "\(s.done)/\(s.total)", s.batch.createdDate.rfc3339, s.batch.name ?? ""]
                if wide { row.append(countsText(s)) }
                return row
            }
            return TableRenderer.table(columns, rows, color: color)
        }
    }

    /// `batches results`: the counts of every item that completed. Items without results
    /// are in the json document (`missing`); for people they are said on stderr.
    static func results(_ r: BatchResults, format: OutputFormat, color: Bool) -> String {
        func rows() -> [[String]] {
            r.completed.flatMap { entry in TaskRenderer.countRows(entry.result).map { [entry.item.label] + $0 } }
        }
        switch format {
        case .json: return r.wireJSON.prettySerialized() + "\n"
        case .ndjson:
            return r.items.map { entry in
                JSONValue.object([
                    ("label", .string(entry.item.label)), ("task_id", .string(entry.item.task.id)),
                    ("task_status", .string(entry.item.task.status.rawValue)),
                    ("data", entry.result?.dataJSON ?? .null),
                    ("error_class", .string(entry.item.task.errorClass?.rawValue)),
                    ("error_reasons", .array(entry.item.task.errorReasons.map { .string($0) })),
                ]).serialized() + "\n"
            }.joined()
        case .csv: return TableRenderer.csv(["label", "register", "bits", "count", "share"].map { Column($0) }, rows())
        case .tsv: return TableRenderer.tsv(rows())
        case .table, .wide:
            let columns = [Column("LABEL"), Column("REGISTER"), Column("BITS"), Column("COUNT", .right),
                           Column("SHARE", .right)]
            return TableRenderer.table(columns, rows(), color: color)
        }
    }

    /// Why an item has no results, for stderr: `'bad' (1a2b3c4d) ended PayloadProcessingError
    /// (invalid_program): ...` or `'slow' (…) is ExecutionStarted`.
    static func missingText(_ item: BatchItem) -> String {
        let t = item.task
        var text = "'\(item.label)' (\(TaskRenderer.shortID(t.id))) "
        guard t.status.isTerminal else { return text + "is \(t.status.rawValue)" }
        text += "ended \(t.status.rawValue)"
        if let errorClass = t.errorClass { text += " (\(errorClass.rawValue))" }
        if !t.errorReasons.isEmpty { text += ": " + t.errorReasons.joined(separator: "; ") }
        return text
    }

    // MARK: History

    /// `c: 00=503 11=497`: the counts of each register, most frequent first, at most 4 each.
    static func countsSummary(_ result: TaskResult?) -> String {
        guard let result else { return "-" }
        let registers = result.registers.map { register -> String in
            let top = register.counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            var text = register.name + ": " + top.prefix(4).map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            if top.count > 4 { text += " +\(top.count - 4) more" }
            return text
        }
        return (result.partial ? "(partial) " : "") + registers.joined(separator: "; ")
    }

    static let historyKeys = [
        "id", "task_status", "qpu_id", "shots", "seed", "definition_id", "rerun_of", "created_date", "data",
        "error_class", "error_reasons",
    ]

    /// `tasks history`: the lineage oldest first.
    static func history(_ h: TaskHistory, format: OutputFormat, color: Bool) -> String {
        switch format {
        case .json: return h.wireJSON.prettySerialized() + "\n"
        case .ndjson:
            return (h.wireJSON["elements"]?.arrayValue ?? []).map { $0.serialized() + "\n" }.joined()
        case .csv, .tsv:
            return TableRenderer.delimited(h.wireJSON["elements"]?.arrayValue ?? [], keys: historyKeys, format: format)
        case .table, .wide:
            let wide = format == .wide
            let columns = [Column("ID"), Column("STATUS"), Column("QPU"), Column("SHOTS", .right),
                           Column("SEED", .right), Column("PROGRAM"), Column("FROM"), Column("COUNTS"), Column("ERROR")]
            let rows = h.entries.map { entry -> [String] in
                let t = entry.task
                let short = { (id: String) in wide ? id : TaskRenderer.shortID(id) }
                let error = t.errorReasons.isEmpty ? "" : (t.errorClass.map { "\($0.rawValue): " } ?? "")
                    + (wide ? t.errorReasons.joined(separator: "; ") : t.errorReasons[0])
                return [short(t.id), t.status.rawValue, t.qpuID, String(t.shots), String(t.seed),
                        short(t.definitionID), t.rerunOf.map(short) ?? "-", countsSummary(entry.result), error]
            }
            return TableRenderer.table(columns, rows, color: color)
        }
    }
}
