// A QPU as a client sees it (its id, summary and capabilities), whether it takes work
// and how many tasks wait for it, and their wire shape: what `qpus list|get --json`
// print and the API answers.

/// A QPU as a client sees it: what it is called and what it can run.
public struct QPUInfo: Sendable, Equatable {
    public var id: String
    public var summary: String
    public var capabilities: QPUCapabilities

    public init(id: String, summary: String, capabilities: QPUCapabilities) {
        self.id = id
        self.summary = summary
        self.capabilities = capabilities
    }

    /// The QPU's id, summary and capabilities.
    public init(_ qpu: any QPU) { self.init(id: qpu.id, summary: qpu.summary, capabilities: qpu.capabilities) }

    /// The native gates, sorted by name; nil for a QPU that runs every gate.
    public var nativeGateNames: [String]? { capabilities.nativeGates.map { $0.map(\.rawValue).sorted() } }

    /// The coupled pairs, lowest first; nil for a QPU on which any qubits may interact.
    public var couplingPairs: [(Int, Int)]? {
        capabilities.couplingMap.map {
            $0.edges.sorted { ($0.low, $0.high) < ($1.low, $1.high) }.map { ($0.low, $0.high) }
        }
    }

    /// The QPU's object: id, mode, summary, status, queue and capabilities (memory in bytes).
    public func wireJSON(status: QPUStatus) -> JSONValue {
        let c = capabilities
        return .object([
            ("id", .string(id)),
            ("mode", .string(QPUMode.derived(from: id))),
            ("summary", .string(summary)),
            ("status", .string(status.name)),
            ("status_date", status.since.map { .string($0.rfc3339) } ?? .null),
            ("queued", .int(status.queued)),
            ("max_qubits", .int(c.maxQubits)),
            ("max_shots", .int(c.maxShots)),
            ("memory_limit", .int(c.memoryLimit)),
            ("mid_circuit_measurement", .bool(c.supportsMidCircuitMeasurement)),
            ("precisions", .array(c.precisions.map { .string($0.rawValue) })),
            ("native_gates", nativeGateNames.map { .array($0.map { .string($0) }) } ?? .null),
            ("coupling_map", couplingPairs.map { .array($0.map { .array([.int($0.0), .int($0.1)]) }) } ?? .null),
        ])
    }

    /// `{"elements": [qpu, ...], "page": 0, "size", "total"}`: every QPU in one page; a QPU
    /// `statuses` does not list is online with nothing queued.
    public static func pageJSON(_ qpus: [QPUInfo], statuses: [String: QPUStatus]) -> JSONValue {
        .object([
            ("elements", .array(qpus.map { $0.wireJSON(status: statuses[$0.id] ?? .online) })), ("page", 0),
            ("size", .int(qpus.count)), ("total", .int(qpus.count)),
        ])
    }
}

/// Whether a QPU takes work now, and how many tasks wait for it.
public struct QPUStatus: Sendable, Equatable {
    public var paused: Bool
    /// When it was last paused or resumed; nil when never.
    public var since: Timestamp?
    /// Tasks waiting for it (Created, PayloadProcessing, Scheduled).
    public var queued: Int

    public init(paused: Bool, since: Timestamp?, queued: Int) {
        self.paused = paused
        self.since = since
        self.queued = queued
    }

    /// A QPU never paused, with nothing queued.
    public static let online = QPUStatus(paused: false, since: nil, queued: 0)

    /// `online` or `paused`, as the JSON gives it.
    public var name: String { paused ? "paused" : "online" }
}
