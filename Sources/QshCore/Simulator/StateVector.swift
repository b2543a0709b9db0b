// The state vector: 2^n amplitudes in structure-of-arrays form (one array of real
// parts, one of imaginary parts), each 64-byte aligned, in double or single precision.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

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
        let slices = max(1, allocated >> 16)
        if bytes >= StatePages.minimumBytes, let (re, im) = StatePages.mapPair(bytes: bytes, hugeFrom: Self.hugePageBytes) {
            self.re = re.bindMemory(to: T.self, capacity: allocated)
            self.im = im.bindMemory(to: T.self, capacity: allocated)
            mappedBytes = bytes
            // Already zero; faulted in slice by slice on the threads that will use them
            // (first touch).
            let sliceBytes = bytes / slices
            loop.run(count: slices, minimumPerThread: 1) { range in
                let start = range.lowerBound * sliceBytes, n = range.count * sliceBytes
                StatePages.populate(re + start, bytes: n)
                StatePages.populate(im + start, bytes: n)
            }
            return
        }
        re = Self.allocate(bytes: bytes).bindMemory(to: T.self, capacity: allocated)
        im = Self.allocate(bytes: bytes).bindMemory(to: T.self, capacity: allocated)
        // Zeroed slice by slice on the threads that will use them (first touch).
        let re = self.re, im = self.im
        loop.run(count: slices, minimumPerThread: 1) { range in
            let start = range.lowerBound * (allocated / slices), n = range.count * (allocated / slices)
            (re + start).initialize(repeating: 0, count: n)
            (im + start).initialize(repeating: 0, count: n)
        }
    }

    /// 64-byte aligned memory; from 2 MiB up, 2 MiB aligned. Measured on rqc_24
    /// (double, 1 thread, back to back): 2.7 s at 2 MiB alignment, 2.9 s at 4 KiB and
    /// 4.4 s at 64 bytes, where the arrays start just past a page boundary.
    ///
    /// Below `hugePageBytes` the pages are the system's ordinary ones. Transparent huge
    /// pages (MADV_HUGEPAGE) spare the TLB, but in this kind of virtual machine the host
    /// backs a fresh 2 MiB page slowly: first touch of 256 MiB took 340–830 ms with huge
    /// pages against 150–190 ms with 4 KiB pages, and in compare.py's alternating runs
    /// (24 qubits, double, medians of 4–5) rqc_24 took 2.66 s against 3.38 s, qv_24
    /// 1.38 s against 1.46 s and qft_24 1.26 s against 1.65 s at 1 thread; at 26 qubits,
    /// qv_26 4.1–4.2 s against 4.6–5.1 s. Cache-blocked sweeps keep the TLB cost small
    /// there: a chunk spans 512 pages.
    private static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        let huge = 1 << 21
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: bytes >= huge ? huge : 64)
        #if os(Linux)
        if bytes >= hugePageBytes { _ = madvise(pointer, bytes, MADV_HUGEPAGE) }
        #endif
        return pointer
    }

    /// From this size per array up (2^27 amplitudes in double precision, 2^28 in
    /// single) the arrays ask for transparent huge pages: with 4 KiB pages a 28-qubit
    /// state spans a million pages, whose page tables (8 MiB) no longer stay in cache.
    /// Measured at 28 qubits, double, interleaved runs: qv_28 took 28.0–29.1 s with
    /// huge pages against 30.3–36.1 s without at 1 thread, and 15.7–16.5 s against
    /// 18.0–19.1 s at 2 threads; rqc_28 took 64.9–65.0 s against 61.0–70.7 s at 1
    /// thread. ghz_28, whose time is mostly the first touch of its 4 GiB, goes the
    /// other way at 2 threads: 4.6 s against 3.0–3.2 s (at 1 thread 6.1–7.7 s against
    /// 5.1–12.7 s).
    static var hugePageBytes: Int { 1 << 30 }

    /// A view of memory owned by someone else (a state shared with a sweep's threads): never freed here.
    init(wrapping re: UnsafeMutablePointer<T>, _ im: UnsafeMutablePointer<T>, qubits: Int) {
        qubitCount = qubits
        count = 1 << qubits
        self.re = re
        self.im = im
        owned = false
    }

    private var owned = true
    /// The size of each array when they were mapped (StatePages), else 0.
    private var mappedBytes = 0

    deinit {
        if mappedBytes > 0 {
            StatePages.unmap(UnsafeMutableRawPointer(re), bytes: mappedBytes)
            StatePages.unmap(UnsafeMutableRawPointer(im), bytes: mappedBytes)
        } else if owned {
            re.deallocate()
            im.deallocate()
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
