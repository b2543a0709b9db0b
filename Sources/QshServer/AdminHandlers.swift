// The QPU routes (list, get, pause, resume), housekeeping (prune, export, import), and
// the routes that need no token: /health, /metrics and the OpenAPI document.
import Hummingbird
import QshCore

extension Handlers {
    // MARK: QPUs

    /// The status of every QPU (paused or online, and its queue).
    private func qpuStatuses() async throws -> [String: QPUStatus] {
        let ids = api.qpus.ids
        return try await api.database.run { service in
            let states = try service.qpuStates()
            let queued = try service.queueLengths()
            var statuses: [String: QPUStatus] = [:]
            for id in ids {
                statuses[id] = QPUStatus(
                    paused: states[id]?.paused ?? false, since: states[id]?.updated, queued: queued[id] ?? 0)
            }
            return statuses
        }
    }

    /// The QPU `id` names.
    /// - Throws: 404 (`TaskError.unknownQPU`).
    private func knownQPU(_ id: String) throws -> QPUInfo {
        guard let qpu = api.qpus[id] else { throw TaskError.unknownQPU(id: id) }
        return QPUInfo(qpu)
    }

    /// GET /v2/qpus: as `qpus list --json`.
    func listQPUs() async throws -> Response {
        try query.requireOnly([])
        let statuses = try await qpuStatuses()
        return Self.json(QPUInfo.pageJSON(api.qpus.qpus.map(QPUInfo.init), statuses: statuses))
    }

    /// GET /v2/qpus/{id}: as `qpus get --json`.
    func getQPU(_ id: String) async throws -> Response {
        try query.requireOnly([])
        let qpu = try knownQPU(id)
        let status = try await qpuStatuses()[qpu.id] ?? .online
        return Self.json(qpu.wireJSON(status: status))
    }

    /// POST /v2/qpus/{id}/pause and /resume: as `qpus pause --json` (admin).
    func pauseQPU(_ id: String, pause: Bool) async throws -> Response {
        try query.requireOnly([])
        let qpu = try knownQPU(id)
        let actor = self.actor
        let status = try await api.database.run { service -> QPUStatus in
            let state = try service.setQPUPaused(qpu.id, paused: pause, actor: actor)
            return QPUStatus(paused: state.paused, since: state.updated, queued: try service.queueLengths()[qpu.id] ?? 0)
        }
        if !pause { api.workers?.wake() }
        return Self.json(qpu.wireJSON(status: status))
    }

    // MARK: Housekeeping

    /// POST /v2/prune: `{"status"?: [states], "older_than"?: "30d", "dry_run"?: bool}`, as
    /// `tasks prune --json` (admin).
    func prune() async throws -> Response {
        try query.requireOnly([])
        let body = try await request.jsonObject(limit: api.options.maxBody)
        try body.requireOnly(["status", "older_than", "dry_run"])
        var filter = PruneFilter()
        for (index, element) in (try body.array("status") ?? []).enumerated() {
            guard let name = element.stringValue, let status = TaskStatus(wireName: name), status.isTerminal else {
                throw APIError.invalid(
                    "status[\(index)]",
                    "must be an ended state: " + TaskStatus.allCases.filter(\.isTerminal).map(\.rawValue).joined(separator: ", "))
            }
            filter.statuses.append(status)
        }
        if let age = try body.string("older_than") {
            guard let seconds = Self.age(age) else {
                throw APIError.invalid("older_than", "expects an age such as 30d, 12h or 90m, got '\(age)'")
            }
            filter.endedBefore = api.database.clock.now().adding(seconds: -seconds)
        }
        let dryRun = try body.bool("dry_run") ?? false
        let finalFilter = filter
        let ids = try await api.database.run { try $0.prune(finalFilter, dryRun: dryRun) }
        return Self.json(PruneSummary(dryRun: dryRun, ids: ids).wireJSON)
    }

    /// Seconds of an age: a number and a unit (s, m, h, d, w).
    static func age(_ text: String) -> Double? {
        guard let unit = text.last, let scale = ["s": 1.0, "m": 60, "h": 3600, "d": 86_400, "w": 604_800][unit],
            let n = Double(text.dropLast()), n >= 0, n.isFinite
        else { return nil }
        return n * scale
    }

