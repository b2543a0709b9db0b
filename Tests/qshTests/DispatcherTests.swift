// Tests for dispatch: global options, groups, unknown subcommands, usage errors.
import Testing
@testable import qsh

@Suite struct DispatcherTests {
    @Test func globalOptionsBeforeTheCommandReachTheLeaf() {
        let context = CommandContext.capturing()
        let status = Dispatcher.run(["--no-color", "help", "exit-codes"], context: context)
        #expect(status == .ok)
        #expect(context.stdout.text.hasPrefix("Exit statuses of qsh"))
        #expect(context.stderr.text == "")
    }

    @Test func globalOptionThatDoesNotApplyIsAUsageError() {
        let context = CommandContext.capturing()
        let status = Dispatcher.run(["--db", "x.sqlite", "version"], context: context)
        #expect(status == .usage)
        #expect(context.stdout.text == "")
        #expect(context.stderr.text == "qsh: option '--db' does not apply to 'qsh version'\nusage: qsh version\n")
    }

    @Test func tooManyArgumentsNameTheExtraOne() {
        let context = CommandContext.capturing()
        let status = Dispatcher.run(["version", "extra"], context: context)
        #expect(status == .usage)
        #expect(context.stderr.text == "qsh: unexpected argument 'extra'\nusage: qsh version\n")
    }

    @Test func helpFlagPrintsTheCommandsHelpOnStdout() {
        let context = CommandContext.capturing()
        let status = Dispatcher.run(["help", "--help"], context: context)
        #expect(status == .ok)
        #expect(context.stdout.text.hasPrefix("usage: qsh help [<command> [<subcommand>]]\n   or: qsh help exit-codes\n"))
        #expect(context.stdout.text.contains("\nExamples:\n  qsh help tasks submit\n"))
    }

    @Test func helpForAnUnknownTopicSuggests() {
        let context = CommandContext.capturing()
        let status = Dispatcher.run(["help", "exit-code"], context: context)
        #expect(status == .usage)
        #expect(context.stderr.text.hasPrefix("qsh: no help for 'exit-code' (did you mean 'exit-codes'?)\n"))
    }

    @Test func errorsAreJSONWhenTheOutputIsJSON() {
        let context = CommandContext.capturing()
        context.errorsAsJSON = true
        let status = Dispatcher.report(
            CommandFailure(code: .notFound, message: "no task 'abcd'",
                           details: [("task_id", "abcd")]),
            context: context)
        #expect(status == .notFound)
        #expect(context.stderr.text == #"{"error": {"code": "not_found", "message": "no task 'abcd'", "task_id": "abcd"}}"# + "\n")
    }
}

@Suite struct HelpWrapTests {
    @Test func wrapsLongParagraphsAndKeepsIndentedLines() {
        let text = "one two three four five six\n  keep   this line as it is\n\nseven"
        #expect(HelpCommand.wrap(text, width: 10) == "one two\nthree four\nfive six\n  keep   this line as it is\n\nseven")
    }

    @Test func sourceLineBreaksInsideAParagraphAreRefilled() {
        // Written with short source lines, printed as one filled paragraph (no ragged "it. Unless" lines).
        let text = "alpha beta gamma\ndelta\nepsilon zeta eta\n\ntheta"
        #expect(HelpCommand.wrap(text, width: 16) == "alpha beta gamma\ndelta epsilon\nzeta eta\n\ntheta")
    }

    @Test func everyHelpPageFitsIn78Columns() {
        for command in CommandTable.root {
            for leaf in command.subcommands.isEmpty ? [command] : command.subcommands {
                for line in HelpCommand.wrap(leaf.details, width: 78).split(separator: "\n") {
                    #expect(line.count <= 78, "\(command.name) \(leaf.name): \(line)")
                }
            }
        }
    }
}

@Suite struct VersionOptionTests {
    @Test func everySubcommandTakesVersion() {
        let context = CommandContext.capturing()
        let status = Dispatcher.run(["tasks", "list", "--version"], context: context)
        #expect(status == .ok)
        #expect(context.stdout.text.hasPrefix("qsh \(VersionCommand.version) (sqlite "))
        #expect(context.stderr.text == "")
    }
}
