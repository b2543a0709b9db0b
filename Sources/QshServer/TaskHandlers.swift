// The task routes: submit (and its dry run), list, get, cancel, results, events, history,
// re-run and delete, under /v2/tasks and /v2/{qpu_mode}/tasks.
import Dispatch
import Hummingbird
import QshCore

extension Handlers {
    // MARK: Submitting

    /// The fields of a submit's body (and of a batch item's, with `label` and `qpu`).
    static let submitFields = programFields + ["shots", "seed", "name", "tags", "qpu"]

    /// The fields of a program in a body (a submit's, a batch item's, a re-run's).
    static let programFields = ["program", "program_base64", "program_name", "includes", "includes_base64", "include_errors"]

    /// The program of a body: `program` (the source) or `program_base64` (its bytes, when they
    /// are not UTF-8), `program_name` (what diagnostics call it; default `program.qasm`),
    /// `includes` (path -> source of each file it includes) with `includes_base64` (path ->
    /// bytes) and `include_errors` (path -> why it could not be read); a path it includes that
    /// is in none of them is not found, as on disk.
    func program(_ body: JSONObject, prefix: String = "", required: Bool = true) throws -> ProgramSnapshot? {
        let bytes: [UInt8]
        switch (try body.string("program", prefix: prefix), try body.string("program_base64", prefix: prefix)) {
        case (let source?, nil): bytes = Array(source.utf8)
        case (nil, let encoded?): bytes = try Self.base64(encoded, field: prefix + "program_base64")
        case (.some, .some): throw APIError.invalid(prefix + "program_base64", "cannot go with 'program': give one of them")
        case (nil, nil):
            if required { throw APIError.invalid(prefix + "program", "is required: the OpenQASM 2.0 source") }
            return nil
        }
        let name = try body.string("program_name", prefix: prefix) ?? "program.qasm"
        guard !name.isEmpty, !name.contains("\n") else {
            throw APIError.invalid(prefix + "program_name", "must be a file name on one line")
        }
        var files: [String: IncludeResult] = [:]
        for (path, text) in try body.stringMap("includes", prefix: prefix) ?? [:] { files[path] = .loaded(Array(text.utf8)) }
        for (field, read) in [("includes_base64", true), ("include_errors", false)] {
            for (path, text) in try body.stringMap(field, prefix: prefix) ?? [:] {
                let key = prefix + field + "." + path
                guard files[path] == nil else { throw APIError.invalid(key, "is a file given twice: give each file once") }
                files[path] = read ? .loaded(try Self.base64(text, field: key)) : .failed(text)
            }
        }
        return ProgramSnapshot.take(SourceFile(name: name, bytes: bytes)) { files[$0] ?? .notFound }
    }

    /// The bytes of a base64 field.
    static func base64(_ text: String, field: String) throws -> [UInt8] {
        guard let bytes = Base64.decode(text) else { throw APIError.invalid(field, "must be base64 (RFC 4648, padded)") }
        return bytes
    }

    /// The QPU a submit names: its path's mode's, else `qpu` of the body, else the default.
    func submitQPU(_ body: JSONObject, mode: String?, prefix: String = "") throws -> String {
        let named = try body.string("qpu", prefix: prefix)
        if let mode {
            let id = try qpu(mode: mode).id
            if let named, named != id {
                throw APIError.invalid(prefix + "qpu", "is '\(named)', but this path's mode '\(mode)' is QPU '\(id)'")
            }
            return id
        }
        guard let named else { return api.qpus.defaultID }
        guard api.qpus[named] != nil else {
            var problem = "unknown QPU '\(named)'; GET /v2/qpus lists them"
            if let guess = api.qpus.suggestion(for: named) { problem += " (did you mean '\(guess)'?)" }
            throw APIError.invalid(prefix + "qpu", problem)
        }
        return named
    }

