// Following tasks and batches over the server's event streams (Server-Sent Events:
// GET /v2/events?task_id=... and GET /v2/batches/{id}/events) instead of polling. A stream
// that breaks before its `end` is opened again (with the retries' backoff); what was seen
// already is not reported twice.
import QshCore

/// Cuts a Server-Sent Events stream into (event, data) messages.
struct ServerSentEvents {
    private var event = ""
    private var data: [String] = []

    /// Takes one line; returns a message when `line` ends one (a blank line).
    mutating func feed(_ line: String) -> (event: String, data: String)? {
        if line.isEmpty {
            defer {
                event = ""
                data = []
            }
            guard !data.isEmpty || !event.isEmpty else { return nil }
            return (event.isEmpty ? "message" : event, data.joined(separator: "\n"))
        }
        if line.hasPrefix(":") { return nil }
        let (field, value): (Substring, Substring)
        if let colon = line.firstIndex(of: ":") {
            field = line[..<colon]
            var rest = line[line.index(after: colon)...]
            if rest.first == " " { rest = rest.dropFirst() }
            value = rest
        } else {
            (field, value) = (Substring(line), "")
        }
        if field == "event" { event = String(value) }
        if field == "data" { data.append(String(value)) }
        return nil
    }
}

extension RemoteTaskClient {
    /// Reads an event stream until `handle` says it ended, time runs out or `pause` says stop.
    /// - Returns: how it stopped.
    private func readStream(
        path: String, query: [(String, String)], timeout: Double, pause: (Double) -> Bool,
        handle: (String, JSONValue) throws -> Bool
    ) throws -> StreamEnd {
        try checkOnline()
        let deadline = timeout.isFinite ? clock.now().adding(seconds: timeout) : nil
        var attempt = 0
        while true {
            var request = makeRequest("GET", path, query: query)
            request.headers = request.headers.map { $0.0 == "Accept" ? ("Accept", "text/event-stream") : $0 }
            var parser = ServerSentEvents()
            var end: StreamEnd?
            var failure: Error?
            do {
                let response = try transport.stream(
                    request,
                    keepGoing: {
                        if let deadline, clock.now() >= deadline {
                            end = .timedOut
                            return false
                        }
                        if !pause(0) {
                            end = .interrupted
                            return false
                        }
                        return true
                    },
                    line: { line in
                        guard let (event, data) = parser.feed(line) else { return true }
                        do {
                            let json = try JSONValue.parse(data)
                            if try handle(event, json) {
                                end = .finished
                                return false
                            }
                        } catch {
                            failure = error
                            return false
                        }
                        return pause(0) || { end = .interrupted; return false }()
                    })
                if let failure { throw failure }
                if let end { return end }
                if response.status != 200 {
                    if attempt < Self.backoff.count, let wait = Self.retryWait(response, attempt: attempt, retry: .safe) {
                        sleep(wait)
                        attempt += 1
                        continue
                    }
                    throw RemoteErrors.error(status: response.status, body: response.body, server: server)
                }
                // Closed before its end: open it again.
            } catch let error as TransportError {
                if let end { return end }
                guard attempt < Self.backoff.count, error.kind != .unavailable, error.kind != .badURL else {
                    throw RemoteErrors.unreachable(error, server: server)
                }
            } catch let error as JSONParseError {
                throw CommandFailure(
                    code: RemoteErrors.networkError,
                    message: "the qsh server at '\(server.url)' sent an event that is not JSON: \(error.message)")
            }
            guard attempt < Self.backoff.count else {
                throw CommandFailure(
                    code: RemoteErrors.networkError,
                    message: "the qsh server at '\(server.url)' kept closing the event stream "
                        + "(is 'qsh serve' running there? check --api or $QSH_API)")
            }
            sleep(Self.backoff[attempt])
            attempt += 1
        }
    }

    private enum StreamEnd { case finished, timedOut, interrupted }

    func follow(
        _ ids: [String], timeout: Double, pause: (Double) -> Bool, receive: (FollowEvent) -> Void
    ) throws -> FollowOutcome {
        var last: [String: QuantumTask] = [:]
        var unattended = false
        let end = try readStream(
            path: "/v2/events", query: ids.map { ("task_id", $0) }, timeout: timeout, pause: pause
        ) { event, json in
            switch event {
            case "status", "progress", "unattended":
                let taskJSON = event == "progress" ? json["task"] ?? .null : json
                let task = try decode { try QuantumTask(wireJSON: taskJSON) }
                let before = last[task.id]
                last[task.id] = task
                if task.status.isTerminal { cache?.store(task) }
                if event == "unattended" {
                    if !unattended { receive(.unattended(task)) }
                    unattended = true
                } else if before?.status != task.status {
                    receive(.status(task))
                } else if before?.shotsDone != task.shotsDone {
                    let observed = json["observed"]?.stringValue.flatMap(Timestamp.init(rfc3339:)) ?? clock.now()
                    receive(.progress(task, observed: observed))
                }
                return false
            case "end": return true
            default: return false
            }
        }
        var tasks: [QuantumTask] = []
        for id in ids { tasks.append(try last[id] ?? get(id)) }
        switch end {
        case .finished: return .finished(tasks)
        case .interrupted: return .interrupted(tasks)
        case .timedOut: return .timedOut(tasks, noWorker: unattended && tasks.contains { $0.status == .created })
        }
    }

    func followBatch(
        _ id: String, timeout: Double, pause: (Double) -> Bool, receive: (BatchSummary) -> Void,
        unattended: (BatchSummary) -> Void
    ) throws -> BatchWaitOutcome {
        var last: BatchSummary?
        var toldUnattended = false
        let end = try readStream(
            path: Self.batchPath(id, "/events"), query: [], timeout: timeout, pause: pause
        ) { event, json in
            switch event {
            case "batch", "unattended":
                let summary = try decode { try BatchSummary(wireJSON: json) }
                if event == "unattended" {
                    if !toldUnattended { unattended(summary) }
                    toldUnattended = true
                } else if last?.counts != summary.counts {
                    receive(summary)
                }
                last = summary
                return false
            case "end": return true
            default: return false
            }
        }
        let summary = try last ?? batch(id)
        switch end {
        case .finished: return .finished(summary)
        case .interrupted: return .interrupted(summary)
        case .timedOut: return .timedOut(summary)
        }
    }
}
