// Tests for Tab completion candidates over a fixed command table and fixed sources: names,
// subcommands, options, option values, task ids (newest first), files, meta-commands, and
// candidates cut for shells that split words at more characters than qsh (bash, readline).
import Testing
@testable import qsh

@Suite struct CompletionTests {
    static let table: [Command] = [
        Command(name: "help", summary: "", arguments: 0...3, argumentKind: "command", run: { _ in .ok }),
        Command(
            name: "tasks", summary: "",
            subcommands: [
                Command(
                    name: "submit", summary: "",
                    options: [
                        OptionSpec("--shots", value: "<n>", help: ""),
                        OptionSpec("--qpu", value: "<id>", help: ""),
                        OptionSpec("--wait", help: ""),
                    ] + CommonOptions.output,
                    arguments: 1...1, argumentKind: "file", run: { _ in .ok }),
                Command(name: "get", summary: "", arguments: 1...1, argumentKind: "task", run: { _ in .ok }),
                Command(
                    name: "list", summary: "",
                    options: [
                        OptionSpec("--status", value: "<state>", help: "", repeatable: true),
                        OptionSpec("--db", value: "<path>", help: ""),
                    ], run: { _ in .ok }),
            ]),
        Command(name: "version", summary: "", run: { _ in .ok }),
    ]

    static let folders: [String: [DirectoryEntry]] = [
        ".": [
            DirectoryEntry(name: "bell.qasm", isDirectory: false), DirectoryEntry(name: "b.txt", isDirectory: false),
            DirectoryEntry(name: "sub", isDirectory: true), DirectoryEntry(name: ".hidden", isDirectory: false),
            DirectoryEntry(name: "my file.qasm", isDirectory: false),
            DirectoryEntry(name: "a:b.qasm", isDirectory: false), DirectoryEntry(name: "x:dir", isDirectory: true),
            DirectoryEntry(name: "e=f.qasm", isDirectory: false),
        ],
        "sub/": [DirectoryEntry(name: "x.qasm", isDirectory: false)],
        "x:dir/": [DirectoryEntry(name: "in.qasm", isDirectory: false)],
        "/home/u/": [DirectoryEntry(name: "ghz.qasm", isDirectory: false)],
    ]

    let completer = Completer(
        commands: CompletionTests.table, metaCommands: Repl.metaCommands,
        sources: CompletionSources(
            taskIDs: { prefix in ["7f3a", "a2b4", "7f01"].filter { $0.hasPrefix(prefix) } },
            qpuIDs: { ["sim:statevector", "sim:density"] },
            listDirectory: { CompletionTests.folders[$0] }, home: "/home/u"))

    func words(_ line: String) -> [String] { completer.complete(line: line).candidates }

    @Test func commandNamesAndSubcommands() {
        #expect(words("") == ["help", "tasks", "version"])
        #expect(words("t") == ["tasks"])
        #expect(words("tasks ") == ["get", "list", "submit"])
        #expect(words("tasks s") == ["submit"])
        #expect(words("qsh tasks g") == ["get"])
        #expect(words("bogus ").isEmpty)
        #expect(words("tasks bogus ").isEmpty)
    }

    @Test func optionsOfTheCommandBeingTypedWithoutRepeats() {
        #expect(words("tasks submit --") == ["--shots", "--qpu", "--wait", "--output", "--json", "--help", "--version", "--no-color"])
        #expect(words("tasks submit --shots 5 -q --w") == ["--wait"])
        #expect(words("tasks submit --shots 5 --s").isEmpty)
        #expect(words("tasks list --status Created --s") == ["--status"])
        #expect(words("tasks --") == ["--help", "--version", "--no-color"])
    }

