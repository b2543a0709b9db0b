// End-to-end: the shell driven through a pipe (batch mode, exit statuses, --keep-going)
// and through a pseudo-terminal under tmux (Tab, Up, Ctrl-C, Ctrl-D, the history file).
import Foundation
import Testing
import TestSupport

@Suite struct ReplTests {
    static let version: String = {
        (try? Qsh.run(["--version"]).stdout) ?? ""
    }()

    @Test func scriptOnStdinRunsLikeTheCommandLine() throws {
        let script = "# a comment\n\nversion\n   # indented comment\nhelp exit-codes\n"
        let run = try Qsh.run(["repl"], stdin: script)
        let cli = try Qsh.run(["help", "exit-codes"])
        #expect(run.status == 0)
        #expect(run.stdout == Self.version + cli.stdout)
        #expect(run.stderr == "")
    }

    @Test func bareQshReadsAScriptWhenStdinIsNotATerminal() throws {
        let run = try Qsh.run([], stdin: "version\nversion\n")
        #expect(run.status == 0)
        #expect(run.stdout == Self.version + Self.version)
        #expect(run.stderr == "")
        let empty = try Qsh.run([], stdin: "")
        #expect(empty.status == 0)
        #expect(empty.stdout == "")
        #expect(empty.stderr == "")
    }

    @Test func scriptStopsAtTheFirstFailureWithItsStatus() throws {
        let run = try Qsh.run([], stdin: "version\nhlep\nversion\n")
        #expect(run.status == 2)
        #expect(run.stdout == Self.version)
        // The failing command's error names its line; inside the shell, commands have no 'qsh'.
        #expect(run.stderr == "qsh: line 2: 'hlep' is not a qsh command. See 'help'.\n\nThe most similar command is\n\thelp\n")
        let quit = try Qsh.run(["repl"], stdin: "version\n.exit 6\nversion\n")
        #expect(quit.status == 6)
        #expect(quit.stdout == Self.version)
    }

    @Test func keepGoingRunsEveryLineAndExitsWithTheLastFailure() throws {
        let run = try Qsh.run(["repl", "--keep-going"], stdin: "hlep\nversion\nhelp nothing\nversion\n.status")
        #expect(run.status == 2)
        #expect(run.stdout == Self.version + Self.version + "0  success (an empty list is a success too)\n")
        #expect(run.stderr.hasPrefix("qsh: line 1: 'hlep' is not a qsh command. See 'help'.\n"))
        #expect(run.stderr.hasSuffix("qsh: line 3: no help for 'nothing'\nusage: qsh help [<command> [<subcommand>]]\n   or: qsh help exit-codes\n"))
        let ok = try Qsh.run(["repl", "-k"], stdin: "version\n")
        #expect(ok.status == 0)
    }

    @Test func splitErrorsNameTheLineAndPointAtIt() throws {
        let run = try Qsh.run([], stdin: "version\nhelp 'exit-codes\n")
        #expect(run.status == 2)
        #expect(run.stdout == Self.version)
        #expect(run.stderr == "qsh: line 2: unterminated quote\n  help 'exit-codes\n       ^\n")
    }

    @Test func metaCommandsWorkInScripts() throws {
        let run = try Qsh.run(["repl"], stdin: ".qpu sim:statevector\n.qpu\n.output csv\n.output\n.timer off\n.stat\n")
        #expect(run.status == 2)
        #expect(run.stdout == "sim:statevector\ncsv\n")
        #expect(run.stderr == "qsh: line 6: unknown shell command '.stat' (did you mean '.status'?); see '.help'\n")
    }

