// Server-Sent Events: a task's (or several tasks') states and progress, or a batch's
// counts, as they change, until every followed task has ended (`event: end`). The stream
// looks again when the database announces a change (PostgreSQL's NOTIFY, through the
// server's `ChangeFeed`), else polls (backing off from 50 ms while nothing changes); it
// writes a keep-alive comment while idle, and stops when the client goes away or the
// server stops.
import HTTPTypes
import Hummingbird
import QshCore

enum EventStream {
    static let headers: HTTPFields = [
        .contentType: "text/event-stream", .cacheControl: "no-cache", HTTPField.Name("X-Accel-Buffering")!: "no",
    ]

    /// One event's text: `event: <kind>` and its data on one line.
    static func event(_ kind: String, _ data: JSONValue) -> String {
        "event: \(kind)\ndata: \(data.serialized())\n\n"
    }

    /// Follows tasks (full ids): `status` when a task is first seen or changes state,
    /// `progress` when its shots advance, `unattended` once when one is queued and no
    /// worker runs, `end` when every one has ended.
    static func tasks(_ ids: [String], api: API, request: Request) -> Response {
        stream(api: api, request: request, interest: .tasks(Set(ids))) {
            var seen: [String: (TaskStatus, Int)] = [:]
            var toldUnattended = false
            return { () async throws -> ([String], Bool) in
                var out: [String] = []
                let (tasks, workerLive) = try await api.database.run { service -> ([QuantumTask], Bool) in
                    let tasks = try ids.map { try service.get($0) }
                    let waiting = tasks.contains { $0.status == .created }
                    return (tasks, waiting ? try service.workerIsLive() : true)
                }
                for task in tasks {
                    let key = (task.status, task.shotsDone)
                    guard let before = seen[task.id] else {
                        out.append(event("status", task.wireJSON))
                        seen[task.id] = key
                        continue
                    }
                    if before == key { continue }
                    seen[task.id] = key
                    if before.0 != task.status {
                        out.append(event("status", task.wireJSON))
                    } else {
                        let observed = JSONValue.string(SystemClock().now().rfc3339)
                        out.append(event("progress", .object([("task", task.wireJSON), ("observed", observed)])))
                    }
                }
                if tasks.allSatisfy(\.status.isTerminal) {
                    out.append(event("end", .object([])))
                    return (out, false)
                }
                let inProcess = (api.workers?.alive ?? 0) > 0
                if !toldUnattended, !workerLive, !inProcess, let queued = tasks.first(where: { $0.status == .created }) {
                    toldUnattended = true
                    out.append(event("unattended", queued.wireJSON))
                }
                return (out, true)
            }
        }
    }

    /// Follows a batch (full id): `batch` with its summary whenever its counts change,
    /// `unattended` once, `end` when every item has ended.
    static func batch(_ id: String, api: API, request: Request) -> Response {
        stream(api: api, request: request, interest: .any) {
            var last: BatchSummary?
            var toldUnattended = false
            return { () async throws -> ([String], Bool) in
                var out: [String] = []
                let (summary, workerLive) = try await api.database.run { service -> (BatchSummary, Bool) in
                    let summary = try service.batch(id)
                    let waiting = (summary.counts[.created] ?? 0) > 0
                    return (summary, waiting ? try service.workerIsLive() : true)
                }
                if last != summary {
                    last = summary
                    out.append(event("batch", summary.wireJSON))
                }
                if summary.status.isTerminal {
                    out.append(event("end", .object([])))
                    return (out, false)
                }
                let inProcess = (api.workers?.alive ?? 0) > 0
                if !toldUnattended, !workerLive, !inProcess {
                    toldUnattended = true
                    out.append(event("unattended", summary.wireJSON))
                }
                return (out, true)
            }
        }
    }

    /// The streaming answer: `makeLook` builds the look the stream repeats, which returns
    /// the events to write and whether to go on. Between looks it waits for an announced
    /// change `interest` covers (the database's feed; a stream of any change looks at most
    /// every 50 ms) or the feed's fallback poll; without a feed, it polls with backoff.
    private static func stream(
        api: API, request: Request, interest: TaskChangeInterest,
        makeLook: @escaping @Sendable () -> () async throws -> (events: [String], more: Bool)
    ) -> Response {
        let poll = api.options.streamPoll
        let keepAlive = Duration.milliseconds(Int(api.options.keepAlive * 1000))
        let body = ResponseBody { writer in
            // The client closing its side cancels the loop (and so the stream's work).
            try await request.body.consumeWithCancellationOnInboundClose { _ in
                var lastWrite = ContinuousClock.now
                var delay = 0.05
                let look = makeLook()
                do {
                    let feed = api.database.changes
                    while !api.isStopping {
                        let mark = feed?.mark ?? 0
                        let (events, more) = try await look()
                        if !events.isEmpty {
                            try await writer.write(ByteBuffer(string: events.joined()))
                            lastWrite = ContinuousClock.now
                            delay = 0.05
                        }
                        if !more { break }
                        if ContinuousClock.now - lastWrite >= keepAlive {
                            try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                            lastWrite = ContinuousClock.now
                        }
                        if let feed {
                            // No longer than until the next keep-alive is due.
                            let due = keepAlive - (ContinuousClock.now - lastWrite)
                            let most = min(feed.fallbackPoll, max(0.01, Double(due.components.seconds)
                                + Double(due.components.attoseconds) / 1e18))
                            await feed.wait(for: interest, after: mark, seconds: most)
                            try Task.checkCancellation()
                            if interest == .any { try await Task.sleep(for: .milliseconds(50)) }
                        } else {
                            try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
                            delay = min(poll, delay * 1.5)
                        }
                    }
                } catch {
                    // A task deleted while followed, or the database failing: the stream
                    // says so as its last event.
                    guard !(error is CancellationError) else { throw error }
                    let (apiError, _) = APIError.from(error)
                    try? await writer.write(ByteBuffer(string: event(
                        "error", ErrorWire.document(code: apiError.code, message: apiError.message, details: apiError.details))))
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
