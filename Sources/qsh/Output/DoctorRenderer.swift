// Renders `qsh doctor`'s report: a summary table (engine, schema, size, workers, tasks per
// state and per QPU queue) and the workers and stranded tasks for people; one JSON document (or line) for scripts; check/value rows in csv and tsv.
import QshCore

enum DoctorRenderer {
    static func json(_ h: StoreHealth) -> JSONValue {
        .object([
            ("healthy", .bool(h.healthy)),
            ("reason", h.healthy ? .null : .string(h.problems.joined(separator: "; "))),
            ("problems", .array(h.problems.map { .string($0) })),
            ("database", .object([
                ("path", .string(h.location)),
                ("engine", .string(h.engine.lowercased())),
                ("engine_version", .string(h.engineVersion)),
                ("schema_version", .int(h.schemaVersion)),
                ("latest_schema_version", .int(h.latestSchemaVersion)),
                ("size_bytes", .int(h.sizeBytes)),
                ("page_size", .int(h.pageSize)),
                ("pages", .int(h.pageCount)),
                ("free_pages", h.freePages.map { .int($0) } ?? .null),
                ("integrity", .array(h.integrity.map { .string($0) })),
            ])),
            ("workers", .array(h.workers.map { w in
                .object([
                    ("owner", .string(w.owner)), ("pid", .int(w.pid)), ("live", .bool(w.live)),
                    ("started_date", .string(w.started.rfc3339)), ("lease_expires_date", .string(w.expires.rfc3339)),
                    ("leased_tasks", .int(w.leasedTasks)),
                ])
            })),
            ("counts", .object(TaskStatus.allCases.map { ($0.rawValue, .int(h.counts[$0] ?? 0)) })),
            ("queues", .object(h.queues.keys.sorted().map { ($0, .int(h.queues[$0] ?? 0)) })),
            ("stranded", .array(h.stranded.map { t in
                .object([
                    ("id", .string(t.id)), ("task_status", .string(t.status.rawValue)), ("qpu_id", .string(t.qpuID)),
                    ("lease_owner", t.leaseOwner.map { .string($0) } ?? .null),
                    ("lease_expires_date", t.leaseExpires.map { .string($0.rfc3339) } ?? .null),
                    ("updated_date", .string(t.updatedDate.rfc3339)),
                ])
            })),
            ("checked_date", .string(h.checkedAt.rfc3339)),
        ])
    }

    /// The summary as (check, value) rows.
    static func summary(_ h: StoreHealth) -> [[String]] {
        let live = h.workers.filter(\.live)
        let counts = TaskStatus.allCases.compactMap { s in (h.counts[s] ?? 0) > 0 ? "\(s.rawValue) \(h.counts[s]!)" : nil }
        let queues = h.queues.keys.sorted().map { "\($0) \(h.queues[$0] ?? 0)" }
        let free = h.freePages.map { ", \($0) free" } ?? ""
        return [
            ["status", h.verdict],
            ["database", h.location],
            ["engine", h.engineVersion.isEmpty ? h.engine : "\(h.engine) \(h.engineVersion)"],
            ["schema", "\(h.schemaVersion) (this qsh: \(h.latestSchemaVersion))"],
            ["size", "\(h.sizeBytes) bytes (\(h.pageCount) pages of \(h.pageSize)\(free))"],
            ["integrity", h.integrity.joined(separator: "; ")],
            ["workers", "\(live.count) live" + (h.workers.count > live.count ? ", \(h.workers.count - live.count) expired" : "")],
            ["tasks", counts.isEmpty ? "none" : counts.joined(separator: ", ")],
            ["queued", queues.isEmpty ? "none" : queues.joined(separator: ", ")],
            ["stranded", String(h.stranded.count)],
        ]
    }

    static func render(_ h: StoreHealth, format: OutputFormat, color: Bool) -> String {
        switch format {
        case .json: return json(h).prettySerialized() + "\n"
        case .ndjson: return json(h).serialized() + "\n"
        case .csv: return TableRenderer.csv([Column("check"), Column("value")], summary(h))
        case .tsv: return TableRenderer.tsv(summary(h))
        case .table, .wide:
            var out = TableRenderer.table([Column("CHECK"), Column("VALUE")], summary(h), color: color)
            if !h.workers.isEmpty {
                out += "\n" + TableRenderer.table(
                    [Column("WORKER"), Column("PID", .right), Column("LIVE"), Column("LEASE UNTIL"), Column("TASKS", .right)],
                    h.workers.map { [$0.owner, String($0.pid), $0.live ? "yes" : "no", $0.expires.rfc3339, String($0.leasedTasks)] },
                    color: color)
            }
            if !h.stranded.isEmpty {
                out += "\n" + TableRenderer.table(
                    [Column("STRANDED"), Column("STATUS"), Column("WORKER"), Column("LEASE EXPIRED")],
                    h.stranded.map { [$0.id, $0.status.rawValue, $0.leaseOwner ?? "", $0.leaseExpires?.rfc3339 ?? ""] },
                    color: color)
            }
            return out
        }
    }
}
