// The wire shapes of the executable's own client types read back: a QPU and its status
// (`qpus get --json`) and a dry run's verdict (`tasks submit --dry-run --json`). The shapes
// of QshCore's types are read in QshCore/Wire.
import QshCore

extension QPUInfo {
    /// The QPU of a `qpus get --json` object.
    /// - Throws: `WireDecodingError`.
    init(wireJSON json: JSONValue) throws {
        func fail(_ key: String) -> WireDecodingError {
            WireDecodingError(shape: "qpu", problem: "member '\(key)' is missing or of the wrong type")
        }
        guard let id = json["id"]?.stringValue else { throw fail("id") }
        guard let summary = json["summary"]?.stringValue else { throw fail("summary") }
        guard let maxQubits = json["max_qubits"]?.intValue else { throw fail("max_qubits") }
        guard let maxShots = json["max_shots"]?.intValue else { throw fail("max_shots") }
        guard let memory = json["memory_limit"]?.intValue else { throw fail("memory_limit") }
        guard let mid = json["mid_circuit_measurement"]?.boolValue else { throw fail("mid_circuit_measurement") }
        var precisions: [Precision] = []
        for value in json["precisions"]?.arrayValue ?? [] {
            guard let text = value.stringValue, let precision = Precision(rawValue: text) else { throw fail("precisions") }
            precisions.append(precision)
        }
        var gates: Set<GateKind>?
        if let list = json["native_gates"]?.arrayValue {
            var set = Set<GateKind>()
            for value in list {
                guard let text = value.stringValue, let gate = GateKind(rawValue: text) else { throw fail("native_gates") }
                set.insert(gate)
            }
            gates = set
        }
        var coupling: CouplingMap?
        if let pairs = json["coupling_map"]?.arrayValue {
            var edges: [(Int, Int)] = []
            for pair in pairs {
                guard let ends = pair.arrayValue, ends.count == 2, let a = ends[0].intValue, let b = ends[1].intValue
                else { throw fail("coupling_map") }
                edges.append((a, b))
            }
            coupling = CouplingMap(edges)
        }
        self.init(
            id: id, summary: summary,
            capabilities: QPUCapabilities(
                maxQubits: maxQubits, maxShots: maxShots, memoryLimit: memory, supportsMidCircuitMeasurement: mid,
                nativeGates: gates, couplingMap: coupling, precisions: precisions.isEmpty ? [.double] : precisions))
    }
}

extension QPUStatus {
    /// The status members of a `qpus get --json` object: `status`, `status_date`, `queued`.
    /// - Throws: `WireDecodingError`.
    init(wireJSON json: JSONValue) throws {
        guard let name = json["status"]?.stringValue, name == "paused" || name == "online",
            let queued = json["queued"]?.intValue
        else { throw WireDecodingError(shape: "qpu", problem: "member 'status' or 'queued' is missing or wrong") }
        var since: Timestamp?
        if let text = json["status_date"]?.stringValue {
            guard let time = Timestamp(rfc3339: text) else {
                throw WireDecodingError(shape: "qpu", problem: "member 'status_date' is not an RFC 3339 time")
            }
            since = time
        }
        self.init(paused: name == "paused", since: since, queued: queued)
    }
}

extension DryRunVerdict {
    /// The verdict of a `tasks submit --dry-run --json` object, with its `diagnostics` when
    /// the answer has them (errors without a `file` are in `mainFile`).
    /// - Throws: `WireDecodingError`.
    init(wireJSON json: JSONValue, mainFile: String) throws {
        guard let ok = json["ok"]?.boolValue, let qpu = json["qpu_id"]?.stringValue, let shots = json["shots"]?.intValue
        else { throw WireDecodingError(shape: "dry run", problem: "member 'ok', 'qpu_id' or 'shots' is missing") }
        self.init(qpuID: qpu, shots: shots)
        if !ok { errorClass = ErrorClass(rawValue: json["error_class"]?.stringValue ?? "invalid_program") }
        reasons = (json["error_reasons"]?.arrayValue ?? []).compactMap(\.stringValue)
        if let qubits = json["qubits"]?.intValue, let clbits = json["clbits"]?.intValue,
            let operations = json["operations"]?.intValue
        {
            circuit = CircuitSize(qubits: qubits, clbits: clbits, operations: operations)
        }
        for element in json["diagnostics"]?.arrayValue ?? [] {
            diagnostics.append(try Diagnostic(wireJSON: element, mainFile: mainFile))
        }
    }
}