    /// GET /v2/export: the export records of the selected tasks, as `tasks export` writes
    /// them, then an end line counting them (application/x-ndjson; admin). Filters as
    /// `GET /v2/tasks`; `id=` selects tasks. Streamed a page of tasks at a time, so memory
    /// stays bounded; a named task that is not there is a 404 before the first byte. Once
    /// records went out the status cannot change: a failure then ends the stream with an
    /// error line (`{"error": ...}`) instead of the end line, so no cut-short export looks whole.
    func export() async throws -> Response {
        let q = query
        try q.requireOnly(["id", "status", "qpu", "tag", "since", "until"])
        var taskQuery = try filters(q)
        taskQuery.qpuID = try q.value("qpu")
        let selection = ExportSelection(ids: q.values("id", commas: true), query: taskQuery)
        let pageSize = api.options.exportPageSize
        /// The next page's lines and the cursor after it.
        @Sendable func page(_ service: TaskService, _ cursor: ExportCursor) throws -> (text: String, cursor: ExportCursor) {
            var next = cursor
            var text = ""
            try service.exportNext(&next, pageSize: pageSize) { text += TaskArchiveFormat.line($0) + "\n" }
            return (text, next)
        }
        // The first page before the answer's head, so that its errors (a named task not
        // found, the store failing) still get their own status.
        let first = try await api.database.run { service in try page(service, try service.startExport(selection)) }
        let api = self.api
        let body = ResponseBody { writer in
            // A client that went away makes the next write fail, which ends the loop.
            var current = first
            while true {
                if !current.text.isEmpty { try await writer.write(ByteBuffer(string: current.text)) }
                if current.cursor.finished { break }
                do {
                    let cursor = current.cursor
                    current = try await api.database.run { try page($0, cursor) }
                } catch {
                    let (apiError, isInternal) = APIError.from(error)
                    if isInternal { api.log("internal error in GET /v2/export after the first records: \(error)") }
                    let line = ErrorWire.document(code: apiError.code, message: apiError.message, details: apiError.details)
                    try await writer.write(ByteBuffer(string: line.serialized() + "\n"))
                    try await writer.finish(nil)
                    return
                }
            }
            let end = TaskArchiveFormat.endLine(tasks: current.cursor.tasks, definitions: current.cursor.definitions)
            try await writer.write(ByteBuffer(string: end + "\n"))
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: body)
    }

    /// POST /v2/import: an export file's records (NDJSON; an end line, as GET /v2/export
    /// sends, is checked), all or nothing, as `tasks import --json` (admin);
    /// `skip_existing=true` leaves tasks already stored.
    func importRecords() async throws -> Response {
        try query.requireOnly(["skip_existing"])
        let skip = try query.flag("skip_existing")
        try request.requireMediaType(
            ["application/x-ndjson", "application/jsonl", "application/json", "text/plain"], what: "NDJSON")
        let bytes = try await request.bodyBytes(limit: api.options.maxBody)
        var reader = ArchiveReader(source: "request body")
        for (index, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            try reader.read(line, lineNumber: index + 1)
        }
        let final = reader.records
        let summary = try await api.database.run { try $0.importRecords(final, skipExisting: skip) }
        return Self.json(summary.wireJSON)
    }

    // MARK: No token

    /// GET /health: 200 when the database answers, every in-process worker runs and no
    /// task is stranded without a worker to settle it; 503 otherwise. No token needed.
    func health() async throws -> Response {
        try query.requireOnly([])
        let configured = api.options.workers
        let alive = api.workers?.alive ?? 0
        var problems: [String] = []
        var database = "ok"
        var stranded = 0
        var live = 0
        let clock = api.database.clock
        do {
            let report = try await api.database.run { try $0.repository.health(at: clock.now(), checkIntegrity: false) }
            stranded = report.stranded.count
            live = report.workers.filter(\.live).count
        } catch {
            database = "unreachable"
            problems.append("the database does not answer: " + ((error as? any QshError)?.message ?? "\(error)"))
        }
        if alive < configured { problems.append("\(configured - alive) of \(configured) in-process workers stopped") }
        if stranded > 0 && live == 0 && alive == 0 {
            problems.append("\(stranded) task\(stranded == 1 ? " is" : "s are") stranded and no worker runs to settle them")
        }
        let ok = problems.isEmpty
        let document = JSONValue.object([
            ("status", .string(ok ? "ok" : "unhealthy")),
            ("version", .string(api.options.version)),
            ("database", .string(database)),
            ("workers", .object([("in_process", .int(configured)), ("alive", .int(alive)), ("live_registrations", .int(live))])),
            ("stranded", .int(stranded)),
            ("problems", .array(problems.map { .string($0) })),
        ])
        return Self.json(document, status: ok ? .ok : .serviceUnavailable)
    }

    /// GET /metrics: Prometheus text. No token needed.
    func metrics() async throws -> Response {
        try query.requireOnly([])
        let clock = api.database.clock
        let counts = try? await api.database.run { service -> ([TaskStatus: Int], [String: Int]) in
            (try service.repository.health(at: clock.now(), checkIntegrity: false).counts, try service.queueLengths())
        }
        let text = api.metrics.render(tasks: counts?.0 ?? [:], queued: counts?.1 ?? [:], qpus: api.qpus.ids)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// GET /v2/openapi.json: the API's OpenAPI 3.1 document (Sources/QshServer/openapi.json).
    func openAPI() -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: PackageResources.openapi_json)))
    }
}
