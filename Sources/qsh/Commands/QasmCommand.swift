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
///
/// Reading rules, the same for `qasm check`, `qasm run`, `tasks submit` and every
/// include: a path must name a regular file (a FIFO, a device, a socket or a folder is
/// refused with an error that says what it is, without waiting on it); `-` reads
/// standard input, whatever it is, up to the size limit; a file over the limit is
/// reported as too large without being read.
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

    /// Checks the program as `check(limits:)` does, asking `stop` as it goes.
    /// - Throws: `Interrupted` when `stop` asked to stop.
    func check(limits: QASMLimits, stop: Cancellation) throws(Interrupted) -> QASMCheckResult {
        if oversized { return QASMFrontEnd.oversized(source.name, limits: limits) }
        return try QASMFrontEnd.check(source, limits: limits, include: includeLoader, stop: stop)
    }

    /// The program and every file it includes, read now: what a task stores.
    func snapshot(limits: QASMLimits) -> ProgramSnapshot {
        ProgramSnapshot.take(source, limits: limits, read: includeLoader)
    }

    /// The diagnostics of a program that cannot be stored whole: the program or an
    /// include over the size limit (empty when it can be).
    func sizeDiagnostics(_ snapshot: ProgramSnapshot, limits: QASMLimits) -> [Diagnostic] {
        if oversized { return QASMFrontEnd.oversized(source.name, limits: limits).diagnostics }
        return snapshot.sizeDiagnostics(limits: limits)
    }

    /// Reads `path` (or stdin for `-`), refusing files over the size limit without reading them whole.
    /// - Throws: `CommandFailure` (exit status 1) when the file cannot be read or is not a regular file.
    static func read(_ path: String, limits: QASMLimits) throws -> QasmInput {
        if path == "-" {
            let bytes = try readAll(fd: 0, name: "<stdin>", limit: limits.maximumFileSize)
            if bytes.count > limits.maximumFileSize {
                return QasmInput(source: SourceFile(name: "<stdin>", bytes: []), directory: ".", oversized: true)
            }
            return QasmInput(source: SourceFile(name: "<stdin>", bytes: bytes), directory: ".")
        }
        let fd = try openForReading(path)
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0 && Int(info.st_size) > limits.maximumFileSize {
            return QasmInput(source: SourceFile(name: path, bytes: []), directory: directoryOf(path), oversized: true)
        }
        let bytes = try readAll(fd: fd, name: path, limit: limits.maximumFileSize)
        return QasmInput(source: SourceFile(name: path, bytes: bytes), directory: directoryOf(path))
    }

    /// What opening a path for reading gave.
    enum Opened {
        /// A regular file, open for blocking reads.
        case opened(Int32)
        /// `open` or `fstat` failed with this errno.
        case failed(Int32)
        /// Something other than a regular file: what it is ("a named pipe (FIFO)").
        case notRegular(String)
    }

    /// The descriptor of the regular file at `path`, open for reading; the caller closes it.
    /// - Throws: `CommandFailure` when it cannot be opened or is not a regular file.
    static func openForReading(_ path: String) throws -> Int32 {
        switch openRegularFile(path) {
        case .opened(let fd): return fd
        case .failed(let code): throw readFailure(path, code)
        case .notRegular(let kind): throw notRegularFailure(path, kind)
        }
    }

    /// Opens `path` without blocking (a FIFO without a writer would block `open` forever)
    /// and accepts only a regular file; a folder is EISDIR, as `read` reports it.
    static func openRegularFile(_ path: String) -> Opened {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else {
            let code = errno
            // open() of a socket fails with ENXIO; say what it is instead.
            var info = stat()
            if code == ENXIO, stat(path, &info) == 0, let kind = nonRegularKind(info.st_mode) { return .notRegular(kind) }
            return .failed(code)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            return .failed(code)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            return .failed(EISDIR)
        }
        if let kind = nonRegularKind(info.st_mode) {
            close(fd)
            return .notRegular(kind)
        }
        // Reads of a regular file never block; clear the flag anyway so that they are plain reads.
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        return .opened(fd)
    }

    /// What a file of this mode is, when it is neither a regular file nor a folder.
    static func nonRegularKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG, S_IFDIR: return nil
        case S_IFIFO: return "a named pipe (FIFO)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }

    /// `cannot read 'p': it is a named pipe (FIFO), not a regular file; ...`
    static func notRegularFailure(_ path: String, _ kind: String) -> CommandFailure {
        var message = "cannot read '\(path)': it is \(kind), not a regular file"
        if kind.contains("pipe") || kind.contains("socket") {
            message += "; to read from a pipe, give '-' and redirect the pipe to standard input"
        }
        return CommandFailure(code: .ioError, message: message)
    }

    /// The include loader: paths are already normalised and relative to `directory`. The
    /// same rules as for the program: regular files only, never waited on, and a file
    /// over the size limit is reported without being read.
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
            let fd: Int32
            switch QasmInput.openRegularFile(full) {
            case .opened(let opened): fd = opened
            case .failed(let code):
                return code == ENOENT || code == ENOTDIR ? .notFound : .failed(String(cString: strerror(code)))
            case .notRegular(let kind):
                return .failed("it is \(kind), not a regular file")
            }
            defer { close(fd) }
            let limit = QASMLimits.standard.maximumFileSize
            var info = stat()
            if fstat(fd, &info) == 0 && Int(info.st_size) > limit { return .tooLarge }
            guard let bytes = try? QasmInput.readAll(fd: fd, name: full, limit: limit) else {
                return .failed(String(cString: strerror(EIO)))
            }
            return bytes.count > limit ? .tooLarge : .loaded(bytes)
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

    /// The bytes of the regular file at `path`, or of standard input for `-`, at most
    /// `limit + 1` of them (the caller says what is too large).
    /// - Throws: `CommandFailure` for a file that cannot be opened or read, or is not a
    ///   regular file (a FIFO or a device is never opened for reading).
    static func readFileOrStandardInput(_ path: String, limit: Int) throws -> [UInt8] {
        if path == "-" { return try readAll(fd: 0, name: "<stdin>", limit: limit) }
        let fd = try openForReading(path)
        defer { close(fd) }
        return try readAll(fd: fd, name: path, limit: limit)
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
        return CommandFailure(code: code == ENOENT ? .fileNotFound : .ioError, message: message)
    }
}
