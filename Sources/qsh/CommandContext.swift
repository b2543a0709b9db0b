// Everything a command needs from the outside world, passed explicitly: the
// environment, the streams, the terminal, session defaults (the REPL sets them), and
// the task client the task commands talk to.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The process's (or REPL session's) view of the outside world.
final class CommandContext {
    var environment: [String: String]
    let stdout: OutputStream
    let stderr: OutputStream
    var terminal: Terminal
    /// The session's default output format (the REPL's `.output`).
    var sessionOutput: OutputFormat?
    /// The session's default QPU (the REPL's `.qpu`).
    var sessionQPU: String?
    /// The server of the REPL's `.connect`; "" after `.disconnect` (local, whatever
    /// $QSH_API says); nil when neither was typed.
    var sessionAPI: String?
    /// `qsh --offline` started the shell: every command answers from the cache alone.
    var sessionOffline = false
    /// The settings file once read (Config/Settings.swift reads it on first need).
    var loadedConfig: ConfigFile?
    /// The path of this executable, to start a detached worker.
    var executablePath: String
    /// True inside the interactive shell.
    var interactive = false
    /// True while a shell session (interactive or a script on stdin) runs commands here.
    var inShell = false
    /// True when the current command's errors are JSON documents: JSON output was asked
    /// for (`--json`, `-o json|ndjson`, QSH_OUTPUT, `.output`). The dispatcher sets it.
    var errorsAsJSON = false
    /// The line of the script on stdin being run, which the command's errors name.
    var scriptLine: Int?
    /// The line typed in the interactive shell that is running, with where each of its words
    /// starts (UTF-8 offsets), so that a usage error can put a caret under the word it names.
    var typedLine: (text: String, wordOffsets: [Int])?
    /// Makes the client a task command talks to (Client/): a qsh server in client mode
    /// (Client/ClientMode.swift), else the local task database; command tests put a double here.
    var makeTaskClient: (Invocation) -> any TaskClient = { ClientMode.client($0) }
    /// Makes the HTTP transport of client mode (libcurl, loaded on its first request);
    /// tests put a double here.
    var makeTransport: () -> any HTTPTransport = { CurlTransport(userAgent: "qsh/" + VersionCommand.version) }
    /// Sleeps between the retries of a request (tests record instead).
    var retrySleep: @Sendable (Double) -> Void = { seconds in usleep(UInt32(seconds * 1_000_000)) }
    /// Where Ctrl-C is read from (REPL/InterruptCounter.swift); tests inject their own.
    var interrupts = InterruptSource.process
    /// True once Ctrl-C was pressed during the current command. A long-running command
    /// (a wait, a long simulation) polls this, stops and returns `.interrupted` (130); in the
    /// REPL the prompt then comes back. The first poll on a command line opts in: from then
    /// on the first Ctrl-C is only counted and a second one exits with 130 at once.
    var interruptRequested: Bool { interrupts.requested() }

    init(
        environment: [String: String], stdout: OutputStream, stderr: OutputStream,
        terminal: Terminal, executablePath: String
    ) {
        self.environment = environment
        self.stdout = stdout
        self.stderr = stderr
        self.terminal = terminal
        self.executablePath = executablePath
    }

    /// The context of a real process: fds 1 and 2, the real environment and TTY state.
    static func fromProcess() -> CommandContext {
        var env: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                env[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            pointer += 1
        }
        return CommandContext(
            environment: env, stdout: OutputStream(fd: 1), stderr: OutputStream(fd: 2),
            terminal: Terminal.detect(environment: env), executablePath: Self.selfPath())
    }

    /// A context that captures its output, for tests.
    static func capturing(environment: [String: String] = [:], tty: Bool = false) -> CommandContext {
        CommandContext(
            environment: environment, stdout: .capturing(), stderr: .capturing(),
            terminal: Terminal(
                stdinIsTTY: tty, stdoutIsTTY: tty, stderrIsTTY: tty, colorStdout: false, colorStderr: false),
            executablePath: "qsh")
    }

    /// How to name a qsh command in a message: `qsh help` on the command line, `help`
    /// inside the shell, where commands are typed without the `qsh`.
    func commandText(_ words: String) -> String { inShell ? words : "qsh " + words }

    /// `  <line>` and `  ^` under word `index` of the line typed in the interactive shell
    /// (sqlite3's dotCmdError); empty elsewhere: argv and scripts keep their messages as they are.
    func caret(underWord index: Int) -> String {
        guard interactive, let typedLine, index >= 0, index < typedLine.wordOffsets.count else { return "" }
        return WordSplitter.caret(atByte: typedLine.wordOffsets[index], in: typedLine.text)
    }

    /// The current working directory.
    var currentDirectory: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return cString(buffer)
    }

    /// The user's home directory.
    var home: String { environment["HOME"] ?? "/" }

    private static func selfPath() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if n > 0 { return cString(buffer) }
        return CommandLine.arguments.first ?? "qsh"
    }
}

/// The text of a NUL-terminated C buffer.
func cString(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
