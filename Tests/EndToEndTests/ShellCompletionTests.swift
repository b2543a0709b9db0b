// Tab completion in the real shells: bash, zsh and fish load `qsh completion <shell>` and
// complete QPU ids with a colon, option values after '=' and file names with ':' or '=' in
// them; so does the interactive shell's own Tab. A test whose shell is missing is skipped.
import Foundation
import Testing
import TestSupport

/// The shells on this machine (CI installs them all; see .ci/run).
enum Shells {
    static func find(_ name: String) -> String? {
        ["/usr/bin/", "/bin/", "/usr/local/bin/"].map { $0 + name }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    static let bash = find("bash")
    static let zsh = find("zsh")
    static let fish = find("fish")
}

/// A folder holding file names with word breaks in them and a `qsh` on the PATH, where
/// QPU ids with a colon exist: `sim:statevector`, `sim:statevector-single`, `sim:native` and
/// `test:sleep` (QSH_TEST_QPU=1).
final class CompletionSandbox {
    let dir: TempDirectory
    let bin: String

    init() throws {
        dir = try TempDirectory()
        for name in ["a:b.qasm", "e=f.qasm", "my file.qasm", "x:dir/in.qasm"] {
            try dir.write(name, "OPENQASM 2.0;\n")
        }
        bin = dir.file("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin + "/qsh", withDestinationPath: Qsh.binary)
    }

    /// The environment of the shells: nothing from the test's, qsh first on the PATH.
    var environment: [String: String] {
        [
            "PATH": bin + ":/usr/bin:/bin", "HOME": dir.path, "LC_ALL": "C", "QSH_TEST_QPU": "1",
            "QSH_NO_AUTOSTART": "1", "QSH_DB": dir.file("tasks.sqlite"),
        ]
    }

    /// A command line for tmux that starts `program` in the folder with that environment.
    func tmuxCommand(_ program: String) -> String {
        let variables = (environment.merging(["TERM": "screen", "INPUTRC": "/dev/null"]) { $1 })
            .sorted { $0.key < $1.key }.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        return "cd '\(dir.path)' && env -i \(variables) \(program)"
    }

    /// Writes `qsh completion <shell>` to `name` in the folder and returns its path.
    func script(_ shell: String, as name: String) throws -> String {
        let run = try Qsh.run(["completion", shell])
        #expect(run.status == 0)
        return try dir.write(name, run.stdout)
    }
}

/// One Tab: the text typed, then the line expected after Tab (a trailing blank where the
/// shell put a space after the completed word).
typealias TabCase = (typed: String, line: String)

/// What every shell must complete the same way (bash quotes a file name's blank its way).
let colonCases: [TabCase] = [
    ("qsh tasks submit --qpu sim:n", "qsh tasks submit --qpu sim:native "),
    ("qsh tasks submit --qpu=sim:n", "qsh tasks submit --qpu=sim:native "),
    ("qsh tasks submit --qpu t", "qsh tasks submit --qpu test:sleep "),
    ("qsh tasks submit --qpu test:s", "qsh tasks submit --qpu test:sleep "),
    ("qsh tasks submit a:", "qsh tasks submit a:b.qasm "),
    ("qsh tasks submit x:", "qsh tasks submit x:dir/"),
    ("qsh tasks submit x:dir/", "qsh tasks submit x:dir/in.qasm "),
    ("qsh tasks submit e=", "qsh tasks submit e=f.qasm "),
    ("qsh tasks submit my\\ f", "qsh tasks submit my\\ file.qasm "),
    ("qsh tasks list --db=x:", "qsh tasks list --db=x:dir/"),
    ("qsh tasks list --db=a:", "qsh tasks list --db=a:b.qasm "),
    ("qsh tasks submit --output=n", "qsh tasks submit --output=ndjson "),
    ("qsh tasks list --status=Canc", "qsh tasks list --status=Cancelled "),
]

extension TmuxSession {
    /// The cursor's column in the pane.
    func cursorColumn() -> Int {
        let text = (try? run(["display-message", "-p", "-t", "main", "#{cursor_x}"]).stdout) ?? ""
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// The last line of the screen up to the cursor (so a blank typed last shows).
    func lineToCursor(_ screen: [String]) -> String {
        let last = screen.last ?? ""
        let column = cursorColumn()
        return last.count >= column ? last : last + String(repeating: " ", count: column - last.count)
    }

    /// Waits for `prompt`, then for each case types the text, presses Tab and checks the
    /// line, then clears it with Ctrl-U.
    func checkTabs(prompt: String, _ cases: [TabCase]) throws {
        let bare = String(prompt.reversed().drop(while: { $0 == " " }).reversed())
        var screen = waitFor { $0.last == bare }
        #expect(screen.last == bare, "no prompt: \(screen)")
        for (typed, line) in cases {
            try type(typed)
            try keys("Tab")
            screen = waitFor { lineToCursor($0) == prompt + line }
            #expect(lineToCursor(screen) == prompt + line, "after '\(typed)' and Tab")
            try keys("C-u")
            screen = waitFor { $0.last == bare }
        }
    }
}

@Suite struct ShellCompletionTests {
    static let bashBreaks = " \t\n\"'><=;|&(:"

