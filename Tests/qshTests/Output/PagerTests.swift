// Which pager a table goes through: $QSH_PAGER, else $PAGER, else less -FRX; none off a
// terminal, for JSON, with --no-pager, or for a pager of "" or "cat".
import Testing
@testable import qsh

@Suite struct PagerChoiceTests {
    @Test func thePagerComesFromTheEnvironmentElseLess() {
        func pager(_ env: [String: String], tty: Bool = true, format: OutputFormat = .table, noPager: Bool = false) -> String? {
            Pager.command(environment: env, stdoutIsTTY: tty, format: format, noPager: noPager)
        }
        #expect(pager([:]) == "less -FRX")
        #expect(pager(["PAGER": "more"]) == "more")
        #expect(pager(["PAGER": "more", "QSH_PAGER": " most "]) == "most")
        #expect(pager(["PAGER": "cat"]) == nil)
        #expect(pager(["QSH_PAGER": "", "PAGER": "more"]) == nil)
        #expect(pager([:], tty: false) == nil)
        #expect(pager([:], format: .json) == nil && pager([:], format: .ndjson) == nil)
        #expect(pager([:], format: .wide) == "less -FRX" && pager([:], format: .tsv) == "less -FRX")
        #expect(pager([:], noPager: true) == nil)
    }

    @Test func aCapturedStreamIsNeverPaged() throws {
        let context = CommandContext.capturing(environment: ["QSH_PAGER": "false"], tty: true)
        let invocation = Invocation(context: context, arguments: ParsedArguments(), path: ["tasks", "list"])
        Pager.write("ID\n", invocation: invocation, format: .table)
        #expect(context.stdout.text == "ID\n")
    }
}
