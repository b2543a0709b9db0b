// A program and the files it includes, as read at one moment: what a task stores, so
// that checking it later (in a worker, after the files changed) gives exactly what
// checking the files gave when the task was submitted.

/// One file a program includes: the normalised relative path the front end asked for,
/// and what reading it gave.
public struct IncludedFile: Sendable, Hashable {
    public var path: String
    public var result: IncludeResult

    public init(path: String, result: IncludeResult) {
        self.path = path
        self.result = result
    }
}

/// A program's bytes and every file it includes, each read once.
public struct ProgramSnapshot: Sendable, Hashable {
    /// The program as read, under the name diagnostics use.
    public var main: SourceFile
    /// Each include the front end asked for, in the order it first asked; qelib1.inc is
    /// built in and never among them.
    public var includes: [IncludedFile]

    public init(main: SourceFile, includes: [IncludedFile] = []) {
        self.main = main
        self.includes = includes
    }

    /// An include loader that answers from the snapshot alone: a path it does not hold
    /// was not asked for when the snapshot was taken, so it counts as not found.
    public var loader: @Sendable (String) -> IncludeResult {
        var table: [String: IncludeResult] = [:]
        for file in includes where table[file.path] == nil { table[file.path] = file.result }
        let files = table
        return { files[$0] ?? .notFound }
    }

    /// Reads every file `main` includes, and the files those include, through `read`:
    /// each path once, in the order the front end asks for them. A program without an
    /// `include` other than qelib1.inc is not parsed at all.
    /// - Parameters:
    ///   - read: reads a normalised path relative to the program's directory, as the
    ///     `include` argument of `QASMFrontEnd.check`.
    public static func take(
        _ main: SourceFile, limits: QASMLimits = .standard, read: (String) -> IncludeResult
    ) -> ProgramSnapshot {
        guard main.bytes.count <= limits.maximumFileSize, main.bytes.count < Int(UInt32.max),
            mayIncludeFiles(main.bytes)
        else { return ProgramSnapshot(main: main) }
        let recorder = IncludeRecorder()
        withoutActuallyEscaping(read) { read in
            let loader: (String) -> IncludeResult = { path in
                if let seen = recorder.results[path] { return seen }
                let result = read(path)
                recorder.results[path] = result
                recorder.files.append(IncludedFile(path: path, result: result))
                return result
            }
            // The parser alone asks for includes; the checker never reads a file.
            main.bytes.withUnsafeBufferPointer { buffer in
                var parser = Parser(bytes: buffer, name: main.name, limits: limits, loader: loader)
                parser.parseMain()
            }
        }
        return ProgramSnapshot(main: main, includes: recorder.files)
    }

    /// The diagnostics of the files that are over the size limit, as `QASMFrontEnd.check`
    /// reports them (empty when every file is within it).
    public func sizeDiagnostics(limits: QASMLimits = .standard) -> [Diagnostic] {
        if main.bytes.count > limits.maximumFileSize || main.bytes.count >= Int(UInt32.max) {
            return QASMFrontEnd.oversized(main.name, limits: limits).diagnostics
        }
        let tooLarge = includes.contains { file in
            switch file.result {
            case .tooLarge: return true
            case .loaded(let bytes): return bytes.count > limits.maximumFileSize
            case .notFound, .failed: return false
            }
        }
        guard tooLarge else { return [] }
        return QASMFrontEnd.check(main, limits: limits, include: loader).diagnostics.filter {
            $0.code == QASMMessages.fileTooLarge(limit: limits.maximumFileSize).code
        }
    }

    /// False only when the bytes cannot hold an include of a file: every `include` in
    /// them is followed by `"qelib1.inc"`. Comments and strings count too (a needless parse
    /// at worst, never a missed file).
    static func mayIncludeFiles(_ bytes: [UInt8]) -> Bool {
        let keyword = Array("include".utf8)
        let library = Array("\"qelib1.inc\"".utf8)
        return bytes.withUnsafeBufferPointer { b in
            var i = 0
            let n = b.count
            while i + keyword.count <= n {
                guard b[i] == 0x69 else {  // 'i'
                    i += 1
                    continue
                }
                var matches = true
                for k in 1..<keyword.count where b[i + k] != keyword[k] {
                    matches = false
                    break
                }
                guard matches else {
                    i += 1
                    continue
                }
                var j = i + keyword.count
                while j < n, b[j] == 0x20 || b[j] == 0x09 || b[j] == 0x0A || b[j] == 0x0D { j += 1 }
                guard j + library.count <= n else { return true }
                for k in 0..<library.count where b[j + k] != library[k] { return true }
                i = j + library.count
            }
            return false
        }
    }
}

/// What a snapshot's loader has read so far.
private final class IncludeRecorder {
    var results: [String: IncludeResult] = [:]
    var files: [IncludedFile] = []
}
