// The batch routes: submit a batch (all items or none), list, get (with items), results,
// cancel, and follow as Server-Sent Events.
import Hummingbird
import QshCore

extension Handlers {
    /// POST /v2/batches: 201 with the batch summary as `batches get --json`; 200 and
    /// `Idempotent-Replayed: true` when the idempotency key returned an earlier batch.
    func submitBatch() async throws -> Response {
        try query.requireOnly([])
        let body = try await request.jsonObject(limit: api.options.maxBody)
        try body.requireOnly(["name", "items"])
        guard let elements = try body.array("items"), !elements.isEmpty else {
            throw APIError.invalid("items", "is required: an array of at least one item")
        }
        var items: [BatchItemRequest] = []
        for (index, element) in elements.enumerated() {
            let prefix = "items[\(index)]."
            guard let members = element.objectValue else { throw APIError.invalid("items[\(index)]", "must be an object") }
            let item = JSONObject(members: members)
            let label = try item.requiredString("label", prefix: prefix)
            var request = try submitRequest(item, mode: nil, prefix: prefix, extra: ["label"])
            request.idempotencyKey = nil
            items.append(BatchItemRequest(label: label, request: request))
        }
        let batch = BatchRequest(
            name: try body.string("name"), items: items, createdBy: user, idempotencyKey: idempotencyKey)
        let (summary, reused) = try await api.database.run { try $0.submitBatch(batch, actor: "api") }
        api.workers?.wake()
        let location = "/v2/batches/\(summary.batch.id)"
        if reused {
            return Self.json(summary.wireJSON, headers: [Self.replayedHeader: "true", .location: location])
        }
        return Self.json(summary.wireJSON, status: .created, headers: [.location: location])
    }

    /// GET /v2/batches: a page as `batches list --json`.
    func listBatches() async throws -> Response {
        try query.requireOnly(["page", "size"])
        let size = try query.int("size", in: 1...1000) ?? 100
        let page = try query.int("page", in: 0...1_000_000_000) ?? 0
        let owner = ownerFilter
        let batches = try await api.database.run { try $0.listBatches(limit: size, page: page, createdBy: owner) }
        return Self.json(batches.wireJSON)
    }

    /// GET /v2/batches/{id}: the summary, with `items=true` every item too.
    func getBatch(_ id: String) async throws -> Response {
        try query.requireOnly(["items"])
        let withItems = try query.flag("items")
        let handlers = self
        let document = try await api.database.run { service -> JSONValue in
            let summary = try handlers.visibleBatch(id, in: service)
            return withItems ? try service.batchDetail(summary.batch.id).wireJSON : summary.wireJSON
        }
        return Self.json(document)
    }

    /// GET /v2/batches/{id}/results: as `batches results --json`.
    func batchResults(_ id: String) async throws -> Response {
        try query.requireOnly([])
        let handlers = self
        let results = try await api.database.run { service -> BatchResults in
            let summary = try handlers.visibleBatch(id, in: service)
            return try service.batchResults(summary.batch.id)
        }
        return Self.json(results.wireJSON)
    }

    /// POST /v2/batches/{id}/cancel: the batch with the items cancelled, already ended and
    /// left executing (`refused`; completion wins, so this is not an error).
    func cancelBatch(_ id: String) async throws -> Response {
        try query.requireOnly([])
        let handlers = self
        let actor = self.actor
        let outcome = try await api.database.run { service -> BatchCancelOutcome in
            let summary = try handlers.visibleBatch(id, in: service)
            return try service.cancelBatch(summary.batch.id, actor: actor)
        }
        return Self.json(outcome.wireJSON)
    }

    /// GET /v2/batches/{id}/events: Server-Sent Events of the batch until every item ended.
    func followBatch(_ id: String) async throws -> Response {
        try query.requireOnly([])
        let handlers = self
        let summary = try await api.database.run { try handlers.visibleBatch(id, in: $0) }
        return EventStream.batch(summary.batch.id, api: api, request: request)
    }

    /// GET /v2/events?task_id=A&task_id=B: one stream following several tasks.
    func followMany() async throws -> Response {
        try query.requireOnly(["task_id"])
        let ids = query.values("task_id", commas: true)
        guard !ids.isEmpty else { throw APIError.invalidQuery("task_id", "is required: the tasks to follow") }
        guard ids.count <= 1000 else { throw APIError.invalidQuery("task_id", "follows at most 1000 tasks") }
        let handlers = self
        let tasks = try await api.database.run { service in try ids.map { try handlers.visibleTask($0, mode: nil, in: service).id } }
        return EventStream.tasks(tasks, api: api, request: request)
    }
}