    @Test func completeCutsCandidatesAtTheWordBreaksItIsGiven() throws {
        let sandbox = try CompletionSandbox()
        func complete(_ line: String, breaks: String? = ShellCompletionTests.bashBreaks) throws -> QshRun {
            let options = breaks.map { ["--word-breaks=" + $0] } ?? []
            return try Qsh.run(
                ["completion", "--complete"] + options + ["--", line], environment: sandbox.environment,
                directory: sandbox.dir.path)
        }
        let expected: [(String, String)] = [
            ("tasks submit --qpu sim:n", "native\n"),
            ("tasks submit --qpu=sim:n", "native\n"),
            ("tasks submit --qpu sim:statevector-", "statevector-single\n"),
            ("tasks submit --qpu ", "sim:statevector\nsim:statevector-single\nsim:native\ntest:sleep\n"),
            ("tasks submit --qpu test:", "sleep\n"),
            ("tasks submit a:", ":files\nb.qasm\n"),
            ("tasks submit x:", ":files\ndir/\n"),
            ("tasks submit x", ":files\nx:dir\n"),
            ("tasks submit 'x:", ":files\nx:dir\n"),
            ("tasks list --db=e=", ":files\nf.qasm\n"),
            ("tasks submit --output=n", "ndjson\n"),
        ]
        for (line, output) in expected {
            let run = try complete(line)
            #expect(run.status == 0)
            #expect(run.stdout == output, "for '\(line)'")
            #expect(run.stderr == "")
        }
        // Without word breaks (zsh, fish): whole words, and folders marked.
        let whole = try complete("tasks submit --qpu sim:n", breaks: nil)
        #expect(whole.stdout == "sim:native\n")
        let files = try complete("tasks submit x", breaks: nil)
        #expect(files.stdout == ":files\nx:dir/\n")
        // Only with --complete.
        let misuse = try Qsh.run(["completion", "bash", "--word-breaks=:"])
        #expect(misuse.status == 2)
        #expect(misuse.stdout == "")
        #expect(
            misuse.stderr == """
                qsh: option '--word-breaks' needs '--complete'
                usage: qsh completion (bash | zsh | fish)
                   or: qsh completion --complete [--word-breaks <chars>] -- <line>

                """)
    }

    @Test(.enabled(if: Shells.bash != nil, "bash is not installed"))
    func bashCompletionFunctionRepliesWithTheCutCandidates() throws {
        let sandbox = try CompletionSandbox()
        let script = try sandbox.script("bash", as: "qsh.bash")
        // The script reads COMP_LINE, COMP_POINT and the command's name in COMP_WORDS;
        // COMP_WORDBREAKS as bash sets it, then without ':' and '='.
        let probe = """
            source "$1"
            COMP_WORDBREAKS=$' \\t\\n"\\'><=;|&(:'
            probe() {
                COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(qsh); COMP_CWORD=1; COMPREPLY=()
                _qsh
                printf '%s => %s\\n' "$1" "$(IFS='|'; echo "${COMPREPLY[*]}")"
            }
            probe 'qsh tasks submit --qpu sim:n'
            probe 'qsh tasks submit --qpu=sim:n'
            probe 'qsh tasks submit --qpu t'
            probe 'qsh tasks submit --qpu '
            probe 'qsh tasks submit a:'
            probe 'qsh tasks submit x:'
            probe 'qsh tasks submit x'
            probe 'qsh tasks list --db=x:dir/'
            probe 'qsh tasks submit --output=j'
            COMP_WORDBREAKS=$' \\t\\n'
            probe 'qsh tasks submit --qpu=sim:n'
            probe 'qsh tasks list --db=a:'
            """
        let run = try runProgram(
            Shells.bash ?? "bash", ["-c", "cd \"$2\" && " + probe, "bash", script, sandbox.dir.path],
            environment: sandbox.environment)
        #expect(run.stderr == "")
        #expect(run.status == 0)
        #expect(
            run.stdout == """
                qsh tasks submit --qpu sim:n => native
                qsh tasks submit --qpu=sim:n => native
                qsh tasks submit --qpu t => test:sleep
                qsh tasks submit --qpu  => sim:statevector|sim:statevector-single|sim:native|test:sleep
                qsh tasks submit a: => b.qasm
                qsh tasks submit x: => dir/
                qsh tasks submit x => x:dir
                qsh tasks list --db=x:dir/ => dir/in.qasm
                qsh tasks submit --output=j => json
                qsh tasks submit --qpu=sim:n => --qpu=sim:native
                qsh tasks list --db=a: => --db=a:b.qasm

                """)
    }

