// PayloadProcessing without a store: compile a stored program and check it against
// its QPU. The worker runs it for every task, and `tasks submit --dry-run` runs the
// same function, so a dry run gives the verdict the task would get.

/// A program that passed PayloadProcessing: the QPU to run it on and what to ask.
public struct PreparedRun {
    public var qpu: any QPU
    public var request: RunRequest
}

extension Worker {
    /// Compiles `program` (from its snapshot alone) and checks the result against the QPU
    /// `qpuID` names: its shot limit and its own validation (qubits, memory). The run
    /// carries `stop`, which the check asks too; a caller whose stop request was granted
    /// takes any failure for the interruption it is.
    /// - Returns: the run to start, or why the task ends PayloadProcessingError.
    public static func prepare(
        _ program: ProgramSnapshot, qpuID: String, shots: Int, seed: UInt64, compiler: TaskCompiler,
        qpus: [any QPU], threads: Int, precision: Precision, stop: Cancellation = .never
    ) -> Result<PreparedRun, CompileFailure> {
        let circuit: Circuit
        switch compiler.compile(program) {
        case .success(let c): circuit = c
        case .failure(let failure): return .failure(failure)
        }
        guard let qpu = qpus.first(where: { $0.id == qpuID }) else {
            return .failure(CompileFailure(errorClass: .unsupportedFeature, reasons: ["QPU '\(qpuID)' is not available"]))
        }
        if shots > qpu.capabilities.maxShots {
            return .failure(
                CompileFailure(
                    errorClass: .resourceLimit,
                    reasons: ["\(shots) shots exceed the limit of \(qpu.capabilities.maxShots) of QPU '\(qpu.id)'"]))
        }
        let request = RunRequest(
            circuit: circuit, shots: shots, seed: seed, threads: threads, precision: precision, stop: stop)
        do {
            try qpu.validate(request)
        } catch let error as QPUError {
            return .failure(CompileFailure(errorClass: error.errorClass, reasons: [error.message]))
        } catch {
            return .failure(CompileFailure(errorClass: .internalError, reasons: ["\(error)"]))
        }
        return .success(PreparedRun(qpu: qpu, request: request))
    }
}
