// PayloadProcessing without a store: the QPU a task names is found first, then its
// stored program is compiled and checked against that QPU (QPUs/Compiler.swift). The
// worker runs it for every task, and `tasks submit --dry-run` runs the same function,
// so a dry run gives the verdict the task would get.

extension Worker {
    /// Finds the QPU `qpuID` names in `qpus`, compiles `program` (from its snapshot alone)
    /// with `compiler`, and checks the circuit against the QPU (`Compiler.target`: its
    /// capabilities, shot limit and own validation, memory included). The run carries
    /// `stop`, which the check asks too; a caller whose stop request was granted takes
    /// any failure for the interruption it is.
    /// `precision` nil runs in the QPU's own (its default precision).
    /// - Returns: the run to start, or why the task ends PayloadProcessingError.
    public static func prepare(
        _ program: ProgramSnapshot, qpuID: String, shots: Int, seed: UInt64, compiler: TaskCompiler,
        qpus: QPURegistry, threads: Int, precision: Precision? = nil, stop: Cancellation = .never
    ) -> Result<PreparedRun, CompileFailure> {
        let qpu: any QPU
        switch qpus.resolve(qpuID) {
        case .success(let found): qpu = found
        case .failure(let failure): return .failure(failure)
        }
        return compiler.compile(program).flatMap { circuit in
            Compiler.target(
                circuit, on: qpu, shots: shots, seed: seed, threads: threads,
                precision: precision ?? qpu.capabilities.defaultPrecision, stop: stop
            )
            .map { PreparedRun(qpu: qpu, request: $0) }.mapError(\.failure)
        }
    }
}