    @Test(.enabled(if: Shells.bash != nil && TmuxSession.tmux != nil, "needs bash and tmux"))
    func bashTabInsertsColonIDsAndFileNamesWhole() throws {
        let sandbox = try CompletionSandbox()
        let script = try sandbox.script("bash", as: "qsh.bash")
        let tmux = try TmuxSession(command: sandbox.tmuxCommand("\(Shells.bash ?? "bash") --noprofile --norc -i"))
        try tmux.type("PS1='$ '; source '\(script)'")
        try tmux.keys("Enter")
        // bash quotes the ':' of a whole file name it inserts (x:dir is the only match for x).
        try tmux.checkTabs(prompt: "$ ", colonCases + [("qsh tasks submit x", "qsh tasks submit x\\:dir/")])
    }

    @Test(.enabled(if: Shells.zsh != nil && TmuxSession.tmux != nil, "needs zsh and tmux"))
    func zshTabCompletesColonIDsAndValuesAfterEquals() throws {
        let sandbox = try CompletionSandbox()
        // Installed as the manual says: _qsh in a folder of $fpath, found by compinit.
        _ = try sandbox.script("zsh", as: "functions/_qsh")
        let tmux = try TmuxSession(command: sandbox.tmuxCommand("\(Shells.zsh ?? "zsh") -f -i"))
        try tmux.type(
            "PS1='$ '; fpath=('\(sandbox.dir.file("functions"))' $fpath); autoload -Uz compinit; compinit -u -D")
        try tmux.keys("Enter")
        try tmux.checkTabs(prompt: "$ ", colonCases)
    }

    @Test(.enabled(if: Shells.fish != nil, "fish is not installed"))
    func fishCompletesColonIDsAndValuesAfterEquals() throws {
        let sandbox = try CompletionSandbox()
        let script = try sandbox.script("fish", as: "qsh.fish")
        // `complete -C` is what fish's Tab asks; each result replaces the whole token.
        let lines = [
            "qsh tasks submit --qpu sim:n", "qsh tasks submit --qpu=sim:n", "qsh tasks submit --qpu ",
            "qsh tasks submit --qpu test:s", "qsh tasks submit a:", "qsh tasks submit x:",
            "qsh tasks list --db=x:", "qsh tasks list --db=e=", "qsh tasks submit --output=n",
        ]
        let probe = "source $argv[1]; cd $argv[2]; for line in $argv[3..-1]; echo \"$line =>\"; complete -C $line; end"
        let run = try runProgram(
            Shells.fish ?? "fish", ["--no-config", "-c", probe, script, sandbox.dir.path] + lines,
            environment: sandbox.environment)
        #expect(run.stderr == "")
        #expect(run.status == 0)
        #expect(
            run.stdout == """
                qsh tasks submit --qpu sim:n =>
                sim:native
                qsh tasks submit --qpu=sim:n =>
                --qpu=sim:native
                qsh tasks submit --qpu  =>
                sim:statevector
                sim:statevector-single
                sim:native
                test:sleep
                qsh tasks submit --qpu test:s =>
                test:sleep
                qsh tasks submit a: =>
                a:b.qasm
                qsh tasks submit x: =>
                x:dir/
                qsh tasks list --db=x: =>
                --db=x:dir/
                qsh tasks list --db=e= =>
                --db=e=f.qasm
                qsh tasks submit --output=n =>
                --output=ndjson

                """)
    }

    @Test(.enabled(if: TmuxSession.tmux != nil, "tmux is not installed"))
    func theInteractiveShellsTabHandlesColonsEqualsAndEscapes() throws {
        let sandbox = try CompletionSandbox()
        let tmux = try TmuxSession(command: sandbox.tmuxCommand("'\(Qsh.binary)'"))
        let cases = colonCases.map { TabCase(String($0.typed.dropFirst(4)), String($0.line.dropFirst(4))) } + [
            (".qpu sim:n", ".qpu sim:native "),
            (".qpu t", ".qpu test:sleep "),
            ("tasks submit 'my f", "tasks submit 'my file.qasm' "),
        ]
        try tmux.checkTabs(prompt: "qsh> ", cases)
    }
}
