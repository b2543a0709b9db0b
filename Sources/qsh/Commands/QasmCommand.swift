// `qsh qasm`: the group of OpenQASM 2.0 commands, and reading a program (a file or
// stdin) with its include loader. Each subcommand lives in its own file.
import QshCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

enum QasmCommand {
    /// The group; add a subcommand by appending its `command` here.
    static var command: Command {
        Command(
            name: "qasm",
            summary: "Check and run OpenQASM 2.0 programs",
            details: "OpenQASM 2.0 as in arXiv:1707.03429, with Qiskit's qelib1.inc built in.",
            subcommands: [QasmCheckCommand.command, QasmRunCommand.command])
    }
}

/// A program read from a file or stdin, with what its includes need.
struct QasmInput {
    var source: SourceFile
    /// The directory include paths are relative to.
    var directory: String
    /// The file is over the size limit; `source` is then empty.
    var oversized = false

    /// Checks the program (or reports it as too large).
    func check(limits: QASMLimits) -> QASMCheckResult {
        if oversized { return QASMFrontEnd.oversized(source.name, limits: limits) }
        return QASMFrontEnd.check(source, limits: limits, include: includeLoader)
    }

    /// Reads `path` (or stdin for `-`), refusing files over the size limit without reading them whole.
    /// - Throws: `CommandFailure` (exit status 1) when the file cannot be read.
    static func read(_ path: String, limits: QASMLimits) throws -> QasmInput {
        if path == "-" {
            let bytes = try readAll(fd: 0, name: "<stdin>", limit: limits.maximumFileSize)
            return QasmInput(source: SourceFile(name: "<stdin>", bytes: bytes), directory: ".")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw readFailure(path, errno) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            throw readFailure(path, EISDIR)
        }
        if (info.st_mode & S_IFMT) == S_IFREG && Int(info.st_size) > limits.maximumFileSize {
            return QasmInput(source: SourceFile(name: path, bytes: []), directory: directoryOf(path), oversized: true)
        }
        let bytes = try readAll(fd: fd, name: path, limit: limits.maximumFileSize)
        return QasmInput(source: SourceFile(name: path, bytes: bytes), directory: directoryOf(path))
    }

    /// The include loader: paths are already normalised and relative to `directory`.
    var includeLoader: @Sendable (String) -> IncludeResult {
        let directory = directory
        return { relative in
            let full = directory == "." ? relative : directory + "/" + relative
            // The front end refuses '..' and absolute paths; a symbolic link must not escape either.
            if let root = QasmInput.realPath(directory), let target = QasmInput.realPath(full),
                !(target.hasPrefix(root.hasSuffix("/") ? root : root + "/"))
            {
                return .failed("it resolves to a file outside the program's directory")
            }
            let fd = open(full, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                return errno == ENOENT || errno == ENOTDIR ? .notFound : .failed(String(cString: strerror(errno)))
            }
            defer { close(fd) }
            var info = stat()
            if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
                return .failed(String(cString: strerror(EISDIR)))
            }
            // One byte over the limit is enough for the front end to report it.
            guard let bytes = try? QasmInput.readAll(fd: fd, name: full, limit: QASMLimits.standard.maximumFileSize) else {
                return .failed(String(cString: strerror(EIO)))
            }
            return .loaded(bytes)
        }
    }

    /// The canonical absolute path of `path`, or nil if it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func directoryOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// Reads to end of file, but at most `limit + 1` bytes.
    static func readAll(fd: Int32, name: String, limit: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 {
            bytes.reserveCapacity(min(Int(info.st_size), limit + 1))
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count <= limit {
            let want = min(chunk.count, limit + 1 - bytes.count)
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, want) }
            if n < 0 {
                if errno == EINTR { continue }
                throw readFailure(name, errno)
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    static func readFailure(_ path: String, _ code: Int32) -> CommandFailure {
        var message = "cannot read '\(path)': \(String(cString: strerror(code)))"
        if code == ENOENT && path.contains("\u{FFFD}") {
            // Arguments reach qsh as UTF-8 text: bytes that are not UTF-8 were replaced, so a
            // file whose name has them exists but cannot be named. Say so rather than just "missing".
            message += " (the name is not valid UTF-8, which qsh cannot open; rename the file or pipe it in with '-')"
        }
        return CommandFailure(status: .failure, code: code == ENOENT ? "file_not_found" : "io_error", message: message)
    }
}
