// Tab completion: the candidates for the word being typed, from the command table (names,
// options, option choices) and injected sources (task ids, QPU ids, folders). Pure values;
// the readline glue at the bottom is the only part that touches C, and holds the one global.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CReadline
import QshCore

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
    /// Batch ids that start with a prefix, newest first (the task database).
    var batchIDs: (String) -> [String] = { _ in [] }
    /// The ids of the QPUs, e.g. `sim:statevector`.
    var qpuIDs: () -> [String] = { CompletionSources.knownQPUs }
    /// The entries of a folder, or nil when it cannot be read.
    var listDirectory: (String) -> [DirectoryEntry]? = CompletionSources.readDirectory
    /// The home folder, for `~/` in file names.
    var home: String = "/"

    /// The QPUs that ship with qsh.
    static let knownQPUs = QPURegistry.standard(memoryLimit: 1).ids

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

    /// Completes the end of `line` for a shell whose own word under the cursor starts at
    /// byte `shellStart`, which is where the shell puts each candidate. A shell that splits
    /// words at more characters than qsh (bash at `:` and `=`, readline at `=`) starts
    /// later: the part of the word it already holds is cut from the candidates, as git's
    /// completion does, and candidates that do not begin with it are dropped (in
    /// `--qpu sim:st`, bash's word is `st` and the candidate `statevector`). A shell that
    /// starts earlier gets the missing text put in front (`--db=` where `=` does not split
    /// words).
    ///
    /// The shell sees whether a file name is a folder, and adds its `/`, only when it holds
    /// the whole name; so folders keep their `/` only when the candidates were changed.
    func complete(line: String, replacingFrom shellStart: Int) -> Completion {
        let word = Completer.currentWord(line)
        let bytes = Array(line.utf8)
        var completion = complete(before: String(decoding: bytes[..<word.start], as: UTF8.self), partial: word.text)
        let shellStart = max(0, min(shellStart, bytes.count))
        let held = Array(Completer.unquoted(bytes[word.start..<max(word.start, shellStart)]).utf8)
        let head = Completer.unquoted(bytes[min(shellStart, word.start)..<word.start])
        if !held.isEmpty {
            completion.candidates = completion.candidates.compactMap { candidate in
                guard candidate.utf8.starts(with: held) else { return nil }
                return String(decoding: candidate.utf8.dropFirst(held.count), as: UTF8.self)
            }
        } else if !head.isEmpty {
            completion.candidates = completion.candidates.map { head + $0 }
        } else if completion.kind == .files {
            completion.candidates = completion.candidates.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        }
        return completion
    }

    /// Splits the text up to the cursor into what comes before the current word and the
    /// word itself, with quotes and backslashes removed.
    static func splitCurrentWord(_ line: String) -> (before: String, partial: String) {
        let word = currentWord(line)
        return (String(decoding: line.utf8.prefix(word.start), as: UTF8.self), word.text)
    }

    /// The word under the cursor at the end of `line`: the byte where it starts (after
    /// `=` when the word is an option with its value attached, `--output=js`) and its text
    /// with quotes and backslashes removed. The word is the one a character typed at the
    /// cursor would join, so an open quote, an escaped blank (`my\ f`) and a trailing
    /// backslash all keep the cursor inside the word they belong to.
    static func currentWord(_ line: String) -> (start: Int, text: String) {
        let end = line.utf8.count
        let probe = WordSplitter.scan(line + "x")
        guard !probe.inComment, let last = probe.words.last else { return (end, "") }
        var text = String(decoding: last.text.utf8.dropLast(), as: UTF8.self)
        var start = last.offset
        if text.hasPrefix("-"), let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) {
            let head = text.utf8.distance(from: text.utf8.startIndex, to: equals) + 1
            // The byte after the '=' in the line: the first point where the unquoted text
            // of the word has reached past it.
            let bytes = Array(line.utf8)
            var cut = start + 1
            while cut < end, unquoted(bytes[start..<cut]).utf8.count < head { cut += 1 }
            text = String(decoding: text.utf8.dropFirst(head), as: UTF8.self)
            start = cut
        }
        return (start, text)
    }

    /// Part of one word as typed, with its quotes and backslashes removed (an open quote
    /// or a trailing backslash is dropped).
    static func unquoted(_ raw: ArraySlice<UInt8>) -> String {
        WordSplitter.scan(String(decoding: raw, as: UTF8.self)).words.map(\.text).joined()
    }

    /// Where readline, set up as bash sets it up, starts the word under the cursor at the
    /// end of `line`: after the last of `breaks` (bash's `COMP_WORDBREAKS`; blanks always
    /// count) that is neither quoted nor escaped, or after the quote still open. bash puts
    /// a completion's candidates there, so `--qpu sim:` holds `sim:` before that point.
    static func readlineWordStart(_ line: String, breaks: String) -> Int {
        let bytes = Array(line.utf8)
        let breakSet = Set(breaks.utf8).union(" \t\n".utf8)
        let backslash = UInt8(ascii: "\\"), single = UInt8(ascii: "'"), double = UInt8(ascii: "\"")
        var quote: UInt8?
        var quoteEnd = 0
        var lastBreak = -1
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == backslash && quote != single {
                index += 2
                continue
            }
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == single || byte == double {
                quote = byte
                quoteEnd = index + 1
            } else if breakSet.contains(byte) {
                lastBreak = index
            }
            index += 1
        }
        return quote != nil ? quoteEnd : lastBreak + 1
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
        case "batch": return Completion(candidates: sources.batchIDs(partial).filter { $0.hasPrefix(partial) })
        case "qpu": return filtered(sources.qpuIDs(), partial)
        case "setting":
            // `config get|set|unset <key>`, then for `set` the values the key takes.
            if positionals.isEmpty { return filtered(ConfigKey.all.map(\.name), partial) }
            switch positionals[0] {
            case ConfigKey.defaultQPU.name: return filtered(sources.qpuIDs(), partial)
            case ConfigKey.output.name: return filtered(CommonOptions.formats, partial)
            default: return .none
            }
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
        if placeholder.contains("batch") {
            return Completion(candidates: sources.batchIDs(partial).filter { $0.hasPrefix(partial) })
        }
        if placeholder == "<id>" || placeholder.contains("task") {
            return Completion(candidates: sources.taskIDs(partial).filter { $0.hasPrefix(partial) })
        }
        return .none
    }

    /// File and folder names that start with `partial` (a path relative to the current
    /// folder, or under `~/`), folders with a `/` after them. Hidden entries only when the
    /// name typed starts with a dot.
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
            .map { folder + $0.name + ($0.isDirectory ? "/" : "") }
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
/// readline's word starts after a blank or `=`; qsh's word may start earlier (a file name
/// with `=` or an escaped blank in it), so the candidates are cut to the part readline
/// replaces. Returns a malloc'd, NULL-terminated array whose first entry is the common
/// prefix, as readline expects (it frees all of it).
func readlineComplete(
    _ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32
) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    qsh_rl_set_attempted_completion_over(1)
    guard let bridge = activeReadlineBridge, let buffer = qsh_rl_line() else { return nil }
    let bytes = Array(String(cString: buffer).utf8)
    let line = String(decoding: bytes.prefix(max(0, min(Int(end), bytes.count))), as: UTF8.self)
    let completion = bridge.completer.complete(line: line, replacingFrom: Int(start))
    // A folder alone gets no space after it, whether or not readline can tell it is one
    // (it looks at the part it replaces, which is not the whole path when cut).
    let folderAlone = completion.kind == .files && completion.candidates.count == 1
        && completion.candidates[0].hasSuffix("/")
    qsh_rl_set_completion_style(completion.kind == .files ? 1 : 0, folderAlone ? 1 : 0)
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
