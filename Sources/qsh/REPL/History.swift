// The interactive shell's history: which lines are kept, where the file lives, and
// reading, appending and capping it. Line editing (Up, Ctrl-R) is the editor's job.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The lines typed in the shell, in order, and the file they persist to.
struct History {
    /// At most this many lines are kept (in memory and in the file). Arbitrary: enough for
    /// weeks of use, small enough to load instantly.
    static let defaultCap = 2000

    /// The file, or nil when history is not saved (`QSH_HISTORY=` or no usable home).
    var path: String?
    var cap: Int
    private(set) var entries: [String] = []
    /// Set once writing failed, so the warning is shown once.
    private(set) var writeFailed = false

    init(path: String?, cap: Int = History.defaultCap) {
        self.path = path
        self.cap = max(1, cap)
    }

    /// `$QSH_HISTORY` (empty: none), else `$XDG_STATE_HOME/qsh/history`, else
    /// `~/.local/state/qsh/history`. A relative `XDG_STATE_HOME` is ignored, as the XDG
    /// specification says.
    static func path(environment: [String: String]) -> String? {
        if let explicit = environment["QSH_HISTORY"] { return explicit.isEmpty ? nil : explicit }
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/qsh/history"
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.local/state/qsh/history"
    }

    /// Options whose values are secrets: a line that has one is never recorded.
    static let secretOptions = ["--token", "--password", "--secret", "--api-key"]

    /// The form a line is stored in, or nil when it is not stored: trailing blanks are
    /// trimmed; blank lines, lines that start with a space (bash's `ignorespace`) and lines
    /// with a secret option are not stored.
    static func normalize(_ line: String) -> String? {
        var text = Substring(line)
        while let last = text.last, last == " " || last == "\t" || last == "\r" || last == "\n" {
            text = text.dropLast()
        }
        if text.isEmpty || text.first == " " || text.first == "\t" { return nil }
        let words = (try? WordSplitter.split(String(text)))?.map(\.text) ?? []
        for word in words where secretOptions.contains(where: { word == $0 || word.hasPrefix($0 + "=") }) {
            return nil
        }
        return String(text)
    }

    /// Adds a typed line; returns the stored form when it was added (not blank, not secret,
    /// not the same as the line before it).
    @discardableResult
    mutating func add(_ line: String) -> String? {
        guard let text = History.normalize(line), entries.last != text else { return nil }
        entries.append(text)
        if entries.count > cap { entries.removeFirst(entries.count - cap) }
        return text
    }

    /// Reads the file (missing is fine); rewrites it when it has grown well past the cap.
    /// - Returns: a warning for stderr when the file exists but cannot be read.
    mutating func load() -> String? {
        guard let path else { return nil }
        guard let data = History.readFile(path) else {
            if errno == ENOENT { return nil }
            return "cannot read history '\(path)': \(History.reason(errno))"
        }
        var lines: [String] = []
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            let text = String(decoding: line, as: UTF8.self)
            if lines.last != text { lines.append(text) }
        }
        // Arbitrary slack of a quarter, so the file is rewritten once in a while, not every time.
        let tooLong = lines.count > cap + cap / 4
        if lines.count > cap { lines.removeFirst(lines.count - cap) }
        entries = lines
        if tooLong { return rewrite() }
        return nil
    }

    /// Appends one stored line to the file at once, so a crash loses nothing.
    /// - Returns: a warning the first time the file cannot be written.
    mutating func append(_ text: String) -> String? {
        guard let path, !writeFailed else { return nil }
        if let reason = History.makeParent(of: path) { return fail(reason) }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return fail(History.reason(errno)) }
        defer { close(fd) }
        let bytes = Array((text + "\n").utf8)
        guard History.writeAll(fd, bytes) else { return fail(History.reason(errno)) }
        return nil
    }

    /// Replaces the file with the entries in memory (write to a temporary file, then rename).
    mutating func rewrite() -> String? {
        guard let path, !writeFailed else { return nil }
        if let reason = History.makeParent(of: path) { return fail(reason) }
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return fail(History.reason(errno)) }
        var text = entries.joined(separator: "\n")
        if !text.isEmpty { text += "\n" }
        let ok = History.writeAll(fd, Array(text.utf8))
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let reason = History.reason(errno)
            unlink(temporary)
            return fail(reason)
        }
        return nil
    }

    private mutating func fail(_ reason: String) -> String {
        writeFailed = true
        return "cannot write history '\(path ?? "")': \(reason)"
    }

    private static func reason(_ code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }

    private static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            data.append(contentsOf: chunk[0..<n])
        }
        return data
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// Creates the folders above `path` (mode 0700, as XDG asks for state); nil when fine.
    private static func makeParent(of path: String) -> String? {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast()
        var prefix = ""
        for (i, part) in parts.enumerated() {
            prefix += (i == 0 ? "" : "/") + part
            if part.isEmpty { continue }
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST { return reason(errno) }
        }
        return nil
    }
}