    @Test func optionValuesFromChoicesQPUsAndStates() {
        #expect(words("tasks submit -o ") == CommonOptions.formats)
        #expect(words("tasks submit --output n") == ["ndjson"])
        #expect(words("tasks submit --qpu ") == ["sim:statevector", "sim:density"])
        #expect(words("tasks submit --qpu=sim:s") == ["sim:statevector"])
        #expect(words("tasks list --status Comp") == ["Completed"])
        #expect(completer.complete(before: "tasks list --status=", partial: "Canc").candidates == ["Cancelled"])
        #expect(completer.complete(line: "tasks list --db s") == Completion(candidates: ["sub/"], kind: .files))
    }

    @Test func globalOptionsBeforeTheCommand() {
        #expect(words("--db x tasks l") == ["list"])
        #expect(words("-o ") == CommonOptions.formats)
        #expect(words("--j") == ["--json"])
        #expect(words("--output json v") == ["version"])
    }

    @Test func taskIDsKeepTheSourcesNewestFirstOrder() {
        #expect(words("tasks get ") == ["7f3a", "a2b4", "7f01"])
        #expect(words("tasks get 7f") == ["7f3a", "7f01"])
        #expect(words("tasks get 7f3a ").isEmpty)
    }

    @Test func fileNamesForProgramArguments() {
        #expect(completer.complete(line: "tasks submit ")
            == Completion(
                candidates: ["a:b.qasm", "b.txt", "bell.qasm", "e=f.qasm", "my file.qasm", "sub/", "x:dir/"],
                kind: .files))
        #expect(words("tasks submit b") == ["b.txt", "bell.qasm"])
        #expect(words("tasks submit sub/") == ["sub/x.qasm"])
        #expect(words("tasks submit .") == [".hidden"])
        #expect(words("tasks submit ~/g") == ["~/ghz.qasm"])
        #expect(words("tasks submit 'my f") == ["my file.qasm"])
        #expect(words("tasks submit --wait bell.qasm ").isEmpty)
        #expect(completer.complete(line: "tasks submit nowhere/") == Completion(candidates: [], kind: .files))
    }

    @Test func helpCompletesCommandPaths() {
        #expect(words("help ") == ["help", "tasks", "version", "exit-codes"])
        #expect(words("help tasks ") == ["get", "list", "submit"])
    }

    @Test func metaCommandsAndTheirArguments() {
        #expect(words(".") == [".connect", ".disconnect", ".exit", ".help", ".history", ".output", ".qpu", ".quit", ".status", ".timer"])
        #expect(words(".o") == [".output"])
        #expect(words(".output ") == CommonOptions.formats)
        #expect(words(".qpu sim:d") == ["sim:density"])
        #expect(words(".timer o") == ["on", "off"])
        #expect(words(".help ").isEmpty)
    }

    @Test func commentsAndOpenQuotesBeforeTheWordGiveNothing() {
        #expect(words("# tasks ").isEmpty)
        #expect(completer.complete(before: "tasks 'x ", partial: "").candidates.isEmpty)
    }

    @Test func theCurrentWordEndsAtBlanksAndAfterAnOptionsEquals() {
        #expect(Completer.splitCurrentWord("tasks li") == ("tasks ", "li"))
        #expect(Completer.splitCurrentWord("tasks ") == ("tasks ", ""))
        #expect(Completer.splitCurrentWord("x --output=js") == ("x --output=", "js"))
        #expect(Completer.splitCurrentWord("x \"my f") == ("x ", "my f"))
    }

    @Test func theCurrentWordIsTheOneATypedCharacterWouldJoin() {
        #expect(Completer.splitCurrentWord("x my\\ f") == ("x ", "my f"))
        #expect(Completer.splitCurrentWord("x my\\ ") == ("x ", "my "))
        #expect(Completer.splitCurrentWord("x a'b c") == ("x ", "ab c"))
        #expect(Completer.splitCurrentWord("x ab\\") == ("x ", "ab"))
        #expect(Completer.splitCurrentWord("x a=b") == ("x ", "a=b"))
        #expect(Completer.splitCurrentWord("x --db=a=b") == ("x --db=", "a=b"))
        #expect(Completer.splitCurrentWord("x '--qpu=s") == ("x '--qpu=", "s"))
        #expect(Completer.splitCurrentWord("x --db='my f") == ("x --db=", "my f"))
        #expect(Completer.splitCurrentWord("x # y") == ("x # y", ""))
    }

    /// bash's default `COMP_WORDBREAKS`.
    static let bashBreaks = " \t\n\"'><=;|&(:"

    /// The text at the end of `line` that bash replaces with a candidate.
    func bashWord(_ line: String, breaks: String = CompletionTests.bashBreaks) -> String {
        String(decoding: line.utf8.dropFirst(Completer.readlineWordStart(line, breaks: breaks)), as: UTF8.self)
    }

    /// The candidates bash gets for `line` (what `qsh completion --complete --word-breaks` prints).
    func bash(_ line: String, breaks: String = CompletionTests.bashBreaks) -> Completion {
        completer.complete(line: line, replacingFrom: Completer.readlineWordStart(line, breaks: breaks))
    }

    @Test func bashsWordStartsAfterItsLastUnquotedWordBreak() {
        #expect(bashWord("tasks submit --qpu sim:st") == "st")
        #expect(bashWord("tasks submit --qpu=sim:st") == "st")
        #expect(bashWord("tasks submit --qpu=") == "")
        #expect(bashWord("tasks submit --qpu s") == "s")
        #expect(bashWord("x 'a:b") == "a:b")
        #expect(bashWord("x \"a:b") == "a:b")
        #expect(bashWord("x \"a\\\":b") == "a\\\":b")
        #expect(bashWord("x 'a\\':b") == "b")
        #expect(bashWord("x 'a:b'c") == "'a:b'c")
        #expect(bashWord("x 'a:b'c:d") == "d")
        #expect(bashWord("x a\\:b") == "a\\:b")
        #expect(bashWord("x my\\ f") == "my\\ f")
        #expect(bashWord("x a:b", breaks: " \t\n=") == "a:b")
        #expect(bashWord("x a:b", breaks: "") == "a:b")
    }

    @Test func bashGetsIDsCutAfterTheColonItAlreadyHolds() {
        #expect(bash("tasks submit --qpu sim:").candidates == ["statevector", "density"])
        #expect(bash("tasks submit --qpu sim:s").candidates == ["statevector"])
        #expect(bash("tasks submit --qpu=sim:d").candidates == ["density"])
        #expect(bash("tasks submit --qpu s").candidates == ["sim:statevector", "sim:density"])
        #expect(bash("tasks submit --qpu=").candidates == ["sim:statevector", "sim:density"])
        #expect(bash("tasks submit --qpu 'sim:s").candidates == ["sim:statevector"])
        #expect(bash("tasks submit --qpu sim\\:s").candidates == ["sim:statevector"])
        #expect(bash("tasks submit --output=n").candidates == ["ndjson"])
        #expect(bash("tasks list --status=Canc").candidates == ["Cancelled"])
        #expect(bash("tasks submit --qpu nowhere:").candidates.isEmpty)
    }

    @Test func bashGetsFileNamesCutAfterAColonOrEquals() {
        #expect(bash("tasks submit a:") == Completion(candidates: ["b.qasm"], kind: .files))
        #expect(bash("tasks submit e=") == Completion(candidates: ["f.qasm"], kind: .files))
        #expect(bash("tasks list --db=a:") == Completion(candidates: ["b.qasm"], kind: .files))
        #expect(bash("tasks submit x:dir/").candidates == ["dir/in.qasm"])
        #expect(bash("tasks submit 'a:").candidates == ["a:b.qasm"])
        #expect(bash("tasks submit my\\ f").candidates == ["my file.qasm"])
    }

    @Test func foldersKeepTheirSlashOnlyWhereTheShellCannotSeeTheWholeName() {
        // Cut to 'dir': bash and readline cannot tell it is a folder, so qsh says so.
        #expect(bash("tasks submit x:").candidates == ["dir/"])
        #expect(bash("tasks list --db=x:").candidates == ["dir/"])
        // The whole name: the shell adds the '/' itself (after a closing quote, if any).
        #expect(bash("tasks submit x").candidates == ["x:dir"])
        #expect(bash("tasks submit s").candidates == ["sub"])
        #expect(bash("tasks list --db=s").candidates == ["sub"])
    }

    @Test func aShellWhoseWordStartsEarlierGetsTheMissingTextInFront() {
        #expect(bash("tasks submit --qpu=sim:d", breaks: " \t\n").candidates == ["--qpu=sim:density"])
        #expect(bash("tasks list --db=s", breaks: " \t\n").candidates == ["--db=sub/"])
        #expect(bash("tasks submit --qpu sim:d", breaks: " \t\n").candidates == ["sim:density"])
    }

    @Test func readlineInTheShellGetsCandidatesForTheTextItReplaces() {
        // The shell's readline splits at blanks and '=' and does not know backslashes.
        func repl(_ line: String, from start: String) -> [String] {
            completer.complete(line: line, replacingFrom: line.utf8.count - start.utf8.count).candidates
        }
        #expect(repl("tasks submit --qpu sim:", from: "sim:") == ["sim:statevector", "sim:density"])
        #expect(repl("tasks submit --qpu=sim:s", from: "sim:s") == ["sim:statevector"])
        #expect(repl(".qpu sim:d", from: "sim:d") == ["sim:density"])
        #expect(repl("tasks submit e=", from: "") == ["f.qasm"])
        #expect(repl("tasks submit my\\ f", from: "f") == ["file.qasm"])
        #expect(repl("tasks submit 'my f", from: "my f") == ["my file.qasm"])
        #expect(repl("tasks submit b", from: "b") == ["b.txt", "bell.qasm"])
    }

    @Test func commonPrefixOfMatches() {
        #expect(commonPrefix(["7f3a", "7f01"]) == "7f")
        #expect(commonPrefix(["a"]) == "a")
        #expect(commonPrefix(["abc", "xyz"]) == "")
    }

    @Test func theRealTableCompletesTheShellsOwnCommands() {
        let real = Completer(commands: CommandTable.root, metaCommands: [], sources: CompletionSources())
        #expect(real.complete(line: "completion ").candidates.isEmpty)
        #expect(real.complete(line: "rep").candidates == ["repl"])
        #expect(real.complete(line: "repl --k").candidates == ["--keep-going"])
    }
}

