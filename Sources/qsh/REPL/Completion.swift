// Tab completion: the candidates for the word being typed, from the command table (names,
// options, option choices) and injected sources (task ids, QPU ids, folders). Pure values;
// the readline glue at the bottom is the only part that touches C, and holds the one global.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CReadline

/// One entry of a folder, for file-name completion.
struct DirectoryEntry: Equatable, Sendable {
    var name: String
    var isDirectory: Bool
}

/// Where completion finds values that are not in the command table. Injected, so tests
/// (and the shells' completion scripts) see exactly what they are given.
struct CompletionSources {
    /// Task ids that start with a prefix, newest first (the task database).
    var taskIDs: (String) -> [String] = { _ in [] }
    /// The ids of the QPUs, e.g. `sim:statevector`.
    var qpuIDs: () -> [String] = { CompletionSources.knownQPUs }
    /// The entries of a folder, or nil when it cannot be read.
    var listDirectory: (String) -> [DirectoryEntry]? = CompletionSources.readDirectory
    /// The home folder, for `~/` in file names.
    var home: String = "/"

    /// The QPUs that ship with qsh.
    static let knownQPUs = ["sim:statevector"]

    /// The task states, for `--status` when its spec lists no choices (DESIGN.md's wire names).
    static let taskStates = [
        "Created", "PayloadProcessing", "Scheduled", "ExecutionStarted", "ExecutionCompleted", "Completed",
        "Failed", "Cancelled", "PayloadProcessingError",
    ]

    /// Lists a real folder with opendir(3).
    static func readDirectory(_ path: String) -> [DirectoryEntry]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var entries: [DirectoryEntry] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            var isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
            if entry.pointee.d_type == UInt8(DT_LNK) || entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                var info = stat()
                let full = path.hasSuffix("/") ? path + name : path + "/" + name
                isDirectory = stat(full, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            }
            entries.append(DirectoryEntry(name: name, isDirectory: isDirectory))
        }
        return entries
    }
}

/// The candidates for one word.
struct Completion: Equatable {
    enum Kind: Equatable {
        /// Whole words: a space follows an accepted candidate.
        case words
        /// File names relative to the current folder: folders get a `/` and no space.
        case files
    }

    var candidates: [String]
    var kind: Kind = .words

    static let none = Completion(candidates: [])
}

/// Computes completion candidates from the command table, the meta-commands and the sources.
struct Completer {
    var commands: [Command]
    /// The shell's dot commands; empty outside the shell (the completion scripts).
    var metaCommands: [MetaCommand]
    var sources: CompletionSources

    /// The candidates for `partial`, the word under the cursor, given the text before it.
    /// `before` ends with a blank, or with `=` after an option (`--output=` then `js`).
    func complete(before: String, partial: String) -> Completion {
        let scan = WordSplitter.scan(before)
        if scan.error != nil || scan.inComment { return .none }
        var words = scan.words.map(\.text)
        var attached: String?
        if before.hasSuffix("="), let last = words.last, last.hasPrefix("-"), last.hasSuffix("=") {
            attached = String(last.dropLast())
            words.removeLast()
        }
        if words.first == "qsh", !commands.contains(where: { $0.name == "qsh" }) { words.removeFirst() }
        let result = candidates(words: words, attached: attached, partial: partial)
        return result
    }

    /// Completes the end of `line` (the text up to the cursor): the word under the cursor
    /// starts after the last blank, or after `=` in an option.
    func complete(line: String) -> Completion {
        let (before, partial) = Completer.splitCurrentWord(line)
        return complete(before: before, partial: partial)
    }

    /// Splits the text up to the cursor into what comes before the current word and the
    /// word itself, with an opening quote removed (readline does the same).
    static func splitCurrentWord(_ line: String) -> (before: String, partial: String) {
        let scan = WordSplitter.scan(line)
        var start = line.utf8.count
        if let error = scan.error, error.message == "unterminated quote" {
            start = error.offset
        } else if let last = line.unicodeScalars.last, last != " " && last != "\t" {
            start = scan.words.last?.offset ?? line.utf8.count
        }
        let bytes = Array(line.utf8)
        var word = String(decoding: bytes[start...], as: UTF8.self)
        var prefixEnd = start
        if word.hasPrefix("-"), let eq = word.firstIndex(of: "=") {
            let head = word[...eq]
            prefixEnd += head.utf8.count
            word = String(word[word.index(after: eq)...])
        }
        let before = String(decoding: bytes[..<prefixEnd], as: UTF8.self)
        if let first = word.first, first == "'" || first == "\"" {
            word.removeFirst()
        }
        return (before, word)
    }

