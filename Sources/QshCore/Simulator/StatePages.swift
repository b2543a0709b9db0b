// The memory of a large state: anonymous pages from mmap, which the kernel hands out
// zeroed, with their page faults taken up front by MADV_POPULATE_WRITE.
//
// A fresh state's pages are all faulted in at its first write whatever qsh does; what
// differs is the cost per page. Measured on this kind of two-core virtual machine,
// 256 MiB (the two arrays of a 24-qubit double state), medians of three: malloc and a
// memset took 131–184 ms on one thread and 122–149 ms on two, mmap and one
// MADV_POPULATE_WRITE 72–76 ms (on two threads, one half each, 73–78 ms). The kernel
// zeroes the pages either way; populating skips a fault and a return to user space
// per 4 KiB page, and the memset's own pass. That was 8% of qv_24's time.
//
// Huge pages stay reserved for states of 1 GiB per array and up (`hugePageBytes`).
// Populated huge pages at every size made qv_24 bimodal at 1 thread, 0.83–1.39 s (median 1.25) against 0.90–0.96 s (median 0.91) with 4 KiB pages, seven
// interleaved runs each: in this kind of virtual machine a fresh 2 MiB page is
// sometimes quick to back and often slow.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where a state's arrays live: allocated, made ready (zero, faulted in) slice by slice
/// on the loop's threads, and given back, all by their size.
enum StatePages {
    /// From this size per array up (on Linux) an array is mapped; below it, malloc's
    /// memory and a memset cost little.
    static let minimumBytes = 1 << 21

    /// The alignment of an array of 2 MiB and up. Measured on rqc_24 (double, 1 thread,
    /// back to back): 2.7 s at 2 MiB alignment, 2.9 s at 4 KiB and 4.4 s at 64 bytes,
    /// where the arrays start just past a page boundary. Smaller arrays are 64-byte aligned.
    static let alignment = 1 << 21

    /// From this size per array up (2^27 amplitudes in double precision, 2^28 in
    /// single) the arrays ask for transparent huge pages: with 4 KiB pages a 28-qubit
    /// state spans a million pages, whose page tables (8 MiB) no longer stay in cache.
    /// Measured at 28 qubits, double, interleaved runs: qv_28 took 28.0–29.1 s with
    /// huge pages against 30.3–36.1 s without at 1 thread, and 15.7–16.5 s against
    /// 18.0–19.1 s at 2 threads; rqc_28 took 64.9–65.0 s against 61.0–70.7 s at 1
    /// thread. ghz_28, whose time is mostly the first touch of its 4 GiB, goes the
    /// other way at 2 threads: 4.6 s against 3.0–3.2 s (at 1 thread 6.1–7.7 s against
    /// 5.1–12.7 s).
    ///
    /// Below it the pages are the system's ordinary ones. Huge pages spare the TLB, but
    /// in this kind of virtual machine the host backs a fresh 2 MiB page slowly: first
    /// touch of 256 MiB took 340–830 ms with huge pages against 150–190 ms with 4 KiB
    /// pages, and in compare.py's alternating runs (24 qubits, double, medians of 4–5)
    /// rqc_24 took 2.66 s against 3.38 s, qv_24 1.38 s against 1.46 s and qft_24 1.26 s
    /// against 1.65 s at 1 thread; at 26 qubits, qv_26 4.1–4.2 s against 4.6–5.1 s.
    /// Cache-blocked sweeps keep the TLB cost small there: a chunk spans 512 pages.
    static let hugePageBytes = 1 << 30

    /// Whether an array of `bytes` is mapped (else it comes from malloc).
    static func isMapped(bytes: Int) -> Bool {
        #if os(Linux)
        bytes >= minimumBytes
        #else
        false
        #endif
    }

    /// Memory for one array of `bytes`, not yet ready: call `prepare`.
    static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        guard isMapped(bytes: bytes) else {
            return UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: bytes >= alignment ? alignment : 64)
        }
        #if os(Linux)
        let span = bytes + alignment
        guard let raw = mmap(nil, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            raw != UnsafeMutableRawPointer(bitPattern: -1)
        else {
            // As malloc would trap; the memory limit is checked before any state is made.
            fatalError("cannot map \(StateVectorMemory.describe(bytes: bytes)) for a state vector")
        }
        // Keep the 2 MiB aligned part; give back what lies before and after it.
        let address = Int(bitPattern: raw)
        let aligned = (address + alignment - 1) & ~(alignment - 1)
        let head = aligned - address, tail = span - head - bytes
        if head > 0 { munmap(raw, head) }
        if tail > 0 { munmap(UnsafeMutableRawPointer(bitPattern: aligned + bytes), tail) }
        let pointer = UnsafeMutableRawPointer(bitPattern: aligned)!
        if bytes >= hugePageBytes { _ = madvise(pointer, bytes, MADV_HUGEPAGE) }
        return pointer
        #else
        fatalError("unreachable: no mapped arrays off Linux")
        #endif
    }

    /// Makes `arrays` (each `bytes` from `allocate`) zero, slice by slice on the threads
    /// that will use them (first touch): mapped pages are zero already and only
    /// faulted in (MADV_POPULATE_WRITE; before Linux 5.14 they fault at first write,
    /// which is correct, only slower); malloc's memory is set to zero.
    static func prepare(_ arrays: [UnsafeMutableRawPointer], bytes: Int, loop: some LoopRunner) {
        let slices = max(1, bytes >> 19), sliceBytes = bytes / slices
        let mapped = isMapped(bytes: bytes)
        loop.run(count: slices, minimumPerThread: 1) { range in
            let start = range.lowerBound * sliceBytes, n = range.count * sliceBytes
            for array in arrays {
                if mapped {
                    #if os(Linux)
                    let populateWrite: Int32 = 23  // MADV_POPULATE_WRITE
                    _ = madvise(array + start, n, populateWrite)
                    #endif
                } else {
                    (array + start).initializeMemory(as: UInt8.self, repeating: 0, count: n)
                }
            }
        }
    }

    /// Gives back an array from `allocate`.
    static func deallocate(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        if isMapped(bytes: bytes) {
            munmap(pointer, bytes)
            return
        }
        #endif
        pointer.deallocate()
    }
}
