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
// Huge pages stay reserved for states of 1 GiB per array and up (StateVector's
// `hugePageBytes`). Populated huge pages at every size made qv_24 bimodal at 1 thread,
// 0.83–1.39 s (median 1.25) against 0.90–0.96 s (median 0.91) with 4 KiB pages, seven
// interleaved runs each: in this kind of virtual machine a fresh 2 MiB page is
// sometimes quick to back and often slow.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

enum StatePages {
    /// From this size per array up a state's arrays are mapped (below it, malloc's
    /// memory and a memset cost little).
    static let minimumBytes = 1 << 21

    /// The alignment of a mapped array: 2 MiB, as `StateVector.allocate` explains.
    static let alignment = 1 << 21

    /// `bytes` of zeroed, 2 MiB aligned memory, or nil when the system gives none (the
    /// caller then allocates the ordinary way). Transparent huge pages are asked for
    /// from `hugeFrom` bytes up. The pages are not yet populated: see `populate`.
    static func map(bytes: Int, hugeFrom: Int) -> UnsafeMutableRawPointer? {
        #if os(Linux)
        let span = bytes + alignment
        guard let raw = mmap(nil, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            raw != UnsafeMutableRawPointer(bitPattern: -1)
        else { return nil }
        // Keep the 2 MiB aligned part; give back what lies before and after it.
        let address = Int(bitPattern: raw)
        let aligned = (address + alignment - 1) & ~(alignment - 1)
        let head = aligned - address, tail = span - head - bytes
        if head > 0 { munmap(raw, head) }
        if tail > 0 { munmap(UnsafeMutableRawPointer(bitPattern: aligned + bytes), tail) }
        let pointer = UnsafeMutableRawPointer(bitPattern: aligned)!
        if bytes >= hugeFrom { _ = madvise(pointer, bytes, MADV_HUGEPAGE) }
        return pointer
        #else
        return nil
        #endif
    }

    /// Two arrays of `bytes` (a state's real and imaginary parts), or nil.
    static func mapPair(bytes: Int, hugeFrom: Int) -> (UnsafeMutableRawPointer, UnsafeMutableRawPointer)? {
        guard let first = map(bytes: bytes, hugeFrom: hugeFrom) else { return nil }
        guard let second = map(bytes: bytes, hugeFrom: hugeFrom) else {
            unmap(first, bytes: bytes)
            return nil
        }
        return (first, second)
    }

    /// Faults in `bytes` from `pointer` (page aligned) without writing them. Where the
    /// kernel lacks MADV_POPULATE_WRITE (before Linux 5.14) the pages are left to fault
    /// in at their first write, which is correct, only slower.
    static func populate(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        let populateWrite: Int32 = 23  // MADV_POPULATE_WRITE
        _ = madvise(pointer, bytes, populateWrite)
        #endif
    }

    /// Returns memory from `map`.
    static func unmap(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        munmap(pointer, bytes)
        #endif
    }
}
