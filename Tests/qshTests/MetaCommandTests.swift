// Tests for the shell loop and its meta-commands: session settings, .status, .history,
// .timer, errors with did-you-mean, and batch mode stopping at the first failure.
import QshCore
import Testing
@testable import qsh

@Suite struct MetaCommandTests {
    /// A session over scripted lines; commands go to `dispatch` (by default: `fail N` exits N).
    func session(
        _ lines: [String], mode: Repl.Mode = .batch, keepGoing: Bool = false,
        dispatch: (([String], CommandContext) -> QshCore.ExitStatus)? = nil
    ) -> (Repl, CommandContext) {
        let context = CommandContext.capturing()
        var repl = Repl(
            context: context, editor: PlainLineEditor(lines: lines), mode: mode, keepGoing: keepGoing,
            history: History(path: nil))
        repl.dispatch = dispatch ?? { words, context in
            if words.first == "fail", let code = words.dropFirst().first.flatMap({ Int32($0) }) {
                return QshCore.ExitStatus(rawValue: code)
            }
            context.stdout.line("ran " + words.joined(separator: " "))
            return .ok
        }
        return (repl, context)
    }

    @Test func outputSetsTheSessionFormat() {
        var (repl, context) = session([])
        #expect(repl.meta(".output", []) == .proceed(.ok))
        #expect(repl.meta(".output", ["ndjson"]) == .proceed(.ok))
        #expect(context.sessionOutput == .ndjson)
        #expect(repl.meta(".output", []) == .proceed(.ok))
        #expect(context.stdout.text == "default (table on a terminal, json in a pipe)\nndjson\n")
        #expect(repl.meta(".output", ["jsn"]) == .proceed(.usage))
        // The session's output is ndjson now, so the shell's own errors are JSON too.
        #expect(context.stderr.text
            == #"{"error": {"code": "usage", "message": "'.output' does not accept 'jsn'; use one of: table, wide, json, ndjson, csv, tsv (did you mean 'json'?)"}}"# + "\n")
        #expect(context.sessionOutput == .ndjson)
    }

