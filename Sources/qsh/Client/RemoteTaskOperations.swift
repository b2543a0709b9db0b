// The task and QPU operations of the HTTP client (RemoteTaskClient.swift): one request each,
// two where the answer needs the task too (results, events, which the cache then keeps).
import QshCore

extension RemoteTaskClient: TaskClient {
    // MARK: QPUs

    /// GET /v2/qpus, once per command.
    func qpuList() throws -> [(QPUInfo, QPUStatus)] {
        if let qpuAnswer { return qpuAnswer }
        let json = try call("GET", "/v2/qpus").json
        let list = try decode {
            try (json["elements"]?.arrayValue ?? []).map { (try QPUInfo(wireJSON: $0), try QPUStatus(wireJSON: $0)) }
        }
        qpuAnswer = list
        return list
    }

    func qpus() throws -> [QPUInfo] { try qpuList().map(\.0) }

    func qpuStatuses() throws -> [String: QPUStatus] {
        var statuses: [String: QPUStatus] = [:]
        for (qpu, status) in try qpuList() { statuses[qpu.id] = status }
        return statuses
    }

    func setQPUPaused(_ id: String, paused: Bool) throws -> QPUStatus {
        let json = try call(
            "POST", "/v2/qpus/" + URLText.encode(id) + (paused ? "/pause" : "/resume"), retry: .safe
        ).json
        qpuAnswer = nil
        return try decode { try QPUStatus(wireJSON: json) }
    }

    // MARK: Submitting

    /// The program members of a request body: its source, name and the files it included.
    /// The files go byte for byte, as locally: bytes that are not UTF-8 in base64
    /// (`program_base64`, `includes_base64`), and an include that could not be read with its
    /// reason (`include_errors`), so that the server's diagnostics are `qasm check`'s.
    static func programMembers(_ program: ProgramSnapshot) -> [(String, JSONValue)] {
        var includes: [(String, JSONValue)] = [], binary: [(String, JSONValue)] = [], unreadable: [(String, JSONValue)] = []
        for file in program.includes {
            switch file.result {
            case .loaded(let bytes):
                if let text = String(validating: bytes, as: UTF8.self) {
                    includes.append((file.path, .string(text)))
                } else {
                    binary.append((file.path, .string(Base64.encode(bytes))))
                }
            case .failed(let reason): unreadable.append((file.path, .string(reason)))
            case .notFound, .tooLarge: break
            }
        }
        var members: [(String, JSONValue)] = []
        if let text = String(validating: program.main.bytes, as: UTF8.self) {
            members.append(("program", .string(text)))
        } else {
            members.append(("program_base64", .string(Base64.encode(program.main.bytes))))
        }
        members += [("program_name", .string(program.main.name)), ("includes", .object(includes))]
        if !binary.isEmpty { members.append(("includes_base64", .object(binary))) }
        if !unreadable.isEmpty { members.append(("include_errors", .object(unreadable))) }
        return members
    }

    /// The body of POST /v2/{mode}/tasks.
    static func submitBody(_ s: TaskSubmission) -> JSONValue {
        var members = programMembers(s.program)
        members.append(("shots", .int(s.shots)))
        if let seed = s.seed { members.append(("seed", seed <= UInt64(Int.max) ? .int(Int(seed)) : .string(String(seed)))) }
        if let name = s.name { members.append(("name", .string(name))) }
        if !s.tags.isEmpty { members.append(("tags", .object(s.tags.keys.sorted().map { ($0, .string(s.tags[$0]!)) }))) }
        return .object(members)
    }

    func submit(_ submission: TaskSubmission) throws -> SubmitReceipt {
        // Always a key, so that the retry of a submit whose answer was lost returns the first task.
        let key = try idempotencyKey(submission.idempotencyKey)
        let (json, response) = try call(
            "POST", "/v2/" + QPUMode.derived(from: submission.qpuID) + "/tasks", body: Self.submitBody(submission),
            headers: [("Idempotency-Key", key)], retry: .safe)
        let task = try decode { try QuantumTask(wireJSON: json) }
        return SubmitReceipt(task: task, reused: response.header("Idempotent-Replayed")?.lowercased() == "true")
    }