    /// The submit request a body describes.
    func submitRequest(_ body: JSONObject, mode: String?, prefix: String = "", extra: [String] = []) throws
        -> SubmitRequest
    {
        try body.requireOnly(Self.submitFields + extra, prefix: prefix)
        let program = try program(body, prefix: prefix)!
        let qpuID = try submitQPU(body, mode: mode, prefix: prefix)
        guard let shots = try body.int("shots", in: RunLimits.standard.shots, prefix: prefix) else {
            throw APIError.invalid(prefix + "shots", "is required: an integer from 1 to \(RunLimits.standard.maximumShots)")
        }
        let tags = try body.stringMap("tags", prefix: prefix) ?? [:]
        if tags.keys.contains("") { throw APIError.invalid(prefix + "tags", "a tag's key cannot be empty") }
        return SubmitRequest(
            program: program, qpuID: qpuID, shots: shots, seed: try body.seed("seed", prefix: prefix),
            name: try body.string("name", prefix: prefix), tags: tags, createdBy: user, idempotencyKey: idempotencyKey)
    }

    /// POST .../tasks: 201 with the task; 200 and `Idempotent-Replayed: true` when the
    /// idempotency key returned an earlier task; with `dry_run=true`, 200 and the verdict.
    func submit(mode: String?) async throws -> Response {
        try query.requireOnly(["dry_run"])
        let dryRun = try query.flag("dry_run")
        let body = try await request.jsonObject(limit: api.options.maxBody)
        let submit = try submitRequest(body, mode: mode)
        if dryRun { return try await self.dryRun(submit) }
        let (task, reused) = try await api.submits.submit(submit)
        let location = "/v2/tasks/\(task.id)"
        if reused {
            return Self.json(task.wireJSON, status: .ok, headers: [Self.replayedHeader: "true", .location: location])
        }
        return Self.json(task.wireJSON, status: .created, headers: [.location: location])
    }

    /// The verdict of a dry run, with the program's `diagnostics` (errors with line and
    /// column) after the members `tasks submit --dry-run --json` prints.
    func dryRun(_ submit: SubmitRequest) async throws -> Response {
        let qpus = api.qpus
        let threads = api.options.threads
        let verdict = try await Self.offThePool {
            try DryRunVerdict(
                checking: submit.program, qpuID: submit.qpuID, shots: submit.shots, seed: submit.seed, qpus: qpus,
                threads: threads, stop: .never)
        }
        guard case .object(var members) = verdict.wireJSON else { return Self.json(verdict.wireJSON) }
        members.append(("diagnostics", .array(Diagnostic.wireJSON(verdict.diagnostics, mainFile: submit.program.main.name))))
        return Self.json(.object(members))
    }

    /// Runs CPU work (a compile) on a dispatch thread, off Swift's cooperative pool.
    static func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    // MARK: Reading

    /// GET .../tasks: a page `{"elements", "page", "size", "total"}`.
    func listTasks(mode: String?) async throws -> Response {
        let q = query
        try q.requireOnly(["status", "tag", "since", "until", "sort", "page", "size", "batch"] + (mode == nil ? ["qpu"] : []))
        var taskQuery = try filters(q)
        taskQuery.limit = try q.int("size", in: 1...1000) ?? 100
        taskQuery.page = try q.int("page", in: 0...1_000_000_000) ?? 0
        if let sort = try q.value("sort") { try Self.apply(sort: sort, to: &taskQuery) }
        if let mode { taskQuery.qpuID = try qpu(mode: mode).id } else { taskQuery.qpuID = try q.value("qpu") }
        taskQuery.createdBy = ownerFilter
        let batch = try q.value("batch")
        let handlers = self
        let finalQuery = taskQuery
        let page = try await api.database.run { service -> TaskPage in
            var query = finalQuery
            if let batch { query.batchID = try handlers.visibleBatch(batch, in: service).batch.id }
            return try service.list(query)
        }
        return Self.json(page.wireJSON)
    }

