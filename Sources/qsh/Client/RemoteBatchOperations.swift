// The batch operations of the HTTP client (RemoteTaskClient.swift): /v2/batches...
import QshCore

extension RemoteTaskClient {
    func submitBatch(_ submission: BatchSubmission) throws -> BatchReceipt {
        var items: [JSONValue] = []
        for (label, s) in submission.items {
            guard case .object(let members) = Self.submitBody(s) else { continue }
            items.append(.object([("label", .string(label)), ("qpu", .string(s.qpuID))] + members))
        }
        var body: [(String, JSONValue)] = []
        if let name = submission.name { body.append(("name", .string(name))) }
        body.append(("items", .array(items)))
        let key = try idempotencyKey(submission.idempotencyKey)
        let (json, response) = try call(
            "POST", "/v2/batches", body: .object(body), headers: [("Idempotency-Key", key)], retry: .safe)
        let summary = try decode { try BatchSummary(wireJSON: json) }
        return BatchReceipt(summary: summary, reused: response.header("Idempotent-Replayed")?.lowercased() == "true")
    }

    func batch(_ idOrPrefix: String) throws -> BatchSummary {
        let json = try call("GET", Self.batchPath(idOrPrefix)).json
        return try decode { try BatchSummary(wireJSON: json) }
    }

    func batchDetail(_ idOrPrefix: String) throws -> BatchDetail {
        let json = try call("GET", Self.batchPath(idOrPrefix), query: [("items", "true")]).json
        return try decode { try BatchDetail(wireJSON: json) }
    }

    func batches(limit: Int, page: Int) throws -> BatchPage {
        let json = try call("GET", "/v2/batches", query: [("page", String(page)), ("size", String(limit))]).json
        return try decode { try BatchPage(wireJSON: json) }
    }

    /// The detail (the items in order, with their tasks) and the results keyed by label.
    func batchResults(_ idOrPrefix: String) throws -> BatchResults {
        let detail = try batchDetail(idOrPrefix)
        let json = try call("GET", Self.batchPath(detail.summary.batch.id, "/results")).json
        return try decode { try BatchResults(detail: detail, wireJSON: json) }
    }

    func cancelBatch(_ idOrPrefix: String) throws -> BatchCancelOutcome {
        let json = try call("POST", Self.batchPath(idOrPrefix, "/cancel"), retry: .safe).json
        return try decode { try BatchCancelOutcome(wireJSON: json) }
    }
}
