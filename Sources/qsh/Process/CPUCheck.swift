// A release build compiled for AVX2 or AVX-512 (see the Makefile) would die with
// SIGILL on a CPU without those instructions. This check runs first, reads the
// first processor's flags from /proc/cpuinfo and stops with a clear message instead.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

enum CPUCheck {
    /// The instruction-set features this binary was compiled to use.
    static var required: [String] {
        #if QSH_AVX512
        return ["avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl"]
        #elseif QSH_AVX2
        return ["avx2", "fma"]
        #else
        return []
        #endif
    }

    /// The message for a CPU that lacks some of `required`, or nil when it has them
    /// all or its flags cannot be read.
    static func problem() -> String? {
        guard !required.isEmpty, let flags = firstFlagsLine() else { return nil }
        let missing = missingFeatures(flagsLine: flags, required: required)
        guard !missing.isEmpty else { return nil }
        return "qsh: this binary was built for a CPU with \(required.joined(separator: " ")), "
            + "and this CPU lacks \(missing.joined(separator: " ")); "
            + "rebuild on this machine with 'make', or build 'make SIMD=portable' to run anywhere\n"
    }

    /// The features in `required` that the "flags : …" line of /proc/cpuinfo lacks.
    static func missingFeatures(flagsLine: String, required: [String]) -> [String] {
        guard let colon = flagsLine.firstIndex(of: ":") else { return required }
        let present = Set(flagsLine[flagsLine.index(after: colon)...].split(separator: " ").map(String.init))
        return required.filter { !present.contains($0) }
    }

    /// The first "flags" line of /proc/cpuinfo (the first processor only: the kernel
    /// writes the file one processor at a time, so a short read stays cheap).
    private static func firstFlagsLine() -> String? {
        let fd = open("/proc/cpuinfo", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 1 << 16 {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes += buffer[0..<n]
            if let line = flagsLine(in: bytes) { return line }
        }
        return flagsLine(in: bytes)
    }

    private static func flagsLine(in bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        where line.hasPrefix("flags") {
            return String(line)
        }
        return nil
    }
}
