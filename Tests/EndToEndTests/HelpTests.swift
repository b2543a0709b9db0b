// End-to-end: help, version, unknown commands and exit statuses of the dispatcher.
import Testing
import TestSupport

@Suite struct HelpTests {
    @Test func versionPrintsOneLine() throws {
        let run = try Qsh.run(["--version"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("qsh "))
        #expect(run.stderr == "")
    }

    @Test func unknownCommandSuggestsAndExits2() throws {
        let run = try Qsh.run(["hlep"])
        #expect(run.status == 2)
        #expect(run.stdout == "")
        #expect(run.stderr == "qsh: 'hlep' is not a qsh command. See 'qsh help'.\n\nThe most similar command is\n\thelp\n")
    }

    @Test func exitCodesAreDocumented() throws {
        let run = try Qsh.run(["help", "exit-codes"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("  3  the task ended Failed or PayloadProcessingError\n"))
        #expect(run.stdout.contains("124  a wait timed out before the task ended\n"))
    }
}
