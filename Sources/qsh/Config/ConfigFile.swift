// The settings file, $XDG_CONFIG_HOME/qsh/config (else ~/.config/qsh/config): one
// `key = value` a line, `#` comments, read only when a setting is needed and no flag
// or environment variable gave it. Writing replaces the file at once (a temporary
// file renamed over it).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import QshCore

/// A setting `qsh config` keeps, with its environment variable and built-in default.
struct ConfigKey: Sendable, Equatable {
    var name: String
    /// The environment variable that overrides the file.
    var environment: String
    /// What applies when neither a flag, the environment nor the file gives a value.
    var builtIn: String
    var help: String

    static let defaultQPU = ConfigKey(
        name: "default_qpu", environment: "QSH_QPU", builtIn: "sim:statevector",
        help: "the QPU 'tasks submit' runs on without --qpu")
    static let shots = ConfigKey(
        name: "shots", environment: "QSH_SHOTS", builtIn: "1000", help: "the shots of 'tasks submit' without --shots")
    static let output = ConfigKey(
        name: "output", environment: "QSH_OUTPUT", builtIn: "table on a terminal, json in a pipe",
        help: "the output format without -o/--json")

    static let api = ConfigKey(
        name: "api", environment: "QSH_API", builtIn: "none (the local task database)",
        help: "the qsh server the tasks, batches and qpus commands use without --api")

    /// Every key, in the order `config list` shows them.
    static let all = [defaultQPU, shots, output, api]

    static func named(_ name: String) -> ConfigKey? { all.first { $0.name == name } }
}

/// The settings file's contents: its values by key, in file order.
struct ConfigFile: Sendable, Equatable {
    /// Where it is (it may not exist).
    var path: String
    var values: [(key: String, value: String)] = []

    static func == (a: ConfigFile, b: ConfigFile) -> Bool {
        a.path == b.path && a.values.map(\.key) == b.values.map(\.key) && a.values.map(\.value) == b.values.map(\.value)
    }

    /// $XDG_CONFIG_HOME/qsh/config when XDG_CONFIG_HOME is an absolute path, else
    /// $HOME/.config/qsh/config.
    static func path(environment: [String: String], home: String) -> String {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") { return config + "/qsh/config" }
        return (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.config/qsh/config"
    }

    subscript(key: String) -> String? { values.last { $0.key == key }?.value }

    /// Reads the file; a file that is not there holds no settings.
    /// - Throws: `CommandFailure` when it cannot be read or a line is not `key = value`
    ///   with a known key.
    static func load(path: String) throws -> ConfigFile {
        var file = ConfigFile(path: path)
        guard let bytes = try readBytes(path) else { return file }
        var number = 0
        for line in String(decoding: bytes, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            number += 1
            let text = line.trimmingBlanks()
            if text.isEmpty || text.hasPrefix("#") { continue }
            guard let eq = text.firstIndex(of: "=") else {
                throw invalid(path, number, "expected 'key = value', got '\(text.terminalSafe())'")
            }
            let key = String(text[..<eq]).trimmingBlanks(), value = String(text[text.index(after: eq)...]).trimmingBlanks()
            guard ConfigKey.named(key) != nil else {
                throw invalid(path, number, "unknown key '\(key.terminalSafe())'; keys: \(ConfigKey.all.map(\.name).joined(separator: ", "))")
            }
            file.values.append((key, value))
        }
        return file
    }

    static func invalid(_ path: String, _ line: Int, _ what: String) -> CommandFailure {
        CommandFailure(
            code: .invalidArgument,
            message: "config file '\(path.terminalSafe())' line \(line): \(what); fix it or run 'qsh config unset <key>'")
    }

    /// The file with `key` set to `value` (or removed when `value` is nil), other lines kept.
    func setting(_ key: String, to value: String?) -> ConfigFile {
        var copy = self
        copy.values.removeAll { $0.key == key }
        if let value { copy.values.append((key, value)) }
        return copy
    }

    /// The text written back: one `key = value` a line.
    var text: String { values.map { "\($0.key) = \($0.value)\n" }.joined() }

    /// Writes the file (creating its folders): a temporary file beside it, renamed over it.
    /// - Throws: `CommandFailure` naming the path and the system's reason.
    func save() throws {
        let folder = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !folder.isEmpty { try Self.makeFolders(folder) }
        let temporary = path + ".tmp\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.failure("write", temporary) }
        var ok = true
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { ok = false; break }
            written += n
        }
        let error = errno
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let reason = ok ? errno : error
            unlink(temporary)
            throw Self.failure("write", path, errno: reason)
        }
    }

    static func failure(_ verb: String, _ path: String, errno code: Int32 = errno) -> CommandFailure {
        CommandFailure(
            code: .ioError, message: "cannot \(verb) '\(path.terminalSafe())': \(cString(strerrorBytes(code)))")
    }

    static func strerrorBytes(_ code: Int32) -> [CChar] {
        guard let text = strerror(code) else { return [0] }
        return Array(UnsafeBufferPointer(start: text, count: strlen(text) + 1))
    }

    /// `mkdir -p`.
    static func makeFolders(_ folder: String) throws {
        var prefix = ""
        for part in folder.split(separator: "/", omittingEmptySubsequences: false) {
            prefix += prefix.isEmpty && part.isEmpty ? "/" : (prefix.hasSuffix("/") || prefix.isEmpty ? "" : "/") + part
            if part.isEmpty { continue }
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw failure("create folder", prefix) }
        }
    }

    /// The file's bytes, or nil when there is no file.
    static func readBytes(_ path: String) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw failure("read", path)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw failure("read", path) }
            if n == 0 { break }
            bytes += buffer[0..<n]
            // A settings file is a few lines: anything this large is not one.
            if bytes.count > 1 << 20 {
                throw CommandFailure(code: .invalidArgument, message: "config file '\(path.terminalSafe())' is over 1 MiB")
            }
        }
        return bytes
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and carriage returns.
    func trimmingBlanks() -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !blank($0) }) else { return "" }
        let last = lastIndex(where: { !blank($0) })!
        return String(self[first...last])
    }
}
