// The command table's entry: one value drives dispatch, help, "did you mean",
// REPL completion and the shell completion scripts (git's commands[] pattern).
import QshCore

/// What a command's run function receives.
struct Invocation {
    var context: CommandContext
    var arguments: ParsedArguments
    /// The command's words, e.g. ["tasks", "submit"].
    var path: [String]

    var positionals: [String] { arguments.positionals }
    var stdout: OutputStream { context.stdout }
    var stderr: OutputStream { context.stderr }
}

/// A command or a group of subcommands.
struct Command: Sendable {
    var name: String
    /// One line for `qsh help`.
    var summary: String
    /// Synopsis lines after `qsh `, in git's grammar.
    var synopsis: [String] = []
    /// Paragraphs shown under the synopsis by `--help`.
    var details: String = ""
    /// Examples shown first by `--help` (clig.dev).
    var examples: [String] = []
    var options: [OptionSpec] = []
    /// How many positionals the command takes.
    var arguments: ClosedRange<Int> = 0...0
    /// What kind of words the positionals are, for completion: "file", "task", "batch", "command".
    var argumentKind: String? = nil
    var subcommands: [Command] = []
    /// The work; nil for a pure group, whose help lists the subcommands.
    var run: (@Sendable (Invocation) throws -> ExitStatus)?

    /// Every option the command accepts, including the ones every command has.
    var allOptions: [OptionSpec] { options + CommonOptions.always }

    func subcommand(_ name: String) -> Command? { subcommands.first { $0.name == name } }
}

/// Options shared by many commands.
enum CommonOptions {
    /// Accepted by every command.
    static let always: [OptionSpec] = [
        OptionSpec("--help", short: "h", help: "show this help"),
        OptionSpec("--version", help: "show the version of qsh"),
        OptionSpec("--no-color", help: "never use colour"),
    ]

    /// The output formats `-o` accepts.
    static let formats = ["table", "wide", "json", "ndjson", "csv", "tsv"]

    /// `-o/--output` and `--json`.
    static let output: [OptionSpec] = [
        OptionSpec(
            "--output", short: "o", value: "<format>",
            help: "table, wide, json, ndjson, csv or tsv (default: table on a terminal, json in a pipe)",
            choices: formats),
        OptionSpec("--json", help: "shorthand for --output json"),
    ]

    /// `--db`.
    static let database = OptionSpec(
        "--db", value: "<path>", help: "the task database (default: $QSH_DB, else $XDG_DATA_HOME/qsh/tasks.sqlite)")

    /// `--api`: the qsh server to use instead of the local database (Client/ClientMode.swift).
    static let api = OptionSpec(
        "--api", value: "<url>", help: "use the qsh server at this URL (default: $QSH_API, else the local database)")

    /// `--offline`: in client mode, answer only from the cache of finished tasks.
    static let offline = OptionSpec("--offline", help: "with a server, answer only from the cache of finished tasks")

    /// `--no-pager`, on the commands whose tables go through a pager (Output/Pager.swift).
    static let noPager = OptionSpec(
        "--no-pager", help: "never page the output (default on a terminal: $QSH_PAGER, $PAGER or less -FRX)")

    /// Options that may also come before the command name: `qsh --db x tasks list`.
    static let global: [OptionSpec] = [database, api, offline] + output + [noPager] + always
}