    private func candidates(words: [String], attached: String?, partial: String) -> Completion {
        // A meta-command and its argument.
        if let first = words.first, first.hasPrefix(".") {
            guard words.count == 1, let meta = metaCommands.first(where: { $0.names.contains(first) }) else {
                return .none
            }
            let values = meta.completesQPU ? sources.qpuIDs() : meta.values
            return filtered(values, partial)
        }
        // Options that come before the command name.
        var index = 0
        var pendingGlobal: OptionSpec?
        while index < words.count, words[index].hasPrefix("-") {
            let word = words[index]
            let name = String(word.prefix(while: { $0 != "=" }))
            let spec = CommonOptions.global.first { $0.long == name || $0.short.map { "-\($0)" } == name }
            index += 1
            if let spec, spec.takesValue, !word.contains("=") {
                if index == words.count { pendingGlobal = spec } else { index += 1 }
            }
        }
        if let attached {
            if index == words.count, let spec = CommonOptions.global.first(where: { $0.long == attached }) {
                return values(for: spec, partial: partial)
            }
        } else if let pendingGlobal {
            return values(for: pendingGlobal, partial: partial)
        }
        guard index < words.count else {
            if attached != nil { return .none }
            if partial.hasPrefix(".") && words.isEmpty {
                return filtered(metaCommands.flatMap(\.names).sorted(), partial)
            }
            if partial.hasPrefix("-") { return filtered(CommonOptions.global.map(\.long), partial) }
            return filtered(commands.map(\.name).sorted(), partial)
        }
        guard var command = commands.first(where: { $0.name == words[index] }) else { return .none }
        index += 1
        while !command.subcommands.isEmpty, index < words.count, let sub = command.subcommand(words[index]) {
            command = sub
            index += 1
        }
        if !command.subcommands.isEmpty && index == words.count && attached == nil {
            if partial.hasPrefix("-") {
                let options = command.run == nil ? CommonOptions.always : command.allOptions
                return filtered(options.map(\.long), partial)
            }
            return filtered(command.subcommands.map(\.name).sorted(), partial)
        }
        if !command.subcommands.isEmpty && command.run == nil { return .none }
        return leaf(command, words: Array(words[index...]), attached: attached, partial: partial)
    }

    /// The candidates after a leaf command's name: option names, option values, positionals.
    private func leaf(_ command: Command, words: [String], attached: String?, partial: String) -> Completion {
        let specs = command.allOptions
        if let attached {
            guard let spec = specs.first(where: { $0.long == attached }), spec.takesValue else { return .none }
            return values(for: spec, partial: partial)
        }
        var used: Set<String> = []
        var positionals: [String] = []
        var expecting: OptionSpec?
        var onlyPositionals = false
        for word in words {
            if expecting != nil {
                expecting = nil
                continue
            }
            if onlyPositionals || word == "-" || !word.hasPrefix("-") {
                positionals.append(word)
            } else if word == "--" {
                onlyPositionals = true
            } else if word.hasPrefix("--") {
                let name = String(word.prefix(while: { $0 != "=" }))
                guard let spec = specs.first(where: { $0.long == name }) else { continue }
                used.insert(spec.long)
                if spec.takesValue && !word.contains("=") { expecting = spec }
            } else {
                var chars = Array(word.dropFirst())
                while !chars.isEmpty {
                    let c = chars.removeFirst()
                    guard let spec = specs.first(where: { $0.short == c }) else { break }
                    used.insert(spec.long)
                    if spec.takesValue {
                        if chars.isEmpty { expecting = spec }
                        break
                    }
                }
            }
        }
        if let spec = expecting { return values(for: spec, partial: partial) }
        if partial.hasPrefix("-") && !onlyPositionals {
            let names = specs.filter { $0.repeatable || !used.contains($0.long) }.map(\.long)
            return filtered(names, partial)
        }
        guard positionals.count < command.arguments.upperBound else { return .none }
        switch command.argumentKind {
        case "file": return files(partial)
        case "task": return Completion(candidates: sources.taskIDs(partial).filter { $0.hasPrefix(partial) })
        case "command":
            if positionals.isEmpty {
                var names = commands.map(\.name).sorted()
                if command.name == "help" { names.append("exit-codes") }
                return filtered(names, partial)
            }
            guard let group = CommandTable.find(positionals, in: commands) else { return .none }
            return filtered(group.subcommands.map(\.name).sorted(), partial)
        default: return .none
        }
    }

    /// The values an option accepts: its choices, else by what its placeholder names.
    private func values(for spec: OptionSpec, partial: String) -> Completion {
        if !spec.choices.isEmpty { return filtered(spec.choices, partial) }
        let placeholder = (spec.value ?? "").lowercased()
        if spec.long == "--qpu" || placeholder.contains("qpu") { return filtered(sources.qpuIDs(), partial) }
        if spec.long == "--status" || placeholder.contains("status") || placeholder.contains("state") {
            return filtered(CompletionSources.taskStates, partial)
        }
        if placeholder.contains("path") || placeholder.contains("file") || placeholder.contains("dir") {
            return files(partial)
        }
        if placeholder == "<id>" || placeholder.contains("task") {
            return Completion(candidates: sources.taskIDs(partial).filter { $0.hasPrefix(partial) })
        }
        return .none
    }