    func dryRun(_ submission: TaskSubmission, stop: Cancellation) throws -> DryRunVerdict {
        let json = try call(
            "POST", "/v2/" + QPUMode.derived(from: submission.qpuID) + "/tasks", query: [("dry_run", "true")],
            body: Self.submitBody(submission), retry: .safe
        ).json
        return try decode { try DryRunVerdict(wireJSON: json, mainFile: submission.program.main.name) }
    }

    func rerun(_ idOrPrefix: String, _ rerun: RerunSubmission) throws -> SubmitReceipt {
        var members: [(String, JSONValue)] = []
        if let shots = rerun.shots { members.append(("shots", .int(shots))) }
        if let seed = rerun.seed { members.append(("seed", seed <= UInt64(Int.max) ? .int(Int(seed)) : .string(String(seed)))) }
        if rerun.newSeed { members.append(("new_seed", .bool(true))) }
        if let qpu = rerun.qpuID { members.append(("qpu", .string(qpu))) }
        if let program = rerun.program { members += Self.programMembers(program) }
        let (json, response) = try call(
            "POST", Self.taskPath(idOrPrefix, "/rerun"), body: .object(members),
            headers: [("Idempotency-Key", makeKey())], retry: .safe)
        let task = try decode { try QuantumTask(wireJSON: json) }
        return SubmitReceipt(task: task, reused: response.header("Idempotent-Replayed")?.lowercased() == "true")
    }

    // MARK: Reading tasks

    /// A task from the cache: by full id, or under --offline by a prefix of one cached task.
    func cachedTask(_ idOrPrefix: String) throws -> QuantumTask? {
        guard let cache else { return nil }
        if idOrPrefix.count == 36 { return cache.task(id: idOrPrefix.lowercased()) }
        guard offline else { return nil }
        let matches = cache.tasks(prefix: idOrPrefix.lowercased())
        if matches.count > 1 {
            throw TaskError.ambiguousPrefix(prefix: idOrPrefix, candidates: matches.map(\.id).sorted())
        }
        return matches.first
    }

    /// Under --offline, the error for a task the cache does not hold.
    func notCached(_ idOrPrefix: String, _ what: String) -> CommandFailure {
        CommandFailure(
            code: RemoteErrors.networkError,
            message: "--offline: \(what) of task '\(idOrPrefix)' \(what == "the task" ? "is" : "are") not in the cache "
                + "of '\(server.url)'; only finished tasks read before are; leave out --offline to ask the server",
            details: [("task_id", .string(idOrPrefix))])
    }

    func get(_ idOrPrefix: String) throws -> QuantumTask {
        if let task = try cachedTask(idOrPrefix) { return task }
        if offline { throw notCached(idOrPrefix, "the task") }
        let json = try call("GET", Self.taskPath(idOrPrefix)).json
        let task = try decode { try QuantumTask(wireJSON: json) }
        if let queue = json["queue"] { queues[task.id] = try decode { try QueuePosition(wireJSON: queue) } }
        if task.status.isTerminal { cache?.store(task) }
        return task
    }

    /// A listing's filters as the query of `GET /v2/tasks` and `GET /v2/export`.
    static func filterPairs(_ query: TaskQuery) -> [(String, String)] {
        var pairs: [(String, String)] = []
        for status in query.statuses { pairs.append(("status", status.rawValue)) }
        if let qpu = query.qpuID { pairs.append(("qpu", qpu)) }
        if let batch = query.batchID { pairs.append(("batch", batch)) }
        for (key, value) in query.tags { pairs.append(("tag", key + "=" + value)) }
        if let since = query.since { pairs.append(("since", since.rfc3339)) }
        if let until = query.until { pairs.append(("until", until.rfc3339)) }
        return pairs
    }

    func list(_ query: TaskQuery) throws -> TaskPage {
        var pairs = Self.filterPairs(query)
        pairs.append(("sort", (query.descending ? "-" : "") + query.sort.rawValue))
        pairs.append(("page", String(query.page)))
        pairs.append(("size", String(query.limit)))
        let json = try call("GET", "/v2/tasks", query: pairs).json
        let page = try decode { try TaskPage(wireJSON: json) }
        for task in page.tasks where task.status.isTerminal { cache?.store(task) }
        return page
    }