    /// The filters `GET .../tasks` and `GET /v2/export` share: `status=` (repeated or a comma
    /// list), `tag=key=value` (repeated), `since=` and `until=` (RFC 3339).
    func filters(_ q: QueryItems) throws -> TaskQuery {
        var taskQuery = TaskQuery()
        for name in q.values("status", commas: true) {
            guard let status = TaskStatus(wireName: name) else {
                throw APIError.invalidQuery(
                    "status", "'\(name)' is not a state; use one of: " + TaskStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
            taskQuery.statuses.append(status)
        }
        for pair in q.values("tag") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw APIError.invalidQuery("tag", "expects <key>=<value>, got '\(pair)'")
            }
            taskQuery.tags.append((String(parts[0]), String(parts[1])))
        }
        taskQuery.since = try time(q, "since")
        taskQuery.until = try time(q, "until")
        return taskQuery
    }

    /// An RFC 3339 time (or a date) of the query.
    private func time(_ q: QueryItems, _ name: String) throws -> Timestamp? {
        guard let text = try q.value(name) else { return nil }
        guard let time = Timestamp(rfc3339: text) else {
            throw APIError.invalidQuery(name, "expects an RFC 3339 time such as 2026-11-21T10:00:00Z, got '\(text)'")
        }
        return time
    }

    /// `sort=`: `field`, `-field` (descending), or `field,asc|desc` as the CLI's --sort;
    /// a field alone sorts times newest first, the rest ascending.
    static func apply(sort text: String, to query: inout TaskQuery) throws {
        var name = text
        var descending: Bool?
        if name.hasPrefix("-") {
            name.removeFirst()
            descending = true
        } else if let comma = name.firstIndex(of: ",") {
            let direction = name[name.index(after: comma)...]
            guard direction == "asc" || direction == "desc" else {
                throw APIError.invalidQuery("sort", "expects <field>, -<field> or <field>,asc|desc, got '\(text)'")
            }
            descending = direction == "desc"
            name = String(name[..<comma])
        }
        guard let field = TaskSortField(rawValue: name) else {
            throw APIError.invalidQuery(
                "sort", "'\(name)' is not a sort field; use one of: " + TaskSortField.allCases.map(\.rawValue).joined(separator: ", "))
        }
        query.sort = field
        query.descending = descending ?? (field == .createdDate || field == .updatedDate)
    }

    /// GET .../tasks/{id}: the task as `tasks get --json` prints it (with `queue` while it
    /// waits); with `diagnostics=true` its runs and diagnostics too.
    func getTask(_ id: String, mode: String?) async throws -> Response {
        try query.requireOnly(["diagnostics"])
        let withDiagnostics = try query.flag("diagnostics")
        let handlers = self
        let document = try await api.database.run { service -> JSONValue in
            let task = try handlers.visibleTask(id, mode: mode, in: service)
            var queue: TaskQueueInfo?
            if [.created, .payloadProcessing, .scheduled].contains(task.status),
                let position = try service.queuePosition(taskID: task.id)
            {
                let paused = try service.qpuStates()[task.qpuID]?.paused ?? false
                queue = TaskQueueInfo(position: position, qpuPaused: paused)
            }
            if withDiagnostics { return try service.diagnostics(task.id).wireJSON(queue: queue) }
            return task.wireJSON(queue: queue)
        }
        return Self.json(document)
    }

    /// GET .../tasks/{id}/results: as `tasks results --json` (partial while executing).
    func results(_ id: String, mode: String?) async throws -> Response {
        try query.requireOnly([])
        let handlers = self
        let result = try await api.database.run { service -> TaskResult in
            let task = try handlers.visibleTask(id, mode: mode, in: service)
            return try service.results(task.id).1
        }
        return Self.json(result.wireJSON)
    }

