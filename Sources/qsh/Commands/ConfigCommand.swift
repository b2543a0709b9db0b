// `qsh config get|set|unset|list`: the settings kept in $XDG_CONFIG_HOME/qsh/config
// (default_qpu, shots, output). A setting applies unless a flag or its environment
// variable gives another value: flag > environment > config file > built-in default.
import QshCore

enum ConfigCommand {
    static let keysText = ConfigKey.all.map { "\($0.name) ($\($0.environment); \($0.help))" }
        .joined(separator: ", ")

    static let command = Command(
        name: "config",
        summary: "Show and change the settings file (default QPU, shots, output format)",
        subcommands: [
            Command(
                name: "list", summary: "Show every setting, its value and where it comes from",
                synopsis: ["config list"],
                details: """
                    For each key: the value in effect without flags and where it comes from \
                    (environment, config or default), and the value in the file, if any. With -o \
                    json prints {"file": PATH, "settings": [{"key", "value", "source", "config_value"}]}. \
                    Keys: \(keysText).
                    """,
                examples: ["qsh config list", "qsh config list --json | jq -r '.settings[] | .key + \"=\" + .value'"],
                options: CommonOptions.output,
                run: { invocation in try list(invocation) }),
            Command(
                name: "get", summary: "Print the value a setting has now",
                synopsis: ["config get <key>"],
                details: """
                    Prints the value in effect without flags: the environment's, else the file's, \
                    else the built-in default. With -o json prints {"key", "value", "source", \
                    "config_value"}. Keys: \(keysText).
                    """,
                examples: ["qsh config get default_qpu"],
                options: CommonOptions.output,
                arguments: 1...1,
                argumentKind: "setting",
                run: { invocation in try get(invocation) }),
            Command(
                name: "set", summary: "Keep a setting in the settings file",
                synopsis: ["config set <key> <value>"],
                details: """
                    Checks the value (default_qpu a QPU of 'qsh qpus list', shots from 1 to \
                    \(RunLimits.standard.maximumShots), output one of \(CommonOptions.formats.joined(separator: ", "))) \
                    and writes the file, creating its folder. The environment variable of the key, \
                    when set, still wins; a warning says so. Keys: \(keysText).
                    """,
                examples: ["qsh config set default_qpu sim:native", "qsh config set shots 500"],
                arguments: 2...2,
                argumentKind: "setting",
                run: { invocation in try set(invocation) }),
            Command(
                name: "unset", summary: "Remove a setting from the settings file",
                synopsis: ["config unset <key>"],
                details: "Removing a key the file does not hold changes nothing. Keys: \(keysText).",
                examples: ["qsh config unset default_qpu"],
                arguments: 1...1,
                argumentKind: "setting",
                run: { invocation in try unset(invocation) }),
        ])

    /// The key named by the first positional.
    /// - Throws: `UsageError` for a key qsh does not keep.
    static func key(_ invocation: Invocation) throws -> ConfigKey {
        let name = invocation.positionals[0]
        guard let key = ConfigKey.named(name) else {
            var message = "unknown setting '\(name.terminalSafe())'; keys: \(ConfigKey.all.map(\.name).joined(separator: ", "))"
            if let guess = closestMatch(name, in: ConfigKey.all.map(\.name)) { message += " (did you mean '\(guess)'?)" }
            throw UsageError(message, argument: invocation.arguments.word(ofPositional: 0))
        }
        return key
    }

    /// A key's value in effect (without flags), where it came from, and the file's value.
    static func effective(_ key: ConfigKey, _ context: CommandContext) throws -> (String, SettingSource, String?) {
        let file = try context.config()[key.name]
        if let (value, source) = try context.setting(key) { return (value, source, file) }
        return (key.builtIn, .default, file)
    }

    static func json(_ key: ConfigKey, _ value: String, _ source: SettingSource, _ file: String?) -> JSONValue {
        .object([
            ("key", .string(key.name)), ("value", .string(value)), ("source", .string(source.rawValue)),
            ("config_value", .string(file)),
        ])
    }

    static func list(_ invocation: Invocation) throws -> ExitStatus {
        let format = try OutputFormat.resolve(invocation)
        let context = invocation.context
        var rows: [(ConfigKey, String, SettingSource, String?)] = []
        for key in ConfigKey.all {
            let (value, source, file) = try effective(key, context)
            rows.append((key, value, source, file))
        }
        switch format {
        case .json, .ndjson:
            let document = JSONValue.object([
                ("file", .string(context.configPath)),
                ("settings", .array(rows.map { json($0.0, $0.1, $0.2, $0.3) })),
            ])
            invocation.stdout.line(format == .json ? document.prettySerialized() : document.serialized())
        case .csv, .tsv:
            let cells = rows.map { [$0.0.name, $0.1, $0.2.rawValue, $0.3 ?? ""] }
            invocation.stdout.write(
                format == .csv
                    ? TableRenderer.csv(["key", "value", "source", "config_value"].map { Column($0) }, cells)
                    : TableRenderer.tsv(cells))
        case .table, .wide:
            let cells = rows.map { [$0.0.name, $0.1, $0.2.rawValue, $0.3 ?? "-"] }
            invocation.stdout.write(
                TableRenderer.table(
                    [Column("KEY"), Column("VALUE"), Column("SOURCE"), Column("IN FILE")], cells,
                    color: context.terminal.colorStdout))
            invocation.stdout.line("file: \(context.configPath.terminalSafe())")
        }
        return .ok
    }

    static func get(_ invocation: Invocation) throws -> ExitStatus {
        let format = try OutputFormat.resolve(invocation)
        let key = try key(invocation)
        let (value, source, file) = try effective(key, invocation.context)
        switch format {
        case .json: invocation.stdout.line(json(key, value, source, file).prettySerialized())
        case .ndjson: invocation.stdout.line(json(key, value, source, file).serialized())
        case .csv:
            invocation.stdout.write(
                TableRenderer.csv(
                    ["key", "value", "source", "config_value"].map { Column($0) },
                    [[key.name, value, source.rawValue, file ?? ""]]))
        case .tsv: invocation.stdout.write(TableRenderer.tsv([[key.name, value, source.rawValue, file ?? ""]]))
        case .table, .wide: invocation.stdout.line(value.terminalSafe())
        }
        return .ok
    }

    static func set(_ invocation: Invocation) throws -> ExitStatus {
        let key = try key(invocation)
        let value = invocation.positionals[1]
        let context = invocation.context
        let qpus = key == .defaultQPU ? try invocation.taskClient().qpus().map(\.id) : []
        if let problem = SettingValues.problem(key, value, qpus: qpus) {
            throw UsageError(problem, argument: invocation.arguments.word(ofPositional: 1))
        }
        let file = try context.config().setting(key.name, to: value)
        try file.save()
        context.loadedConfig = file
        if let overriding = context.environment[key.environment], !overriding.isEmpty {
            context.stderr.line(
                "qsh: warning: $\(key.environment) is set ('\(overriding.terminalSafe())') and wins over the file")
        }
        return .ok
    }

    static func unset(_ invocation: Invocation) throws -> ExitStatus {
        let key = try key(invocation)
        let context = invocation.context
        let current = try context.config()
        guard current[key.name] != nil else { return .ok }
        let file = current.setting(key.name, to: nil)
        try file.save()
        context.loadedConfig = file
        return .ok
    }
}
