// The state vector: 2^n amplitudes in structure-of-arrays form (one array of real
// parts, one of imaginary parts), each 64-byte aligned (2 MiB aligned from 2 MiB up;
// StatePages.swift), in double or single precision.

/// 2^n amplitudes, real and imaginary parts in two 64-byte aligned arrays. Owns its
/// memory; not Sendable (kernels share it across threads through raw pointers only).
public final class StateVector<T: SimulatorScalar> {
    /// n.
    public let qubitCount: Int
    /// 2^n.
    public let count: Int
    /// The real parts.
    public let re: UnsafeMutablePointer<T>
    /// The imaginary parts.
    public let im: UnsafeMutablePointer<T>

    /// The bytes a state of `qubits` qubits takes at `precision`, or nil past Int.max.
    public static func memoryNeeded(qubits: Int, precision: Precision) -> Int? {
        StateVectorMemory.bytes(qubits: qubits, precision: precision)
    }

    /// A zeroed state (not normalised); call `setZeroState` for |0…0⟩.
    public init(qubits: Int, loop: some LoopRunner = SequentialLoop()) {
        precondition(qubits >= 0 && qubits < 48, "unreasonable state size")
        qubitCount = qubits
        count = 1 << qubits
        // At least one SIMD vector, so kernels may always load whole vectors.
        let allocated = max(count, 16)
        let bytes = allocated * MemoryLayout<T>.stride
        let re = StatePages.allocate(bytes: bytes), im = StatePages.allocate(bytes: bytes)
        StatePages.prepare([re, im], bytes: bytes, loop: loop)
        self.re = re.bindMemory(to: T.self, capacity: allocated)
        self.im = im.bindMemory(to: T.self, capacity: allocated)
    }

    /// A view of memory owned by someone else (a state shared with a sweep's threads): never freed here.
    init(wrapping re: UnsafeMutablePointer<T>, _ im: UnsafeMutablePointer<T>, qubits: Int) {
        qubitCount = qubits
        count = 1 << qubits
        self.re = re
        self.im = im
        owned = false
    }

    private var owned = true

    deinit {
        if owned {
            let bytes = max(count, 16) * MemoryLayout<T>.stride
            StatePages.deallocate(UnsafeMutableRawPointer(re), bytes: bytes)
            StatePages.deallocate(UnsafeMutableRawPointer(im), bytes: bytes)
        }
    }

    /// Sets |0…0⟩.
    public func setZeroState(loop: some LoopRunner) {
        fill(loop: loop, value: 0)
        re[0] = 1
    }

    /// |0…0⟩ on a freshly allocated (already zero) state.
    func setFreshZeroState() {
        re[0] = 1
    }

    /// Sets every amplitude to `value` (real).
    func fill(loop: some LoopRunner, value: T) {
        let re = self.re, im = self.im
        let chunks = StateVectorMemory.chunks(count: count)
        let size = count / chunks
        loop.run(count: chunks, minimumPerThread: 1) { range in
            let start = range.lowerBound * size, n = range.count * size
            (re + start).update(repeating: value, count: n)
            (im + start).update(repeating: 0, count: n)
        }
    }

    /// Copies another state of the same size.
    public func assign(from other: StateVector<T>) {
        precondition(other.count == count)
        re.update(from: other.re, count: count)
        im.update(from: other.im, count: count)
    }

    /// The amplitude at `index`.
    public subscript(index: Int) -> (re: T, im: T) {
        get { (re[index], im[index]) }
        set {
            re[index] = newValue.re
            im[index] = newValue.im
        }
    }
}

@available(*, unavailable)
extension StateVector: Sendable {}

/// Sizes of states, without allocating one.
public enum StateVectorMemory {
    /// 2^qubits × bytes per amplitude, or nil when that passes Int.max.
    public static func bytes(qubits: Int, precision: Precision) -> Int? {
        guard qubits >= 0 else { return 0 }
        let shift = qubits + (precision == .double ? 4 : 3)
        guard shift < Int.bitWidth - 1 else { return nil }
        return 1 << shift
    }

    /// The fixed number of chunks reductions split a state of `count` amplitudes into:
    /// it depends only on the size, so sums come out the same for any thread count.
    static func chunks(count: Int) -> Int {
        // Chunks of at least 2^12 amplitudes, at most 256 chunks.
        let minimum = 1 << 12
        if count <= minimum { return 1 }
        return min(256, count / minimum)
    }

    /// "16 GiB", "512 MiB", "64 KiB": a size for messages.
    public static func describe(bytes: Int) -> String {
        let units = [("GiB", 30), ("MiB", 20), ("KiB", 10)]
        for (unit, shift) in units where bytes >= 1 << shift {
            let whole = bytes >> shift
            let tenth = ((bytes - whole << shift) * 10) >> shift
            return tenth == 0 || whole >= 100 ? "\(whole) \(unit)" : "\(whole).\(tenth) \(unit)"
        }
        return "\(bytes) bytes"
    }
}
