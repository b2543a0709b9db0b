// Where a setting comes from, in order: a flag (or the REPL's session value), then the
// environment ($QSH_QPU, $QSH_SHOTS, $QSH_OUTPUT), then the settings file, then the
// built-in default. The file is read at most once per process, and only when a setting
// is needed that neither a flag nor the environment gave.
import QshCore

/// Where an effective setting came from.
enum SettingSource: String, Sendable {
    case flag, environment, config, `default`
}

extension CommandContext {
    /// The settings file's path.
    var configPath: String { ConfigFile.path(environment: environment, home: home) }

    /// The settings file, read on first use.
    /// - Throws: `CommandFailure` for a file that cannot be read or parsed.
    func config() throws -> ConfigFile {
        if let loadedConfig { return loadedConfig }
        let file = try ConfigFile.load(path: configPath)
        loadedConfig = file
        return file
    }

    /// A setting's value from the environment, else the file, with where it came from;
    /// nil when neither gives one (the built-in default applies).
    func setting(_ key: ConfigKey) throws -> (value: String, source: SettingSource)? {
        if let value = environment[key.environment], !value.isEmpty { return (value, .environment) }
        if let value = try config()[key.name] { return (value, .config) }
        return nil
    }

    /// Where a setting from the environment or the file came from, for messages:
    /// `$QSH_QPU` or `default_qpu in '/home/a/.config/qsh/config'`.
    func settingOrigin(_ key: ConfigKey, _ source: SettingSource) -> String {
        source == .environment ? "$\(key.environment)" : "\(key.name) in '\(configPath.terminalSafe())'"
    }
}

/// Checks of the values a setting may take, shared by `config set` and every reader.
enum SettingValues {
    /// Why `value` is not valid for `key`, or nil when it is. `qpus` are the known QPU ids.
    static func problem(_ key: ConfigKey, _ value: String, qpus: [String]) -> String? {
        switch key.name {
        case ConfigKey.defaultQPU.name:
            if qpus.contains(value) { return nil }
            var text = "'\(value.terminalSafe())' is not a QPU; see 'qsh qpus list'"
            if let guess = closestMatch(value, in: qpus.sorted()) { text += " (did you mean '\(guess)'?)" }
            return text
        case ConfigKey.shots.name:
            let range = RunLimits.standard.shots
            if let n = Int(value), range.contains(n) { return nil }
            return "shots must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(value.terminalSafe())'"
        case ConfigKey.output.name:
            if OutputFormat(rawValue: value) != nil { return nil }
            return "'\(value.terminalSafe())' is not an output format; use one of: "
                + OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")
        case ConfigKey.api.name:
            do {
                _ = try ServerAddress(value)
                return nil
            } catch let error as CommandFailure {
                return error.message
            } catch {
                return "'\(value.terminalSafe())' is not a qsh server URL"
            }
        default:
            return "unknown key"
        }
    }
}