    @Test func theShellDoesNotNest() throws {
        let run = try Qsh.run(["repl"], stdin: "repl\n")
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("qsh: line 1: already in the shell\nusage: qsh repl"))
        let globalsOnly = try Qsh.run(["repl"], stdin: "--db x\n")
        #expect(globalsOnly.status == 0)
        #expect(globalsOnly.stdout.hasPrefix("qsh: a command-line shell for quantum tasks\n"))
    }

    @Test func windowsLineEndsAndALastLineWithoutNewlineRun() throws {
        let run = try Qsh.run([], stdin: "version\r\nversion")
        #expect(run.status == 0)
        #expect(run.stdout == Self.version + Self.version)
    }

    @Test func scriptFromAFileLeavesTheRestOfStdinToCommands() throws {
        let dir = try TempDirectory()
        let path = try dir.write("night.qsh", "version\n\n# done\nversion\n")
        let run = try runProgram("/bin/sh", ["-c", "\"$QSH\" < \"$1\"", "sh", path], environment: ["QSH": Qsh.binary])
        #expect(run.status == 0)
        #expect(run.stdout == Self.version + Self.version)
    }

    @Test func qasmCheckPrintsInAScriptWhatItPrintsOnTheCommandLine() throws {
        let root = Qsh.packageRoot.path
        let good = try Qsh.run(["qasm", "check", "examples/bell.qasm"], directory: root)
        let bad = try Qsh.run(["qasm", "check", "examples/broken.qasm"], directory: root)
        #expect(bad.status == 1)
        let script = "qasm check examples/bell.qasm\nqasm check examples/broken.qasm\nversion\n"
        let run = try Qsh.run([], stdin: script, directory: root)
        #expect(run.status == 1)
        #expect(run.stdout == good.stdout + bad.stdout)
        #expect(run.stderr == good.stderr + bad.stderr)
        let keepGoing = try Qsh.run(["repl", "-k"], stdin: script, directory: root)
        #expect(keepGoing.status == 1)
        #expect(keepGoing.stdout == good.stdout + bad.stdout + Self.version)
    }

    @Test func aCommandReadingStdinGetsTheRestOfTheScript() throws {
        let program = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[3];\nh q[0];\n"
        let direct = try Qsh.run(["qasm", "check", "-"], stdin: program)
        #expect(direct.status == 0)
        let piped = try Qsh.run([], stdin: "version\nqasm check -\n" + program)
        #expect(piped.status == 0)
        #expect(piped.stdout == Self.version + direct.stdout)
        let dir = try TempDirectory()
        let path = try dir.write("check.qsh", "qasm check -\n" + program)
        let fromFile = try runProgram("/bin/sh", ["-c", "\"$QSH\" < \"$1\"", "sh", path], environment: ["QSH": Qsh.binary])
        #expect(fromFile.status == 0)
        #expect(fromFile.stdout == direct.stdout)
    }

    @Test func completionCandidatesComeFromTheCommandTable() throws {
        let names = try Qsh.run(["completion", "--complete", "--", "re"])
        #expect(names.status == 0)
        #expect(names.stdout == "repl\n")
        let options = try Qsh.run(["completion", "--complete", "--", "repl --keep-going --o"])
        #expect(options.stdout == "--offline\n--output\n")
        let values = try Qsh.run(["completion", "--complete", "--", "repl --output=n"])
        #expect(values.stdout == "ndjson\n")
        let bad = try Qsh.run(["completion", "tcsh"])
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("qsh: no completion script for 'tcsh'; use one of: bash, zsh, fish\n"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/bash")))
    func bashScriptCompletesThroughQsh() throws {
        let script = try Qsh.run(["completion", "bash"])
        #expect(script.status == 0)
        let dir = try TempDirectory()
        let path = try dir.write("qsh.bash", script.stdout)
        let bin = URL(fileURLWithPath: Qsh.binary).deletingLastPathComponent().path
        let probe = """
            source "$1"
            COMP_LINE='qsh repl --output '; COMP_POINT=${#COMP_LINE}
            COMP_WORDS=(qsh repl --output ''); COMP_CWORD=3
            _qsh; printf '%s\\n' "${COMPREPLY[@]}"
            COMP_LINE='qsh ver'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(qsh ver); COMP_CWORD=1
            _qsh; printf '%s\\n' "${COMPREPLY[@]}"
            """
        let run = try runProgram("/bin/bash", ["-c", probe, "bash", path], environment: ["PATH": bin + ":/usr/bin:/bin"])
        #expect(run.status == 0)
        #expect(run.stdout == "table\nwide\njson\nndjson\ncsv\ntsv\nversion\n")
        #expect(run.stderr == "")
    }

    @Test(arguments: ["zsh", "fish"])
    func otherShellScriptsAreGenerated(shell: String) throws {
        let run = try Qsh.run(["completion", shell])
        #expect(run.status == 0)
        #expect(run.stdout.contains("completion --complete --"))
        #expect(run.stderr == "")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zsh")))
    func zshScriptParses() throws {
        let dir = try TempDirectory()
        let path = try dir.write("_qsh", try Qsh.run(["completion", "zsh"]).stdout)
        let run = try runProgram("/usr/bin/zsh", ["-n", path])
        #expect(run.status == 0)
        #expect(run.stderr == "")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/fish")))
    func fishScriptCompletesThroughQsh() throws {
        let dir = try TempDirectory()
        let path = try dir.write("qsh.fish", try Qsh.run(["completion", "fish"]).stdout)
        try FileManager.default.createSymbolicLink(atPath: dir.file("qsh"), withDestinationPath: Qsh.binary)
        let probe = "source $argv[1]; complete -C 'qsh rep'; complete -C 'qsh repl --output=nd'"
        let run = try runProgram(
            "/usr/bin/fish", ["--no-config", "-c", probe, path], environment: ["PATH": dir.path + ":/usr/bin:/bin"])
        #expect(run.status == 0)
        #expect(run.stdout == "repl\n--output=ndjson\n")
        #expect(run.stderr == "")
    }
}

/// Runs a program other than qsh (a shell, tmux) and returns what it printed.
/// With `detached`, output goes to /dev/null and nothing waits for it: a program that leaves
/// a daemon behind (tmux's server) would otherwise hold the pipes open.
func runProgram(
    _ path: String, _ arguments: [String], environment: [String: String] = [:], detached: Bool = false
) throws -> ProgramRun {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    var env = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory(), "LC_ALL": "C"]
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    if detached {
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return ProgramRun(status: process.terminationStatus, stdout: "", stderr: "")
    }
    try process.run()
    let errorText = Box()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errorText.data = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let output = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProgramRun(
        status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
        stderr: String(decoding: errorText.data, as: UTF8.self))
}

/// What a program other than qsh printed, and its exit status.
struct ProgramRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

private final class Box: @unchecked Sendable {
    var data = Data()
}

struct TmuxError: Error {
    var message: String
}

/// Runs a program with stdio on /dev/null, no blocked signals and default signal actions;
/// returns its exit status once it ends.
func spawnWithCleanSignals(_ path: String, _ arguments: [String]) -> Int32 {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGINT, SIGHUP, SIGTERM, SIGQUIT, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    let variables: [String] = ["PATH=/usr/bin:/bin", "LC_ALL=C", "HOME=" + NSTemporaryDirectory()]
    let envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
    defer { for p in argv + envp { free(p) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, path, &actions, &attributes, argv, envp) == 0 else { return -1 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (status >> 8) & 0xff
}

/// A tmux server of our own (its own socket file) running one command in a 120x30 pane.
final class TmuxSession {
    static let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// The server's socket, a file of our own that goes away with the session.
    let socket = NSTemporaryDirectory() + "/qsh-tmux-\(UUID().uuidString.prefix(8)).sock"

    init(command: String) throws {
        // The server outlives this call, so it must not inherit our pipes; and it must not
        // inherit the test thread's signal mask either (Dispatch threads block SIGINT and
        // SIGHUP, which would reach the pane's processes and make kill-server a no-op).
        let status = spawnWithCleanSignals(
            TmuxSession.tmux ?? "tmux",
            ["-S", socket, "-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "30", "-s", "main", command])
        guard status == 0 else { throw TmuxError(message: "tmux new-session exited with \(status)") }
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> ProgramRun {
        try runProgram(TmuxSession.tmux ?? "tmux", ["-S", socket, "-f", "/dev/null"] + arguments)
    }

    /// Keys by tmux name (`Tab`, `Up`, `C-c`, `Enter`).
    func keys(_ names: String...) throws { try run(["send-keys", "-t", "main"] + names) }

    /// Literal text.
    func type(_ text: String) throws { try run(["send-keys", "-t", "main", "-l", text]) }

    /// The visible screen, lines without trailing blanks.
    func screen() -> [String] {
        let text = (try? run(["capture-pane", "-p", "-t", "main"]).stdout) ?? ""
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.reversed().drop(while: { $0 == " " }).reversed())
        }
        while lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Polls the screen until `condition` holds, for at most `seconds`; the last screen seen.
    @discardableResult
    func waitFor(_ seconds: Double = 15, _ condition: ([String]) -> Bool) -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        var lines = screen()
        while !condition(lines) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            lines = screen()
        }
        return lines
    }

    deinit {
        _ = try? run(["kill-server"])
        unlink(socket)
    }
}

@Suite struct InteractiveReplTests {
    @Test(.enabled(if: TmuxSession.tmux != nil))
    func typeCompleteRecallClearAndLeave() throws {
        let dir = try TempDirectory()
        let state = dir.file("state")
        let statusFile = dir.file("status")
        let command = "cd '\(dir.path)' && env -i PATH=/usr/bin:/bin TERM=screen INPUTRC=/dev/null LC_ALL=C "
            + "HOME='\(dir.path)' XDG_STATE_HOME='\(state)' QSH_NO_AUTOSTART=1 '\(Qsh.binary)'; "
            + "echo $? > '\(statusFile)'"
        let tmux = try TmuxSession(command: command)
        let last: ([String]) -> String = { $0.last ?? "" }

        var screen = tmux.waitFor { last($0) == "qsh>" }
        #expect(screen.first == "qsh 0.1.0, the interactive shell of qsh.")
        #expect(last(screen) == "qsh>")

        // Tab completes a command name; Enter runs it.
        try tmux.type("vers")
        try tmux.keys("Tab")
        screen = tmux.waitFor { last($0) == "qsh> version" }
        #expect(last(screen) == "qsh> version")
        try tmux.keys("Enter")
        screen = tmux.waitFor { $0.contains { $0.hasPrefix("qsh 0.1.0 (sqlite ") } && last($0) == "qsh>" }
        #expect(screen.contains { $0.hasPrefix("qsh 0.1.0 (sqlite ") })

        // Completion of a subcommand argument, then a list of choices with Tab Tab.
        try tmux.type("help exit-c")
        try tmux.keys("Tab")
        screen = tmux.waitFor { last($0) == "qsh> help exit-codes" }
        #expect(last(screen) == "qsh> help exit-codes")
        try tmux.keys("Enter")
        screen = tmux.waitFor { $0.contains("  124  a wait timed out before the task ended") && last($0) == "qsh>" }
        #expect(screen.contains("  124  a wait timed out before the task ended"))

        // Up recalls the lines before, newest first.
        try tmux.keys("Up")
        screen = tmux.waitFor { last($0) == "qsh> help exit-codes" }
        #expect(last(screen) == "qsh> help exit-codes")
        try tmux.keys("Up")
        screen = tmux.waitFor { last($0) == "qsh> version" }
        #expect(last(screen) == "qsh> version")

        // Ctrl-C drops the line: ^C after it, and a fresh prompt below.
        try tmux.keys("C-c")
        screen = tmux.waitFor { last($0) == "qsh>" }
        #expect(screen.suffix(2) == ["qsh> version^C", "qsh>"])

        // .qpu with a completed id changes the prompt.
        try tmux.type(".qpu sim:st")
        try tmux.keys("Tab")
        screen = tmux.waitFor { last($0) == "qsh> .qpu sim:statevector" }
        #expect(last(screen) == "qsh> .qpu sim:statevector")
        try tmux.keys("Enter")
        screen = tmux.waitFor { last($0) == "qsh(sim:statevector)>" }
        #expect(last(screen) == "qsh(sim:statevector)>")

        // Ctrl-C on an empty line only prompts again; Ctrl-D on an empty line leaves with 0.
        try tmux.keys("C-c")
        screen = tmux.waitFor { $0.suffix(2) == ["qsh(sim:statevector)> ^C", "qsh(sim:statevector)>"] }
        #expect(screen.suffix(2) == ["qsh(sim:statevector)> ^C", "qsh(sim:statevector)>"])
        try tmux.keys("C-d")
        let deadline = Date().addingTimeInterval(15)
        var status: String?
        // The shell creates the file before it writes the status: wait for the line.
        while Date() < deadline {
            status = (try? String(contentsOfFile: statusFile, encoding: .utf8)).flatMap { $0.hasSuffix("\n") ? $0 : nil }
            if status != nil { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(status == "0\n")
        let history = try String(contentsOfFile: state + "/qsh/history", encoding: .utf8)
        #expect(history == "version\nhelp exit-codes\n.qpu sim:statevector\n")
    }
}