    @Test func qpuSetsTheSessionQPUAndThePrompt() {
        var (repl, context) = session([])
        #expect(repl.prompt == "qsh> ")
        #expect(repl.meta(".qpu", ["sim:statevector"]) == .proceed(.ok))
        #expect(context.sessionQPU == "sim:statevector")
        #expect(repl.prompt == "qsh(sim:statevector)> ")
        #expect(repl.meta(".qpu", ["sim:statevectr"]) == .proceed(.usage))
        #expect(context.stderr.text
            == "qsh: unknown QPU 'sim:statevectr'; the QPUs are: sim:statevector, sim:statevector-single, sim:native (did you mean 'sim:statevector'?)\n")
        #expect(repl.meta(".qpu", ["none"]) == .proceed(.ok))
        #expect(context.sessionQPU == nil)
        #expect(repl.prompt == "qsh> ")
    }

    @Test func unknownMetaCommandSuggestsTheNearest() {
        var (repl, context) = session([])
        #expect(repl.meta(".outptu", ["json"]) == .proceed(.usage))
        #expect(context.stderr.text == "qsh: unknown shell command '.outptu' (did you mean '.output'?); see '.help'\n")
        #expect(repl.meta(".zzz", []) == .proceed(.usage))
        #expect(context.stderr.text.hasSuffix("qsh: unknown shell command '.zzz'; see '.help'\n"))
    }

    @Test func statusShowsTheLastCommandsStatusAndKeepsIt() {
        var (repl, context) = session([])
        _ = repl.command(["fail", "5"])
        #expect(repl.meta(".status", []) == .proceed(.ok))
        #expect(repl.meta(".status", []) == .proceed(.ok))
        #expect(context.stdout.text == "5  task or resource not found\n5  task or resource not found\n")
        _ = repl.command(["fail", "0"])
        _ = repl.meta(".status", [])
        #expect(context.stdout.text.hasSuffix("\n0  success (an empty list is a success too)\n"))
    }

    @Test func timerPrintsElapsedTimesToStderr() {
        var (repl, context) = session([])
        var tick = 0.0
        repl.clock = {
            tick += 1
            return CPUTimes(real: tick * 0.25, user: tick * 0.1, system: tick * 0.02)
        }
        #expect(repl.meta(".timer", ["on"]) == .proceed(.ok))
        _ = repl.command(["version"])
        #expect(context.stdout.text == "ran version\n")
        #expect(context.stderr.text == "time: real 0.250s, user 0.100s, sys 0.020s\n")
        #expect(repl.meta(".timer", ["off"]) == .proceed(.ok))
        _ = repl.command(["version"])
        #expect(context.stderr.text == "time: real 0.250s, user 0.100s, sys 0.020s\n")
        #expect(repl.meta(".timer", ["maybe"]) == .proceed(.usage))
        #expect(repl.meta(".timer", []) == .proceed(.usage))
        #expect(context.stderr.text.hasSuffix(
            "qsh: '.timer' does not accept 'maybe'; use one of: on, off\nqsh: usage: .timer on|off\n"))
    }

    @Test func historyListsWhatAnInteractiveSessionKept() {
        var (repl, context) = session(["version ", "version", "", " secret", "help", ".history"], mode: .interactive)
        #expect(repl.run() == .ok)
        #expect(context.stdout.text
            == "ran version\nran version\nran secret\nran help\n    1  version\n    2  help\n    3  .history\n")
    }

    @Test func quitAndExitLeaveWithAStatus() {
        var (repl, _) = session([])
        #expect(repl.meta(".quit", []) == .quit(.ok))
        #expect(repl.meta(".exit", ["3"]) == .quit(.taskFailed))
        #expect(repl.meta(".exit", ["x"]) == .proceed(.usage))
        var (script, context) = session(["version", ".exit 6", "help"])
        #expect(script.run() == .cancelled)
        #expect(context.stdout.text == "ran version\n")
    }

    @Test func helpListsEveryMetaCommand() {
        var (repl, context) = session([])
        #expect(repl.meta(".help", []) == .proceed(.ok))
        for meta in Repl.metaCommands {
            for name in meta.names { #expect(context.stdout.text.contains(name)) }
        }
    }

    @Test func batchStopsAtTheFirstFailureWithItsStatus() {
        var (repl, context) = session(["# setup", "", "version", "fail 5", "help"])
        #expect(repl.run() == .notFound)
        #expect(context.stdout.text == "ran version\n")
        #expect(context.stderr.text == "")
    }

    @Test func keepGoingRunsEverythingAndReturnsTheLastFailure() {
        var (repl, context) = session(["fail 5", "version", "fail 3", "help"], keepGoing: true)
        #expect(repl.run() == .taskFailed)
        #expect(context.stdout.text == "ran version\nran help\n")
    }

    @Test func interactiveSessionKeepsGoingAndEndsWithZero() {
        var (repl, context) = session(["fail 2", "version"], mode: .interactive)
        #expect(repl.run() == .ok)
        #expect(context.stdout.text == "ran version\n")
        #expect(context.stderr.text.hasPrefix("qsh 0.1.0, the interactive shell of qsh.\n"))
    }

    @Test func splitErrorsShowACaretAndTheLineNumberInScripts() {
        var (repl, context) = session(["version", "qasm run 'x"], keepGoing: true)
        #expect(repl.run() == .usage)
        #expect(context.stderr.text == "qsh: line 2: unterminated quote\n  qasm run 'x\n           ^\n")
    }

    @Test func aLeadingQshIsDroppedAndExitIsExplained() {
        var (repl, context) = session([])
        #expect(repl.command(["qsh", "version"]) == .ok)
        #expect(context.stdout.text == "ran version\n")
        #expect(repl.command(["exit"]) == .usage)
        #expect(context.stderr.text == "qsh: 'exit' is not a qsh command; use '.quit' or Ctrl-D to leave the shell\n")
    }

    @Test func realCommandsRunThroughTheDispatcherWithTheirStatuses() {
        let context = CommandContext.capturing()
        var repl = Repl(
            context: context, editor: PlainLineEditor(lines: ["help bogus", ".status"]), mode: .batch,
            keepGoing: true, history: History(path: nil))
        #expect(repl.run() == .usage)
        #expect(context.stderr.text.hasPrefix("qsh: line 1: no help for 'bogus'\n"))
        #expect(context.stdout.text == "2  usage error: unknown command or option, bad or missing argument\n")
    }

    @Test func colourTurnedOffByOneCommandComesBackForTheNext() {
        let context = CommandContext.capturing()
        context.terminal.colorStdout = true
        var repl = Repl(
            context: context, editor: PlainLineEditor(lines: []), mode: .interactive, history: History(path: nil))
        #expect(repl.command(["version", "--no-color"]) == .ok)
        #expect(context.terminal.colorStdout)
    }

    @Test func anInterruptedCommandReturnsToThePrompt() {
        let context = CommandContext.capturing()
        context.interrupts = InterruptSource { true }
        var repl = Repl(
            context: context, editor: PlainLineEditor(lines: ["wait", "version"]), mode: .interactive,
            history: History(path: nil))
        repl.dispatch = { words, context in
            if words == ["wait"] { return context.interruptRequested ? .interrupted : .ok }
            context.stdout.line("ran " + words.joined(separator: " "))
            return .ok
        }
        #expect(repl.run() == .ok)
        #expect(repl.lastStatus == .ok)
        #expect(context.stdout.text == "ran version\n")
    }
}
