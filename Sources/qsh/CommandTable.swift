// The command table: every top-level command, in the order `qsh help` lists them.
// Each group's entries live next to their code in Commands/.
import QshCore

enum CommandTable {
    /// The top-level commands.
    static var root: [Command] {
        [
            QasmCommand.command,
            HelpCommand.command,
            VersionCommand.command,
            TasksCommand.command, BatchesCommand.command, QpusCommand.command, WorkerCommand.command,
            TokensCommand.command,
            DoctorCommand.command, ConfigCommand.command,
            ServeCommand.command, LoginCommand.command, LogoutCommand.command, CacheCommand.command,
            ReplCommand.command, CompletionCommand.command,
        ]
    }

    /// The command at `path`, e.g. ["tasks", "submit"].
    static func find(_ path: [String]) -> Command? {
        guard let first = path.first, var command = root.first(where: { $0.name == first }) else { return nil }
        for name in path.dropFirst() {
            guard let sub = command.subcommand(name) else { return nil }
            command = sub
        }
        return command
    }

    /// What bare `qsh` does: the interactive shell on a terminal, the commands of a script
    /// when stdin is not one (REPL/Repl.swift). Inside the shell, a line of only global
    /// options shows the overview instead of starting another shell.
    static func noArguments(context: CommandContext, globals: ParsedArguments) -> ExitStatus {
        if context.inShell {
            context.stdout.write(HelpCommand.overview())
            return .ok
        }
        return ReplCommand.start(context: context, arguments: globals)
    }
}