    /// GET .../tasks/{id}/events: the log as `tasks events --json`; `follow=true` streams
    /// (Server-Sent Events) until the task ends.
    func events(_ id: String, mode: String?) async throws -> Response {
        try query.requireOnly(["follow"])
        let handlers = self
        if try query.flag("follow") {
            let task = try await api.database.run { try handlers.visibleTask(id, mode: mode, in: $0) }
            return EventStream.tasks([task.id], api: api, request: request)
        }
        let events = try await api.database.run { service -> [TaskEvent] in
            let task = try handlers.visibleTask(id, mode: mode, in: service)
            return try service.events(task.id).1
        }
        return Self.json(.array(events.map(\.wireJSON)))
    }

    /// GET .../tasks/{id}/history: as `tasks history --json`; only the tasks the principal
    /// may see are listed.
    func history(_ id: String, mode: String?) async throws -> Response {
        try query.requireOnly([])
        let handlers = self
        let owner = ownerFilter
        let history = try await api.database.run { service -> TaskHistory in
            let task = try handlers.visibleTask(id, mode: mode, in: service)
            var history = try service.history(task.id)
            if let owner { history.entries = history.entries.filter { $0.task.createdBy == owner } }
            return history
        }
        return Self.json(history.wireJSON)
    }

    // MARK: Changing

    /// POST .../tasks/{id}/cancel: `{"task", "outcome"}`; 409 conflict once it executes.
    func cancel(_ id: String, mode: String?) async throws -> Response {
        try query.requireOnly([])
        let handlers = self
        let actor = self.actor
        let outcome = try await api.database.run { service -> CancelOutcome in
            let task = try handlers.visibleTask(id, mode: mode, in: service)
            return try service.cancel(task.id, actor: actor)
        }
        return Self.json(outcome.wireJSON)
    }

    /// POST .../tasks/{id}/rerun: 201 with the new task; 200 and `Idempotent-Replayed: true`
    /// when the `Idempotency-Key` returned the task an earlier re-run made (409 when the
    /// key was used for another request).
    func rerun(_ id: String, mode: String?) async throws -> Response {
        try query.requireOnly([])
        let body = try await request.jsonObject(limit: api.options.maxBody)
        try body.requireOnly(["shots", "seed", "new_seed", "qpu"] + Self.programFields)
        let seed = try body.seed("seed")
        let newSeed = try body.bool("new_seed") ?? false
        if seed != nil && newSeed { throw APIError.invalid("new_seed", "cannot go with 'seed'") }
        var qpuID: String?
        if body["qpu"] != nil { qpuID = try submitQPU(body, mode: nil) }
        let rerun = RerunRequest(
            shots: try body.int("shots", in: RunLimits.standard.shots), seed: seed, newSeed: newSeed, qpuID: qpuID,
            program: try program(body, required: false), createdBy: user, idempotencyKey: idempotencyKey)
        let handlers = self
        let actor = self.actor
        let (task, reused) = try await api.database.run { service -> (QuantumTask, Bool) in
            let earlier = try handlers.visibleTask(id, mode: mode, in: service)
            let made = try service.rerunReporting(earlier.id, rerun, actor: actor)
            return (made.task, made.reused)
        }
        let location = "/v2/tasks/\(task.id)"
        if reused {
            return Self.json(task.wireJSON, status: .ok, headers: [Self.replayedHeader: "true", .location: location])
        }
        api.workers?.wake()
        return Self.json(task.wireJSON, status: .created, headers: [.location: location])
    }

    /// DELETE .../tasks/{id}: as `tasks delete --json` for one task; a task that has not
    /// ended is cancelled first, and refused (409) once it executes unless `force=true`.
    func deleteTask(_ id: String, mode: String?) async throws -> Response {
        try query.requireOnly(["force"])
        let force = try query.flag("force")
        let handlers = self
        let actor = self.actor
        let deleted = try await api.database.run { service -> [DeletedTask] in
            let task = try handlers.visibleTask(id, mode: mode, in: service)
            return try service.delete([task.id], force: force, actor: actor)
        }
        return Self.json(DeletedTask.wireJSON(deleted))
    }
}