    /// File and folder names that start with `partial` (a path relative to the current
    /// folder, or under `~/`). Hidden entries only when the name typed starts with a dot.
    private func files(_ partial: String) -> Completion {
        var folder = ""
        var prefix = partial
        if let slash = partial.lastIndex(of: "/") {
            folder = String(partial[...slash])
            prefix = String(partial[partial.index(after: slash)...])
        }
        var listed = folder.isEmpty ? "." : folder
        if listed.hasPrefix("~/") { listed = sources.home + "/" + listed.dropFirst(2) }
        guard let entries = sources.listDirectory(listed) else { return Completion(candidates: [], kind: .files) }
        let names = entries
            .filter { $0.name.hasPrefix(prefix) && (prefix.hasPrefix(".") || !$0.name.hasPrefix(".")) }
            .map { folder + $0.name }
            .sorted()
        return Completion(candidates: names, kind: .files)
    }

    private func filtered(_ names: [String], _ partial: String) -> Completion {
        var seen: Set<String> = []
        return Completion(candidates: names.filter { $0.hasPrefix(partial) && seen.insert($0).inserted })
    }
}

extension CommandTable {
    /// The command at `path` within `commands` (a table given by the caller).
    static func find(_ path: [String], in commands: [Command]) -> Command? {
        guard let first = path.first, var command = commands.first(where: { $0.name == first }) else { return nil }
        for name in path.dropFirst() {
            guard let sub = command.subcommand(name) else { return nil }
            command = sub
        }
        return command
    }
}

// MARK: - The readline bridge

/// What readline's C callbacks need from Swift, held for the life of one `ReadlineEditor`.
final class ReadlineBridge {
    var completer: Completer
    /// Ctrl-G keys sent to leave a search or a half-typed key sequence after Ctrl-C;
    /// bounded so that a state readline does not leave cannot loop forever.
    var abortsSent = 0
    /// Set when Ctrl-C dropped the line being read.
    var cancelled = false

    init(completer: Completer) { self.completer = completer }
}

/// The one global of the shell. readline calls `rl_attempted_completion_function` and
/// `rl_getc_function` as plain C function pointers with no context argument, so the
/// completer they need cannot be captured or passed: it has to be reachable from a global.
/// `ReadlineEditor` sets it on creation and clears it when it goes away; only the main
/// thread, inside `readline()`, reads it.
nonisolated(unsafe) var activeReadlineBridge: ReadlineBridge?

/// readline's completion entry point: candidates for the word between `start` and `end`.
/// Returns a malloc'd, NULL-terminated array whose first entry is the common prefix, as
/// readline expects (it frees all of it).
func readlineComplete(
    _ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32
) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    qsh_rl_set_attempted_completion_over(1)
    guard let bridge = activeReadlineBridge, let buffer = qsh_rl_line() else { return nil }
    let line = String(cString: buffer)
    let bytes = Array(line.utf8)
    let cut = max(0, min(Int(start), bytes.count))
    var before = String(decoding: bytes[..<cut], as: UTF8.self)
    // readline strips an opening quote from `text`; keep it out of `before` as well.
    if let last = before.last, last == "'" || last == "\"" { before.removeLast() }
    let partial = text.map { String(cString: $0) } ?? ""
    let completion = bridge.completer.complete(before: before, partial: partial)
    qsh_rl_set_completion_style(completion.kind == .files ? 1 : 0)
    guard !completion.candidates.isEmpty else { return nil }
    return matchArray(completion.candidates)
}

/// A readline match list: common prefix, the matches, NULL; all malloc'd.
private func matchArray(_ candidates: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    let count = candidates.count
    guard let array = malloc((count + 2) * MemoryLayout<UnsafeMutablePointer<CChar>?>.stride)?
        .bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: count + 2)
    else { return nil }
    if count == 1 {
        array[0] = strdup(candidates[0])
        array[1] = nil
        return array
    }
    array[0] = strdup(commonPrefix(candidates))
    for (i, candidate) in candidates.enumerated() { array[i + 1] = strdup(candidate) }
    array[count + 1] = nil
    return array
}

/// The longest common prefix of some words, by bytes kept on character boundaries.
func commonPrefix(_ words: [String]) -> String {
    guard var prefix = words.first else { return "" }
    for word in words.dropFirst() {
        while !word.hasPrefix(prefix) { prefix.removeLast() }
    }
    return prefix
}
