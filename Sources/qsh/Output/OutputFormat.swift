// Which renderer a command uses: an explicit flag wins, then the REPL's `.output`,
// then QSH_OUTPUT, then a table on a terminal and JSON in a pipe.

/// An output format for data on stdout.
enum OutputFormat: String, CaseIterable, Sendable {
    case table, wide, json, ndjson, csv, tsv

    /// True for the machine formats whose errors are JSON lines on stderr.
    var isJSON: Bool { self == .json || self == .ndjson }

    /// Resolves the format for one invocation.
    /// - Throws: `UsageError` for an unknown `QSH_OUTPUT`.
    static func resolve(_ invocation: Invocation) throws -> OutputFormat {
        let args = invocation.arguments
        if args.has("--json") {
            if let o = args.value("--output"), o != "json" {
                throw UsageError("'--json' and '--output \(o)' disagree; give one of them")
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
        return invocation.context.terminal.stdoutIsTTY ? .table : .json
    }
}
