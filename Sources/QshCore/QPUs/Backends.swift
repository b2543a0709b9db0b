// The QPU registries the commands and the server use, built from the environment the
// executable hands in (QshCore reads none itself): $QSH_MEMORY_LIMIT, whether the test
// QPU is on ($QSH_TEST_QPU, $QSH_TEST_SHOT_MS), the simulator's threads ($QSH_THREADS),
// and the machine's memory and processors.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The QPU registries and thread counts of the executables (`qsh`, `qsh-server`).
public enum Backends {
    /// The QPUs tasks run on (the worker, `tasks submit` and its dry run, `qpus list|get`,
    /// the REPL): the state-vector simulator within `memoryLimit(_:)`, and `test:sleep`
    /// when QSH_TEST_QPU=1, sleeping QSH_TEST_SHOT_MS per shot (default 10).
    public static func registry(_ environment: [String: String]) -> QPURegistry {
        let testQPU = environment["QSH_TEST_QPU"] == "1" ? environment["QSH_TEST_SHOT_MS"].flatMap(Int.init) ?? 10 : nil
        return .standard(memoryLimit: memoryLimit(environment), testQPUMillisecondsPerShot: testQPU)
    }

    /// The QPUs of `qsh qasm run`, which reads no environment: the simulator within three
    /// quarters of physical memory.
    public static func localRegistry() -> QPURegistry { .standard(memoryLimit: machineMemoryLimit()) }

    /// Bytes the simulator may allocate: $QSH_MEMORY_LIMIT (bytes, or with a K/M/G suffix),
    /// else what `qsh qasm run` allows (three quarters of physical memory).
    public static func memoryLimit(_ environment: [String: String]) -> Int {
        if let text = environment["QSH_MEMORY_LIMIT"], let bytes = parseBytes(text) { return bytes }
        return machineMemoryLimit()
    }

    /// Bytes from `123`, `64K`, `512M` or `2G`; nil for anything else.
    public static func parseBytes(_ text: String) -> Int? {
        let scales: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        if let last = text.last, let scale = scales[Character(last.uppercased())] {
            guard let n = Int(text.dropLast()), n > 0 else { return nil }
            return n.multipliedReportingOverflow(by: scale).overflow ? nil : n * scale
        }
        return Int(text).flatMap { $0 > 0 ? $0 : nil }
    }

    /// Three quarters of physical memory (MemTotal in /proc/meminfo), or 4 GiB if unknown.
    public static func machineMemoryLimit() -> Int {
        let fallback = 4 << 30
        guard let file = fopen("/proc/meminfo", "r") else { return fallback }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard text.hasPrefix("MemTotal:") else { continue }
            let digits = text.drop { !$0.isNumber }.prefix { $0.isNumber }
            guard let kib = Int(digits), kib > 0 else { return fallback }
            return kib / 4 * 3 * 1024
        }
        return fallback
    }

    /// Threads for the simulator: $QSH_THREADS (at most `RunLimits.maximumThreads`), else
    /// the online CPUs.
    public static func threads(_ environment: [String: String]) -> Int {
        if let text = environment["QSH_THREADS"], let n = Int(text), n > 0 {
            return min(n, RunLimits.standard.maximumThreads)
        }
        return onlineCores()
    }

    /// Online processors.
    public static func onlineCores() -> Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