    func results(_ idOrPrefix: String) throws -> (task: QuantumTask, result: TaskResult) {
        let task = try get(idOrPrefix)
        if task.status.isUnsuccessful {
            throw TaskError.noResults(id: task.id, status: task.status, errorClass: task.errorClass, reasons: task.errorReasons)
        }
        if task.status.isTerminal, let result = cache?.result(taskID: task.id) { return (task, result) }
        if offline { throw notCached(idOrPrefix, "the results") }
        let json = try call("GET", Self.taskPath(task.id, "/results")).json
        let result = try decode { try TaskResult(wireJSON: json) }
        if task.status == .completed { cache?.store(result) }
        return (task, result)
    }

    func events(_ idOrPrefix: String) throws -> (task: QuantumTask, events: [TaskEvent]) {
        let task = try get(idOrPrefix)
        if task.status.isTerminal, let events = cache?.events(taskID: task.id) { return (task, events) }
        if offline { throw notCached(idOrPrefix, "the events") }
        let json = try call("GET", Self.taskPath(task.id, "/events")).json
        let events = try decode { try TaskEvent.list(wireJSON: json) }
        // The log of a task read as terminal is complete: nothing is appended after the end.
        if task.status.isTerminal, events.last?.to == task.status { cache?.store(events, taskID: task.id) }
        return (task, events)
    }

    func cancel(_ idOrPrefix: String) throws -> CancelOutcome {
        let json = try call("POST", Self.taskPath(idOrPrefix, "/cancel"), retry: .safe).json
        let outcome = try decode { try CancelOutcome(wireJSON: json) }
        cache?.store(outcome.task)
        return outcome
    }

    func queuePosition(_ id: String) throws -> QueuePosition? {
        if let known = queues[id] { return known }
        _ = try get(id)
        return queues[id]
    }

    func diagnostics(_ idOrPrefix: String) throws -> TaskDiagnostics {
        let json = try call("GET", Self.taskPath(idOrPrefix), query: [("diagnostics", "true")]).json
        return try decode { try TaskDiagnostics(wireJSON: json) }
    }

    func history(_ idOrPrefix: String) throws -> TaskHistory {
        let json = try call("GET", Self.taskPath(idOrPrefix, "/history")).json
        return try decode { try TaskHistory(wireJSON: json) }
    }

    // MARK: Housekeeping

    func delete(_ idsOrPrefixes: [String], force: Bool) throws -> [DeletedTask] {
        // Every id is found first, so that a wrong one deletes nothing (as locally).
        var tasks: [QuantumTask] = []
        for id in idsOrPrefixes {
            let task = try get(id)
            if !tasks.contains(where: { $0.id == task.id }) { tasks.append(task) }
        }
        // And one too far along to cancel refuses the whole deletion before any is deleted (as locally).
        if !force, let stuck = tasks.first(where: { !$0.status.isTerminal && !TaskStateMachine.cancellable.contains($0.status) }) {
            throw TaskError.deleteRefused(id: stuck.id, status: stuck.status)
        }
        var deleted: [DeletedTask] = []
        for id in tasks.map(\.id) {
            let json = try call("DELETE", Self.taskPath(id), query: force ? [("force", "true")] : []).json
            deleted += try decode { try DeletedTask.list(wireJSON: json) }
            cache?.remove(taskID: id)
        }
        return deleted
    }

    func prune(_ filter: PruneFilter, dryRun: Bool) throws -> [String] {
        var members: [(String, JSONValue)] = []
        if !filter.statuses.isEmpty { members.append(("status", .array(filter.statuses.map { .string($0.rawValue) }))) }
        // The API takes an age: the same moment, counted back from now in milliseconds' precision.
        if let before = filter.endedBefore {
            let seconds = max(0, Double(clock.now().milliseconds - before.milliseconds) / 1000)
            members.append(("older_than", .string(String(seconds) + "s")))
        }
        members.append(("dry_run", .bool(dryRun)))
        let json = try call("POST", "/v2/prune", body: .object(members)).json
        let ids = try decode { try PruneSummary(wireJSON: json).ids }
        if !dryRun { for id in ids { cache?.remove(taskID: id) } }
        return ids
    }

