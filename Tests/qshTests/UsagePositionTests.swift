// Usage errors know which word of the line is wrong; the interactive shell draws a caret
// under it, while argv, scripts and JSON errors keep their messages as they are.
import Foundation
import QshCore
import Testing
@testable import qsh

@Suite struct UsagePositionTests {
    let specs = [
        OptionSpec("--shots", value: "<n>", help: ""),
        OptionSpec("--output", short: "o", value: "<format>", help: "", choices: ["json", "table"]),
        OptionSpec("--quiet", short: "q", help: ""),
        OptionSpec("--tag", value: "<k=v>", help: "", repeatable: true),
    ]

    func position(_ words: [String], firstIndex: Int = 0) -> Int?? {
        do {
            _ = try ArgumentCursor(specs: specs).parse(words, firstIndex: firstIndex)
            return nil
        } catch let error as UsageError {
            return .some(error.argument)
        } catch {
            return .some(nil)
        }
    }

    @Test func parsedValuesKnowTheirWords() throws {
        let parsed = try ArgumentCursor(specs: specs).parse(
            ["x", "--shots", "5", "-qojson", "--tag=a=1", "--tag", "b=2", "y"], firstIndex: 2)
        #expect(parsed.word(of: "--shots") == 4)
        #expect(parsed.word(of: "--output") == 5)
        #expect(parsed.word(of: "--quiet") == 5)
        #expect(parsed.word(of: "--tag") == 8)
        #expect(parsed.word(ofPositional: 0) == 2)
        #expect(parsed.word(ofPositional: 1) == 9)
        #expect(parsed.word(of: "--missing") == nil)
        #expect(parsed.error("bad", option: "--tag", index: 0).argument == 6)
    }

    @Test func parseErrorsPointAtTheWordThatCausedThem() {
        #expect(position(["a", "--shot", "5"]) == .some(1))
        #expect(position(["-x"], firstIndex: 3) == .some(3))
        #expect(position(["--shots", "1", "--shots", "2"]) == .some(2))
        #expect(position(["--quiet=yes"]) == .some(0))
        #expect(position(["--shots"]) == .some(0))
        #expect(position(["-o", "jsn"]) == .some(1))
        #expect(position(["--output=jsn"]) == .some(0))
        #expect(position(["-qojsn"]) == .some(0))
    }

    @Test func valueErrorsPointAtTheValue() throws {
        let parsed = try ArgumentCursor(specs: specs).parse(["--shots", "0"], firstIndex: 2)
        #expect(throws: UsageError.self) { try parsed.int("--shots", in: 1...10) }
        do {
            _ = try parsed.int("--shots", in: 1...10)
        } catch let error as UsageError {
            #expect(error.argument == 3)
        }
    }

    /// Runs `lines` in a shell session over a capturing context; its stderr.
    func shell(_ lines: [String], mode: Repl.Mode, json: Bool = false) -> String {
        let context = CommandContext.capturing(environment: ["HOME": "/nonexistent"])
        if json { context.sessionOutput = .json }
        var repl = Repl(context: context, editor: PlainLineEditor(lines: lines), mode: mode, history: History(path: nil))
        _ = repl.run()
        let text = context.stderr.text
        // Past the banner of an interactive session.
        return mode == .interactive ? text.split(separator: "\n", maxSplits: 2).dropFirst(2).joined() : text
    }

    @Test func theInteractiveShellPutsACaretUnderTheWord() {
        #expect(shell(["tasks list --limit 0"], mode: .interactive) == """
            qsh: option '--limit' must be between 1 and 10000, got 0
              tasks list --limit 0
                                 ^
            \(HelpCommand.usageLines(for: CommandTable.find(["tasks", "list"])!, path: ["tasks", "list"]))

            """)  // The last newline is the shell's own, leaving at the end of its input.
    }

    /// Lines with `|` before the word at fault: an unknown subcommand, an extra argument
    /// (after a pasted `qsh`), an unknown option, a bad value after a word with a
    /// two-byte character, a global option's empty value, an unknown command.
    @Test(arguments: [
        "tasks |lst", "qsh tasks get a |b", "help tasks |--jsn", "tasks submit 'é x.qasm' --shots |0",
        "--db |'' tasks list", "|hlep",
    ])
    func everyWordCanBeTheOneAtFault(marked: String) {
        let column = marked.distance(from: marked.startIndex, to: marked.firstIndex(of: "|")!)
        let line = marked.replacingOccurrences(of: "|", with: "")
        let text = shell([line], mode: .interactive)
        #expect(text.contains("\n  " + line + "\n  " + String(repeating: " ", count: column) + "^\n"), "\(text)")
    }

    @Test func scriptsAndJSONErrorsHaveNoCaret() {
        #expect(shell(["tasks list --limit 0"], mode: .batch).hasPrefix(
            "qsh: line 1: option '--limit' must be between 1 and 10000, got 0\nusage: qsh tasks list"))
        let json = shell(["tasks list --limit 0"], mode: .interactive, json: true)
        #expect(json.hasPrefix(#"{"error": {"code": "usage", "#) && !json.contains("^"))
    }

    @Test func argvErrorsKeepTheirText() {
        let context = CommandContext.capturing()
        context.interactive = false
        #expect(Dispatcher.run(["tasks", "list", "--limit", "0"], context: context) == .usage)
        #expect(context.stderr.text.hasPrefix("qsh: option '--limit' must be between 1 and 10000, got 0\nusage: "))
    }
}
