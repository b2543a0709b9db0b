// Which renderer a command uses: an explicit flag wins, then the REPL's `.output`,
// then QSH_OUTPUT, then `output` in the settings file, then a table on a terminal and
// JSON in a pipe. Errors are JSON
// only when JSON was asked for (not when it is just the default of a pipe).

/// An output format for data on stdout.
enum OutputFormat: String, CaseIterable, Sendable {
    case table, wide, json, ndjson, csv, tsv

    /// True for the machine formats whose errors are JSON documents on stderr.
    var isJSON: Bool { self == .json || self == .ndjson }

    /// Resolves the format for one invocation.
    /// - Throws: `UsageError` for an unknown `QSH_OUTPUT`.
    static func resolve(_ invocation: Invocation) throws -> OutputFormat {
        let args = invocation.arguments
        if args.has("--json") {
            if let o = args.value("--output"), o != "json" {
                throw args.error("'--json' and '--output \(o)' disagree; give one of them", option: "--output")
            }
            return .json
        }
        if let o = args.value("--output") { return OutputFormat(rawValue: o)! }
        if let session = invocation.context.sessionOutput { return session }
        if let env = invocation.context.environment["QSH_OUTPUT"], !env.isEmpty {
            guard let f = OutputFormat(rawValue: env) else {
                throw UsageError(
                    "QSH_OUTPUT='\(env)' is not an output format; use one of: "
                        + allCases.map(\.rawValue).joined(separator: ", "))
            }
            return f
        }
        if let configured = try invocation.context.config()[ConfigKey.output.name] {
            guard let f = OutputFormat(rawValue: configured) else {
                let context = invocation.context
                throw UsageError(
                    "\(context.settingOrigin(.output, .config)) is '\(configured.terminalSafe())', not an output "
                        + "format; use one of: " + allCases.map(\.rawValue).joined(separator: ", "))
            }
            return f
        }
        return invocation.context.terminal.stdoutIsTTY ? .table : .json
    }

    /// The format the user asked for: on the command line (`named`), else by the session's
    /// `.output`, else by QSH_OUTPUT; nil when nothing was asked (the terminal decides).
    static func requested(named: OutputFormat?, context: CommandContext) -> OutputFormat? {
        if let named { return named }
        if let session = context.sessionOutput { return session }
        if let env = context.environment["QSH_OUTPUT"], let format = OutputFormat(rawValue: env) { return format }
        if context.environment["QSH_OUTPUT"]?.isEmpty ?? true,
            let configured = (try? context.config())?[ConfigKey.output.name]
        {
            return OutputFormat(rawValue: configured)
        }
        return nil
    }

    /// The format named by `--json` or `-o`/`--output` in `words`, read from the raw words so
    /// that it holds even when they do not parse: `--json` wins, else the last valid `-o`
    /// value, wherever they stand before `--`. `specs` tells which other options take a
    /// value, so that the `-o` of `--name -o` is not read as an option.
    static func named(in words: [String], specs: [OptionSpec]) -> OutputFormat? {
        var json = false
        var named: OutputFormat?
        var index = 0
        func value(inline: String?) -> String {
            if let inline { return inline }
            defer { index += 1 }
            return index < words.count ? words[index] : ""
        }
        while index < words.count {
            let word = words[index]
            index += 1
            if word == "--" { break }
            guard word.hasPrefix("-"), word != "-" else { continue }
            if word.hasPrefix("--") {
                let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0])
                let inline = parts.count == 2 ? String(parts[1]) : nil
                if name == "--json" {
                    json = true
                } else if name == "--output" {
                    named = OutputFormat(rawValue: value(inline: inline)) ?? named
                } else if inline == nil, specs.first(where: { $0.long == name })?.takesValue == true {
                    index += 1
                }
                continue
            }
            // A cluster of short options: -o json, -ojson, -qo json.
            var chars = Substring(word.dropFirst())
            while let c = chars.first {
                chars = chars.dropFirst()
                guard c == "o" || specs.first(where: { $0.short == c })?.takesValue == true else { continue }
                let text = value(inline: chars.isEmpty ? nil : String(chars))
                if c == "o" { named = OutputFormat(rawValue: text) ?? named }
                break
            }
        }
        return json ? .json : named
    }
}
