// The route table: which endpoint a path names, which methods it takes (405 with Allow
// for the others) and what scope a token needs for it. Task routes exist twice: under
// /v2/{qpu_mode}/tasks (a task of another mode is not found there) and under /v2/tasks.
import Hummingbird

/// What a task route does after `/tasks/{id}/`.
enum TaskAction: String, Sendable {
    case cancel, results, events, history, rerun
}

/// What a batch route does after `/batches/{id}/`.
enum BatchAction: String, Sendable {
    case results, cancel, events
}

/// A route of the API, with the parts of its path.
enum Endpoint: Sendable, Equatable {
    case health
    case metrics
    case openAPI
    /// GET lists, POST submits.
    case tasks(mode: String?)
    /// GET reads, DELETE deletes.
    case task(mode: String?, id: String)
    case taskAction(mode: String?, id: String, action: TaskAction)
    case events
    /// GET lists, POST submits a batch.
    case batches
    case batch(id: String)
    case batchAction(id: String, action: BatchAction)
    case qpus
    case qpu(id: String)
    case qpuPause(id: String, pause: Bool)
    case prune
    case export
    case importRecords

    /// The endpoint a path names, or nil (404).
    init?(path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map { percentDecoded($0) }
        switch parts.count {
        case 1 where parts[0] == "health": self = .health
        case 1 where parts[0] == "metrics": self = .metrics
        case 0, 1: return nil
        default:
            guard parts[0] == "v2" else { return nil }
            self.init(v2: Array(parts.dropFirst()))
        }
    }

    private init?(v2 p: [String]) {
        switch (p.count, p[0]) {
        case (1, "openapi.json"): self = .openAPI
        case (1, "events"): self = .events
        case (1, "batches"): self = .batches
        case (2, "batches"): self = .batch(id: p[1])
        case (3, "batches"):
            guard let action = BatchAction(rawValue: p[2]) else { return nil }
            self = .batchAction(id: p[1], action: action)
        case (1, "qpus"): self = .qpus
        case (2, "qpus"): self = .qpu(id: p[1])
        case (3, "qpus") where p[2] == "pause" || p[2] == "resume": self = .qpuPause(id: p[1], pause: p[2] == "pause")
        case (1, "prune"): self = .prune
        case (1, "export"): self = .export
        case (1, "import"): self = .importRecords
        case (_, "tasks"): self.init(tasks: p.dropFirst(), mode: nil)
        case (_, let mode) where p.count >= 2 && p[1] == "tasks": self.init(tasks: p.dropFirst(2), mode: mode)
        default: return nil
        }
    }

    /// The routes below `tasks`: `[]`, `[id]`, `[id, action]`.
    private init?(tasks rest: ArraySlice<String>, mode: String?) {
        let rest = Array(rest)
        switch rest.count {
        case 0: self = .tasks(mode: mode)
        case 1: self = .task(mode: mode, id: rest[0])
        case 2:
            guard let action = TaskAction(rawValue: rest[1]) else { return nil }
            self = .taskAction(mode: mode, id: rest[0], action: action)
        default: return nil
        }
    }

    /// The methods the endpoint takes.
    var methods: [HTTPRequest.Method] {
        switch self {
        case .tasks, .batches: return [.get, .post]
        case .task: return [.get, .delete]
        case .taskAction(_, _, let action): return action == .cancel || action == .rerun ? [.post] : [.get]
        case .batchAction(_, let action): return action == .cancel ? [.post] : [.get]
        case .qpuPause, .prune, .importRecords: return [.post]
        case .health, .metrics, .openAPI, .events, .batch, .qpus, .qpu, .export: return [.get]
        }
    }

    /// The scope a token needs for `method` here; nil when no token is needed.
    func scope(for method: HTTPRequest.Method) -> Scope? {
        switch self {
        case .health, .metrics, .openAPI: return nil
        case .qpuPause, .prune, .export, .importRecords: return .admin
        default: return method == .get ? .read : .submit
        }
    }

    /// The path with its variable parts named, for metrics and the OpenAPI document.
    var template: String {
        let tasks = { (mode: String?) in mode == nil ? "/v2/tasks" : "/v2/{qpu_mode}/tasks" }
        switch self {
        case .health: return "/health"
        case .metrics: return "/metrics"
        case .openAPI: return "/v2/openapi.json"
        case .tasks(let mode): return tasks(mode)
        case .task(let mode, _): return tasks(mode) + "/{id}"
        case .taskAction(let mode, _, let action): return tasks(mode) + "/{id}/" + action.rawValue
        case .events: return "/v2/events"
        case .batches: return "/v2/batches"
        case .batch: return "/v2/batches/{id}"
        case .batchAction(_, let action): return "/v2/batches/{id}/" + action.rawValue
        case .qpus: return "/v2/qpus"
        case .qpu: return "/v2/qpus/{id}"
        case .qpuPause(_, let pause): return "/v2/qpus/{id}/" + (pause ? "pause" : "resume")
        case .prune: return "/v2/prune"
        case .export: return "/v2/export"
        case .importRecords: return "/v2/import"
        }
    }
}
