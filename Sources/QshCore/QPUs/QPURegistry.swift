// The one registry of QPUs: which QPUs this qsh offers, which is the default, and
// finding one by id (with a "did you mean") or by mode name. The executable builds it
// from values it reads (the memory limit, whether the test QPU is on); the core never
// reads the environment.

/// The QPUs qsh can run programs on, in the order they are listed, and the default.
public struct QPURegistry: Sendable {
    /// Every QPU, in the order `qsh qpus list` shows them.
    public let qpus: [any QPU]
    /// The QPU a task runs on when none is named.
    public let defaultID: String

    /// A registry of `qpus`; the default is `defaultID`, or the first QPU.
    /// - Precondition: at least one QPU; ids unique; modes safe in a URL path and
    ///   unique; `defaultID`, when given, among the ids. The QPUs are built in code,
    ///   so a breach is a bug in qsh, not a user's error.
    public init(_ qpus: [any QPU], defaultID: String? = nil) {
        precondition(!qpus.isEmpty, "a QPU registry needs a QPU")
        precondition(Set(qpus.map(\.id)).count == qpus.count, "QPU ids must be unique")
        let modes = qpus.map(\.mode)
        precondition(modes.allSatisfy(QPUMode.isSafe), "QPU modes must be safe in a URL path")
        precondition(Set(modes).count == modes.count, "QPU modes must be unique")
        let chosen = defaultID ?? qpus[0].id
        precondition(qpus.contains { $0.id == chosen }, "the default QPU must be in the registry")
        self.qpus = qpus
        self.defaultID = chosen
    }

    /// The QPUs qsh ships, each within `memoryLimit` bytes: `sim:statevector` (double
    /// precision, or single when asked; the default unless `defaultID` names another),
    /// `sim:statevector-single` (single precision only), `sim:native` (the hardware-like
    /// QPU, `StandardQPUs.native`) and, for qsh's own tests, `test:sleep` sleeping
    /// `testQPUMillisecondsPerShot` per shot (clamped to 0 to 60 000) when that is given.
    /// A `defaultID` that is not among them leaves `sim:statevector` the default.
    public static func standard(
        memoryLimit: Int, testQPUMillisecondsPerShot: Int? = nil, defaultID: String? = nil
    ) -> QPURegistry {
        var qpus: [any QPU] = [
            StateVectorQPU(memoryLimit: memoryLimit),
            StateVectorQPU(
                memoryLimit: memoryLimit, id: "sim:statevector-single",
                summary: "local state-vector simulator in single precision (half the memory)",
                precisions: [.single]),
            StandardQPUs.native(memoryLimit: memoryLimit),
        ]
        if let milliseconds = testQPUMillisecondsPerShot {
            qpus.append(SleepQPU(millisecondsPerShot: min(60_000, max(0, milliseconds))))
        }
        let chosen = defaultID.flatMap { id in qpus.contains { $0.id == id } ? id : nil }
        return QPURegistry(qpus, defaultID: chosen)
    }

    /// The ids, in order.
    public var ids: [String] { qpus.map(\.id) }

    /// The QPU a task runs on when none is named.
    public var defaultQPU: any QPU { self[defaultID]! }

    /// The QPU with this id, or nil.
    public subscript(id: String) -> (any QPU)? { qpus.first { $0.id == id } }

    /// The QPU with this mode name, or nil.
    public func qpu(mode: String) -> (any QPU)? { qpus.first { $0.mode == mode } }

    /// The QPU `id` names, or why a task for it cannot run (`unsupported_feature`: it is
    /// not available here, e.g. a task submitted where the test QPU was on).
    public func resolve(_ id: String) -> Result<any QPU, CompileFailure> {
        guard let qpu = self[id] else {
            return .failure(CompileFailure(errorClass: .unsupportedFeature, reasons: ["QPU '\(id)' is not available"]))
        }
        return .success(qpu)
    }

    /// The id `id` was probably meant to be, for a "did you mean": the closest by edit
    /// distance, or nil when none is close.
    public func suggestion(for id: String) -> String? { closestMatch(id, in: ids.sorted()) }
}

extension QPURegistry: ExpressibleByArrayLiteral {
    /// A registry of the QPUs listed, the first the default.
    public init(arrayLiteral qpus: (any QPU)...) { self.init(qpus) }
}