/// Completion of QPU ids and settings, over the real command table.
@Suite struct QPUAndSettingCompletionTests {
    let completer = Completer(
        commands: CommandTable.root, metaCommands: Repl.metaCommands,
        sources: CompletionSources(
            taskIDs: { _ in [] }, qpuIDs: { ["sim:statevector", "sim:native"] }, listDirectory: { _ in [] },
            home: "/"))

    func words(_ line: String) -> [String] { completer.complete(line: line).candidates }

    @Test func qpuCommandsCompleteQPUIds() {
        #expect(words("qpus ") == ["get", "list", "pause", "resume"])
        #expect(words("qpus pause sim:n") == ["sim:native"])
        #expect(words("qpus resume --") == ["--db", "--api", "--offline", "--no-autostart", "--output", "--json", "--help", "--version", "--no-color"])
        #expect(words("qpus get ") == ["sim:statevector", "sim:native"])
        #expect(words("qpus get sim:native ").isEmpty)
    }

    @Test func configCompletesKeysThenTheValuesAKeyTakes() {
        #expect(words("config ") == ["get", "list", "set", "unset"])
        #expect(words("config set ") == ["default_qpu", "shots", "output", "api"])
        #expect(words("config get s") == ["shots"])
        #expect(words("config set output n") == ["ndjson"])
        #expect(words("config set default_qpu sim:s") == ["sim:statevector"])
        #expect(words("config set shots ").isEmpty)
        #expect(words("config unset default_qpu ").isEmpty)
        #expect(words("tasks get --d") == ["--diagnostics", "--db"])
    }
}