    /// GET /v2/export, read as it streams: each record goes to `write` as it arrives, and
    /// the end line must come and count what came before it. A stream cut short, or ended
    /// by the server's error line, is an error (exit 1), never an export that looks whole.
    /// It is sent again (as a GET) only while nothing was written.
    func export(_ selection: ExportSelection, write: (ArchiveRecord) throws -> Void) throws -> Int {
        try checkOnline()
        let request = makeRequest(
            "GET", "/v2/export", query: selection.ids.map { ("id", $0) } + Self.filterPairs(selection.query))
        let source = server.url + "/v2/export"
        var attempt = 0
        while true {
            var lineNumber = 0
            var tasks = 0
            var definitions = 0
            var ended = false
            var failure: Error?
            do {
                let response = try transport.stream(request, keepGoing: { true }) { line in
                    lineNumber += 1
                    if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { return true }
                    do {
                        if ended {
                            throw ArchiveFormatError(source: source, line: lineNumber, reason: "it comes after the end line")
                        }
                        if line.hasPrefix("{\"error\"") {
                            throw RemoteErrors.error(status: 500, body: Array(line.utf8), server: server)
                        }
                        switch try TaskArchiveFormat.entry(line, source: source, lineNumber: lineNumber) {
                        case .record(let record):
                            if record.kind == .task { tasks += 1 } else { definitions += 1 }
                            try write(record)
                        case .end(let expectedTasks, let expectedDefinitions):
                            guard expectedTasks == tasks, expectedDefinitions == definitions else {
                                throw CommandFailure(
                                    code: RemoteErrors.networkError,
                                    message: "the export from the qsh server at '\(server.url)' counts "
                                        + "\(expectedTasks) tasks and \(expectedDefinitions) programs at its end, but "
                                        + "\(tasks) and \(definitions) came: the output is incomplete; run it again")
                            }
                            ended = true
                        }
                    } catch {
                        failure = error
                        return false
                    }
                    return true
                }
                if let failure { throw failure }
                if response.status != 200 {
                    if attempt < Self.backoff.count, let wait = Self.retryWait(response, attempt: attempt, retry: .safe) {
                        sleep(wait)
                        attempt += 1
                        continue
                    }
                    throw RemoteErrors.error(status: response.status, body: response.body, server: server)
                }
                guard ended else {
                    throw CommandFailure(
                        code: RemoteErrors.networkError,
                        message: "the export from the qsh server at '\(server.url)' stopped before its end line, after "
                            + "\(HousekeepingRenderer.count(tasks)): the output is incomplete; run it again")
                }
                return tasks
            } catch let error as TransportError {
                // A line that stopped the transfer: its reason, not the transfer's.
                if let failure { throw failure }
                if lineNumber == 0, attempt < Self.backoff.count, error.kind != .unavailable, error.kind != .badURL {
                    sleep(Self.backoff[attempt])
                    attempt += 1
                    continue
                }
                guard lineNumber > 0 else { throw RemoteErrors.unreachable(error, server: server) }
                throw CommandFailure(
                    code: RemoteErrors.networkError,
                    message: "the export from the qsh server at '\(server.url)' broke off after "
                        + "\(HousekeepingRenderer.count(tasks)) (\(error.detail)): the output is incomplete; run it again")
            }
        }
    }

    func importRecords(_ records: [ArchiveRecord], skipExisting: Bool) throws -> ImportSummary {
        var request = makeRequest("POST", "/v2/import", query: skipExisting ? [("skip_existing", "true")] : [])
        request.body = Array(records.map { TaskArchiveFormat.line($0) + "\n" }.joined().utf8)
        request.headers.append(("Content-Type", "application/x-ndjson"))
        let json = try self.json(try send(request, retry: .never))
        return try decode { try ImportSummary(wireJSON: json) }
    }

    /// GET /health of the server (`qsh doctor` stays local; this is for completeness of the protocol).
    func health() throws -> StoreHealth {
        throw CommandFailure(
            code: .usage, message: "'qsh doctor' checks a local task database; ask the server's GET /health instead")
    }
}
