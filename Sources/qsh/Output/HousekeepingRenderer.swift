// Renders what housekeeping did or found: deleted and pruned tasks, an import's summary
// and the doctor's report, in every output format.
import QshCore

enum HousekeepingRenderer {
    /// `tasks delete`: each task as it was when it went, and whether it was cancelled first.
    static func deleted(_ deleted: [DeletedTask], format: OutputFormat, color: Bool) -> String {
        let rows = deleted.map { [$0.task.id, $0.task.status.rawValue, $0.cancelled ? "true" : "false"] }
        switch format {
        case .json:
            return DeletedTask.wireJSON(deleted).prettySerialized() + "\n"
        case .ndjson: return deleted.map { $0.wireJSON.serialized() + "\n" }.joined()
        case .csv: return TableRenderer.csv([Column("id"), Column("task_status"), Column("cancelled")], rows)
        case .tsv: return TableRenderer.tsv(rows)
        case .table, .wide:
            let table = TableRenderer.table(
                [Column("ID"), Column("STATUS"), Column("ACTION")],
                deleted.map { [$0.task.id, $0.task.status.rawValue, $0.cancelled ? "cancelled, deleted" : "deleted"] },
                color: color)
            return table + "deleted \(count(deleted.count))\n"
        }
    }

    /// `tasks prune`: how many, and (in the machine formats) which.
    static func pruned(_ ids: [String], dryRun: Bool, format: OutputFormat) -> String {
        let object = PruneSummary(dryRun: dryRun, ids: ids).wireJSON
        switch format {
        case .json: return object.prettySerialized() + "\n"
        case .ndjson: return object.serialized() + "\n"
        case .csv: return TableRenderer.csv([Column("id")], ids.map { [$0] })
        case .tsv: return TableRenderer.tsv(ids.map { [$0] })
        case .table, .wide:
            return dryRun ? "would prune \(count(ids.count)) (dry run: nothing was deleted)\n" : "pruned \(count(ids.count))\n"
        }
    }

    /// `tasks import`: what was stored and what was already there.
    static func imported(_ summary: ImportSummary, format: OutputFormat) -> String {
        let object = summary.wireJSON
        let rows = summary.imported.map { [$0, "imported"] } + summary.skipped.map { [$0, "skipped"] }
        switch format {
        case .json: return object.prettySerialized() + "\n"
        case .ndjson: return object.serialized() + "\n"
        case .csv: return TableRenderer.csv([Column("id"), Column("action")], rows)
        case .tsv: return TableRenderer.tsv(rows)
        case .table, .wide:
            var line = "imported \(count(summary.imported.count))"
            let programs = summary.definitions
            line += " (\(programs) new program\(programs == 1 ? "" : "s"))"
            if !summary.skipped.isEmpty { line += ", skipped \(summary.skipped.count) already stored" }
            return line + "\n"
        }
    }

    /// "1 task", "3 tasks".
    static func count(_ n: Int) -> String { n == 1 ? "1 task" : "\(n) tasks" }
}
